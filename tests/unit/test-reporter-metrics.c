/* test-reporter-metrics.c - the node exporter textfile: its format (HELP,
 * TYPE, escaping, one finding per service), the atomic replacement of the
 * file, when it is written (made-up clock) and the metrics-file= key. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <glib/gstdio.h>
#include "daemon/log.h"
#include "daemon/reporter-metrics.h"
#include "audit/service-table.h"
#include "audit/site-config.h"
#include "tests/unit/stderr-capture.h"

static gint64 fake_now;

static gint64
fake_clock(void)
{
	return fake_now;
}

typedef struct {
	ServiceTable *table;
	AuditdConfig *config;
	char *dir;                  /* a fresh temporary directory */
	char *path;                 /* dir/dnssd-audit.prom */
	guint n_state_calls;
	StderrCapture err;
} Fixture;

/* "A*": unregistered (warning), the same on every interface; "B*":
 * port-differs (info) and an accepted txt-key-duplicate; "N*": one
 * unregistered finding whose message names the entry (a benchmark's
 * many services). */
static void
judge(const ServiceEntry *e, FindingList *out, gpointer data)
{
	switch (e->name[0]) {
	case 'A':
		finding_list_add(out, FINDING_UNREGISTERED, SEVERITY_WARNING, g_strdup("not registered"));
		break;
	case 'B':
		finding_list_add(out, FINDING_PORT_DIFFERS, SEVERITY_INFO, g_strdup("port"));
		finding_list_add(out, FINDING_TXT_KEY_DUPLICATE, SEVERITY_WARNING, g_strdup("dup"));
		finding_list_get(out, out->len - 1)->accepted = TRUE;
		break;
	case 'N':
		finding_list_add(out, FINDING_UNREGISTERED, SEVERITY_WARNING,
		                 g_strdup_printf("service name of %s is not registered", e->name));
		break;
	}
}

static void
report(const ServiceEntry *e, const Finding *f, gpointer data)
{
}

static const ServiceTableCallbacks callbacks = { judge, report, NULL, NULL };

static void
fill_state(MetricsState *st, gpointer data)
{
	Fixture *fx = data;

	fx->n_state_calls++;
	st->table = fx->table;
	st->config = fx->config;
	st->avahi_up = TRUE;
	st->registry_updated = "2024-03-18";
	st->lines_suppressed = 7;
}

static void
add_service(Fixture *fx, const char *name, ObservedProtocol proto)
{
	g_autoptr(GPtrArray) txt = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	ObservedService s = {
		.ifindex = 2, .ifname = "eth0", .protocol = proto,
		.name = name, .type = "_foo._tcp", .domain = "local",
		.resolved = TRUE, .host = "h.local",
		.address = proto == OBSERVED_PROTO_IPV6 ? "fe80::1" : "192.0.2.1",
		.port = 631, .txt = txt,
	};

	service_table_update(fx->table, &s, NULL);
}

