/* doc_html.c — the report as one self-contained HTML page: CSS inline, every
 * chart embedded as a data: URI (no network, no other file needed to read
 * it), with links to the PNG/SVG files beside it. */
#include <stdio.h>
#include <string.h>
#include "doc.h"

static const char style[] =
	"body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#222;"
	"max-width:1100px;margin:0 auto;padding:24px 32px;line-height:1.45;background:#fff}"
	"h1{font-size:1.7em;margin:0 0 .2em}h2{font-size:1.35em;margin:1.8em 0 .5em;"
	"border-bottom:2px solid #e5e5e5;padding-bottom:.2em}h3{font-size:1.1em;margin:1.4em 0 .4em}"
	".sub{color:#555;margin:0 0 1.2em}"
	"table{border-collapse:collapse;margin:.4em 0 1.2em;font-size:.85em;display:block;"
	"overflow-x:auto;max-width:100%}"
	"th,td{padding:4px 10px;border-bottom:1px solid #e2e2e2;vertical-align:top}"
	"th{background:#f3f5f7;text-align:left;font-weight:600}td.r,th.r{text-align:right;"
	"font-variant-numeric:tabular-nums}td.r{white-space:nowrap}"
	/* long cell names break at any character rather than widen the page */
	"td:first-child{overflow-wrap:anywhere;min-width:9em}tr:nth-child(even) td{background:#fafbfc}"
	"figure{margin:1em 0 2em}figure img{max-width:100%;height:auto;border:1px solid #eee}"
	"figcaption{color:#444;font-size:.92em;max-width:800px}figcaption a{color:#0a5ea8}"
	"ul.warn{background:#fff8e6;border-left:4px solid #e6a700;padding:.6em 1em .6em 2em}"
	"nav{font-size:.95em;margin:.4em 0 1em}nav a{margin-right:1em;color:#0a5ea8}";

static void put_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

/* A heading's id: lower case letters and digits, one '-' for each run of
 * anything else ("Kernel counters (median repetition)" ->
 * "kernel-counters-median-repetition"). */
static void slug(char *out, size_t len, const char *s)
{
	size_t n = 0;
	for (; *s && n + 1 < len; s++) {
		char c = (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ? *s
			 : (*s >= 'A' && *s <= 'Z')                          ? (char)(*s - 'A' + 'a')
										: '-';
		if (c != '-' || (n && out[n - 1] != '-'))
			out[n++] = c;
	}
	while (n && out[n - 1] == '-')
		n--;
	out[n] = 0;
}

/* Unique in the page: a sub-heading is prefixed with its section's id (every
 * workload has its own "Kernel counters"), and a repeat gets "-2", "-3". */
static void heading_id(struct doc *d, int level, const char *text, char *id, size_t len)
{
	char base[96];
	slug(base, sizeof base, text);
	if (level >= 2 && d->section_id[0])
		snprintf(id, len, "%.60s-%.60s", d->section_id, base);
	else
		snprintf(id, len, "%s", base);
	char tried[128];
	snprintf(tried, sizeof tried, "%s", id);
	for (int k = 2;; k++) {
		int taken = 0;
		for (int i = 0; i < d->nids && !taken; i++)
			taken = !strcmp(d->ids[i], tried);
		if (!taken)
			break;
		snprintf(tried, sizeof tried, "%.100s-%d", id, k);
	}
	snprintf(id, len, "%s", tried);
	if (d->nids < (int)(sizeof d->ids / sizeof d->ids[0]))
		snprintf(d->ids[d->nids++], sizeof d->ids[0], "%s", id);
	if (level == 1)
		snprintf(d->section_id, sizeof d->section_id, "%.95s", id);
}

static void close_list(struct doc *d)
{
	if (d->in_list)
		fputs("</ul>\n", d->f);
	d->in_list = 0;
}

static void html_begin(struct doc *d, const char *title, const char *subtitle)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n<title>",
	      d->f);
	put_text(d->f, title);
	fprintf(d->f, "</title>\n<style>%s</style></head>\n<body>\n<h1>", style);
	put_text(d->f, title);
	fputs("</h1>\n<p class=\"sub\">", d->f);
	put_text(d->f, subtitle);
	fputs("</p>\n", d->f);
}

