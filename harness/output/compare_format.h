/* compare_format.h — write a comparison as a terminal table, Markdown, JSON or CSV. */
#pragma once
#include <stdio.h>
#include "compare.h"

enum compare_format { COMPARE_TABLE, COMPARE_MARKDOWN, COMPARE_JSON, COMPARE_CSV };

int compare_format_parse(const char *text, enum compare_format *out, struct err *e);
void compare_print(FILE *f, const struct comparison *c, const struct compare_options *o,
		   enum compare_format format);
