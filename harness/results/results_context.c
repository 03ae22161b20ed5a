/* results_context.c — the machine, date and profile of a results file. */
#include <stdio.h>
#include <string.h>
#include "results_context.h"

static int positive_int(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) && json_integer_value(v) > 0 ? (int)json_integer_value(v) : 0;
}

int context_cores(json_t *ctx, const char **what)
{
	json_t *topo = json_object_get(ctx, "topology");
	static const char *const core_keys[] = {"cores", "physical_cores", "num_cores"};
	for (size_t i = 0; i < sizeof core_keys / sizeof core_keys[0]; i++) {
		int n = positive_int(topo, core_keys[i]);
		if (!n)
			n = positive_int(ctx, core_keys[i]);
		if (n) {
			*what = "physical cores";
			return n;
		}
	}
	*what = "CPUs";
	return positive_int(ctx, "num_cpus");
}

static const char *text(json_t *ctx, const char *key, const char *fallback)
{
	json_t *v = json_object_get(ctx, key);
	return json_is_string(v) && json_string_length(v) ? json_string_value(v) : fallback;
}

void context_subtitle(json_t *ctx, char *buf, size_t len)
{
	/* ISO 8601 "2026-11-23T20:30:00+00:00" reads as "2026-11-23 20:30". */
	char date[17] = "date unknown";
	const char *iso = text(ctx, "date", NULL);
	if (iso && strlen(iso) >= 16) {
		memcpy(date, iso, 16);
		date[10] = ' ';
		date[16] = '\0';
	}
	snprintf(buf, len, "%s · %s · profile %s", text(ctx, "host_name", "unknown host"), date,
		 text(ctx, "profile", "unknown"));
}
