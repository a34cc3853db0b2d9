/* test-validator.c - every code of FINDINGS.md: an advertisement that
 * triggers it and a near miss that does not, against the real IANA
 * registry (the full file, or without ../shared the records of it in
 * tests/registry-data/fixture-registry.xml). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "validator/validator.h"
#include "tests/unit/test-common.h"

static Registry *reg;

static int
group_setup(void **state)
{
	g_autofree char *path = test_registry_path();
	g_autoptr(GError) error = NULL;

	if (path == NULL) {
		fprintf(stderr, "# no registry: neither the full one nor the fixture\n");
		return -1;
	}
	reg = registry_load(path, &error);
	if (reg == NULL) {
		fprintf(stderr, "# cannot load %s: %s\n", path, error->message);
		return -1;
	}
	return 0;
}

static int
group_teardown(void **state)
{
	g_clear_pointer(&reg, registry_unref);
	return 0;
}

static int
need_registry(void **state)
{
	/* group_setup fails the group without a registry: never NULL here. */
	return reg != NULL ? 0 : -1;
}

/* A test advertisement: the strings are NUL-terminated unless a length
 * is given through the _len variants. */
typedef struct {
	Advertisement ad;
	AdBytes txt[2100];
} TestAd;

static void
ad_init(TestAd *t, const char *type)
{
	memset(t, 0, sizeof *t);
	t->ad.type = type;
	t->ad.port = -1;
	t->ad.txt = t->txt;
	t->ad.txt_known = TRUE;
}

static void
ad_txt_len(TestAd *t, const char *s, gsize len)
{
	t->txt[t->ad.n_txt].data = (const guint8 *)s;
	t->txt[t->ad.n_txt].len = len;
	t->ad.n_txt++;
}

static void
ad_txt(TestAd *t, const char *s)
{
	ad_txt_len(t, s, strlen(s));
}

static void
ad_instance_len(TestAd *t, const char *s, gsize len)
{
	t->ad.instance.data = (const guint8 *)s;
	t->ad.instance.len = len;
}

static FindingList *
run(const TestAd *t)
{
	FindingList *l = finding_list_new();
	guint n = validator_check(&t->ad, reg, NULL, l);

	assert_int_equal(n, l->len);
	for (guint i = 0; i < l->len; i++) {
		const Finding *f = finding_list_get(l, i);

		assert_non_null(f->message);
		assert_true(strlen(f->message) > 0);
		assert_int_equal(f->severity == finding_code_default_severity(f->code) ||
		                 f->code == FINDING_TXT_TOO_LARGE, TRUE);
	}
	return l;
}

/* The type alone, with an empty (known) TXT record. */
static FindingList *
run_type(const char *type)
{
	TestAd t;

	ad_init(&t, type);
	return run(&t);
}

/* The type with NULL-terminated TXT strings. */
static FindingList * G_GNUC_NULL_TERMINATED
run_txt(const char *type, ...)
{
	static TestAd t;
	va_list ap;
	const char *s;

	ad_init(&t, type);
	va_start(ap, type);
	while ((s = va_arg(ap, const char *)) != NULL)
		ad_txt(&t, s);
	va_end(ap);
	return run(&t);
}

static const Finding *
find(const FindingList *l, FindingCode code)
{
	for (guint i = 0; i < l->len; i++)
		if (finding_list_get(l, i)->code == code)
			return finding_list_get(l, i);
	return NULL;
}

static guint
count(const FindingList *l, FindingCode code)
{
	guint n = 0;

	for (guint i = 0; i < l->len; i++)
		n += finding_list_get(l, i)->code == code;
	return n;
}

static void
dump(const FindingList *l)
{
	for (guint i = 0; i < l->len; i++)
		fprintf(stderr, "#   %s: %s\n",
		        finding_code_name(finding_list_get(l, i)->code),
		        finding_list_get(l, i)->message);
}

/* Assert l has code (with its default severity unless noted) and, if
 * want is not NULL, that its message contains want. */
static void
has_code(FindingList *l, FindingCode code, const char *want)
{
	const Finding *f = find(l, code);

	if (f == NULL) {
		dump(l);
		fail_msg("expected %s", finding_code_name(code));
	}
	if (want != NULL && strstr(f->message, want) == NULL)
		fail_msg("%s: \"%s\" lacks \"%s\"", finding_code_name(code),
		         f->message, want);
	finding_list_free(l);
}

static void
lacks_code(FindingList *l, FindingCode code)
{
	if (find(l, code) != NULL) {
		dump(l);
		fail_msg("unexpected %s", finding_code_name(code));
	}
	finding_list_free(l);
}

static void
no_findings(FindingList *l)
{
	if (l->len != 0) {
		dump(l);
		fail_msg("expected no findings");
	}
	finding_list_free(l);
}

/* ---- type and service name ------------------------------------------- */

static void
test_split_type(void **state)
{
	const char *svc, *proto;
	gsize len;

	assert_true(validator_split_type("_http._tcp", &svc, &len, &proto));
	assert_int_equal(len, 4);
	assert_memory_equal(svc, "http", 4);
	assert_string_equal(proto, "tcp");
	assert_true(validator_split_type("_x._UDP", &svc, &len, &proto));
	assert_false(validator_split_type("_._tcp", &svc, &len, &proto));
	assert_false(validator_split_type("_a._sctp", &svc, &len, &proto));
	assert_false(validator_split_type("_a._b._tcp", &svc, &len, &proto));
	assert_false(validator_split_type("a._tcp", &svc, &len, &proto));
	assert_false(validator_split_type("_a.tcp", &svc, &len, &proto));
	assert_false(validator_split_type("_a._tcp.", &svc, &len, &proto));
	assert_false(validator_split_type("", &svc, &len, &proto));
	assert_false(validator_split_type(NULL, &svc, &len, &proto));
}