static int
setup(void **state)
{
	Fixture *fx = g_new0(Fixture, 1);

	stderr_capture_begin(&fx->err);
	log_open(LOG_TARGET_STDERR);
	fake_now = 1000 * G_USEC_PER_SEC;
	fx->table = service_table_new(100000, &callbacks, fx);
	fx->dir = g_dir_make_tmp("test-metrics-XXXXXX", NULL);
	assert_non_null(fx->dir);
	fx->path = g_build_filename(fx->dir, "dnssd-audit.prom", NULL);
	*state = fx;
	return 0;
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names in dir, sorted, joined by spaces. */
static char *
dir_listing(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const char *n;

	assert_non_null(d);
	while ((n = g_dir_read_name(d)) != NULL)
		g_ptr_array_add(names, g_strdup(n));
	g_ptr_array_sort(names, compare_names);
	g_ptr_array_add(names, NULL);
	return g_strjoinv(" ", (char **)names->pdata);
}

static void
remove_tree(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *n;

	if (d == NULL)
		return;
	while ((n = g_dir_read_name(d)) != NULL) {
		g_autofree char *p = g_build_filename(dir, n, NULL);

		if (g_file_test(p, G_FILE_TEST_IS_DIR))
			remove_tree(p);
		else
			g_unlink(p);
	}
	g_rmdir(dir);
}

static int
teardown(void **state)
{
	Fixture *fx = *state;

	service_table_free(fx->table);
	config_free(fx->config);
	remove_tree(fx->dir);
	g_free(fx->dir);
	g_free(fx->path);
	stderr_capture_end(&fx->err);
	log_close();
	g_free(fx);
	return 0;
}

/* Every sample's metric has "# HELP" and then "# TYPE" before it, each
 * once; no line is empty or ends in blanks. */
static void
assert_well_formed(const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	g_autoptr(GHashTable) help = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) type = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	guint n = g_strv_length(lines);

	assert_true(g_str_has_suffix(text, "\n"));
	for (guint i = 0; i + 1 < n; i++) {
		const char *l = lines[i];

		assert_true(l[0] != '\0');
		assert_false(g_str_has_suffix(l, " "));
		if (g_str_has_prefix(l, "# HELP ") || g_str_has_prefix(l, "# TYPE ")) {
			g_auto(GStrv) w = g_strsplit(l, " ", 4);

			assert_non_null(w[2]);
			assert_non_null(w[3]);
			if (l[2] == 'H')
				assert_true(g_hash_table_add(help, g_strdup(w[2])));
			else {
				assert_true(g_hash_table_contains(help, w[2]));
				assert_true(strcmp(w[3], "gauge") == 0 || strcmp(w[3], "counter") == 0);
				assert_true(g_hash_table_add(type, g_strdup(w[2])));
			}
		} else {
			g_autofree char *name = g_strndup(l, strcspn(l, "{ "));

			assert_false(l[0] == '#');
			assert_true(g_hash_table_contains(type, name));
		}
	}
}

/* The value of the sample whose line starts with "series ", or -1. */
static gint64
sample(const char *text, const char *series)
{
	g_autofree char *needle = g_strdup_printf("\n%s ", series);
	const char *p = strstr(text, needle);

	if (p == NULL)
		return -1;
	return g_ascii_strtoll(p + strlen(needle), NULL, 10);
}

static void
test_render(void **state)
{
	Fixture *fx = *state;
	MetricsState st = { 0 };
	g_autofree char *text = NULL;
	g_autofree char *version = NULL;
	guint n_series = 0;

	/* One service on two protocols, one on one; "a" is "A"'s service
	 * too (case-insensitive). */
	add_service(fx, "A", OBSERVED_PROTO_IPV4);
	add_service(fx, "A", OBSERVED_PROTO_IPV6);
	add_service(fx, "B", OBSERVED_PROTO_IPV4);
	fill_state(&st, fx);
	text = metrics_render(&st);
	assert_well_formed(text);

	assert_int_equal(sample(text, "dnssd_audit_services"), 3);
	assert_int_equal(sample(text, "dnssd_audit_services_distinct"), 2);
	/* One per finding per service, accepted ones apart. */
	assert_int_equal(sample(text, "dnssd_audit_findings{code=\"unregistered\",severity=\"warning\"}"), 1);
	assert_int_equal(sample(text, "dnssd_audit_findings{code=\"port-differs\",severity=\"info\"}"), 1);
	assert_int_equal(sample(text, "dnssd_audit_findings{code=\"txt-key-duplicate\",severity=\"warning\"}"), 0);
	assert_int_equal(sample(text, "dnssd_audit_findings_accepted"), 1);
	assert_int_equal(sample(text, "dnssd_audit_avahi_up"), 1);
	assert_int_equal(sample(text, "dnssd_audit_registry_updated_timestamp_seconds"), 1710720000);
	assert_int_equal(sample(text, "dnssd_audit_log_lines_suppressed_total"), 7);
	assert_int_equal(sample(text, "dnssd_audit_services_evicted_total"), 0);
	version = g_strdup_printf("dnssd_audit_build_info{version=\"%s\"}", PACKAGE_VERSION);
	assert_int_equal(sample(text, version), 1);
	assert_non_null(strstr(text, "# TYPE dnssd_audit_log_lines_suppressed_total counter\n"));
	assert_non_null(strstr(text, "# TYPE dnssd_audit_findings gauge\n"));

	/* A zero for every code at its severity, so no series goes missing. */
	for (const char *p = text; (p = strstr(p, "\ndnssd_audit_findings{")) != NULL; p++)
		n_series++;
	assert_int_equal(n_series, FINDING_N_CODES);
}

