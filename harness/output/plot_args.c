/* plot_args.c — command line and results loading shared by plot and report. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plot_args.h"

static int parse_formats(struct plot_options *p, const char *text)
{
	p->png = p->svg = 0;
	char buf[64];
	snprintf(buf, sizeof buf, "%s", text);
	for (char *save = NULL, *f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		if (!strcmp(f, "png"))
			p->png = 1;
		else if (!strcmp(f, "svg"))
			p->svg = 1;
		else
			return -1;
	}
	return p->png || p->svg ? 0 : -1;
}

static int parse_size(struct plot_options *p, const char *text)
{
	char tail;
	int w, h;
	if (sscanf(text, "%dx%d%c", &w, &h, &tail) != 2 || w < 200 || h < 150 || w > 8000 ||
	    h > 8000)
		return -1;
	p->width = w;
	p->height = h;
	return 0;
}

int plot_args_parse(struct plot_args *a, int argc, char **argv, const char *usage,
		    const char *default_suffix)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, 'f'},
		{"size", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	memset(a, 0, sizeof *a);
	a->plot = (struct plot_options){.png = 1, .svg = 1, .width = 800, .height = 500,
					.diag = stderr};
	const char *outdir = NULL;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "o:f:s:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			outdir = optarg;
			break;
		case 'f':
			if (parse_formats(&a->plot, optarg)) {
				fprintf(stderr, "cmbench %s: --format '%s': allowed: png, svg, "
						"png,svg\n", argv[0], optarg);
				return 2;
			}
			break;
		case 's':
			if (parse_size(&a->plot, optarg)) {
				fprintf(stderr, "cmbench %s: --size '%s': allowed: WIDTHxHEIGHT, "
						"200x150 to 8000x8000\n", argv[0], optarg);
				return 2;
			}
			break;
		case 'h':
			fputs(usage, stdout);
			return -1;
		default:
			fprintf(stderr, "%s", usage);
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "cmbench %s: expected one results file, got %d (see --help)\n",
			argv[0], argc - optind);
		return 2;
	}
	a->results_path = argv[optind];
	if (outdir) {
		snprintf(a->outdir, sizeof a->outdir, "%s", outdir);
	} else {
		size_t n = strlen(a->results_path);
		if (n > 5 && !strcmp(a->results_path + n - 5, ".json"))
			n -= 5;
		snprintf(a->outdir, sizeof a->outdir, "%.*s%s", (int)n, a->results_path,
			 default_suffix);
	}
	a->plot.outdir = a->outdir;
	struct err e;
	if (result_cells_load(a->results_path, &a->loaded, &e)) {
		fprintf(stderr, "cmbench %s: %s\n", argv[0], e.msg);
		return 2;
	}
	a->results = a->loaded.root;
	if (plot_cells_build(&a->loaded, &a->cells, &e)) {
		fprintf(stderr, "cmbench %s: %s\n", argv[0], e.msg);
		plot_args_free(a);
		return 2;
	}
	return 0;
}

void plot_args_free(struct plot_args *a)
{
	plot_cells_free(&a->cells);
	result_cells_free(&a->loaded);
	a->results = NULL;
}