static void
test_type_malformed(void **state)
{
	static const char *const bad[] = {
		"_http", "http._tcp", "_http._sctp", "_._tcp", "_a._b._tcp",
		"", "_http._tcp.", "_http.tcp", "__tcp", "._tcp",
	};

	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		FindingList *l = run_type(bad[i]);

		/* only the type finding: no service-name or registry rule
		 * runs on a type that does not split */
		if (l->len != 1)
			dump(l);
		assert_int_equal(l->len, 1);
		has_code(l, FINDING_TYPE_MALFORMED, "is not of the form");
	}
	no_findings(run_type("_http._tcp"));
	no_findings(run_type("_http._TCP"));
	/* a malformed type still gets its instance and TXT judged */
	has_code(run_txt("_a_b._sctp", "=x", NULL), FINDING_TXT_KEY_EMPTY, NULL);
}

static void
test_service_name_too_long(void **state)
{
	has_code(run_type("_abcdefghijklmnop._tcp"), FINDING_SERVICE_NAME_TOO_LONG,
	         "is 16 characters");
	lacks_code(run_type("_abcdefghijklmno._tcp"), FINDING_SERVICE_NAME_TOO_LONG);
}

static void
test_service_name_charset(void **state)
{
	FindingList *l = run_type("_apt_proxy._tcp");

	/* registry rules run on a name with bad characters too */
	assert_non_null(find(l, FINDING_UNREGISTERED));
	has_code(l, FINDING_SERVICE_NAME_CHARSET, "'_'");
	has_code(run_type("_caf\xc3\xa9._tcp"), FINDING_SERVICE_NAME_CHARSET, "0xc3");
	lacks_code(run_type("_apt-proxy._tcp"), FINDING_SERVICE_NAME_CHARSET);
}

static void
test_service_name_no_letter(void **state)
{
	has_code(run_type("_1234._tcp"), FINDING_SERVICE_NAME_NO_LETTER, "\"1234\"");
	has_code(run_type("_1-2._udp"), FINDING_SERVICE_NAME_NO_LETTER, NULL);
	lacks_code(run_type("_1234a._tcp"), FINDING_SERVICE_NAME_NO_LETTER);
}

static void
test_service_name_hyphen(void **state)
{
	has_code(run_type("_-abc._tcp"), FINDING_SERVICE_NAME_HYPHEN, "begins or ends");
	has_code(run_type("_abc-._tcp"), FINDING_SERVICE_NAME_HYPHEN, "begins or ends");
	has_code(run_type("_a--b._tcp"), FINDING_SERVICE_NAME_HYPHEN, "adjacent");
	has_code(run_type("_-._tcp"), FINDING_SERVICE_NAME_HYPHEN, NULL);
	lacks_code(run_type("_a-b._tcp"), FINDING_SERVICE_NAME_HYPHEN);
}

static void
test_service_name_case(void **state)
{
	FindingList *l = run_type("_HTTP._tcp");

	assert_int_equal(l->len, 1);
	has_code(l, FINDING_SERVICE_NAME_CASE, "\"http\"");
	has_code(run_type("_cailic._tcp"), FINDING_SERVICE_NAME_CASE, "\"CAIlic\"");
	no_findings(run_type("_CAIlic._tcp"));
	no_findings(run_type("_http._tcp"));
}

/* ---- registry ---------------------------------------------------------- */

static void
test_unregistered(void **state)
{
	has_code(run_type("_notregisteredx._tcp"), FINDING_UNREGISTERED,
	         "\"notregisteredx\"");
	lacks_code(run_type("_ipp._tcp"), FINDING_UNREGISTERED);
	/* without a registry, no registry rule runs */
	{
		TestAd t;
		g_autoptr(FindingList) l = finding_list_new();

		ad_init(&t, "_notregisteredx._tcp");
		assert_int_equal(validator_check(&t.ad, NULL, NULL, l), 0);
	}
}

static void
test_local_registry(void **state)
{
	static const char xml[] =
		"<?xml version='1.0' encoding='UTF-8'?>\n"
		"<registry xmlns=\"http://www.iana.org/assignments\" id=\"local\">\n"
		"  <record><name>acme-widget</name><protocol>tcp</protocol>\n"
		"    <description>ACME widget</description><number>4711</number>\n"
		"    <note>Defined TXT keys: color</note></record>\n"
		"</registry>\n";
	g_autofree char *path = test_registry_path();
	g_autofree char *local = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(Registry) r2 = NULL;
	g_autoptr(FindingList) l = finding_list_new();
	TestAd t;
	int fd = g_file_open_tmp("local-XXXXXX.xml", &local, &error);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, xml, sizeof xml - 1), (ssize_t)sizeof xml - 1);
	close(fd);
	r2 = registry_load(path, &error);
	assert_non_null(r2);
	if (!registry_add_local(r2, local, NULL, &error))
		fail_msg("%s", error->message);
	g_unlink(local);

	ad_init(&t, "_acme-widget._tcp");
	t.ad.port = 4711;
	ad_txt(&t, "color=red");
	assert_int_equal(validator_check(&t.ad, r2, NULL, l), 0);
	/* the local record's TXT keys and port are used as well */
	ad_txt(&t, "size=2");
	t.ad.port = 1;
	validator_check(&t.ad, r2, NULL, l);
	assert_non_null(find(l, FINDING_TXT_KEY_UNDEFINED));
	assert_non_null(find(l, FINDING_PORT_DIFFERS));
	assert_null(find(l, FINDING_UNREGISTERED));
	/* and the IANA registry itself does not know it */
	has_code(run_type("_acme-widget._tcp"), FINDING_UNREGISTERED, NULL);
}

/* A local record never changes an IANA name: one that says _http._tcp
 * is historic, with other keys and another port, is ignored (with a
 * warning), and _http._tcp is judged as IANA says. */