/* The site's severity moves a code's zero series; an ignored code has
 * none. */
static void
test_render_site_policy(void **state)
{
	Fixture *fx = *state;
	MetricsState st = { 0 };
	g_autofree char *text = NULL;

	fx->config = config_new_default();
	fx->config->ignore_codes[FINDING_PORT_DIFFERS] = TRUE;
	fx->config->severity_set[FINDING_UNREGISTERED_KNOWN] = TRUE;
	fx->config->severity[FINDING_UNREGISTERED_KNOWN] = SEVERITY_ERROR;
	fill_state(&st, fx);
	text = metrics_render(&st);
	assert_well_formed(text);
	assert_null(strstr(text, "code=\"port-differs\""));
	assert_int_equal(sample(text, "dnssd_audit_findings{code=\"unregistered-known\",severity=\"error\"}"), 0);
	assert_null(strstr(text, "code=\"unregistered-known\",severity=\"notice\""));
}

static void
test_render_no_registry_date(void **state)
{
	static const char *const bad[] = { NULL, "", "2024-3-18", "2024-13-01", "2024-02-30",
		                           "2024-03-18x", "+024-03-18" };
	Fixture *fx = *state;

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		MetricsState st = { 0 };
		g_autofree char *text = NULL;

		fill_state(&st, fx);
		st.registry_updated = bad[i];
		st.avahi_up = FALSE;
		text = metrics_render(&st);
		assert_well_formed(text);
		assert_int_equal(sample(text, "dnssd_audit_registry_updated_timestamp_seconds"), -1);
		assert_non_null(strstr(text, "# TYPE dnssd_audit_registry_updated_timestamp_seconds gauge\n"));
		assert_int_equal(sample(text, "dnssd_audit_avahi_up"), 0);
	}
}

static void
test_escape(void **state)
{
	g_autoptr(GString) out = g_string_new(NULL);

	metrics_escape_label_value(out, "a\\b\"c\nd\te}é");
	assert_string_equal(out->str, "a\\\\b\\\"c\\nd\te}é");
	g_string_truncate(out, 0);
	metrics_escape_label_value(out, "");
	assert_string_equal(out->str, "");
	g_string_truncate(out, 0);
	metrics_escape_label_value(out, "\\\"\n\\");
	assert_string_equal(out->str, "\\\\\\\"\\n\\\\");
}

/* A new file replaces the old one whole: a reader that opened the old one
 * still reads it complete; no temporary file stays; mode 0644 whatever
 * the umask. */
static void
test_atomic_write(void **state)
{
	Fixture *fx = *state;
	g_autoptr(GError) error = NULL;
	g_autofree char *content = NULL, *listing = NULL, *old = NULL;
	g_autoptr(GString) big = g_string_new(NULL);
	mode_t saved = umask(077);
	struct stat stb;
	FILE *reader;
	char buf[64] = { 0 };

	assert_true(metrics_write_file(fx->path, "first 1\n", &error));
	g_assert_no_error(error);
	assert_true(g_file_get_contents(fx->path, &content, NULL, NULL));
	assert_string_equal(content, "first 1\n");
	assert_int_equal(stat(fx->path, &stb), 0);
	assert_int_equal(stb.st_mode & 07777, 0644);

	reader = fopen(fx->path, "r");
	assert_non_null(reader);
	for (guint i = 0; i < 20000; i++)
		g_string_append_printf(big, "second %u\n", i);
	assert_true(metrics_write_file(fx->path, big->str, &error));
	assert_non_null(fgets(buf, sizeof buf, reader));
	assert_string_equal(buf, "first 1\n");
	assert_null(fgets(buf, sizeof buf, reader));
	fclose(reader);
	g_clear_pointer(&content, g_free);
	assert_true(g_file_get_contents(fx->path, &content, NULL, NULL));
	assert_string_equal(content, big->str);
	listing = dir_listing(fx->dir);
	assert_string_equal(listing, "dnssd-audit.prom");

	/* Failures: no directory; the name is a directory.  No temporary
	 * file is left behind. */
	old = g_build_filename(fx->dir, "missing", "x.prom", NULL);
	assert_false(metrics_write_file(old, "x 1\n", &error));
	assert_non_null(error);
	assert_non_null(strstr(error->message, "cannot create a temporary file in"));
	g_clear_error(&error);
	g_clear_pointer(&old, g_free);
	old = g_build_filename(fx->dir, "sub.prom", NULL);
	assert_int_equal(g_mkdir(old, 0755), 0);
	assert_false(metrics_write_file(old, "x 1\n", &error));
	assert_non_null(strstr(error->message, "cannot rename"));
	g_clear_pointer(&listing, g_free);
	listing = dir_listing(fx->dir);
	assert_string_equal(listing, "dnssd-audit.prom sub.prom");
	umask(saved);
}

