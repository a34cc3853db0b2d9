/* finding.h - the codes and severities of ../shared/spec/FINDINGS.md.
 *
 * Codes are a public interface: add new ones at the end, never rename one.
 */
#pragma once

#include <glib.h>

typedef enum {
	SEVERITY_INFO = 0,
	SEVERITY_NOTICE,
	SEVERITY_WARNING,
	SEVERITY_ERROR,
} Severity;

typedef enum {
	FINDING_TYPE_MALFORMED = 0,
	FINDING_SERVICE_NAME_TOO_LONG,
	FINDING_SERVICE_NAME_CHARSET,
	FINDING_SERVICE_NAME_NO_LETTER,
	FINDING_SERVICE_NAME_HYPHEN,
	FINDING_SERVICE_NAME_CASE,
	FINDING_UNREGISTERED,
	FINDING_TRANSPORT_MISMATCH,
	FINDING_HISTORIC_NAME,
	FINDING_NOT_FOR_DISCOVERY,
	FINDING_PORT_DIFFERS,
	FINDING_SUBTYPE_MALFORMED,
	FINDING_INSTANCE_TOO_LONG,
	FINDING_INSTANCE_NOT_UTF8,
	FINDING_INSTANCE_CONTROL_CHAR,
	FINDING_INSTANCE_NOT_NFC,
	FINDING_TXT_KEY_EMPTY,
	FINDING_TXT_KEY_CHARSET,
	FINDING_TXT_KEY_DUPLICATE,
	FINDING_TXT_KEY_TOO_LONG,
	FINDING_TXT_TOO_LARGE,
	FINDING_TXTVERS_NOT_FIRST,
	FINDING_TXTVERS_NOT_NUMERIC,
	FINDING_TXT_KEY_UNDEFINED,
	FINDING_TXT_KEYS_UNEXPECTED,
	FINDING_RESOLVE_FAILED,
	/* since 0.2 */
	FINDING_INSTANCE_BIDI_CONTROL,
	FINDING_UNREGISTERED_KNOWN,
	FINDING_N_CODES
} FindingCode;

typedef struct {
	FindingCode code;
	Severity severity;
	/* One line for an admin.  May quote network bytes RAW (possibly invalid
	 * UTF-8, control bytes): every output escapes it (escape.h). */
	char *message;
	/* The site accepts it (accepted-findings): kept and listed, never
	 * reported as new and never a problem.  Set by site policy, not by
	 * the validator. */
	gboolean accepted;
} Finding;

const char *finding_code_name(FindingCode code);    /* "type-malformed" */
Severity finding_code_default_severity(FindingCode code);
gboolean finding_code_from_name(const char *name, FindingCode *out);
const char *severity_name(Severity s);              /* "error", ... */
gboolean severity_from_name(const char *name, Severity *out);

/* A growable list of findings (GArray of Finding). */
typedef GArray FindingList;
FindingList *finding_list_new(void);
void finding_list_free(FindingList *list);          /* frees messages too */
void finding_list_clear(FindingList *list);
void finding_list_add(FindingList *list, FindingCode code, Severity sev,
                      char *message /* takes ownership */);
/* A finding that makes the command-line tool exit 1 (FINDINGS.md): at
 * warning or error severity and not accepted. */
gboolean finding_is_problem(const Finding *f);
/* TRUE if any finding of list is a problem. */
gboolean finding_list_has_problem(const FindingList *list);
#define finding_list_get(list, i) (&g_array_index((list), Finding, (i)))
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FindingList, finding_list_free)
