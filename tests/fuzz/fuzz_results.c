/* fuzz_results.c — libFuzzer target: the results-file reader must refuse
 * any malformed input with a message, never crash or half-read; what it
 * accepts must survive the typed decoding, the summary and CSV writers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "results.h"
#include "summary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("results", MFD_CLOEXEC);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	struct err e = {{0}};
	json_t *doc = results_load(path, &e);
	if (!doc && !e.msg[0])
		abort(); /* refused without saying why */
	if (doc) {
		struct run_results r;
		run_results_init(&r, json_incref(json_object_get(doc, "context")));
		results_decode(doc, &r);
		FILE *null = fopen("/dev/null", "w");
		summary_print(null, &r);
		fclose(null);
		run_results_free(&r);
		results_write_csv("/dev/null", doc, &e);
		json_decref(doc);
	}
	close(fd);
	return 0;
}