/* The first write METRICS_SETTLE_US after start; changes then at most
 * every METRICS_INTERVAL_US, a burst being one write; the first change
 * after a quiet period METRICS_SETTLE_US after it. */
static void
test_rate_limit(void **state)
{
	Fixture *fx = *state;
	gint64 t0 = fake_now;
	MetricsReporter *mr = metrics_reporter_new(fx->path, fill_state, fx, fake_clock);

	assert_int_equal(metrics_reporter_due(mr), t0 + METRICS_SETTLE_US);
	assert_false(metrics_reporter_flush(mr));
	assert_false(g_file_test(fx->path, G_FILE_TEST_EXISTS));
	fake_now = t0 + METRICS_SETTLE_US;
	assert_true(metrics_reporter_flush(mr));
	assert_int_equal(metrics_reporter_n_writes(mr), 1);
	assert_int_equal(fx->n_state_calls, 1);
	assert_true(g_file_test(fx->path, G_FILE_TEST_IS_REGULAR));
	assert_int_equal(metrics_reporter_due(mr), -1);
	assert_false(metrics_reporter_flush(mr));

	/* A burst 1 s after the write: one write, 15 s after the last. */
	fake_now += G_USEC_PER_SEC;
	for (guint i = 0; i < 100; i++) {
		add_service(fx, "A", OBSERVED_PROTO_IPV4);
		metrics_reporter_changed(mr);
		fake_now += 10000;
	}
	assert_int_equal(metrics_reporter_due(mr), t0 + METRICS_SETTLE_US + METRICS_INTERVAL_US);
	fake_now = t0 + METRICS_INTERVAL_US;
	assert_false(metrics_reporter_flush(mr));
	fake_now = t0 + METRICS_SETTLE_US + METRICS_INTERVAL_US;
	assert_true(metrics_reporter_flush(mr));
	assert_int_equal(metrics_reporter_n_writes(mr), 2);
	assert_int_equal(fx->n_state_calls, 2);

	/* Quiet for a minute: the next change is written 1 s after it. */
	fake_now += 60 * G_USEC_PER_SEC;
	add_service(fx, "B", OBSERVED_PROTO_IPV4);
	metrics_reporter_changed(mr);
	assert_int_equal(metrics_reporter_due(mr), fake_now + METRICS_SETTLE_US);
	fake_now += METRICS_SETTLE_US;
	assert_true(metrics_reporter_flush(mr));
	assert_int_equal(metrics_reporter_n_writes(mr), 3);
	assert_int_equal(metrics_reporter_n_failures(mr), 0);

	/* A "change" that changes no metric: nothing written, and the next
	 * real change is not delayed by it. */
	fake_now += 60 * G_USEC_PER_SEC;
	add_service(fx, "B", OBSERVED_PROTO_IPV4);
	metrics_reporter_changed(mr);
	fake_now += METRICS_SETTLE_US;
	assert_true(metrics_reporter_flush(mr));
	assert_int_equal(metrics_reporter_n_writes(mr), 3);
	add_service(fx, "B", OBSERVED_PROTO_IPV6);
	metrics_reporter_changed(mr);
	assert_int_equal(metrics_reporter_due(mr), fake_now + METRICS_SETTLE_US);
	fake_now += METRICS_SETTLE_US;
	assert_true(metrics_reporter_flush(mr));
	assert_int_equal(metrics_reporter_n_writes(mr), 4);
	assert_int_equal(fx->n_state_calls, 5);

	/* Stopping removes the file. */
	metrics_reporter_free(mr);
	assert_false(g_file_test(fx->path, G_FILE_TEST_EXISTS));
}

