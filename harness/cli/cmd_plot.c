/* cmd_plot.c — `cmbench plot RESULTS.json [-o DIR]`: the charts of a results file. */
#include <stdio.h>
#include "commands.h"
#include "plot_args.h"

static const char usage[] =
	"usage: cmbench plot RESULTS.json [-o DIR] [--format png,svg] [--size 800x500]\n"
	"\n"
	"Draw every chart the results file has data for with gnuplot (plots/*.gp):\n"
	"overview, speedup, time, efficiency per workload; GIL switches and waiting,\n"
	"I/O throughput, latency and memory, context switches and futex calls when\n"
	"the results carry them. Each chart's data is kept beside it (NAME.dat).\n"
	"\n"
	"  -o, --output DIR   where to write (default: RESULTS without .json + -charts)\n"
	"  -f, --format LIST  png, svg or both (default png,svg)\n"
	"  -s, --size WxH     image size in pixels (default 800x500)\n"
	"\n"
	"Exit status: 0 drawn, 1 gnuplot missing or a chart failed, 2 usage or a\n"
	"results file that cannot be read.\n";

int cmd_plot(int argc, char **argv)
{
	struct plot_args a;
	int rc = plot_args_parse(&a, argc, argv, usage, "-charts");
	if (rc)
		return rc < 0 ? 0 : rc;
	struct plot_set charts;
	struct err e;
	if (plot_results(a.results, &a.cells, &a.plot, &charts, &e)) {
		fprintf(stderr, "cmbench plot: %s\n", e.msg);
		plot_args_free(&a);
		return 1;
	}
	for (size_t i = 0; i < charts.n; i++)
		printf("%s/%s.%s\n", a.outdir, charts.v[i].name, a.plot.png ? "png" : "svg");
	fprintf(stderr, "cmbench plot: %zu charts (%s%s%s) in %s\n", charts.n,
		a.plot.png ? "PNG" : "", a.plot.png && a.plot.svg ? " and " : "",
		a.plot.svg ? "SVG" : "", a.outdir);
	plot_set_free(&charts);
	plot_args_free(&a);
	return 0;
}