static void html_heading(struct doc *d, int level, const char *text)
{
	close_list(d);
	char id[128];
	heading_id(d, level, text, id, sizeof id);
	fprintf(d->f, "<h%d id=\"%s\">", level + 1, id);
	put_text(d->f, text);
	fprintf(d->f, "</h%d>\n", level + 1);
}

static void html_paragraph(struct doc *d, const char *text)
{
	close_list(d);
	fputs("<p>", d->f);
	put_text(d->f, text);
	fputs("</p>\n", d->f);
}

static void html_table_begin(struct doc *d, int ncols, const char *const *headers,
			     const char *align)
{
	close_list(d);
	int named = 0;
	for (int i = 0; i < ncols; i++)
		named |= headers[i][0] != '\0';
	d->ncols = ncols;
	fputs("<table>", d->f);
	if (named) { /* a key-value table needs no header row */
		fputs("<thead><tr>", d->f);
		for (int i = 0; i < ncols; i++) {
			fputs(align[i] == 'r' ? "<th class=\"r\">" : "<th>", d->f);
			put_text(d->f, headers[i]);
			fputs("</th>", d->f);
		}
		fputs("</tr></thead>", d->f);
	}
	fputs("<tbody>\n", d->f);
	/* the alignment of each column is needed again for every row */
	snprintf(d->align, sizeof d->align, "%s", align);
}

static void html_table_row(struct doc *d, const char *const *cells)
{
	fputs("<tr>", d->f);
	for (int i = 0; i < d->ncols; i++) {
		fputs(d->align[i] == 'r' ? "<td class=\"r\">" : "<td>", d->f);
		put_text(d->f, cells[i]);
		fputs("</td>", d->f);
	}
	fputs("</tr>\n", d->f);
}

static void html_table_end(struct doc *d)
{
	d->ncols = 0;
	fputs("</tbody></table>\n", d->f);
}

static void html_list_item(struct doc *d, const char *text)
{
	if (!d->in_list)
		fputs("<ul class=\"warn\">\n", d->f);
	d->in_list = 1;
	fputs("<li>", d->f);
	put_text(d->f, text);
	fputs("</li>\n", d->f);
}

/* Copy a file into the page as base64. 0, or -1 if it cannot be read. */
static int put_base64_file(FILE *out, const char *path)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	FILE *in = fopen(path, "rb");
	if (!in)
		return -1;
	unsigned char b[3];
	size_t n;
	while ((n = fread(b, 1, 3, in)) > 0) {
		unsigned v = b[0] << 16 | (n > 1 ? b[1] << 8 : 0) | (n > 2 ? b[2] : 0);
		fputc(digits[v >> 18 & 63], out);
		fputc(digits[v >> 12 & 63], out);
		fputc(n > 1 ? digits[v >> 6 & 63] : '=', out);
		fputc(n > 2 ? digits[v & 63] : '=', out);
	}
	fclose(in);
	return 0;
}

static void html_chart(struct doc *d, const char *name, const char *title, const char *caption)
{
	char path[4096];
	close_list(d);
	fputs("<figure>", d->f);
	snprintf(path, sizeof path, "%s/%s.png", d->dir, name);
	if (d->png) {
		fputs("<img src=\"data:image/png;base64,", d->f);
		if (put_base64_file(d->f, path))
			fprintf(d->f, "\" data-missing=\"%s.png", name);
	} else {
		fprintf(d->f, "<img src=\"%s.svg", name); /* relative: beside the page */
	}
	fputs("\" alt=\"", d->f);
	put_text(d->f, title);
	fputs("\">\n<figcaption>", d->f);
	put_text(d->f, caption);
	if (d->png)
		fprintf(d->f, " <a href=\"%s.png\">PNG</a>", name);
	if (d->svg)
		fprintf(d->f, " <a href=\"%s.svg\">SVG</a>", name);
	fprintf(d->f, " <a href=\"%s.dat\">data</a></figcaption></figure>\n", name);
}

static void html_end(struct doc *d)
{
	close_list(d);
	fputs("</body></html>\n", d->f);
}

const struct doc_ops doc_html_ops = {
	html_begin, html_heading, html_paragraph, html_table_begin, html_table_row,
	html_table_end, html_list_item, html_chart, html_end,
};
