/* observed.h - one service as Avahi reports it, in the project's own
 * terms: what crosses from avahi/ into the audit model.  No Avahi type
 * appears here.
 */
#pragma once

#include <glib.h>

typedef enum {
	OBSERVED_PROTO_UNSPEC = 0,
	OBSERVED_PROTO_IPV4,
	OBSERVED_PROTO_IPV6,
} ObservedProtocol;

typedef struct {
	/* where it was seen */
	int ifindex;                 /* avahi-daemon's interface index */
	const char *ifname;          /* "eth0", or "if<N>" when unknown */
	ObservedProtocol protocol;
	/* identity of the service (network bytes) */
	const char *name;            /* instance name */
	const char *type;            /* "_http._tcp" */
	const char *domain;          /* "local" */
	/* what resolution found; unset fields are NULL / -1 / 0 */
	gboolean resolved;
	gboolean resolve_failed;
	const char *resolve_error;   /* avahi's error text when resolve_failed */
	const char *host;            /* "printer.local" */
	const char *address;         /* "192.0.2.7" / "fe80::1" */
	gint port;
	GPtrArray *txt;              /* GBytes*, in WIRE order; NULL unless resolved */
} ObservedService;

/* "ipv4", "ipv6", or NULL for OBSERVED_PROTO_UNSPEC: the one spelling of
 * log lines, D-Bus and JSON. */
const char *observed_protocol_name(ObservedProtocol p);
