/* txt-spec.h - what IANA's "Defined TXT keys:" note says about a service.
 *
 * The registry's notes come in many styles ("None", "Proprietary",
 * "sys, dkX", "txtvers=1 protovers=x", "c0, c1, ..., cn", references to
 * documents, free text).  txt_spec_parse() reads one note into a TxtSpec;
 * only TXT_SPEC_NONE and TXT_SPEC_KEYS are "checkable" and drive the
 * txt-key-undefined / txt-keys-unexpected rules.
 */
#pragma once

#include <glib.h>

typedef enum {
	TXT_SPEC_ABSENT = 0,    /* the record has no "Defined TXT keys:" note */
	TXT_SPEC_NONE,          /* the note says the service defines no keys */
	TXT_SPEC_KEYS,          /* the note lists keys (and/or key families) */
	TXT_SPEC_UNSPECIFIED,   /* Proprietary, a document reference, free text */
} TxtSpecKind;

/* One defined key.  A family ("dkX", "c0, c1, ..., cn") is stored as its
 * prefix with is_family set: it matches the prefix followed by one or more
 * characters [0-9A-Za-z_] ("dk0", "c12").  key_display is the key as the
 * JSON output shows it: plain keys as the registry spells them, families as
 * "<prefix><n>" (e.g. "dk<n>", "c<n>"). */
typedef struct {
	char *key;              /* plain key, or a family's prefix */
	char *key_display;
	gboolean is_family;
} TxtSpecKey;

/* A hash of the keys (plain keys and family prefixes, lowercased), built
 * once by txt_spec_parse(): txt_spec_defines() is one probe per key, plus
 * one per family prefix length the spec has.  Opaque. */
typedef struct _TxtSpecIndex TxtSpecIndex;

typedef struct {
	TxtSpecKind kind;
	guint n_keys;
	TxtSpecKey *keys;       /* n_keys entries; NULL unless TXT_SPEC_KEYS */
	TxtSpecIndex *index;    /* NULL: txt_spec_defines() scans keys */
} TxtSpec;

/* Read the TXT-key part of a registry note.  note may be NULL or any text
 * (the whole <note> element); the "Defined TXT keys:" marker is looked for
 * inside it.  Never fails: anything that cannot be read as a key list is
 * TXT_SPEC_UNSPECIFIED.  The result is owned by the caller
 * (txt_spec_clear()). */
void txt_spec_parse(const char *note, TxtSpec *out);
void txt_spec_clear(TxtSpec *spec);

/* Does key (len bytes, not NUL-terminated, compared case-insensitively)
 * belong to the keys the spec defines?  Only meaningful for TXT_SPEC_KEYS;
 * returns FALSE for other kinds.  O(len) with the index txt_spec_parse()
 * builds, whatever the number of keys; allocates nothing. */
gboolean txt_spec_defines(const TxtSpec *spec, const char *key, gsize len);

const char *txt_spec_kind_name(TxtSpecKind kind); /* "absent", "none", ... */
