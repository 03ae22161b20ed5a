/* cmd_report.c — `cmbench report RESULTS.json [-o DIR]`: a self-contained HTML
 * page and its Markdown twin, with every chart, from one results file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "answer_cells.h"
#include "commands.h"
#include "plot_args.h"
#include "report.h"
#include "safe_file.h"

static const char usage[] =
	"usage: cmbench report RESULTS.json [-o DIR] [--format png,svg] [--size 800x500]\n"
	"\n"
	"Write DIR/report.html (one self-contained page: CSS and charts inline, no\n"
	"network) and DIR/report.md (the same for CI summaries; charts beside it):\n"
	"context of the run, warnings, summary tables and every chart that\n"
	"`cmbench plot` draws.\n"
	"\n"
	"  -o, --output DIR   where to write (default: RESULTS without .json + -report)\n"
	"  -f, --format LIST  chart formats: png, svg or both (default png,svg)\n"
	"  -s, --size WxH     chart size in pixels (default 800x500)\n"
	"\n"
	"Exit status: 0 written, 1 gnuplot missing, a chart failed or a file could not\n"
	"be written, 2 usage or a results file that cannot be read.\n";

/* Write through a temporary file created in the opened DIR (O_EXCL,
 * O_NOFOLLOW) and renamed, so a reader never sees half a page and a symlink
 * planted in DIR is never followed. */
static int write_doc(const struct doc_ops *ops, const char *dir, const char *file,
		     const struct report_input *in, const struct plot_options *po, char *path,
		     size_t len)
{
	char tmp[300];
	struct err e;
	snprintf(path, len, "%s/%s", dir, file);
	struct doc d = {.ops = ops, .dir = dir, .png = po->png, .svg = po->svg};
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int fd = dfd < 0 ? -1 : safe_tmp_create(dfd, file, tmp, sizeof tmp, &e);
	d.f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!d.f) {
		if (dfd < 0)
			err_set(&e, "cannot open %s: %s", dir, strerror(errno));
		fprintf(stderr, "cmbench report: %s\n", e.msg);
		if (fd >= 0) {
			close(fd);
			unlinkat(dfd, tmp, 0);
		}
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	report_write(&d, in);
	int rc = 0;
	if (ferror(d.f) | fclose(d.f)) {
		rc = err_set(&e, "cannot write %s: %s", path, strerror(errno));
		unlinkat(dfd, tmp, 0);
	} else {
		rc = safe_commit(dfd, tmp, file, path, &e);
	}
	if (rc)
		fprintf(stderr, "cmbench report: %s\n", e.msg);
	close(dfd);
	return rc;
}

int cmd_report(int argc, char **argv)
{
	struct plot_args a;
	int rc = plot_args_parse(&a, argc, argv, usage, "-report");
	if (rc)
		return rc < 0 ? 0 : rc;
	struct plot_set charts;
	struct err e;
	if (plot_results(a.results, &a.cells, &a.plot, &charts, &e)) {
		fprintf(stderr, "cmbench report: %s\n", e.msg);
		plot_args_free(&a);
		return 1;
	}
	struct report_input in = {a.results, &a.cells, &charts, a.results_path};
	char html[4200], md[4200];
	rc = write_doc(&doc_html_ops, a.outdir, "report.html", &in, &a.plot, html, sizeof html) ||
	     write_doc(&doc_md_ops, a.outdir, "report.md", &in, &a.plot, md, sizeof md);
	if (!rc) {
		/* the answer first (make bench shows it), then where the pages are */
		struct answer_rows *rows = answer_rows_from_cells(&a.cells);
		answer_print(stdout, rows->v, rows->n);
		answer_rows_free(rows);
		printf("%s\n%s\n", html, md);
	}
	plot_set_free(&charts);
	plot_args_free(&a);
	return rc ? 1 : 0;
}
