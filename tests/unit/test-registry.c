/* test-registry.c - the registry loader and index on both IANA releases
 * (skipped without ../shared), the fixture excerpt of the current one, a
 * small hand-written file and a site-local file. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <glib/gstdio.h>

#include "registry/registry.h"
#include "tests/unit/test-common.h"

#define assert_error(err, dom, c) do { \
		assert_non_null(err); \
		assert_int_equal((err)->domain, (dom)); \
		assert_int_equal((err)->code, (c)); \
	} while (0)

static char *
data_path(const char *name)
{
	return g_build_filename(REGISTRY_TEST_DATA, name, NULL);
}

/* The record of name with transport t (asserts there is exactly one). */
static const RegistryRecord *
record_of(const Registry *reg, const char *name, RegistryTransport t)
{
	const RegistryRecord *const *recs;
	const RegistryRecord *found = NULL;
	guint n = registry_lookup(reg, name, &recs);

	for (guint i = 0; i < n; i++) {
		if (recs[i]->transport == t) {
			assert_null(found);
			found = recs[i];
		}
	}
	if (found == NULL) {
		print_error("no record %s/%s\n", name, registry_transport_name(t));
		fail();
	}
	return found;
}

static gboolean
has_key(const RegistryRecord *rec, const char *display)
{
	for (guint i = 0; i < rec->txt.n_keys; i++)
		if (strcmp(rec->txt.keys[i].key_display, display) == 0)
			return TRUE;
	return FALSE;
}

typedef struct {
	guint records;
	guint with_marker;
	guint classified;
	guint order_ok;
	const RegistryRecord *prev;
} Walk;

/* Every note with a "Defined TXT keys" marker is classified (not absent),
 * and foreach visits records in file order. */
static void
walk_record(const RegistryRecord *rec, gpointer data)
{
	Walk *w = data;

	w->records++;
	if (w->prev == NULL || rec > w->prev)
		w->order_ok++;
	w->prev = rec;
	assert_non_null(rec->name);
	assert_true(rec->name[0] != '\0');
	if (rec->note != NULL && strstr(rec->note, "Defined TXT keys") != NULL) {
		w->with_marker++;
		if (rec->txt.kind != TXT_SPEC_ABSENT)
			w->classified++;
	}
	if (rec->status == REGISTRY_STATUS_HISTORIC && rec->replacement != NULL)
		assert_true(rec->replacement[0] != '\0');
}

