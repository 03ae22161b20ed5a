/* sysinfo.h — the `context` of a results file: machine, build, run options. */
#pragma once
#include <stddef.h>
#include <jansson.h>

/* Google Benchmark's context fields plus cmbench's build fields. `options`
 * (the run's options) is stolen. */
json_t *sysinfo_context(const char *profile, json_t *options);
/* Online PUs as the OS reports them. */
int sysinfo_num_cpus(void);