static void
test_local_cannot_change_iana(void **state)
{
	static const char xml[] =
		"<?xml version='1.0' encoding='UTF-8'?>\n"
		"<registry xmlns=\"http://www.iana.org/assignments\" id=\"local\">\n"
		"  <record><name>http</name><protocol>tcp</protocol><number>8080</number>\n"
		"    <note>This entry is an alias to \"www\". Defined TXT keys: color</note></record>\n"
		"  <record><name>HTTP</name>\n"
		"    <note>This service name is no longer in use</note></record>\n"
		"  <record><name>Sleep-Proxy</name><protocol>tcp</protocol>\n"
		"    <note>This service name is no longer in use</note></record>\n"
		"</registry>\n";
	g_autofree char *path = test_registry_path();
	g_autofree char *local = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(Registry) r2 = NULL;
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(FindingList) l = finding_list_new();
	TestAd t;
	int fd = g_file_open_tmp("local-XXXXXX.xml", &local, &error);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, xml, sizeof xml - 1), (ssize_t)sizeof xml - 1);
	close(fd);
	r2 = registry_load(path, &error);
	assert_non_null(r2);
	if (!registry_add_local(r2, local, warnings, &error))
		fail_msg("%s", error->message);
	g_unlink(local);
	/* http/tcp and http without transport collide; sleep-proxy/tcp is a
	 * new transport for an IANA name (sleep-proxy has udp only) */
	assert_int_equal(warnings->len, 2);

	ad_init(&t, "_http._tcp");
	t.ad.port = 80;
	ad_txt(&t, "path=/");
	assert_int_equal(validator_check(&t.ad, r2, NULL, l), 0);
	ad_txt(&t, "color=red");
	validator_check(&t.ad, r2, NULL, l);
	assert_non_null(find(l, FINDING_TXT_KEY_UNDEFINED));
	assert_null(find(l, FINDING_HISTORIC_NAME));
	finding_list_clear(l);
	/* the sleep-proxy record adds _tcp (in IANA's spelling) but cannot
	 * make sleep-proxy historic */
	ad_init(&t, "_sleep-proxy._tcp");
	assert_int_equal(validator_check(&t.ad, r2, NULL, l), 0);
	ad_init(&t, "_sleep-proxy._udp");
	assert_int_equal(validator_check(&t.ad, r2, NULL, l), 0);
	/* without the local file _sleep-proxy._tcp is a transport mismatch */
	has_code(run_type("_sleep-proxy._tcp"), FINDING_TRANSPORT_MISMATCH, NULL);
}

static void
test_transport_mismatch(void **state)
{
	has_code(run_type("_syslog._tcp"), FINDING_TRANSPORT_MISMATCH,
	         "registered for udp only");
	has_code(run_type("_car._tcp"), FINDING_TRANSPORT_MISMATCH, "sctp");
	has_code(run_type("_shell._udp"), FINDING_TRANSPORT_MISMATCH, "tcp only");
	lacks_code(run_type("_syslog._udp"), FINDING_TRANSPORT_MISMATCH);
	/* _udp stands for sctp and dccp too */
	lacks_code(run_type("_car._udp"), FINDING_TRANSPORT_MISMATCH);
	lacks_code(run_type("_dccp-ping._udp"), FINDING_TRANSPORT_MISMATCH);
	lacks_code(run_type("_diameter._udp"), FINDING_TRANSPORT_MISMATCH);
	/* a record without transport accepts both */
	lacks_code(run_type("_odisk._tcp"), FINDING_TRANSPORT_MISMATCH);
	lacks_code(run_type("_odisk._udp"), FINDING_TRANSPORT_MISMATCH);
}

static void
test_historic_name(void **state)
{
	has_code(run_type("_whois++._tcp"), FINDING_HISTORIC_NAME,
	         "alias of \"whoispp\"; advertise _whoispp._tcp");
	has_code(run_type("_iad1._tcp"), FINDING_HISTORIC_NAME, "no longer in use");
	no_findings(run_type("_whoispp._tcp"));
}

static void
test_not_for_discovery(void **state)
{
	static const char *const bad[] = {
		"_www._tcp", "_www-http._tcp", "_example._tcp", "_example._udp",
		"_dns-sd._udp", "_services._udp",
	};

	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++)
		has_code(run_type(bad[i]), FINDING_NOT_FOR_DISCOVERY,
		         "must not be used for service discovery");
	has_code(run_type("_www._tcp"), FINDING_NOT_FOR_DISCOVERY, "\"http\"");
	no_findings(run_type("_device-info._tcp"));
	no_findings(run_type("_http._tcp"));
}

static FindingList *
run_port(const char *type, gint port)
{
	TestAd t;

	ad_init(&t, type);
	t.ad.port = port;
	return run(&t);
}

static void
test_port_differs(void **state)
{
	FindingList *l = run_port("_http._tcp", 8080);
	const Finding *f = find(l, FINDING_PORT_DIFFERS);

	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_INFO);
	has_code(l, FINDING_PORT_DIFFERS, "port 80/tcp");
	no_findings(run_port("_http._tcp", 80));
	no_findings(run_port("_http._tcp", -1));
	/* a range is not "exactly one port" */
	lacks_code(run_port("_x11._tcp", 6001), FINDING_PORT_DIFFERS);
	lacks_code(run_port("_x11._tcp", 7000), FINDING_PORT_DIFFERS);
	/* two ports for the name and transport */
	lacks_code(run_port("_compressnet._tcp", 9), FINDING_PORT_DIFFERS);
	/* no port assigned (DNS-SD-only registration) */
	lacks_code(run_port("_odisk._tcp", 1234), FINDING_PORT_DIFFERS);
	/* port 0: not offered on a port (Bonjour Printing's _printer._tcp
	 * placeholder), never port-differs */
	no_findings(run_port("_printer._tcp", 0));
	no_findings(run_port("_http._tcp", 0));
	has_code(run_port("_printer._tcp", 516), FINDING_PORT_DIFFERS, "port 515/tcp");
}

/* ---- subtypes and instance -------------------------------------------- */

