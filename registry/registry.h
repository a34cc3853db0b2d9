/* registry.h - IANA's Service Name and Transport Protocol Port Number
 * Registry, loaded and indexed by service name.
 *
 * The loader streams the XML (SAX2 callbacks, XML_PARSE_NONET, no DTD, no entity
 * expansion) and keeps every <record> that has a <name>.  Lookups are
 * case-insensitive hash-table hits.  A Registry is immutable once loaded
 * and reference-counted, so a reload can swap it atomically while old
 * findings still point into the previous one.
 */
#pragma once

#include <glib.h>
#include "registry/txt-spec.h"

#define REGISTRY_ERROR (registry_error_quark())
GQuark registry_error_quark(void);

typedef enum {
	REGISTRY_ERROR_OPEN,      /* cannot open/read the file */
	REGISTRY_ERROR_PARSE,     /* not XML, truncated XML, bad structure */
	REGISTRY_ERROR_INVALID,   /* well-formed but wrong: bad port, no records */
} RegistryErrorCode;

typedef enum {
	REGISTRY_TRANSPORT_NONE = 0, /* no <protocol>: old DNS-SD-only entries */
	REGISTRY_TRANSPORT_TCP,
	REGISTRY_TRANSPORT_UDP,
	REGISTRY_TRANSPORT_SCTP,
	REGISTRY_TRANSPORT_DCCP,
} RegistryTransport;

typedef enum {
	REGISTRY_STATUS_ACTIVE = 0,
	REGISTRY_STATUS_HISTORIC,          /* alias ("replacement" set) or no longer in use */
	REGISTRY_STATUS_NOT_FOR_DISCOVERY, /* www, www-http, example, dns-sd, services */
} RegistryStatus;

typedef enum {
	REGISTRY_SOURCE_IANA = 0,
	REGISTRY_SOURCE_LOCAL,             /* the site-local registry file */
	REGISTRY_SOURCE_CATALOGUE,         /* the catalogue of known service types */
} RegistrySource;

typedef struct {
	const char *name;        /* as the registry spells it */
	RegistryTransport transport;
	gint32 port;             /* -1: none */
	gint32 port_high;        /* -1 unless a range (port..port_high) */
	const char *description; /* may be NULL */
	const char *note;        /* may be NULL */
	RegistryStatus status;
	const char *replacement; /* alias target for historic aliases, else NULL */
	RegistrySource source;
	/* The record's first own <xref type="uri" data="..."/> (not one
	 * inside its note), trimmed, or NULL: where a catalogue record comes
	 * from, for messages to cite.  Bytes of the file, unescaped. */
	const char *source_uri;
	TxtSpec txt;
} RegistryRecord;

typedef struct _Registry Registry;

/* Load IANA's XML from path.  On failure returns NULL and sets error with
 * one line naming the file, the line and what is wrong. */
Registry *registry_load(const char *path, GError **error);

/* Load the catalogue of known service types (registry/known-service-types.xml,
 * IANA's XML format, each record citing its source as <xref type="uri"
 * data="..."/>) as a Registry of its own: its records carry
 * REGISTRY_SOURCE_CATALOGUE and source_uri.  It is never merged into the
 * IANA registry (the catalogue does not make a name registered).  Fails
 * as registry_load() does, also for a file without records. */
Registry *registry_load_catalogue(const char *path, GError **error);

/* Add the records of a site-local registry (same XML format) to reg, which
 * must not have been shared yet.  Its records carry REGISTRY_SOURCE_LOCAL.
 *
 * Local records add names and transports; they never change what IANA
 * says about a name (its status, TXT keys or port):
 * - a local record whose name IANA has for a DNS-SD transport label the
 *   record serves (_tcp: tcp; _udp: udp, sctp, dccp; a record without
 *   transport serves both) is ignored, and one warning line
 *   ("FILE:LINE: local record ... ignored: ...", newly allocated) is
 *   appended to warnings, unless warnings is NULL;
 * - a local record for an IANA name on a new label is kept, spelled as
 *   IANA spells the name, with status ACTIVE whatever its note says (the
 *   port and TXT keys it gives apply to its own label only).
 * On failure (error set) reg and warnings are as they were. */
gboolean registry_add_local(Registry *reg, const char *path, GPtrArray *warnings,
                            GError **error);

Registry *registry_ref(Registry *reg);
void registry_unref(Registry *reg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Registry, registry_unref)

/* All records of name (case-insensitive, name is NUL-terminated).  Returns
 * the number found and sets *records to an array owned by the registry, or
 * returns 0 and sets *records to NULL. */
guint registry_lookup(const Registry *reg, const char *name,
                      const RegistryRecord *const **records);

/* Same, for a name that is not NUL-terminated. */
guint registry_lookup_len(const Registry *reg, const char *name, gsize len,
                          const RegistryRecord *const **records);

const char *registry_updated(const Registry *reg); /* "2024-03-18" or NULL */
const char *registry_path(const Registry *reg);
guint registry_n_records(const Registry *reg);     /* records with a name */
guint registry_n_names(const Registry *reg);       /* distinct names */
/* Calls func for every record, in file order (IANA first, then local). */
void registry_foreach(const Registry *reg,
                      void (*func)(const RegistryRecord *rec, gpointer data),
                      gpointer data);

const char *registry_transport_name(RegistryTransport t); /* NULL for NONE */
const char *registry_status_name(RegistryStatus s);       /* "active", ... */
const char *registry_source_name(RegistrySource s);       /* "iana"/"local"/"catalogue" */

/* Which registry file to use: explicit (--registry) if not NULL, else
 * $DNSSD_AUDIT_REGISTRY, else LOCALSTATEDIR/lib/dnssd-audit/...xml if it
 * exists, else PKGDATADIR/service-names-port-numbers.xml.  Returns a newly
 * allocated path. */
char *registry_default_path(const char *explicit_path);
/* Default site-local registry: SYSCONFDIR/dnssd-audit/local-services.xml. */
char *registry_default_local_path(void);

/* (Addition.)  Load the registry the way the tools do: the file of
 * registry_default_path(explicit_path), then the site-local file:
 * local_path if not NULL (it must load), else, unless skip_default_local,
 * registry_default_local_path() if that file exists (a missing default is
 * not an error).  Returns NULL with error set (one line naming the file,
 * the line and what is wrong) if either file fails.  The local file's
 * warnings (registry_add_local()) are appended to warnings (may be NULL;
 * make it with g_ptr_array_new_with_free_func(g_free)) for the caller
 * to show. */
Registry *registry_open(const char *explicit_path, const char *local_path,
                        gboolean skip_default_local, GPtrArray *warnings,
                        GError **error);
