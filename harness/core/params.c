/* params.c — parsing and validating typed KEY=VALUE parameters. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "params.h"

static const char *const profile_names[PROFILE_COUNT] = {"quick", "default", "full", "ci"};

const char *profile_name(enum profile p) { return profile_names[p]; }

int profile_parse(const char *text, enum profile *out, struct err *e)
{
	for (int i = 0; i < PROFILE_COUNT; i++)
		if (!strcmp(text, profile_names[i])) {
			*out = (enum profile)i;
			return 0;
		}
	return err_set(e, "--profile '%s' is not a profile (allowed: quick, default, full, ci)", text);
}

struct suffix {
	const char *s;
	int64_t mult;
};

static const struct suffix int_suffixes[] = {{"k", 1000}, {"K", 1000}, {"M", 1000000},
					     {"G", 1000000000}, {NULL, 0}};
static const struct suffix size_suffixes[] = {
	{"K", 1024},	       {"k", 1024},	     {"KiB", 1024},	  {"M", 1024 * 1024},
	{"MiB", 1024 * 1024}, {"G", 1024 * 1024 * 1024}, {"GiB", 1024 * 1024 * 1024}, {"B", 1},
	{NULL, 0}};
static const struct suffix duration_suffixes[] = {
	{"ns", 1}, {"us", 1000}, {"ms", 1000000}, {"s", 1000000000}, {NULL, 0}};

static const struct suffix *suffixes_of(enum param_type t)
{
	switch (t) {
	case PARAM_SIZE: return size_suffixes;
	case PARAM_DURATION: return duration_suffixes;
	default: return int_suffixes;
	}
}

/* A decimal number (durations may have a fraction: 0.1ms) and an optional
 * suffix. Only plain digits: no hex, exponents, inf or nan. */
static int parse_scaled(const char *text, enum param_type t, int64_t *out)
{
	const char *p = text;
	if (*p == '-' && t == PARAM_INT)
		p++;
	if (!isdigit((unsigned char)*p))
		return -1;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		while (isdigit((unsigned char)*p))
			p++;
	}
	errno = 0;
	double v = strtod(text, NULL);
	if (errno)
		return -1;
	int64_t mult = 1;
	if (*p) {
		const struct suffix *s = suffixes_of(t);
		for (; s->s; s++)
			if (!strcmp(p, s->s))
				break;
		if (!s->s)
			return -1;
		mult = s->mult;
	}
	double scaled = v * (double)mult;
	if (scaled > 9.2e18 || scaled < -9.2e18)
		return -1;
	if (scaled != (double)(int64_t)scaled)
		return -1; /* 1.5 of a plain integer, or a fraction of a nanosecond */
	if (t == PARAM_DURATION && !*p && scaled != 0)
		return -1; /* 10 of what? a duration names its unit */
	*out = (int64_t)scaled;
	return 0;
}

static void format_range_value(const struct param_spec *s, int64_t v, char *buf, int len)
{
	if (s->type == PARAM_DURATION) {
		if (v % 1000000000 == 0) snprintf(buf, len, "%" PRId64 "s", v / 1000000000);
		else if (v % 1000000 == 0) snprintf(buf, len, "%" PRId64 "ms", v / 1000000);
		else if (v % 1000 == 0) snprintf(buf, len, "%" PRId64 "us", v / 1000);
		else snprintf(buf, len, "%" PRId64 "ns", v);
	} else if (s->type == PARAM_SIZE) {
		if (v % (1 << 30) == 0 && v) snprintf(buf, len, "%" PRId64 "G", v >> 30);
		else if (v % (1 << 20) == 0 && v) snprintf(buf, len, "%" PRId64 "M", v >> 20);
		else if (v % 1024 == 0 && v) snprintf(buf, len, "%" PRId64 "K", v >> 10);
		else snprintf(buf, len, "%" PRId64, v);
	} else {
		snprintf(buf, len, "%" PRId64, v);
	}
}

void param_describe_allowed(const struct param_spec *s, char *buf, int len)
{
	if (s->type == PARAM_TEXT) {
		snprintf(buf, len, "any text of at most 63 characters");
		return;
	}
	if (s->type == PARAM_CHOICE) {
		snprintf(buf, len, "one of %s", s->choices);
		for (char *p = buf; *p; p++)
			if (*p == '|') *p = ',';
		return;
	}
	char lo[32], hi[32];
	format_range_value(s, s->min, lo, sizeof lo);
	format_range_value(s, s->max, hi, sizeof hi);
	const char *what = s->type == PARAM_SIZE ? "a size" : s->type == PARAM_DURATION ? "a duration"
										     : "an integer";
	const char *units = s->type == PARAM_SIZE ? " (suffix K, M, G)"
			    : s->type == PARAM_DURATION ? " (suffix ns, us, ms, s)"
							: " (suffix k, M, G)";
	if (s->type == PARAM_DURATION)
		units = " (with a unit: ns, us, ms, s)";
	snprintf(buf, len, "%s%s from %s to %s%s", s->zero_ok ? "0 or " : "", what, lo, hi, units);
}