static void
test_subtype_malformed(void **state)
{
	char long_sub[65];
	const char *subs[2];
	TestAd t;

	memset(long_sub, 'a', 64);
	long_sub[64] = '\0';
	ad_init(&t, "_http._tcp");
	t.ad.subtypes = subs;
	t.ad.n_subtypes = 1;
	subs[0] = "";
	has_code(run(&t), FINDING_SUBTYPE_MALFORMED, "empty");
	subs[0] = long_sub;
	has_code(run(&t), FINDING_SUBTYPE_MALFORMED, "64 bytes");
	long_sub[63] = '\0';
	subs[1] = "printer";
	t.ad.n_subtypes = 2;
	no_findings(run(&t));
}

static FindingList *
run_instance(const char *s, gsize len)
{
	TestAd t;

	ad_init(&t, "_http._tcp");
	ad_instance_len(&t, s, len);
	return run(&t);
}

#define INST(s) run_instance((s), sizeof(s) - 1)

static void
test_instance_too_long(void **state)
{
	char buf[64];

	memset(buf, 'x', sizeof buf);
	has_code(run_instance(buf, 64), FINDING_INSTANCE_TOO_LONG, "64 bytes");
	no_findings(run_instance(buf, 63));
	/* 21 three-byte characters: 63 bytes */
	{
		g_autoptr(GString) s = g_string_new(NULL);

		for (int i = 0; i < 21; i++)
			g_string_append(s, "\xe2\x82\xac");
		no_findings(run_instance(s->str, s->len));
		g_string_append_c(s, 'x');
		has_code(run_instance(s->str, s->len), FINDING_INSTANCE_TOO_LONG, NULL);
	}
}

static void
test_instance_not_utf8(void **state)
{
	has_code(INST("Printer \xff"), FINDING_INSTANCE_NOT_UTF8, "0xff at offset 8");
	has_code(INST("\xc3"), FINDING_INSTANCE_NOT_UTF8, NULL);
	has_code(INST("\xed\xa0\x80"), FINDING_INSTANCE_NOT_UTF8, NULL);
	no_findings(INST("Caf\xc3\xa9 \xe2\x80\x93 Drucker"));
	/* NUL is a control character, not a UTF-8 error */
	lacks_code(INST("a\0\xc3\xa9"), FINDING_INSTANCE_NOT_UTF8);
}

static void
test_instance_control_char(void **state)
{
	has_code(INST("a\nb"), FINDING_INSTANCE_CONTROL_CHAR, "0x0a at offset 1");
	has_code(INST("a\x7f"), FINDING_INSTANCE_CONTROL_CHAR, NULL);
	has_code(INST("a\0b\033"), FINDING_INSTANCE_CONTROL_CHAR, "2 control characters");
	has_code(INST("\x1f"), FINDING_INSTANCE_CONTROL_CHAR, NULL);
	no_findings(INST("a b (c) %n %s"));
	no_findings(INST(""));
	/* C1 controls U+0080-U+009F, decoded from UTF-8 (since 0.2) */
	has_code(INST("a\xc2\x80"), FINDING_INSTANCE_CONTROL_CHAR, "U+0080 at offset 1");
	has_code(INST("Printer\xc2\x9b" "31m"), FINDING_INSTANCE_CONTROL_CHAR, "U+009B");
	has_code(INST("\xc2\x9f"), FINDING_INSTANCE_CONTROL_CHAR, "1 control character (");
	has_code(INST("x\xc2\x85y\n"), FINDING_INSTANCE_CONTROL_CHAR,
	         "2 control characters (first: U+0085 at offset 1)");
	has_code(INST("x\ny\xc2\x85"), FINDING_INSTANCE_CONTROL_CHAR,
	         "2 control characters (first: byte 0x0a at offset 1)");
	/* a C1 control in valid UTF-8 is not a UTF-8 error */
	lacks_code(INST("a\xc2\x85"), FINDING_INSTANCE_NOT_UTF8);
	/* a raw byte 0x85 (Latin-1 NEL) is invalid UTF-8, not a control */
	{
		FindingList *l = INST("a\x85" "b");

		assert_null(find(l, FINDING_INSTANCE_CONTROL_CHAR));
		has_code(l, FINDING_INSTANCE_NOT_UTF8, "0x85 at offset 1");
	}
	/* near misses: U+007E, U+00A0 NO-BREAK SPACE, U+00C2 */
	no_findings(INST("a~b"));
	no_findings(INST("a\xc2\xa0" "b"));
	no_findings(INST("\xc3\x82\xc2\xa9"));
}

static void
test_instance_bidi_control(void **state)
{
	static const char *const bidi[] = {
		"\xe2\x80\xaa", "\xe2\x80\xab", "\xe2\x80\xac", "\xe2\x80\xad",
		"\xe2\x80\xae", "\xe2\x81\xa6", "\xe2\x81\xa7", "\xe2\x81\xa8",
		"\xe2\x81\xa9",
	};
	const Finding *f;
	FindingList *l;

	for (gsize i = 0; i < G_N_ELEMENTS(bidi); i++) {
		g_autofree char *name = g_strconcat("Printer ", bidi[i], "fdp.exe", NULL);

		l = run_instance(name, strlen(name));
		assert_int_equal(l->len, 1);
		f = find(l, FINDING_INSTANCE_BIDI_CONTROL);
		assert_non_null(f);
		assert_int_equal(f->severity, SEVERITY_WARNING);
		has_code(l, FINDING_INSTANCE_BIDI_CONTROL, "at offset 8");
	}
	has_code(INST("a\xe2\x80\xae" "b"), FINDING_INSTANCE_BIDI_CONTROL,
	         "1 bidirectional control character (first: U+202E at offset 1)");
	has_code(INST("\xe2\x81\xa6" "x\xe2\x81\xa9"), FINDING_INSTANCE_BIDI_CONTROL,
	         "2 bidirectional control characters (first: U+2066 at offset 0)");
	/* a bidi control and a C1 control: both findings */
	l = INST("\xe2\x80\xae\xc2\x9b");
	assert_non_null(find(l, FINDING_INSTANCE_CONTROL_CHAR));
	has_code(l, FINDING_INSTANCE_BIDI_CONTROL, NULL);
	/* near misses: U+2029, U+202F NARROW NO-BREAK SPACE, U+2065 (unassigned),
	 * U+206A, U+200F RIGHT-TO-LEFT MARK (not an embedding/override/isolate) */
	no_findings(INST("a\xe2\x80\xa9" "b"));
	no_findings(INST("a\xe2\x80\xaf" "b"));
	no_findings(INST("a\xe2\x81\xa5" "b"));
	lacks_code(INST("a\xe2\x81\xaa" "b"), FINDING_INSTANCE_BIDI_CONTROL);
	no_findings(INST("a\xe2\x80\x8f" "b"));
	/* cut short: E2 80 at the end is invalid UTF-8, nothing else */
	l = INST("a\xe2\x80");
	assert_null(find(l, FINDING_INSTANCE_BIDI_CONTROL));
	has_code(l, FINDING_INSTANCE_NOT_UTF8, NULL);
}

