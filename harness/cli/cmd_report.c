/* cmd_report.c — `cmbench report RESULTS.json [-o DIR]`: a self-contained HTML
 * page and its Markdown twin, with every chart, from one results file. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "answer_cells.h"
#include "commands.h"
#include "plot_args.h"
#include "report.h"

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

/* Write through a temporary file and rename, so a reader never sees half a page. */
static int write_doc(const struct doc_ops *ops, const char *dir, const char *file,
		     const struct report_input *in, const struct plot_options *po, char *path,
		     size_t len)
{
	char tmp[4200];
	snprintf(path, len, "%s/%s", dir, file);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	struct doc d = {.ops = ops, .dir = dir, .png = po->png, .svg = po->svg};
	d.f = fopen(tmp, "w");
	if (!d.f) {
		fprintf(stderr, "cmbench report: cannot write %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	report_write(&d, in);
	if (ferror(d.f) | fclose(d.f) || rename(tmp, path)) {
		fprintf(stderr, "cmbench report: cannot write %s: %s\n", path, strerror(errno));
		remove(tmp);
		return -1;
	}
	return 0;
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
