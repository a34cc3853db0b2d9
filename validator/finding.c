/* finding.c - the codes and severities of FINDINGS.md and the finding
 * list. */
#include "config.h"

#include <string.h>
#include "validator/finding.h"

static const struct {
	const char *name;
	Severity severity;
} codes[FINDING_N_CODES] = {
	[FINDING_TYPE_MALFORMED]         = { "type-malformed", SEVERITY_ERROR },
	[FINDING_SERVICE_NAME_TOO_LONG]  = { "service-name-too-long", SEVERITY_ERROR },
	[FINDING_SERVICE_NAME_CHARSET]   = { "service-name-charset", SEVERITY_ERROR },
	[FINDING_SERVICE_NAME_NO_LETTER] = { "service-name-no-letter", SEVERITY_ERROR },
	[FINDING_SERVICE_NAME_HYPHEN]    = { "service-name-hyphen", SEVERITY_ERROR },
	[FINDING_SERVICE_NAME_CASE]      = { "service-name-case", SEVERITY_NOTICE },
	[FINDING_UNREGISTERED]           = { "unregistered", SEVERITY_WARNING },
	[FINDING_TRANSPORT_MISMATCH]     = { "transport-mismatch", SEVERITY_WARNING },
	[FINDING_HISTORIC_NAME]          = { "historic-name", SEVERITY_WARNING },
	[FINDING_NOT_FOR_DISCOVERY]      = { "not-for-discovery", SEVERITY_WARNING },
	[FINDING_PORT_DIFFERS]           = { "port-differs", SEVERITY_INFO },
	[FINDING_SUBTYPE_MALFORMED]      = { "subtype-malformed", SEVERITY_ERROR },
	[FINDING_INSTANCE_TOO_LONG]      = { "instance-too-long", SEVERITY_ERROR },
	[FINDING_INSTANCE_NOT_UTF8]      = { "instance-not-utf8", SEVERITY_ERROR },
	[FINDING_INSTANCE_CONTROL_CHAR]  = { "instance-control-char", SEVERITY_ERROR },
	[FINDING_INSTANCE_NOT_NFC]       = { "instance-not-nfc", SEVERITY_WARNING },
	[FINDING_TXT_KEY_EMPTY]          = { "txt-key-empty", SEVERITY_ERROR },
	[FINDING_TXT_KEY_CHARSET]        = { "txt-key-charset", SEVERITY_ERROR },
	[FINDING_TXT_KEY_DUPLICATE]      = { "txt-key-duplicate", SEVERITY_WARNING },
	[FINDING_TXT_KEY_TOO_LONG]       = { "txt-key-too-long", SEVERITY_NOTICE },
	/* Warning above 1300 bytes; the validator lowers it to notice for
	 * 401..1300 bytes. */
	[FINDING_TXT_TOO_LARGE]          = { "txt-too-large", SEVERITY_WARNING },
	[FINDING_TXTVERS_NOT_FIRST]      = { "txtvers-not-first", SEVERITY_NOTICE },
	[FINDING_TXTVERS_NOT_NUMERIC]    = { "txtvers-not-numeric", SEVERITY_NOTICE },
	[FINDING_TXT_KEY_UNDEFINED]      = { "txt-key-undefined", SEVERITY_NOTICE },
	[FINDING_TXT_KEYS_UNEXPECTED]    = { "txt-keys-unexpected", SEVERITY_NOTICE },
	[FINDING_RESOLVE_FAILED]         = { "resolve-failed", SEVERITY_NOTICE },
	[FINDING_INSTANCE_BIDI_CONTROL]  = { "instance-bidi-control", SEVERITY_WARNING },
	/* Reported instead of unregistered when the catalogue knows the
	 * name (the catalogue's wiring comes later). */
	[FINDING_UNREGISTERED_KNOWN]     = { "unregistered-known", SEVERITY_NOTICE },
};

static const char *const severity_names[] = {
	[SEVERITY_INFO] = "info",
	[SEVERITY_NOTICE] = "notice",
	[SEVERITY_WARNING] = "warning",
	[SEVERITY_ERROR] = "error",
};

const char *
finding_code_name(FindingCode code)
{
	if ((guint)code >= FINDING_N_CODES)
		return "unknown";
	return codes[code].name;
}

Severity
finding_code_default_severity(FindingCode code)
{
	if ((guint)code >= FINDING_N_CODES)
		return SEVERITY_ERROR;
	return codes[code].severity;
}

/* Exact (case-sensitive) match: codes are a public interface spelled one
 * way.  Returns FALSE and leaves *out alone for an unknown name. */
gboolean
finding_code_from_name(const char *name, FindingCode *out)
{
	if (name == NULL)
		return FALSE;
	for (guint i = 0; i < FINDING_N_CODES; i++) {
		if (strcmp(codes[i].name, name) == 0) {
			*out = (FindingCode)i;
			return TRUE;
		}
	}
	return FALSE;
}

const char *
severity_name(Severity s)
{
	if ((guint)s >= G_N_ELEMENTS(severity_names))
		return "unknown";
	return severity_names[s];
}

gboolean
severity_from_name(const char *name, Severity *out)
{
	if (name == NULL)
		return FALSE;
	for (guint i = 0; i < G_N_ELEMENTS(severity_names); i++) {
		if (strcmp(severity_names[i], name) == 0) {
			*out = (Severity)i;
			return TRUE;
		}
	}
	return FALSE;
}

static void
finding_clear(gpointer data)
{
	Finding *f = data;

	g_free(f->message);
	f->message = NULL;
}

FindingList *
finding_list_new(void)
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(Finding));

	g_array_set_clear_func(a, finding_clear);
	return a;
}

void
finding_list_free(FindingList *list)
{
	if (list != NULL)
		g_array_unref(list);
}

void
finding_list_clear(FindingList *list)
{
	g_array_set_size(list, 0);
}

void
finding_list_add(FindingList *list, FindingCode code, Severity sev, char *message)
{
	Finding f = { code, sev, message, FALSE };

	g_array_append_val(list, f);
}

gboolean
finding_is_problem(const Finding *f)
{
	return f->severity >= SEVERITY_WARNING && !f->accepted;
}

gboolean
finding_list_has_problem(const FindingList *list)
{
	for (guint i = 0; i < list->len; i++) {
		if (finding_is_problem(finding_list_get(list, i)))
			return TRUE;
	}
	return FALSE;
}