static guint
count_lines(const char *text)
{
	guint n = 0;

	for (const char *p = text; (p = strchr(p, '\n')) != NULL; p++)
		n++;
	return n;
}

/* A failing write: one warning, again after an hour or when the error
 * changes; retried every METRICS_INTERVAL_US; one line when it works
 * again. */
static void
test_failure_warning(void **state)
{
	Fixture *fx = *state;
	g_autofree char *sub = g_build_filename(fx->dir, "later", NULL);
	g_autofree char *path = g_build_filename(sub, "m.prom", NULL);
	g_autofree char *out = NULL;
	MetricsReporter *mr = metrics_reporter_new(path, fill_state, fx, fake_clock);

	g_free(stderr_capture_take(&fx->err));
	fake_now += METRICS_SETTLE_US;
	assert_true(metrics_reporter_flush(mr));
	out = stderr_capture_take(&fx->err);
	assert_non_null(strstr(out, "metrics-file: cannot create a temporary file in"));
	assert_int_equal(count_lines(out), 1);
	/* Retried without a change, silently. */
	assert_int_equal(metrics_reporter_due(mr), fake_now + METRICS_INTERVAL_US);
	for (guint i = 0; i < 10; i++) {
		fake_now += METRICS_INTERVAL_US;
		assert_true(metrics_reporter_flush(mr));
	}
	g_clear_pointer(&out, g_free);
	out = stderr_capture_take(&fx->err);
	assert_string_equal(out, "");
	assert_int_equal(metrics_reporter_n_failures(mr), 11);
	/* An hour later: once more. */
	fake_now += METRICS_WARN_INTERVAL_US;
	assert_true(metrics_reporter_flush(mr));
	g_clear_pointer(&out, g_free);
	out = stderr_capture_take(&fx->err);
	assert_non_null(strstr(out, "at most hourly"));
	/* Another error: logged at once. */
	assert_int_equal(g_mkdir(sub, 0755), 0);
	assert_int_equal(g_mkdir(path, 0755), 0);
	fake_now += METRICS_INTERVAL_US;
	assert_true(metrics_reporter_flush(mr));
	g_clear_pointer(&out, g_free);
	out = stderr_capture_take(&fx->err);
	assert_non_null(strstr(out, "cannot rename a temporary file to"));
	/* Works again: one line, and no more retries. */
	assert_int_equal(g_rmdir(path), 0);
	fake_now += METRICS_INTERVAL_US;
	assert_true(metrics_reporter_flush(mr));
	g_clear_pointer(&out, g_free);
	out = stderr_capture_take(&fx->err);
	assert_non_null(strstr(out, "written again"));
	assert_true(g_file_test(path, G_FILE_TEST_IS_REGULAR));
	assert_int_equal(metrics_reporter_due(mr), -1);
	metrics_reporter_free(mr);
	assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
}

/* Reload naming another file: the old one goes, the new one is written
 * soon, whatever the interval. */
