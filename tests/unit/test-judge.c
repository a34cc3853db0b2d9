/* test-judge.c - the one verdict (audit/judge.h): site severity, ignored
 * codes and types, accepted findings, the registry's age; and
 * audit_site_load() with a configuration that names its files. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <glib/gstdio.h>
#include "audit/judge.h"

typedef struct {
	char *dir;
	char *conf;
	char *accepted;
} Fixture;

static int
setup(void **state)
{
	Fixture *fx = g_new0(Fixture, 1);

	fx->dir = g_dir_make_tmp("judge-XXXXXX", NULL);
	fx->conf = g_build_filename(fx->dir, "dnssd-audit.conf", NULL);
	fx->accepted = g_build_filename(fx->dir, "accepted", NULL);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	Fixture *fx = *state;

	g_unlink(fx->conf);
	g_unlink(fx->accepted);
	g_rmdir(fx->dir);
	g_free(fx->conf);
	g_free(fx->accepted);
	g_free(fx->dir);
	g_free(fx);
	return 0;
}

static void
load(Fixture *fx, const char *conf, const char *accepted, AuditSite *site)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *full = g_strdup_printf("[audit]\ncatalogue=\naccepted-findings=%s\n%s",
	                                        fx->accepted, conf);

	assert_true(g_file_set_contents(fx->conf, full, -1, NULL));
	assert_true(g_file_set_contents(fx->accepted, accepted, -1, NULL));
	if (!audit_site_load(fx->conf, REGISTRY_TEST_DATA "/minimal.xml", NULL, NULL, site, &error))
		fail_msg("%s", error->message);
}

/* "code:severity[:accepted]" of each finding of _nosuch._tcp "Kitchen". */
static char *
verdict(const AuditSite *site, const char *type, const char *instance)
{
	g_autoptr(FindingList) out = finding_list_new();
	g_autoptr(GString) s = g_string_new(NULL);
	Advertisement ad = { .type = type, .port = 8080, .host = "k.local" };

	ad.instance.data = (const guint8 *) instance;
	ad.instance.len = strlen(instance);
	ad.txt_known = TRUE;
	audit_judge(site, &ad, type, instance, "k.local", out);
	for (guint i = 0; i < out->len; i++) {
		const Finding *f = finding_list_get(out, i);

		g_string_append_printf(s, "%s%s:%s%s", i > 0 ? "," : "", finding_code_name(f->code),
		                       severity_name(f->severity), f->accepted ? ":accepted" : "");
	}
	return g_string_free(g_steal_pointer(&s), FALSE);
}

static void
test_policy(void **state)
{
	Fixture *fx = *state;
	AuditSite site = { 0 };
	g_autofree char *v1 = NULL, *v2 = NULL, *v3 = NULL, *v4 = NULL;

	load(fx, "ignore-types=_ignored._tcp\n[severity]\nunregistered=error\nport-differs=warning\n",
	     "unregistered _nosuch._tcp Kitchen*\n", &site);
	v1 = verdict(&site, "_nosuch._tcp", "Kitchen 1");
	assert_string_equal(v1, "unregistered:error:accepted");
	/* near miss: another instance is not accepted */
	v2 = verdict(&site, "_nosuch._tcp", "Hall");
	assert_string_equal(v2, "unregistered:error");
	v3 = verdict(&site, "_http._tcp", "Web");
	assert_string_equal(v3, "port-differs:warning");
	v4 = verdict(&site, "_IGNORED._tcp", "x");
	assert_string_equal(v4, "");
	audit_site_clear(&site);
	assert_null(site.config);
}

/* Without [severity] the validator's severity stands, also where it
 * depends on the advertisement (txt-too-large: notice above 400 bytes,
 * warning above 1300). */