static void
test_instance_not_nfc(void **state)
{
	/* "Cafe" + COMBINING ACUTE ACCENT: NFC is "Caf\u00e9" */
	has_code(INST("Cafe\xcc\x81"), FINDING_INSTANCE_NOT_NFC, "\"Caf\xc3\xa9\"");
	/* ANGSTROM SIGN U+212B normalizes to U+00C5 */
	has_code(INST("\xe2\x84\xab"), FINDING_INSTANCE_NOT_NFC, NULL);
	no_findings(INST("Caf\xc3\xa9"));
	/* not valid UTF-8: the NFC rule does not run */
	lacks_code(INST("e\xcc\x81\xff"), FINDING_INSTANCE_NOT_NFC);
}

/* ---- TXT ---------------------------------------------------------------- */

static void
test_txt_key_empty(void **state)
{
	has_code(run_txt("_http._tcp", "path=/", "=oops", NULL),
	         FINDING_TXT_KEY_EMPTY, "TXT string 2 \"=oops\"");
	has_code(run_txt("_http._tcp", "=", NULL), FINDING_TXT_KEY_EMPTY, NULL);
	no_findings(run_txt("_http._tcp", "path=", NULL));
	/* avahi's empty TXT record: one empty string, no key */
	no_findings(run_txt("_http._tcp", "", NULL));
}

static void
test_txt_key_charset(void **state)
{
	has_code(run_txt("_http._tcp", "k\001=1", NULL), FINDING_TXT_KEY_CHARSET,
	         "byte 0x01");
	has_code(run_txt("_http._tcp", "k\xc3\xa9=1", NULL), FINDING_TXT_KEY_CHARSET,
	         "0xc3");
	has_code(run_txt("_http._tcp", "k\x7f", NULL), FINDING_TXT_KEY_CHARSET, NULL);
	/* space is printable ASCII; control bytes in the value are fine */
	lacks_code(run_txt("_http._tcp", "my key=1", "path=\001\xff", NULL),
	           FINDING_TXT_KEY_CHARSET);
	{
		TestAd t;

		ad_init(&t, "_http._tcp");
		ad_txt_len(&t, "a\0b=1", 5);
		has_code(run(&t), FINDING_TXT_KEY_CHARSET, "0x00");
		/* a C-string message shows the NUL as U+2400 */
		has_code(run(&t), FINDING_TXT_KEY_CHARSET, "\"a\xe2\x90\x80" "b\"");
	}
}

static void
test_txt_key_duplicate(void **state)
{
	FindingList *l = run_txt("_http._tcp", "path=/a", "u=x", "PATH=/b",
	                         "Path=/c", NULL);

	assert_int_equal(count(l, FINDING_TXT_KEY_DUPLICATE), 1);
	has_code(l, FINDING_TXT_KEY_DUPLICATE, "clients use the first, \"path=/a\"");
	has_code(run_txt("_http._tcp", "u", "u=1", NULL), FINDING_TXT_KEY_DUPLICATE,
	         "without value");
	no_findings(run_txt("_http._tcp", "path=/a", "p=/b", "u=x", NULL));
	lacks_code(run_txt("_x-unknown._tcp", "key=1", "keys=1", "ke=1", NULL),
	           FINDING_TXT_KEY_DUPLICATE);
}

static void
test_txt_key_too_long(void **state)
{
	has_code(run_txt("_x-unknown._tcp", "abcdefghij=1", NULL),
	         FINDING_TXT_KEY_TOO_LONG, "10 characters");
	lacks_code(run_txt("_x-unknown._tcp", "abcdefghi=1234567890123", NULL),
	           FINDING_TXT_KEY_TOO_LONG);
}

static void
test_txt_too_large(void **state)
{
	static char big[256];
	TestAd t;
	FindingList *l;
	const Finding *f;

	memset(big, 'v', sizeof big);
	memcpy(big, "a=", 2);
	/* 4 x (1 + 99) = 400: exactly the limit, no finding */
	ad_init(&t, "_x-unknown._udp");
	for (int i = 0; i < 4; i++) {
		char *s = g_strdup_printf("k%d=%096d", i, 0);

		assert_int_equal(strlen(s), 99);
		ad_txt(&t, s);
	}
	lacks_code(run(&t), FINDING_TXT_TOO_LARGE);
	ad_txt(&t, "z");
	l = run(&t);
	f = find(l, FINDING_TXT_TOO_LARGE);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_NOTICE);
	has_code(l, FINDING_TXT_TOO_LARGE, "402 bytes");
	for (int i = 0; i < 4; i++)
		g_free((char *)t.txt[i].data);

	/* 6 x (1 + 255) = 1536 bytes: warning */
	ad_init(&t, "_x-unknown._udp");
	for (int i = 0; i < 6; i++)
		ad_txt_len(&t, big, 255);
	l = run(&t);
	f = find(l, FINDING_TXT_TOO_LARGE);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_WARNING);
	has_code(l, FINDING_TXT_TOO_LARGE, "1536 bytes");
}