/* What both releases have in common. */
static void
check_release(const Registry *reg)
{
	const RegistryRecord *r;
	const RegistryRecord *const *recs, *const *recs2;
	Walk w = { 0 };

	r = record_of(reg, "ipp", REGISTRY_TRANSPORT_TCP);
	assert_int_equal(r->port, 631);
	assert_int_equal(r->port_high, -1);
	assert_int_equal(r->status, REGISTRY_STATUS_ACTIVE);
	assert_int_equal(r->source, REGISTRY_SOURCE_IANA);
	assert_string_equal(r->description, "IPP (Internet Printing Protocol)");
	assert_int_equal(r->txt.kind, TXT_SPEC_UNSPECIFIED);   /* See BonjourPrinting.pdf. */

	r = record_of(reg, "odisk", REGISTRY_TRANSPORT_NONE);
	assert_int_equal(r->port, -1);
	assert_int_equal(r->txt.kind, TXT_SPEC_KEYS);
	assert_int_equal(r->txt.n_keys, 2);
	assert_string_equal(r->txt.keys[0].key, "sys");
	assert_false(r->txt.keys[0].is_family);
	assert_string_equal(r->txt.keys[1].key, "dk");
	assert_string_equal(r->txt.keys[1].key_display, "dk<n>");
	assert_true(r->txt.keys[1].is_family);
	assert_true(txt_spec_defines(&r->txt, "dk3", 3));

	/* An alias with an underscore: historic, pointing at dec-dlm. */
	r = record_of(reg, "dec_dlm", REGISTRY_TRANSPORT_TCP);
	assert_int_equal(r->port, 625);
	assert_int_equal(r->status, REGISTRY_STATUS_HISTORIC);
	assert_string_equal(r->replacement, "dec-dlm");
	r = record_of(reg, "dec-dlm", REGISTRY_TRANSPORT_TCP);
	assert_int_equal(r->status, REGISTRY_STATUS_ACTIVE);
	assert_null(r->replacement);

	r = record_of(reg, "x11", REGISTRY_TRANSPORT_TCP);
	assert_int_equal(r->port, 6000);
	assert_int_equal(r->port_high, 6063);
	assert_int_equal(r->txt.kind, TXT_SPEC_ABSENT);

	r = record_of(reg, "airplay", REGISTRY_TRANSPORT_TCP);
	assert_int_equal(r->txt.kind, TXT_SPEC_KEYS);
	assert_true(has_key(r, "pk"));

	r = record_of(reg, "daap", REGISTRY_TRANSPORT_TCP);
	assert_int_equal(r->port, 3689);
	assert_true(has_key(r, "Machine ID"));
	assert_true(has_key(r, "iTSh Version"));
	assert_true(txt_spec_defines(&r->txt, "machine id", 10));

	assert_int_equal(record_of(reg, "www", REGISTRY_TRANSPORT_TCP)->status,
	                 REGISTRY_STATUS_NOT_FOR_DISCOVERY);
	assert_int_equal(record_of(reg, "www-http", REGISTRY_TRANSPORT_TCP)->status,
	                 REGISTRY_STATUS_NOT_FOR_DISCOVERY);
	assert_int_equal(record_of(reg, "example", REGISTRY_TRANSPORT_NONE)->status,
	                 REGISTRY_STATUS_NOT_FOR_DISCOVERY);
	assert_int_equal(record_of(reg, "dns-sd", REGISTRY_TRANSPORT_NONE)->status,
	                 REGISTRY_STATUS_NOT_FOR_DISCOVERY);
	assert_int_equal(record_of(reg, "services", REGISTRY_TRANSPORT_NONE)->status,
	                 REGISTRY_STATUS_NOT_FOR_DISCOVERY);
	assert_int_equal(record_of(reg, "device-info", REGISTRY_TRANSPORT_NONE)->status,
	                 REGISTRY_STATUS_ACTIVE);
	assert_int_equal(record_of(reg, "http", REGISTRY_TRANSPORT_TCP)->status,
	                 REGISTRY_STATUS_ACTIVE);

	/* Case-insensitive, and the same slice whatever the spelling. */
	assert_int_equal(registry_lookup(reg, "IPP", &recs), 2);
	assert_ptr_equal(recs[0], record_of(reg, "ipp", REGISTRY_TRANSPORT_TCP));
	assert_int_equal(registry_lookup(reg, "Ipp", &recs), 2);
	assert_int_equal(registry_lookup_len(reg, "IPPS-and-more", 4, &recs),
	                 registry_lookup(reg, "ipps", &recs2));
	assert_ptr_equal(recs, recs2);
	assert_string_equal(recs[0]->name, "ipps");
	assert_int_equal(registry_lookup(reg, "no-such-service-name", &recs), 0);
	assert_null(recs);
	assert_int_equal(registry_lookup(reg, "", &recs), 0);
	assert_int_equal(registry_lookup_len(reg, "ipp", 0, &recs), 0);

	registry_foreach(reg, walk_record, &w);
	assert_int_equal(w.records, registry_n_records(reg));
	assert_int_equal(w.order_ok, w.records);
	assert_int_equal(w.classified, w.with_marker);
	print_message("# %u records, %u names, %u TXT-key notes\n", registry_n_records(reg),
	              registry_n_names(reg), w.with_marker);
}

/* Load a release and check its date and counts (when given) and the
 * records both releases share. */
static void
check_release_file(const char *path, const char *updated, guint n_records, guint n_names)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(Registry) reg = NULL;

	assert_non_null(path);
	reg = registry_load(path, &error);
	assert_null(error);
	assert_non_null(reg);
	assert_string_equal(registry_path(reg), path);
	if (updated != NULL) {
		assert_string_equal(registry_updated(reg), updated);
		assert_int_equal(registry_n_records(reg), n_records);
		assert_int_equal(registry_n_names(reg), n_names);
	}
	check_release(reg);
}

