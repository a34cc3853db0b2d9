/* json-reader.h - read one `dnssd-audit check --batch` input line: a JSON
 * object describing one advertisement.
 *
 *   {"type": "_http._tcp", "instance": "Web", "port": 80,
 *    "txt": ["path=/"], "subtypes": ["printer"], "host": "a.local"}
 *
 * Only "type" is required.  Unknown keys are skipped (any JSON value,
 * nested at most BATCH_MAX_DEPTH deep).  "port" is an integer 0..65535, or
 * null / -1 for unknown.  "txt" absent means an empty TXT record (the TXT
 * rules still run); "txt": null means the TXT record is unknown (no TXT
 * rules).  "resolve_failed": true/false sets Advertisement.resolve_failed.
 *
 * Strings are byte strings: \uXXXX escapes (surrogate pairs included) are
 * decoded to UTF-8, "\u0000" gives a NUL byte, and raw bytes that are not
 * valid UTF-8 are kept as they are (so that invalid names can be fed to
 * the validator).  A lone surrogate escape is an error.  "type" and the
 * subtypes must not contain a NUL byte (they are C strings).
 *
 * The parser is strict (RFC 8259 syntax, no trailing garbage, no duplicate
 * known key), bounded (no recursion past BATCH_MAX_DEPTH) and total: any
 * input gets either a BatchItem or one error line naming the column.
 */
#pragma once

#include <glib.h>
#include "validator/advertisement.h"

#define BATCH_MAX_DEPTH 32

#define BATCH_ERROR (batch_error_quark())
GQuark batch_error_quark(void);

typedef enum {
	BATCH_ERROR_SYNTAX,    /* not JSON */
	BATCH_ERROR_INVALID,   /* JSON, but not an advertisement */
} BatchErrorCode;

typedef struct {
	GString *buf;          /* decoded bytes of every string, each + NUL */
	/* The parsed advertisement, valid until the next parse/clear.  Its
	 * pointers point into buf. */
	Advertisement ad;
	/* Internal: AdBytes backing ad.txt, const char * backing
	 * ad.subtypes; their len is the room, ad.n_txt and ad.n_subtypes
	 * the count. */
	GArray *txt;
	GPtrArray *subtypes;
} BatchItem;

void batch_item_init(BatchItem *item);
void batch_item_clear(BatchItem *item);

/* Parse line[0..len) (no NUL needed; a trailing "\n" or "\r\n" is allowed)
 * into item, reusing its buffers.  Returns FALSE and sets error to
 * "column N: what is wrong" on bad input; item->ad is then undefined. */
gboolean batch_parse(const char *line, gsize len, BatchItem *item, GError **error);