static void
test_txtvers(void **state)
{
	has_code(run_txt("_http._tcp", "path=/", "txtvers=1", NULL),
	         FINDING_TXTVERS_NOT_FIRST, "TXT string 2");
	lacks_code(run_txt("_http._tcp", "txtvers=1", "path=/", NULL),
	           FINDING_TXTVERS_NOT_FIRST);
	has_code(run_txt("_http._tcp", "txtvers=x1", NULL),
	         FINDING_TXTVERS_NOT_NUMERIC, "\"x1\"");
	has_code(run_txt("_http._tcp", "TXTVERS=", NULL), FINDING_TXTVERS_NOT_NUMERIC, NULL);
	has_code(run_txt("_http._tcp", "txtvers=-1", NULL), FINDING_TXTVERS_NOT_NUMERIC, NULL);
	no_findings(run_txt("_http._tcp", "txtvers=12", NULL));
	no_findings(run_txt("_http._tcp", "txtvers", NULL));
}

static void
test_txt_key_undefined(void **state)
{
	FindingList *l = run_txt("_odisk._tcp", "sys=x", "dk0=a", "foo=1", "bar",
	                         "foo=2", NULL);

	/* once per offending key */
	assert_int_equal(count(l, FINDING_TXT_KEY_UNDEFINED), 2);
	has_code(l, FINDING_TXT_KEY_UNDEFINED, "\"foo\"");
	/* dkX family, case-insensitive, both transports (no-transport record) */
	no_findings(run_txt("_odisk._tcp", "dk0=1", "DK12=2", "SYS=a", NULL));
	no_findings(run_txt("_odisk._udp", "dk7=1", NULL));
	l = run_txt("_daap._tcp", "txtvers=1", "Machine ID=1", "Password=0",
	            "Database ID=2", NULL);
	/* defined keys with spaces; only the 9-character advice applies */
	assert_int_equal(count(l, FINDING_TXT_KEY_TOO_LONG), 2);
	assert_int_equal(l->len, 2);
	finding_list_free(l);
	lacks_code(run_txt("_daap._tcp", "Machine ID=1", NULL), FINDING_TXT_KEY_UNDEFINED);
	has_code(run_txt("_daap._tcp", "machine=1", NULL), FINDING_TXT_KEY_UNDEFINED, NULL);
	/* txtvers is always allowed */
	no_findings(run_txt("_http._tcp", "txtvers=1", "path=/", "u=a", "p=b", NULL));
	/* unspecified ("Will be described at ...") and absent notes: no check */
	lacks_code(run_txt("_exb._tcp", "zz=1", NULL), FINDING_TXT_KEY_UNDEFINED);
	lacks_code(run_txt("_ipp-unknownish._tcp", "zz=1", NULL), FINDING_TXT_KEY_UNDEFINED);
	/* unregistered and transport-mismatch: no records for the transport */
	lacks_code(run_txt("_daap._sctp", "zz=1", NULL), FINDING_TXT_KEY_UNDEFINED);
}

static void
test_txt_keys_unexpected(void **state)
{
	FindingList *l = run_txt("_sleep-proxy._udp", "txtvers=1", "a=1", "b", "a=2",
	                         NULL);

	assert_int_equal(count(l, FINDING_TXT_KEYS_UNEXPECTED), 1);
	has_code(l, FINDING_TXT_KEYS_UNEXPECTED, "2 are advertised: \"a\", \"b\"");
	no_findings(run_txt("_sleep-proxy._udp", "txtvers=1", NULL));
	no_findings(run_txt("_sleep-proxy._udp", "", NULL));
	no_findings(run_txt("_sleep-proxy._udp", NULL));
	lacks_code(run_txt("_svn._tcp", "=x", NULL), FINDING_TXT_KEYS_UNEXPECTED);
	has_code(run_txt("_svn._tcp", "x=1", NULL), FINDING_TXT_KEYS_UNEXPECTED, NULL);
	/* the count and the keys named agree: distinct keys (case-insensitive),
	 * never txtvers (wherever it stands, however spelled), never a key
	 * that is not printable ASCII */
	l = run_txt("_sleep-proxy._udp", "a=1", "txtvers=1", "B", "a=2", "TXTVERS=2", "k\001=1",
	            "c", "b=1", "d", "e", "f", NULL);
	assert_int_equal(count(l, FINDING_TXT_KEYS_UNEXPECTED), 1);
	has_code(l, FINDING_TXT_KEYS_UNEXPECTED,
	         "but 6 are advertised: \"a\", \"B\", \"c\", \"d\", \"e\", ...");
	l = run_txt("_sleep-proxy._udp", "txtvers=1", "a", "b", "c", "d", "A", "e", NULL);
	has_code(l, FINDING_TXT_KEYS_UNEXPECTED, "5 are advertised: \"a\", \"b\", \"c\", \"d\", \"e\"");
	l = run_txt("_sleep-proxy._udp", "a", "b", "c", "d", "e", NULL);
	assert_null(strstr(find(l, FINDING_TXT_KEYS_UNEXPECTED)->message, "..."));
	finding_list_free(l);
	has_code(run_txt("_sleep-proxy._udp", "x=1", "txtvers=1", NULL), FINDING_TXT_KEYS_UNEXPECTED,
	         "but 1 is advertised: \"x\"");
	/* only non-ASCII keys: no key counts, no finding */
	lacks_code(run_txt("_sleep-proxy._udp", "k\xc3\xa9=1", NULL), FINDING_TXT_KEYS_UNEXPECTED);
}

/* mqtt's note "topics=<...>, eg topic=/info" defines the one key topics:
 * the example is not a key. */
static void
test_txt_key_example_not_key(void **state)
{
	no_findings(run_txt("_mqtt._tcp", "topics=/info", NULL));
	has_code(run_txt("_mqtt._tcp", "topic=/info", NULL), FINDING_TXT_KEY_UNDEFINED,
	         "\"topic\"");
	has_code(run_txt("_mqtt._tcp", "eg topic=/info", NULL), FINDING_TXT_KEY_UNDEFINED, NULL);
}

