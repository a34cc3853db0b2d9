/* advertisement.h - one DNS-SD advertisement as the validator sees it.
 *
 * Everything here came from the network: untrusted bytes.  The struct only
 * borrows its data; whoever builds it owns the memory.
 */
#pragma once

#include <glib.h>

typedef struct {
	const guint8 *data;
	gsize len;
} AdBytes;

typedef struct {
	const char *type;            /* "_http._tcp" (no domain), NUL-terminated */
	const char *const *subtypes; /* subtype labels ("printer"), or NULL */
	guint n_subtypes;
	AdBytes instance;            /* instance name; data NULL if unknown */
	gint port;                   /* -1 if unknown (not resolved) */
	const char *host;            /* NULL if unknown */
	const AdBytes *txt;          /* TXT strings in WIRE order */
	guint n_txt;
	gboolean txt_known;          /* FALSE before resolution: no TXT rules run */
	gboolean resolve_failed;     /* the daemon could not resolve it */
} Advertisement;