static void
test_current_release(void **state)
{
	g_autofree char *path = test_full_registry_path();

	if (path == NULL)
		test_skip(TEST_NO_FULL_REGISTRY ": the 2024-03-18 release's counts");
	/* $DNSSD_AUDIT_REGISTRY may name another release: no counts then. */
	if (g_str_has_suffix(path, "shared/iana/service-names-port-numbers.xml"))
		check_release_file(path, "2024-03-18", 12752, 7278);
	else
		check_release_file(path, NULL, 0, 0);
}

static void
test_2022_release(void **state)
{
	g_autofree char *path = test_shared_path("iana/service-names-port-numbers-2022-11-07.xml");

	if (path == NULL)
		test_skip("needs the 2022-11-07 IANA release in $DNSSD_AUDIT_SHARED/iana/");
	check_release_file(path, "2022-11-07", 12708, 7246);
}

/* The fixture excerpt (always in the tree) holds IANA's records of what
 * check_release() looks at, so a plain clone checks them too. */
static void
test_fixture_release(void **state)
{
	g_autofree char *path = test_fixture_registry_path();

	assert_non_null(path);
	check_release_file(path, "2024-03-18", 84, 50);
}

static void
test_minimal(void **state)
{
	g_autofree char *path = data_path("minimal.xml");
	g_autoptr(GError) error = NULL;
	g_autoptr(Registry) reg = registry_load(path, &error);
	const RegistryRecord *r;
	const RegistryRecord *const *recs;

	assert_null(error);
	assert_non_null(reg);
	assert_string_equal(registry_updated(reg), "2001-02-03");   /* not the person's */
	assert_int_equal(registry_n_records(reg), 3);               /* quic-thing skipped */
	assert_int_equal(registry_n_names(reg), 3);
	assert_int_equal(registry_lookup(reg, "quic-thing", &recs), 0);
	assert_int_equal(registry_lookup(reg, "Not A Service", &recs), 0);

	r = record_of(reg, "http", REGISTRY_TRANSPORT_TCP);
	assert_int_equal(r->port, 80);
	assert_string_equal(r->note, "Defined TXT keys: u=<username> p=<password> path=<path to document>");
	assert_int_equal(r->txt.kind, TXT_SPEC_KEYS);
	assert_int_equal(r->txt.n_keys, 3);
	r = record_of(reg, "x11", REGISTRY_TRANSPORT_UDP);
	assert_int_equal(r->port, 6000);
	assert_int_equal(r->port_high, 6063);
	r = record_of(reg, "old-name", REGISTRY_TRANSPORT_UDP);
	assert_int_equal(r->status, REGISTRY_STATUS_HISTORIC);
	assert_null(r->replacement);
	assert_int_equal(r->port, -1);
	assert_string_equal(r->note, "This service name is no longer in use");
}

static void
test_local(void **state)
{
	g_autofree char *path = data_path("minimal.xml");
	g_autofree char *local = data_path("local-services.xml");
	g_autofree char *missing = data_path("no-such-local.xml");
	g_autofree char *bad = data_path("bad-port.xml");
	g_autoptr(GError) error = NULL;
	g_autoptr(Registry) reg = registry_load(path, &error);
	const RegistryRecord *r;
	const RegistryRecord *const *recs;

	assert_non_null(reg);
	assert_true(registry_add_local(reg, local, NULL, &error));
	assert_null(error);
	assert_int_equal(registry_n_records(reg), 5);
	assert_int_equal(registry_n_names(reg), 5);
	assert_string_equal(registry_updated(reg), "2001-02-03");   /* IANA's date stays */

	r = record_of(reg, "ACME-Robot", REGISTRY_TRANSPORT_TCP);
	assert_int_equal(r->source, REGISTRY_SOURCE_LOCAL);
	assert_int_equal(r->port, 7777);
	assert_true(txt_spec_defines(&r->txt, "arm2", 4));
	assert_true(txt_spec_defines(&r->txt, "txtvers", 7));

	/* A local record for a name IANA lacks on this transport. */
	assert_int_equal(registry_lookup(reg, "ipp", &recs), 1);
	assert_int_equal(recs[0]->transport, REGISTRY_TRANSPORT_SCTP);
	assert_int_equal(recs[0]->source, REGISTRY_SOURCE_LOCAL);

	/* An explicitly named file that is missing or broken is an error and
	 * leaves the registry as it was. */
	assert_false(registry_add_local(reg, missing, NULL, &error));
	assert_error(error, REGISTRY_ERROR, REGISTRY_ERROR_OPEN);
	assert_non_null(strstr(error->message, "no-such-local.xml"));
	g_clear_error(&error);
	assert_false(registry_add_local(reg, bad, NULL, &error));
	assert_error(error, REGISTRY_ERROR, REGISTRY_ERROR_INVALID);
	g_clear_error(&error);
	assert_int_equal(registry_n_records(reg), 5);
	assert_int_equal(registry_lookup(reg, "http", &recs), 1);
	assert_int_equal(registry_lookup(reg, "broken", &recs), 0);
}