static void
test_txt_unknown_skips_txt_rules(void **state)
{
	TestAd t;

	ad_init(&t, "_sleep-proxy._udp");
	ad_txt(&t, "=bad");
	ad_txt(&t, "x=1");
	t.ad.txt_known = FALSE;
	no_findings(run(&t));
}

static void
test_resolve_failed(void **state)
{
	TestAd t;

	ad_init(&t, "_http._tcp");
	t.ad.resolve_failed = TRUE;
	has_code(run(&t), FINDING_RESOLVE_FAILED, "could not be resolved");
	t.ad.resolve_failed = FALSE;
	no_findings(run(&t));
}

/* ---- order and hostile input ------------------------------------------- */

static void
test_stable_order(void **state)
{
	static const char *const subs[] = { "" };
	TestAd t;
	FindingList *l;
	static const FindingCode want[] = {
		FINDING_SERVICE_NAME_CHARSET, FINDING_UNREGISTERED,
		FINDING_SUBTYPE_MALFORMED, FINDING_INSTANCE_CONTROL_CHAR,
		FINDING_TXT_KEY_EMPTY, FINDING_RESOLVE_FAILED,
	};

	ad_init(&t, "_a_b._tcp");
	t.ad.subtypes = subs;
	t.ad.n_subtypes = 1;
	ad_instance_len(&t, "\n", 1);
	ad_txt(&t, "=x");
	t.ad.resolve_failed = TRUE;
	l = run(&t);
	assert_int_equal(l->len, G_N_ELEMENTS(want));
	for (guint i = 0; i < l->len; i++)
		assert_int_equal(finding_list_get(l, i)->code, want[i]);
	finding_list_free(l);
}

static void
test_hostile(void **state)
{
	static char big[256];
	g_autoptr(GString) type = g_string_new("_");
	TestAd *t = g_new0(TestAd, 1);
	FindingList *l;

	/* a 300-character type */
	for (int i = 0; i < 295; i++)
		g_string_append_c(type, 'a' + i % 26);
	g_string_append(type, "._tcp");
	has_code(run_type(type->str), FINDING_SERVICE_NAME_TOO_LONG, "295 characters");
	/* %n in names: text, never a format */
	has_code(run_type("_%n%s%x._tcp"), FINDING_SERVICE_NAME_CHARSET, "%n%s%x");
	has_code(INST("%n%s\n"), FINDING_INSTANCE_CONTROL_CHAR, NULL);
	/* 2,000 TXT strings of 255 bytes, all the same key */
	memset(big, 'k', sizeof big);
	ad_init(t, "_http._tcp");
	for (int i = 0; i < 2000; i++)
		ad_txt_len(t, big, 255);
	l = run(t);
	assert_int_equal(count(l, FINDING_TXT_KEY_DUPLICATE), 1);
	assert_int_equal(count(l, FINDING_TXT_KEY_TOO_LONG), 1);
	has_code(l, FINDING_TXT_TOO_LARGE, "512000 bytes");
	/* 2,000 distinct keys with invalid UTF-8 and NULs */
	ad_init(t, "_odisk._tcp");
	for (int i = 0; i < 2000; i++) {
		char *s = g_strdup_printf("%c%c\xff%c=", 'a' + i % 26,
		                          'a' + i / 26 % 26, 'a' + i / 676);
		ad_txt_len(t, s, 6);
	}
	l = run(t);
	assert_int_equal(count(l, FINDING_TXT_KEY_CHARSET), 2000);
	for (int i = 0; i < 2000; i++)
		g_free((char *)t->txt[i].data);
	finding_list_free(l);
	g_free(t);
}

/* A heap advertisement of n TXT strings "<prefix><i % mod>" (or i when
 * mod is 0) with suffix after the number, timed: validator_check() must stay linear in the
 * number of strings.  The bound is generous (the work is ~1 ms; the
 * quadratic scan it replaced took minutes for 50,000): it catches a
 * return to O(n^2), not a slow machine. */
/* How much slower than native the test runs: valgrind (which preloads
 * its vgpreload_*.so into the program) costs ~50x. */
static gint64
time_factor(void)
{
	const char *pre = g_getenv("LD_PRELOAD");

	return pre != NULL && strstr(pre, "vgpreload") != NULL ? 30 : 1;
}

static gint64
run_many(const char *type, const char *prefix, const char *suffix, guint mod, guint n,
         FindingList *l)
{
	AdBytes *txt = g_new0(AdBytes, n);
	Advertisement ad = { .type = type, .port = -1, .txt = txt, .n_txt = n,
	                     .txt_known = TRUE };
	gint64 t0, t1;

	for (guint i = 0; i < n; i++) {
		char *s = g_strdup_printf("%s%u%s", prefix, mod > 0 ? i % mod : i, suffix);

		txt[i].data = (const guint8 *)s;
		txt[i].len = strlen(s);
	}
	t0 = g_get_monotonic_time();
	validator_check(&ad, reg, NULL, l);
	t1 = g_get_monotonic_time();
	for (guint i = 0; i < n; i++)
		g_free((char *)txt[i].data);
	g_free(txt);
	return t1 - t0;
}