static void
test_set_path(void **state)
{
	Fixture *fx = *state;
	g_autofree char *other = g_build_filename(fx->dir, "other.prom", NULL);
	MetricsReporter *mr = metrics_reporter_new(fx->path, fill_state, fx, fake_clock);

	fake_now += METRICS_SETTLE_US;
	assert_true(metrics_reporter_flush(mr));
	/* The same path: a change like any other. */
	metrics_reporter_set_path(mr, fx->path);
	assert_int_equal(metrics_reporter_due(mr), fake_now + METRICS_INTERVAL_US);
	metrics_reporter_set_path(mr, other);
	assert_false(g_file_test(fx->path, G_FILE_TEST_EXISTS));
	assert_int_equal(metrics_reporter_due(mr), fake_now + METRICS_SETTLE_US);
	fake_now += METRICS_SETTLE_US;
	assert_true(metrics_reporter_flush(mr));
	assert_true(g_file_test(other, G_FILE_TEST_IS_REGULAR));
	metrics_reporter_free(mr);
	assert_false(g_file_test(other, G_FILE_TEST_EXISTS));
}

static AuditdConfig *
load_config(Fixture *fx, const char *text, GError **error)
{
	g_autofree char *conf = g_build_filename(fx->dir, "c.conf", NULL);
	g_autofree char *full = g_strdup_printf("[audit]\naccepted-findings=\n%s\n", text);

	assert_true(g_file_set_contents(conf, full, -1, NULL));
	return config_load_file(conf, TRUE, NULL, error);
}

static void
test_config_key(void **state)
{
	Fixture *fx = *state;
	static const char *const bad[] = { "metrics-file=relative.prom", "metrics-file=/var/lib/x/",
		                           "metrics-file=./x.prom" };
	g_autoptr(GError) error = NULL;
	g_autoptr(AuditdConfig) def = config_new_default();
	g_autoptr(AuditdConfig) cfg = NULL, none = NULL, longest = NULL;
	g_autofree char *long_key = NULL;
	g_autoptr(GString) long_path = g_string_new("metrics-file=/");

	assert_null(def->metrics_file);
	cfg = load_config(fx, "metrics-file=/var/lib/prometheus/node-exporter/dnssd-audit.prom",
	                  &error);
	g_assert_no_error(error);
	assert_string_equal(cfg->metrics_file, "/var/lib/prometheus/node-exporter/dnssd-audit.prom");
	none = load_config(fx, "metrics-file=", &error);
	g_assert_no_error(error);
	assert_null(none->metrics_file);
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		assert_null(load_config(fx, bad[i], &error));
		assert_non_null(strstr(error->message, "key 'metrics-file': expected an absolute file name"));
		g_clear_error(&error);
	}
	while (long_path->len < 4200)
		g_string_append(long_path, "aaaaaaaaa/");
	g_string_append(long_path, "x.prom");
	assert_null(load_config(fx, long_path->str, &error));
	g_clear_error(&error);
}

/* One write with 10,000 advertisements, each with its own finding: the
 * table is iterated at write time, so this is what every write costs. */
static void
test_speed_10000(void **state)
{
	Fixture *fx = *state;
	MetricsState st = { 0 };
	g_autoptr(GError) error = NULL;
	gint64 t0, t1;
	char name[32];

	for (guint i = 0; i < 10000; i++) {
		g_snprintf(name, sizeof name, "N%05u", i);
		add_service(fx, name, i % 2 ? OBSERVED_PROTO_IPV6 : OBSERVED_PROTO_IPV4);
	}
	fill_state(&st, fx);
	t0 = g_get_monotonic_time();
	for (guint i = 0; i < 10; i++) {
		g_autofree char *text = metrics_render(&st);

		assert_true(metrics_write_file(fx->path, text, &error));
		if (i == 0) {
			assert_int_equal(sample(text, "dnssd_audit_services"), 10000);
			assert_int_equal(sample(text, "dnssd_audit_findings{code=\"unregistered\",severity=\"warning\"}"),
			                 10000);
		}
	}
	t1 = g_get_monotonic_time();
	printf("# one write with 10000 advertisements: %.1f ms\n", (t1 - t0) / 10 / 1000.0);
	/* Generous (sanitizers, a loaded machine): the main loop must not
	 * stall for long. */
	assert_true((t1 - t0) / 10 < 500 * 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_render, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_site_policy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_no_registry_date, setup, teardown),
		cmocka_unit_test(test_escape),
		cmocka_unit_test_setup_teardown(test_atomic_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rate_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failure_warning, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_speed_10000, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