/* Local records add names and transports; they never change what IANA
 * says about a name (local-collides.xml against minimal.xml). */
static void
test_local_collides(void **state)
{
	g_autofree char *path = data_path("minimal.xml");
	g_autofree char *local = data_path("local-collides.xml");
	g_autoptr(GError) error = NULL;
	g_autoptr(Registry) reg = registry_load(path, &error);
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	const RegistryRecord *r;
	const RegistryRecord *const *recs;
	guint before;

	assert_non_null(reg);
	before = registry_n_records(reg);
	assert_true(registry_add_local(reg, local, warnings, &error));
	assert_null(error);
	/* http/tcp, x11/sctp and x11 without transport: one warning each,
	 * naming the file and the record's line */
	assert_int_equal(warnings->len, 3);
	assert_non_null(strstr(warnings->pdata[0], "local-collides.xml:6: local record \"HTTP\" (tcp) ignored"));
	assert_non_null(strstr(warnings->pdata[0], "has \"http\" for tcp already"));
	assert_non_null(strstr(warnings->pdata[1], ":20: local record \"x11\" (sctp) ignored"));
	assert_non_null(strstr(warnings->pdata[1], "for udp already"));
	assert_non_null(strstr(warnings->pdata[2], ":25: local record \"x11\" (no transport) ignored"));
	for (guint i = 0; i < warnings->len; i++)
		assert_null(strchr(warnings->pdata[i], '\n'));
	/* http/udp and acme-new are added */
	assert_int_equal(registry_n_records(reg), before + 2);

	/* IANA's http/tcp keeps its status, keys and port */
	r = record_of(reg, "http", REGISTRY_TRANSPORT_TCP);
	assert_int_equal(r->source, REGISTRY_SOURCE_IANA);
	assert_int_equal(r->status, REGISTRY_STATUS_ACTIVE);
	assert_int_equal(r->port, 80);
	assert_false(txt_spec_defines(&r->txt, "color", 5));
	/* the new transport: IANA's spelling, never historic, its own port */
	assert_int_equal(registry_lookup(reg, "HTTP", &recs), 2);
	for (guint i = 0; i < 2; i++)
		assert_int_equal(recs[i]->status, REGISTRY_STATUS_ACTIVE);
	r = record_of(reg, "http", REGISTRY_TRANSPORT_UDP);
	assert_int_equal(r->source, REGISTRY_SOURCE_LOCAL);
	assert_string_equal(r->name, "http");
	assert_null(r->replacement);
	assert_int_equal(r->port, 8081);
	/* x11 stays IANA's alone */
	assert_int_equal(registry_lookup(reg, "x11", &recs), 1);
	assert_int_equal(recs[0]->source, REGISTRY_SOURCE_IANA);
	r = record_of(reg, "acme-new", REGISTRY_TRANSPORT_TCP);
	assert_int_equal(r->source, REGISTRY_SOURCE_LOCAL);

	/* warnings may be NULL: the same records are ignored */
	{
		g_autoptr(Registry) r2 = registry_load(path, NULL);

		assert_true(registry_add_local(r2, local, NULL, &error));
		assert_int_equal(registry_n_records(r2), before + 2);
	}
	/* a local file that fails adds no warning */
	{
		g_autofree char *bad = data_path("bad-port.xml");
		g_autoptr(Registry) r3 = registry_load(path, NULL);

		g_ptr_array_set_size(warnings, 0);
		assert_false(registry_add_local(r3, bad, warnings, &error));
		g_clear_error(&error);
		assert_int_equal(warnings->len, 0);
	}
	/* registry_open() passes them on */
	{
		g_autoptr(Registry) r4 = NULL;

		g_ptr_array_set_size(warnings, 0);
		r4 = registry_open(path, local, FALSE, warnings, &error);
		assert_non_null(r4);
		assert_int_equal(warnings->len, 3);
	}
}

