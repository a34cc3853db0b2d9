/* logline.h - one finding, one log line, in the format of FINDINGS.md:
 *
 *   <code> severity=<sev> type=<type> instance="<instance>"
 *     interface=<ifname> protocol=<ipv4|ipv6> host=<host> port=<port>
 *     message="<message>"
 *
 * Fields that are NULL / -1 are omitted.  Every value that came from the
 * network is escaped (escape.h); values that can hold spaces are quoted.
 */
#pragma once

#include <glib.h>
#include "validator/advertisement.h"
#include "validator/finding.h"

typedef struct {
	const char *type;           /* network bytes */
	AdBytes instance;           /* data NULL: omitted */
	const char *interface;      /* NULL: omitted */
	const char *protocol;       /* "ipv4"/"ipv6"/NULL */
	const char *host;           /* NULL: omitted */
	gint port;                  /* -1: omitted */
} LogLineContext;

/* Returns a newly allocated line without a trailing newline. */
char *logline_format(const Finding *f, const LogLineContext *ctx);