static int choice_index(const char *choices, const char *text)
{
	int idx = 0;
	size_t n = strlen(text);
	for (const char *p = choices; *p; idx++) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && !strncmp(p, text, n))
			return idx;
		if (!bar)
			break;
		p = bar + 1;
	}
	return -1;
}

int param_parse_value(const struct param_spec *s, const char *text, struct param_value *out,
		      struct err *e)
{
	char allowed[160];
	out->spec = s;
	if (strlen(text) >= sizeof out->text)
		return err_set(e, "--param %s=%.40s...: value too long", s->name, text);
	snprintf(out->text, sizeof out->text, "%s", text);
	if (s->type == PARAM_TEXT) {
		out->i = 0;
		return 0;
	}
	if (s->type == PARAM_CHOICE) {
		int idx = choice_index(s->choices, text);
		if (idx < 0) {
			param_describe_allowed(s, allowed, sizeof allowed);
			return err_set(e, "--param %s=%s: not allowed (allowed: %s)", s->name, text, allowed);
		}
		out->i = idx;
		return 0;
	}
	int64_t v;
	if (parse_scaled(text, s->type, &v) < 0 || ((v < s->min || v > s->max) && !(v == 0 && s->zero_ok))) {
		param_describe_allowed(s, allowed, sizeof allowed);
		return err_set(e, "--param %s=%s: not allowed (allowed: %s)", s->name, text, allowed);
	}
	out->i = v;
	return 0;
}

const struct param_spec *param_spec_find(const struct param_spec *specs, const char *name)
{
	for (; specs && specs->name; specs++)
		if (!strcmp(specs->name, name))
			return specs;
	return NULL;
}

int params_defaults(struct params *p, const struct param_spec *specs, enum profile prof,
		    struct err *e)
{
	p->n = 0;
	for (; specs && specs->name; specs++) {
		if (p->n == PARAMS_MAX)
			return err_set(e, "too many parameters (max %d)", PARAMS_MAX);
		const char *def = specs->defaults[prof] ? specs->defaults[prof]
							: specs->defaults[PROFILE_DEFAULT];
		struct param_value *v = &p->v[p->n++];
		if (param_parse_value(specs, def, v, e) < 0)
			return -1; /* a bad default is a bug, but say so rather than crash */
		v->given = 0;
	}
	return 0;
}

static struct param_value *find_value(const struct params *p, const char *name)
{
	for (int i = 0; i < p->n; i++)
		if (!strcmp(p->v[i].spec->name, name))
			return (struct param_value *)&p->v[i];
	return NULL;
}

static int set_value(struct params *p, const char *name, const char *text, int given, struct err *e)
{
	struct param_value *v = find_value(p, name);
	if (!v)
		return err_set(e, "--param %s: no such parameter here", name);
	if (param_parse_value(v->spec, text, v, e) < 0)
		return -1;
	v->given = given;
	return 0;
}

int params_set(struct params *p, const char *name, const char *text, struct err *e)
{
	return set_value(p, name, text, 1, e);
}

int params_derive(struct params *p, const char *name, const char *text, struct err *e)
{
	const struct param_value *v = find_value(p, name);
	return set_value(p, name, text, v ? v->given : 0, e);
}

int64_t param_int(const struct params *p, const char *name)
{
	const struct param_value *v = find_value(p, name);
	if (!v) {
		fprintf(stderr, "cmbench: internal error: undeclared parameter '%s'\n", name);
		abort();
	}
	return v->i;
}

const char *param_str(const struct params *p, const char *name)
{
	const struct param_value *v = find_value(p, name);
	if (!v) {
		fprintf(stderr, "cmbench: internal error: undeclared parameter '%s'\n", name);
		abort();
	}
	return v->text;
}

int params_derive_int(struct params *p, const char *name, int64_t v, struct err *e)
{
	const struct param_value *pv = find_value(p, name);
	if (!pv)
		return err_set(e, "--param %s: no such parameter here", name);
	char text[32];
	format_range_value(pv->spec, v, text, sizeof text);
	return params_derive(p, name, text, e);
}