/* A local file big enough to move the records array while it loads: the
 * collision check must not read the index's stale pointers. */
static void
test_local_grows(void **state)
{
	g_autofree char *path = data_path("minimal.xml");
	g_autoptr(GString) xml = g_string_new(
		"<?xml version='1.0' encoding='UTF-8'?>\n"
		"<registry xmlns=\"http://www.iana.org/assignments\" id=\"big-local\">\n");
	g_autofree char *local = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(Registry) reg = registry_load(path, &error);
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	int fd;

	for (int i = 0; i < 40000; i++)
		g_string_append_printf(xml, "<record><name>%s</name><protocol>tcp</protocol></record>\n",
		                       i % 2 == 0 ? "http" : "new-name");
	g_string_append(xml, "</registry>\n");
	fd = g_file_open_tmp("local-XXXXXX.xml", &local, &error);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, xml->str, xml->len), (ssize_t) xml->len);
	close(fd);
	assert_true(registry_add_local(reg, local, warnings, &error));
	g_unlink(local);
	assert_int_equal(warnings->len, 20000);
	{
		const RegistryRecord *const *recs;

		assert_int_equal(registry_lookup(reg, "new-name", &recs), 20000);
		assert_int_equal(registry_lookup(reg, "http", &recs), 1);
	}
}

/* The catalogue loads as a Registry of its own; records keep the URI
 * that cites their source. */
static void
test_catalogue(void **state)
{
	g_autofree char *path = data_path("catalogue.xml");
	g_autofree char *empty = data_path("no-records.xml");
	g_autofree char *iana = test_full_registry_path();
	g_autoptr(GError) error = NULL;
	g_autoptr(Registry) cat = registry_load_catalogue(path, &error);
	const RegistryRecord *r;

	assert_non_null(cat);
	assert_int_equal(registry_n_records(cat), 2);
	r = record_of(cat, "googlecast", REGISTRY_TRANSPORT_TCP);
	assert_int_equal(r->source, REGISTRY_SOURCE_CATALOGUE);
	/* the first uri xref, trimmed, entities decoded; not the person */
	assert_string_equal(r->source_uri, "https://developers.google.com/cast/docs/discovery?a=1&b=2");
	assert_int_equal(r->txt.kind, TXT_SPEC_KEYS);
	assert_true(txt_spec_defines(&r->txt, "fn", 2));
	/* an xref inside the note is part of the note, not the source */
	r = record_of(cat, "matterc", REGISTRY_TRANSPORT_UDP);
	assert_null(r->source_uri);
	assert_non_null(strstr(r->note, "[HTTPS://EXAMPLE.ORG/IN-NOTE]"));
	assert_string_equal(registry_source_name(REGISTRY_SOURCE_CATALOGUE), "catalogue");
	/* a catalogue without records is broken packaging, not an empty list */
	assert_null(registry_load_catalogue(empty, &error));
	assert_error(error, REGISTRY_ERROR, REGISTRY_ERROR_INVALID);
	g_clear_error(&error);
	/* IANA's records keep their uri xrefs too (pon-ictp cites TR-352) */
	if (iana != NULL) {
		g_autoptr(Registry) reg = registry_load(iana, NULL);

		assert_non_null(reg);
		r = record_of(reg, "pon-ictp", REGISTRY_TRANSPORT_TCP);
		assert_string_equal(r->source_uri,
		                    "https://www.broadband-forum.org/technical/download/TR-352.pdf");
		assert_int_equal(r->source, REGISTRY_SOURCE_IANA);
		assert_null(record_of(reg, "http", REGISTRY_TRANSPORT_TCP)->source_uri);
	}
}

