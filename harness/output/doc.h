/* doc.h — a report document written once and rendered twice: as a
 * self-contained HTML page (doc_html.c) and as Markdown for CI summaries
 * (doc_md.c). Text given to these calls is plain text; each backend escapes
 * it for its own syntax. */
#pragma once
#include <stdio.h>

struct doc;

struct doc_ops {
	void (*begin)(struct doc *d, const char *title, const char *subtitle);
	void (*heading)(struct doc *d, int level, const char *text);
	void (*paragraph)(struct doc *d, const char *text);
	/* A table: align holds one letter per column, 'l' or 'r'. */
	void (*table_begin)(struct doc *d, int ncols, const char *const *headers, const char *align);
	void (*table_row)(struct doc *d, const char *const *cells);
	void (*table_end)(struct doc *d);
	void (*list_item)(struct doc *d, const char *text); /* consecutive items form a list */
	/* A chart: `name` is the file name in the report's directory without
	 * extension; name.png and/or name.svg exist. */
	void (*chart)(struct doc *d, const char *name, const char *title, const char *caption);
	void (*end)(struct doc *d);
};

struct doc {
	const struct doc_ops *ops;
	FILE *f;
	const char *dir; /* the report's directory, where the charts are */
	int png, svg;    /* which chart formats exist */
	int in_list;     /* backend state: inside a list */
	int ncols;       /* backend state: columns of the open table */
	char align[32];  /* backend state: their alignment */
	/* HTML backend: heading ids, unique in the page ("workload-echo-kernel-counters") */
	char section_id[96];  /* of the last level-1 heading: the prefix of level-2 ids */
	char ids[256][128];
	int nids;
};

extern const struct doc_ops doc_html_ops;
extern const struct doc_ops doc_md_ops;
