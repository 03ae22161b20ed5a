/* doc_md.c — the report as GitHub-flavoured Markdown, images referenced
 * relatively, so that it renders from the report's directory and can be
 * appended to a CI job summary. */
#include <string.h>
#include "doc.h"

/* Characters that would start Markdown syntax inside a table or paragraph. */
static void put_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (strchr("|*_`[]<>\\", *s))
			fputc('\\', f);
		fputc(*s == '\n' ? ' ' : *s, f);
	}
}

static void close_list(struct doc *d)
{
	if (d->in_list)
		fputc('\n', d->f);
	d->in_list = 0;
}

static void md_begin(struct doc *d, const char *title, const char *subtitle)
{
	fputs("# ", d->f);
	put_text(d->f, title);
	fputs("\n\n", d->f);
	put_text(d->f, subtitle);
	fputs("\n\n", d->f);
}

static void md_heading(struct doc *d, int level, const char *text)
{
	close_list(d);
	fprintf(d->f, "%.*s ", level + 1, "######");
	put_text(d->f, text);
	fputs("\n\n", d->f);
}

static void md_paragraph(struct doc *d, const char *text)
{
	close_list(d);
	put_text(d->f, text);
	fputs("\n\n", d->f);
}

static void md_table_begin(struct doc *d, int ncols, const char *const *headers, const char *align)
{
	close_list(d);
	for (int i = 0; i < ncols; i++) {
		fputs("| ", d->f);
		put_text(d->f, headers[i]);
		fputc(' ', d->f);
	}
	fputs("|\n", d->f);
	for (int i = 0; i < ncols; i++)
		fputs(align[i] == 'r' ? "|---:" : "|:---", d->f);
	fputs("|\n", d->f);
	d->ncols = ncols;
}

static void md_table_row(struct doc *d, const char *const *cells)
{
	for (int i = 0; i < d->ncols; i++) {
		fputs("| ", d->f);
		put_text(d->f, cells[i]);
		fputc(' ', d->f);
	}
	fputs("|\n", d->f);
}

static void md_table_end(struct doc *d)
{
	d->ncols = 0;
	fputc('\n', d->f);
}

static void md_list_item(struct doc *d, const char *text)
{
	d->in_list = 1;
	fputs("- ", d->f);
	put_text(d->f, text);
	fputc('\n', d->f);
}

static void md_chart(struct doc *d, const char *name, const char *title, const char *caption)
{
	close_list(d);
	fputs("![", d->f);
	put_text(d->f, title);
	fprintf(d->f, "](%s.%s)\n\n", name, d->png ? "png" : "svg");
	put_text(d->f, caption);
	fputs("\n\n", d->f);
}

static void md_end(struct doc *d)
{
	close_list(d);
}

const struct doc_ops doc_md_ops = {
	md_begin, md_heading, md_paragraph, md_table_begin, md_table_row,
	md_table_end, md_list_item, md_chart, md_end,
};