static void
test_ref(void **state)
{
	g_autofree char *path = data_path("minimal.xml");
	Registry *reg = registry_load(path, NULL);
	const RegistryRecord *const *recs;

	assert_non_null(reg);
	assert_ptr_equal(registry_ref(reg), reg);
	registry_unref(reg);
	assert_int_equal(registry_lookup(reg, "http", &recs), 1);   /* still alive */
	registry_unref(reg);
	registry_unref(NULL);
}

static void
test_names(void **state)
{
	g_autofree char *local = NULL;
	g_autofree char *p = NULL;

	assert_null(registry_transport_name(REGISTRY_TRANSPORT_NONE));
	assert_string_equal(registry_transport_name(REGISTRY_TRANSPORT_TCP), "tcp");
	assert_string_equal(registry_transport_name(REGISTRY_TRANSPORT_UDP), "udp");
	assert_string_equal(registry_transport_name(REGISTRY_TRANSPORT_SCTP), "sctp");
	assert_string_equal(registry_transport_name(REGISTRY_TRANSPORT_DCCP), "dccp");
	assert_string_equal(registry_status_name(REGISTRY_STATUS_ACTIVE), "active");
	assert_string_equal(registry_status_name(REGISTRY_STATUS_HISTORIC), "historic");
	assert_string_equal(registry_status_name(REGISTRY_STATUS_NOT_FOR_DISCOVERY), "not-for-discovery");
	assert_string_equal(registry_source_name(REGISTRY_SOURCE_IANA), "iana");
	assert_string_equal(registry_source_name(REGISTRY_SOURCE_LOCAL), "local");

	local = registry_default_local_path();
	assert_string_equal(local, SYSCONFDIR "/dnssd-audit/local-services.xml");
	p = registry_default_path("/x/y.xml");
	assert_string_equal(p, "/x/y.xml");
	g_free(p);
	g_setenv("DNSSD_AUDIT_REGISTRY", "/from/env.xml", TRUE);
	p = registry_default_path(NULL);
	assert_string_equal(p, "/from/env.xml");
	g_free(p);
	g_unsetenv("DNSSD_AUDIT_REGISTRY");
	p = registry_default_path(NULL);
	if (g_file_test(LOCALSTATEDIR "/lib/dnssd-audit/service-names-port-numbers.xml", G_FILE_TEST_EXISTS))
		assert_string_equal(p, LOCALSTATEDIR "/lib/dnssd-audit/service-names-port-numbers.xml");
	else
		assert_string_equal(p, PKGDATADIR "/service-names-port-numbers.xml");
}

/* The validator looks names up for every advertisement: a lookup must
 * stay a hash probe (measured, loosely, so a scan would fail). */
static void
test_lookup_speed(void **state)
{
	g_autofree char *path = test_full_registry_path();
	g_autoptr(Registry) reg = NULL;
	const RegistryRecord *const *recs;
	static const char *const names[] = { "ipp", "HTTP", "airplay", "raop", "no-such-name", "Printer" };
	gint64 t0;
	guint hits = 0, expected = 0;
	double per_sec;

	/* 84 records would not tell a hash probe from a linear scan. */
	if (path == NULL)
		test_skip(TEST_NO_FULL_REGISTRY ": a speed measure on 12,752 records");
	reg = registry_load(path, NULL);
	assert_non_null(reg);
	t0 = g_get_monotonic_time();
	for (guint i = 0; i < 1000000; i++) {
		const char *n = names[i % G_N_ELEMENTS(names)];
		hits += registry_lookup_len(reg, n, strlen(n), &recs) > 0;
		expected += strcmp(n, "no-such-name") != 0;
	}
	per_sec = 1e6 / ((g_get_monotonic_time() - t0 + 1) / 1e6);
	print_message("# %.1f million lookups/s\n", per_sec / 1e6);
	assert_int_equal(hits, expected);
	/* 27 M/s natively, ~1 M/s under valgrind; a linear scan manages ~20 k/s. */
	assert_true(per_sec > 200000);
}

