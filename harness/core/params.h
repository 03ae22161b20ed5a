/* params.h — typed, validated KEY=VALUE parameters of workloads and models.
 *
 * A workload or model declares what it accepts as a table of param_spec
 * (terminated by an entry with name == NULL). The harness parses --param
 * values against those tables, applies the profile's defaults, and hands the
 * owner a `struct params` to read with param_int()/param_str(). */
#pragma once
#include <stdint.h>
#include "err.h"

enum param_type {
	PARAM_INT,      /* plain integer, may carry k/M/G (x1000) suffixes: 10M = 10,000,000 */
	PARAM_SIZE,     /* bytes, with K/M/G (x1024) suffixes: 64K = 65536 */
	PARAM_DURATION, /* nanoseconds, with a unit: ns/us/ms/s (a bare number other than 0 is refused) */
	PARAM_CHOICE,   /* one of `choices`, separated by '|' */
	PARAM_TEXT,     /* free text (a path), at most 63 characters; "" when not given */
};

enum profile { PROFILE_QUICK, PROFILE_DEFAULT, PROFILE_FULL, PROFILE_CI, PROFILE_COUNT };

struct param_spec {
	const char *name;
	enum param_type type;
	/* Default value per profile, as text; NULL means "same as PROFILE_DEFAULT". */
	const char *defaults[PROFILE_COUNT];
	int64_t min, max;    /* inclusive range for INT/SIZE/DURATION */
	int zero_ok;         /* 0 is allowed besides [min, max] (it means "the system's default") */
	const char *choices; /* PARAM_CHOICE: "legacy|modern" */
	const char *help;
};

#define PARAMS_MAX 32

struct param_value {
	const struct param_spec *spec;
	int64_t i;        /* INT/SIZE/DURATION value; CHOICE: index into choices */
	char text[64];    /* the value as given (or the default), for names and JSON */
	int given;        /* 1 if set on the command line, 0 if a profile default */
};

struct params {
	int n;
	struct param_value v[PARAMS_MAX];
};

const char *profile_name(enum profile p);
int profile_parse(const char *text, enum profile *out, struct err *e);

/* Parse one value of a spec; on error, e names the value and what is allowed. */
int param_parse_value(const struct param_spec *spec, const char *text, struct param_value *out,
		      struct err *e);

/* Fill p with every spec's default for profile `prof`. */
int params_defaults(struct params *p, const struct param_spec *specs, enum profile prof,
		    struct err *e);

/* Look up a declared spec by name in a table; NULL if absent. */
const struct param_spec *param_spec_find(const struct param_spec *specs, const char *name);

/* Set a value (text) on an already-defaulted params; -1 if the name is not in p. */
int params_set(struct params *p, const char *name, const char *text, struct err *e);

/* The same for a value its owner derives from others (an interpreter
 * profile's tick): it is recorded as what ran, and stays "not given". */
int params_derive(struct params *p, const char *name, const char *text, struct err *e);
/* The same from a number, written as --help writes it (5ms, 64K, 100). */
int params_derive_int(struct params *p, const char *name, int64_t v, struct err *e);

/* Read a value. Asking for an undeclared name is a programming error (abort). */
int64_t param_int(const struct params *p, const char *name);
const char *param_str(const struct params *p, const char *name);

/* Render a spec's range/choices for --help and error messages. */
void param_describe_allowed(const struct param_spec *spec, char *buf, int len);
