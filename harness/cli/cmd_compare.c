/* cmd_compare.c — `cmbench compare BASE.json NEW.json`: did anything get slower? */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "safe_file.h"
#include "compare.h"
#include "compare_inputs.h"
#include "compare_format.h"
#include "result_cells.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: cmbench compare [options] BASE.json NEW.json\n\n"
		"Pairs the cells of two results files by name and, per cell and metric, reports\n"
		"both medians, the relative change, a two-sided Mann-Whitney U test over the\n"
		"repetitions and a verdict: faster, slower, unchanged or not comparable (with the\n"
		"reason). A cell is slower only when the change is at least the threshold AND\n"
		"significant (p < alpha).\n\n"
		"options:\n"
		"  -m, --metric LIST       comma list of: real_time (default), headline (each\n"
		"                          workload's own figure in its direction: time, round-trips/s,\n"
		"                          ns per switch, p99 wait), cpu_time, speedup\n"
		"                          (= speedup_vs_sequential,speedup_vs_1worker), or the name\n"
		"                          of a perf counter, model or workload statistic\n"
		"  -t, --threshold PCT     smallest change that counts, e.g. 5%% or 0.05 (default 5%%)\n"
		"  -a, --alpha A           significance level, 0 < A < 1 (default 0.05)\n"
		"  -f, --format F          table (default), markdown, json or csv\n"
		"  -o, --output FILE       write there instead of standard output\n"
		"      --fail-on-regression  exit 1 when any cell is slower\n"
		"  -h, --help              this text\n\n"
		"Speedups are bigger-is-better; their per-repetition samples are the run's\n"
		"reference median divided by each repetition's real time (docs/COMPARE.md).\n"
		"exit status: 0 no regression, 1 regression (with --fail-on-regression),\n"
		"2 usage or input error\n");
}

static int parse_threshold(const char *text, double *out, struct err *e)
{
	char *end;
	double v = strtod(text, &end);
	if (end != text && !strcmp(end, "%"))
		v /= 100;
	else if (end == text || *end || v >= 1)
		return err_set(e, "--threshold '%s' is not valid (allowed: a percentage like 5%% or a "
				  "fraction like 0.05)", text);
	if (!(v >= 0 && v < 10))
		return err_set(e, "--threshold '%s' is out of range (allowed: 0%% to 1000%%)", text);
	*out = v;
	return 0;
}

static int parse_alpha(const char *text, double *out, struct err *e)
{
	char *end;
	double v = strtod(text, &end);
	if (end == text || *end || !(v > 0 && v < 1))
		return err_set(e, "--alpha '%s' is not valid (allowed: a number between 0 and 1, "
				  "e.g. 0.05)", text);
	*out = v;
	return 0;
}

static int parse_metrics(char *list, struct compare_options *o, struct err *e)
{
	char *save = NULL;
	if (!*list)
		return compare_add_metric(o, "", e);
	for (char *item = strtok_r(list, ",", &save); item; item = strtok_r(NULL, ",", &save))
		if (compare_add_metric(o, item, e) != 0)
			return -1;
	return 0;
}

int cmd_compare(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"metric", required_argument, NULL, 'm'},
		{"threshold", required_argument, NULL, 't'},
		{"alpha", required_argument, NULL, 'a'},
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"fail-on-regression", no_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct compare_options o = {.threshold = 0.05, .alpha = 0.05};
	enum compare_format format = COMPARE_TABLE;
	const char *output = NULL;
	int fail_on_regression = 0, opt;
	struct err e = {{0}};

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":m:t:a:f:o:h", longopts, NULL)) != -1) {
		int rc = 0;
		switch (opt) {
		case 'm': rc = parse_metrics(optarg, &o, &e); break;
		case 't': rc = parse_threshold(optarg, &o.threshold, &e); break;
		case 'a': rc = parse_alpha(optarg, &o.alpha, &e); break;
		case 'f': rc = compare_format_parse(optarg, &format, &e); break;
		case 'o': output = optarg; break;
		case 'F': fail_on_regression = 1; break;
		case 'h': usage(stdout); return 0;
		case ':':
			rc = err_set(&e, "option '%s' needs a value (see cmbench compare --help)",
				     argv[optind - 1]);
			break;
		default:
			rc = err_set(&e, "unknown option '%s' (see cmbench compare --help)",
				     argv[optind - 1]);
		}
		if (rc != 0) {
			fprintf(stderr, "cmbench compare: %s\n", e.msg);
			return 2;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "cmbench compare: expected two results files, BASE.json NEW.json; got "
				"%d (see cmbench compare --help)\n", argc - optind);
		return 2;
	}
	if (o.n_metrics == 0)
		compare_add_metric(&o, "real_time", &e);

	struct result_cells base, next;
	if (result_cells_load(argv[optind], &base, &e) != 0) {
		fprintf(stderr, "cmbench compare: %s\n", e.msg);
		return 2;
	}
	if (result_cells_load(argv[optind + 1], &next, &e) != 0) {
		fprintf(stderr, "cmbench compare: %s\n", e.msg);
		result_cells_free(&base);
		return 2;
	}
	/* a time that is not positive, or a metric neither file has, would make
	 * every verdict a lie (a typo passed --fail-on-regression) */
	if (compare_check_times(&base, &e) != 0 || compare_check_times(&next, &e) != 0 ||
	    compare_check_metrics(&o, &base, &next, &e) != 0) {
		fprintf(stderr, "cmbench compare: %s\n", e.msg);
		result_cells_free(&base);
		result_cells_free(&next);
		return 2;
	}
	struct comparison c;
	int status = 2;
	if (compare_results(&base, &next, &o, &c, &e) != 0) {
		fprintf(stderr, "cmbench compare: %s\n", e.msg);
		goto out;
	}
	/* -o FILE: created like every output (O_EXCL|O_NOFOLLOW, renamed over FILE) */
	char *text = NULL;
	size_t text_len = 0;
	FILE *f = output ? open_memstream(&text, &text_len) : stdout;
	if (!f) {
		fprintf(stderr, "cmbench compare: cannot write '%s': %m\n", output);
		comparison_free(&c);
		goto out;
	}
	compare_print(f, &c, &o, format);
	if (output) {
		int rc = fclose(f) != 0 ? err_set(&e, "cannot write '%s': out of memory", output)
					: safe_write_file(output, text, text_len, &e);
		free(text);
		if (rc < 0) {
			fprintf(stderr, "cmbench compare: %s\n", e.msg);
			comparison_free(&c);
			goto out;
		}
	}
	if (c.warning[0])
		fprintf(stderr, "cmbench compare: warning: not comparable: %s\n", c.warning);
	status = fail_on_regression && c.count[VERDICT_SLOWER] > 0 ? 1 : 0;
	comparison_free(&c);
out:
	result_cells_free(&base);
	result_cells_free(&next);
	return status;
}