/* How much slower than native the test runs: valgrind (which preloads
 * its vgpreload_*.so into the program) costs ~50x.  Time bounds below
 * are against a return to O(n^2), scaled by this. */
static gint64
time_factor(void)
{
	const char *pre = g_getenv("LD_PRELOAD");

	return pre != NULL && strstr(pre, "vgpreload") != NULL ? 30 : 1;
}

/* A registry whose one record has a "Defined TXT keys" note of 60,000
 * keys, in each style the note reader knows: it loads in linear time
 * (the reader used to drop repeated keys by scanning the keys so far:
 * 18-27 s for this note). */
static void
test_huge_note(void **state)
{
	static const char *const styles[] = { "comma", "lines", "pairs", "family" };

	for (gsize st = 0; st < G_N_ELEMENTS(styles); st++) {
		g_autoptr(GString) xml = g_string_new(
			"<?xml version='1.0' encoding='UTF-8'?>\n"
			"<registry xmlns=\"http://www.iana.org/assignments\" id=\"huge\">\n"
			"<record><name>huge</name><protocol>tcp</protocol>\n"
			"<note>Defined TXT keys: ");
		g_autofree char *path = NULL;
		g_autoptr(GError) error = NULL;
		g_autoptr(Registry) reg = NULL;
		const RegistryRecord *r;
		gint64 t0, us;
		int fd;

		for (int i = 0; i < 60000; i++) {
			switch (st) {
			case 0: g_string_append_printf(xml, "%skey%d", i > 0 ? ", " : "", i); break;
			case 1: g_string_append_printf(xml, "key%d\n", i); break;
			case 2: g_string_append_printf(xml, "%skey%d=x", i > 0 ? " " : "", i); break;
			default: g_string_append_printf(xml, "c%d, ", i); break;
			}
		}
		if (st == 3)
			g_string_append(xml, "..., cn");
		/* and every key once more, in another case: dropped as repeats */
		if (st == 0)
			for (int i = 0; i < 60000; i++)
				g_string_append_printf(xml, ", KEY%d", i);
		g_string_append(xml, "</note></record>\n</registry>\n");
		fd = g_file_open_tmp("huge-XXXXXX.xml", &path, &error);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, xml->str, xml->len), (ssize_t) xml->len);
		close(fd);
		t0 = g_get_monotonic_time();
		reg = registry_load(path, &error);
		us = g_get_monotonic_time() - t0;
		g_unlink(path);
		if (reg == NULL)
			fail_msg("%s: %s", styles[st], error->message);
		print_message("# %s: %.1f ms\n", styles[st], us / 1000.0);
		assert_true(us < G_USEC_PER_SEC * time_factor());
		r = record_of(reg, "huge", REGISTRY_TRANSPORT_TCP);
		assert_int_equal(r->txt.kind, TXT_SPEC_KEYS);
		if (st == 3) {
			assert_int_equal(r->txt.n_keys, 1);
			assert_string_equal(r->txt.keys[0].key_display, "c<n>");
			assert_true(txt_spec_defines(&r->txt, "c123456", 7));
			continue;
		}
		assert_int_equal(r->txt.n_keys, 60000);
		assert_string_equal(r->txt.keys[59999].key, "key59999");
		assert_true(txt_spec_defines(&r->txt, "KEY31337", 8));
		assert_false(txt_spec_defines(&r->txt, "key60000", 8));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_current_release),
		cmocka_unit_test(test_2022_release),
		cmocka_unit_test(test_fixture_release),
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_local),
		cmocka_unit_test(test_local_collides),
		cmocka_unit_test(test_local_grows),
		cmocka_unit_test(test_catalogue),
		cmocka_unit_test(test_ref),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_lookup_speed),
		cmocka_unit_test(test_huge_note),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
