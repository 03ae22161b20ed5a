/* text_wrap.h — lines for a terminal: what cmbench prints to a person keeps
 * to TEXT_WIDTH columns (issue 16: "rows fit 100 columns"), broken at spaces
 * rather than cut, so that nothing printed is lost. */
#pragma once
#include <stddef.h>
#include <stdio.h>

#define TEXT_WIDTH 100

/* Columns of a UTF-8 string (code points: "—" and "±" are one each). */
int text_columns(const char *s);

/* PREFIX then TEXT, broken at spaces into lines of at most `width` columns;
 * lines after the first start with `indent` spaces. A word longer than a
 * whole line (a path, a cell name) is split where the line is full: never
 * cut, nothing lost. */
void text_wrap_print(FILE *f, const char *prefix, int indent, const char *text, int width);
