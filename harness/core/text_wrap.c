/* text_wrap.c — lines broken at spaces to a width (text_wrap.h). */
#include <string.h>
#include "text_wrap.h"

static int is_lead(char c) { return ((unsigned char)c & 0xC0) != 0x80; }

int text_columns(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += is_lead(*s);
	return n;
}

static int columns_of(const char *s, size_t len)
{
	int n = 0;
	for (size_t i = 0; i < len; i++)
		n += is_lead(s[i]);
	return n;
}

static void new_line(FILE *f, int indent, int *col)
{
	fprintf(f, "\n%*s", indent, "");
	*col = indent;
}

/* S[0..len) from column *col on, broken wherever a line is full (a word
 * longer than a whole line: split, not cut). */
static void put_split(FILE *f, const char *s, size_t len, int *col, int width, int indent)
{
	for (size_t i = 0; i < len; i++) {
		if (is_lead(s[i]) && *col >= width)
			new_line(f, indent, col);
		fputc(s[i], f);
		*col += is_lead(s[i]);
	}
}

void text_wrap_print(FILE *f, const char *prefix, int indent, const char *text, int width)
{
	if (indent >= width)
		indent = 0;
	const char *nl = strrchr(prefix, '\n'); /* a prefix may start with a blank line */
	int col = 0;
	if (nl) {
		fwrite(prefix, 1, (size_t)(nl - prefix + 1), f);
		prefix = nl + 1;
	}
	put_split(f, prefix, strlen(prefix), &col, width, indent);
	int at_start = 1; /* nothing of the text on this line yet */
	const char *p = text;
	while (*p) {
		if (*p == '\n') { /* a break the caller asked for */
			new_line(f, indent, &col);
			at_start = 1;
			p++;
			continue;
		}
		size_t spaces = strspn(p, " ");
		const char *word = p + spaces;
		size_t wlen = strcspn(word, " \n");
		if (!wlen) { /* trailing spaces */
			p = word;
			continue;
		}
		int wcols = columns_of(word, wlen);
		if (!at_start && col + (int)spaces + wcols > width)
			new_line(f, indent, &col);
		else if (!at_start)
			put_split(f, p, spaces, &col, width, indent);
		/* a word too long for any line is split where the line is full */
		put_split(f, word, wlen, &col, width, indent);
		at_start = 0;
		p = word + wlen;
	}
	fputc('\n', f);
}
