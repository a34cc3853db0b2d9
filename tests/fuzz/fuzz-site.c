/* fuzz-site.c - the parsers of the site's own files: the configuration
 * (config_parse_data(): GKeyFile, [audit] and [severity]) and the accepted
 * findings (accepted_rules_parse()), on arbitrary bytes.
 *
 * Input: the first byte picks the parser (even: configuration, odd:
 * accepted findings), the rest is the file.
 * Properties: a result or one error, never both; the error is one line of
 * valid UTF-8 naming the file; every warning is safe for a log line and
 * the terminal (harness.h); a parsed configuration keeps its bounds (rate
 * limit and max-services positive, severities known); accepted rules
 * match deterministically, and a rule written back by
 * accepted_rule_append() for a finding accepts that finding.
 */
#include "config.h"

#include <string.h>
#include "audit/site-config.h"
#include "format/escape.h"
#include "tests/fuzz/harness.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

static void
check_error(const GError *error, const char *what)
{
	fuzz_check_error_line(error->message, what);
	if (!g_str_has_prefix(error->message, "fuzz.conf") &&
	    !g_str_has_prefix(error->message, "accepted"))
		fuzz_fail("error does not name the file", error->message);
}

static void
fuzz_config(const char *text, gsize len)
{
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;
	g_autoptr(AuditdConfig) cfg = config_parse_data("fuzz.conf", text, len, warnings, &error);

	for (guint i = 0; i < warnings->len; i++)
		fuzz_check_safe(warnings->pdata[i], strlen(warnings->pdata[i]), "config warning");
	if (cfg == NULL) {
		if (error == NULL)
			fuzz_fail("no configuration and no error", text);
		check_error(error, "config error");
		return;
	}
	if (error != NULL)
		fuzz_fail("a configuration and an error", error->message);
	if (cfg->rate_limit == 0 || cfg->max_services == 0 || cfg->registry_max_age_days == 0)
		fuzz_fail("a bound is zero", text);
	for (guint i = 0; i < FINDING_N_CODES; i++) {
		if (severity_name(config_severity(cfg, (FindingCode) i, SEVERITY_INFO)) == NULL)
			fuzz_fail("unknown severity", text);
	}
	if (cfg->accepted != NULL)
		fuzz_fail("config_parse_data() read an accepted-findings file", text);
}

static void
fuzz_accepted(const char *text, gsize len)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(AcceptedRules) rules = accepted_rules_parse("accepted", text, len, &error);
	g_autoptr(AcceptedRules) back = NULL;
	g_autoptr(GString) line = g_string_new(NULL);
	g_autofree char *inst = NULL;

	if (rules == NULL) {
		if (error == NULL)
			fuzz_fail("no rules and no error", text);
		check_error(error, "accepted error");
		return;
	}
	if (error != NULL)
		fuzz_fail("rules and an error", error->message);
	/* The same question twice, the same answer. */
	if (accepted_rules_match(rules, FINDING_UNREGISTERED, "_x._tcp", "a b", NULL) !=
	    accepted_rules_match(rules, FINDING_UNREGISTERED, "_x._tcp", "a b", NULL))
		fuzz_fail("matching is not deterministic", text);
	/* The input as an instance name: its rule accepts it. */
	inst = escape_bytes(text, MIN(len, 63));
	accepted_rule_append(line, FINDING_TXT_KEY_UNDEFINED, "_x._tcp", inst, "h.local");
	back = accepted_rules_parse("accepted", line->str, line->len, &error);
	if (back == NULL)
		fuzz_fail("a written rule does not parse back", line->str);
	if (!accepted_rules_match(back, FINDING_TXT_KEY_UNDEFINED, "_x._tcp", inst, "h.local"))
		fuzz_fail("a written rule does not accept its finding", line->str);
}

int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] % 2 == 0)
		fuzz_config((const char *) data + 1, size - 1);
	else
		fuzz_accepted((const char *) data + 1, size - 1);
	return 0;
}