static void
test_judged_severity_kept(void **state)
{
	Fixture *fx = *state;
	AuditSite site = { 0 };
	g_autoptr(FindingList) out = finding_list_new();
	Advertisement ad = { .type = "_http._tcp", .port = 80 };
	g_autofree char *big = g_strnfill(500, 'x');
	AdBytes txt[1] = { { (const guint8 *) big, 500 } };

	load(fx, "", "", &site);
	big[0] = 'p', big[1] = 'a', big[2] = 't', big[3] = 'h', big[4] = '=';
	ad.txt = txt;
	ad.n_txt = 1;
	ad.txt_known = TRUE;
	audit_judge(&site, &ad, NULL, NULL, NULL, out);
	assert_int_equal(out->len, 1);
	assert_int_equal(finding_list_get(out, 0)->code, FINDING_TXT_TOO_LARGE);
	assert_int_equal(finding_list_get(out, 0)->severity, SEVERITY_NOTICE);
	audit_site_clear(&site);
}

/* min-severity is applied to the site's severity, not the default. */
static void
test_min_severity_after_override(void **state)
{
	Fixture *fx = *state;
	AuditSite site = { 0 };
	g_autofree char *v = NULL;

	load(fx, "min-severity=warning\n[severity]\nport-differs=error\n", "", &site);
	v = verdict(&site, "_http._tcp", "Web");
	assert_string_equal(v, "port-differs:error");
	audit_site_clear(&site);
}

static void
test_bad_site_files(void **state)
{
	Fixture *fx = *state;
	AuditSite site = { 0 };
	g_autoptr(GError) error = NULL;

	assert_true(g_file_set_contents(fx->conf, "[severity]\nunregistered=fatal\n", -1, NULL));
	assert_false(audit_site_load(fx->conf, REGISTRY_TEST_DATA "/minimal.xml", NULL, NULL,
	                             &site, &error));
	assert_non_null(strstr(error->message, "unregistered"));
	g_clear_error(&error);
	assert_true(g_file_set_contents(fx->conf, "[severity]\nno-such-code=error\n", -1, NULL));
	assert_false(audit_site_load(fx->conf, REGISTRY_TEST_DATA "/minimal.xml", NULL, NULL,
	                             &site, &error));
	assert_non_null(strstr(error->message, "no-such-code"));
	g_clear_error(&error);
	/* A bad accepted-findings line names file and line. */
	{
		g_autofree char *conf = g_strdup_printf("[audit]\naccepted-findings=%s\n", fx->accepted);

		assert_true(g_file_set_contents(fx->conf, conf, -1, NULL));
		assert_true(g_file_set_contents(fx->accepted, "# ok\nbogus _a._tcp x\n", -1, NULL));
		assert_false(audit_site_load(fx->conf, REGISTRY_TEST_DATA "/minimal.xml", NULL, NULL,
		                             &site, &error));
		assert_non_null(strstr(error->message, ":2: unknown finding code"));
		g_clear_error(&error);
	}
	/* A catalogue that is named must load. */
	assert_true(g_file_set_contents(fx->conf, "[audit]\ncatalogue=/nonexistent/cat.xml\n", -1,
	                                NULL));
	assert_false(audit_site_load(fx->conf, REGISTRY_TEST_DATA "/minimal.xml", NULL, NULL,
	                             &site, &error));
	assert_non_null(strstr(error->message, "cannot load the catalogue: /nonexistent/cat.xml"));
	assert_null(site.config);
}

static void
test_registry_age(void **state)
{
	Fixture *fx = *state;
	AuditSite site = { 0 };
	g_autoptr(GDateTime) now = g_date_time_new_utc(2001, 2, 3, 12, 0, 0);
	gint64 t = g_date_time_to_unix(now);
	g_autofree char *none = NULL, *old = NULL;

	load(fx, "registry-max-age=30\n", "", &site);
	/* minimal.xml is updated 2001-02-03 */
	assert_int_equal(audit_registry_age_days(site.registry, t), 0);
	assert_int_equal(audit_registry_age_days(site.registry, t + 30 * 86400), 30);
	none = audit_registry_age_warning(&site, t + 30 * 86400);
	assert_null(none);
	old = audit_registry_age_warning(&site, t + 31 * 86400);
	assert_non_null(old);
	assert_non_null(strstr(old, "31 days old"));
	assert_non_null(strstr(old, "dnssd-audit-update-registry"));
	assert_int_equal(audit_registry_age_days(NULL, t), -1);
	audit_site_clear(&site);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_policy),
		T(test_min_severity_after_override),
		T(test_judged_severity_kept),
		T(test_bad_site_files),
		T(test_registry_age),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