static void
test_txt_linear(void **state)
{
	g_autoptr(FindingList) l = finding_list_new();
	gint64 us;
	const Finding *f;

	/* 50,000 strings of one key: one txt-key-duplicate naming the first */
	us = run_many("_http._tcp", "A=", "", 1, 50000, l);
	assert_true(us < G_USEC_PER_SEC * time_factor());
	assert_int_equal(count(l, FINDING_TXT_KEY_DUPLICATE), 1);
	f = find(l, FINDING_TXT_KEY_DUPLICATE);
	assert_non_null(strstr(f->message, "(strings 1 and 2); clients use the first, \"A=0\""));
	finding_list_clear(l);
	/* 50,000 distinct keys, each undefined for _http._tcp */
	us = run_many("_http._tcp", "k", "=v", 0, 50000, l);
	assert_true(us < G_USEC_PER_SEC * time_factor());
	assert_int_equal(count(l, FINDING_TXT_KEY_UNDEFINED), 50000);
	assert_int_equal(count(l, FINDING_TXT_KEY_DUPLICATE), 0);
	finding_list_clear(l);
	/* 50,000 keys of a family (odisk's dkX), 1,000 distinct: defined,
	 * and one duplicate finding per repeated key */
	us = run_many("_odisk._tcp", "DK", "=1", 1000, 50000, l);
	assert_true(us < G_USEC_PER_SEC * time_factor());
	assert_int_equal(count(l, FINDING_TXT_KEY_UNDEFINED), 0);
	assert_int_equal(count(l, FINDING_TXT_KEY_DUPLICATE), 1000);
	finding_list_clear(l);
	/* the stack table and the allocated one agree at the boundary */
	for (guint n = 30; n <= 34; n++) {
		run_many("_http._tcp", "k", "", n / 2, n, l);
		assert_int_equal(count(l, FINDING_TXT_KEY_DUPLICATE), n / 2);
		finding_list_clear(l);
	}
}

/* The catalogue never makes a name registered: an unregistered name it
 * lists is unregistered-known (a notice naming what it is and its
 * source); its TXT keys replace a registry note that contradicts real
 * implementations, and the messages say where the keys came from. */
static void
test_catalogue(void **state)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(Registry) cat = registry_load_catalogue(REGISTRY_TEST_DATA
	                                                  "/catalogue-validator.xml", &error);
	g_autoptr(FindingList) l = finding_list_new();
	const Finding *f;
	TestAd t;

	assert_non_null(cat);
	ad_init(&t, "_companion-link._tcp");
	ad_txt(&t, "rpBA=12:34");
	ad_txt(&t, "rpfoo=1");
	validator_check(&t.ad, reg, cat, l);
	assert_null(find(l, FINDING_UNREGISTERED));
	f = find(l, FINDING_UNREGISTERED_KNOWN);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_NOTICE);
	assert_non_null(strstr(f->message, "Apple Companion Link"));
	assert_non_null(strstr(f->message, "source: https://pyatv.dev/"));
	assert_int_equal(count(l, FINDING_TXT_KEY_UNDEFINED), 1);
	f = find(l, FINDING_TXT_KEY_UNDEFINED);
	assert_non_null(strstr(f->message, "\"rpfoo\""));
	assert_non_null(strstr(f->message, "catalogue"));
	finding_list_clear(l);

	/* near miss: a made-up name stays unregistered (warning) */
	ad_init(&t, "_companion-lnk._tcp");
	validator_check(&t.ad, reg, cat, l);
	assert_non_null(find(l, FINDING_UNREGISTERED));
	assert_null(find(l, FINDING_UNREGISTERED_KNOWN));
	finding_list_clear(l);

	/* other transport: still known, but no key list for it */
	ad_init(&t, "_companion-link._udp");
	ad_txt(&t, "anything=1");
	validator_check(&t.ad, reg, cat, l);
	assert_non_null(find(l, FINDING_UNREGISTERED_KNOWN));
	assert_null(find(l, FINDING_TXT_KEY_UNDEFINED));
	finding_list_clear(l);

	/* no key list at all: no TXT-key findings */
	ad_init(&t, "_sonos._tcp");
	ad_txt(&t, "info=/api/v1/players/RINCON/info");
	validator_check(&t.ad, reg, cat, l);
	assert_non_null(find(l, FINDING_UNREGISTERED_KNOWN));
	assert_null(find(l, FINDING_TXT_KEY_UNDEFINED));
	assert_null(find(l, FINDING_TXT_KEYS_UNEXPECTED));
	finding_list_clear(l);

	/* raop: IANA's note says None; the catalogue's keys are used */
	ad_init(&t, "_raop._tcp");
	ad_txt(&t, "txtvers=1");
	ad_txt(&t, "ch=2");
	ad_txt(&t, "cn=0,1");
	validator_check(&t.ad, reg, cat, l);
	assert_int_equal(l->len, 0);
	ad_txt(&t, "zz=1");
	validator_check(&t.ad, reg, cat, l);
	assert_int_equal(count(l, FINDING_TXT_KEY_UNDEFINED), 1);
	finding_list_clear(l);
	/* ...and without the catalogue, IANA's note: every key unexpected */
	validator_check(&t.ad, reg, NULL, l);
	f = find(l, FINDING_TXT_KEYS_UNEXPECTED);
	assert_non_null(f);
	assert_non_null(strstr(f->message, "the registry says"));
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup(f, need_registry)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_type),
		T(test_type_malformed),
		T(test_service_name_too_long),
		T(test_service_name_charset),
		T(test_service_name_no_letter),
		T(test_service_name_hyphen),
		T(test_service_name_case),
		T(test_unregistered),
		T(test_local_registry),
		T(test_local_cannot_change_iana),
		T(test_transport_mismatch),
		T(test_historic_name),
		T(test_not_for_discovery),
		T(test_port_differs),
		T(test_subtype_malformed),
		T(test_instance_too_long),
		T(test_instance_not_utf8),
		T(test_instance_control_char),
		T(test_instance_bidi_control),
		T(test_instance_not_nfc),
		T(test_txt_key_empty),
		T(test_txt_key_charset),
		T(test_txt_key_duplicate),
		T(test_txt_key_too_long),
		T(test_txt_too_large),
		T(test_txtvers),
		T(test_txt_key_undefined),
		T(test_txt_keys_unexpected),
		T(test_txt_key_example_not_key),
		T(test_txt_unknown_skips_txt_rules),
		T(test_resolve_failed),
		T(test_stable_order),
		T(test_hostile),
		T(test_txt_linear),
		T(test_catalogue),
	};
#undef T

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
