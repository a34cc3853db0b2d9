/* reporter-metrics.c - the node exporter textfile (see reporter-metrics.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "daemon/log.h"
#include "daemon/reporter-metrics.h"

#define N_SEVERITIES (SEVERITY_ERROR + 1)

struct _MetricsReporter {
	char *path;
	MetricsStateFunc state;
	gpointer user_data;
	MetricsClock clock;
	gint64 due_us;              /* scheduled write, -1: none */
	gint64 last_write_us;       /* -1: never (at this path) */
	guint timer_id;
	gboolean written;           /* path holds a file we wrote */
	char *written_text;         /* ... with this text; NULL: write anyway */
	guint n_writes, n_failures;
	/* The last failure's message and when it was logged: the same error
	 * is logged again only after METRICS_WARN_INTERVAL_US. */
	char *last_error;
	gint64 last_warn_us;
};

/* --- rendering ------------------------------------------------------- */

void
metrics_escape_label_value(GString *out, const char *value)
{
	for (const char *p = value; *p != '\0'; p++) {
		switch (*p) {
		case '\\':
			g_string_append(out, "\\\\");
			break;
		case '"':
			g_string_append(out, "\\\"");
			break;
		case '\n':
			g_string_append(out, "\\n");
			break;
		default:
			g_string_append_c(out, *p);
		}
	}
}

/* "# HELP" and "# TYPE" of one metric.  help is ours: no '\' or newline
 * to escape. */
static void
metric_header(GString *out, const char *name, const char *type, const char *help)
{
	g_string_append_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
metric_u64(GString *out, const char *name, const char *type, const char *help, guint64 v)
{
	metric_header(out, name, type, help);
	g_string_append_printf(out, "%s %" G_GUINT64_FORMAT "\n", name, v);
}

/* What render needs from the table, counted in one pass. */
typedef struct {
	guint n_entries;
	GHashTable *services;       /* service key -> NULL: distinct services */
	GHashTable *findings;       /* (service, code, severity, message) seen */
	guint count[FINDING_N_CODES][N_SEVERITIES];
	guint n_accepted;
} MetricsCounts;

/* The service table's identity of a service (instance, type, domain,
 * case-insensitively), length-prefixed so no byte of a name can make two
 * services one. */
static char *
metrics_service_key(const ServiceEntry *e)
{
	g_autofree char *n = g_ascii_strdown(e->name != NULL ? e->name : "", -1);
	g_autofree char *t = g_ascii_strdown(e->type != NULL ? e->type : "", -1);
	g_autofree char *d = g_ascii_strdown(e->domain != NULL ? e->domain : "", -1);

	return g_strdup_printf("%zu:%s%zu:%s%zu:%s", strlen(n), n, strlen(t), t, strlen(d), d);
}

/* One per finding per service, as the table reports them: a finding
 * (code, severity, message) that several entries of a service carry is
 * one. */
static void
count_entry(const ServiceEntry *e, gpointer data)
{
	MetricsCounts *c = data;
	char *key = metrics_service_key(e);

	c->n_entries++;
	for (guint i = 0; i < e->findings->len; i++) {
		const Finding *f = finding_list_get(e->findings, i);
		char *fkey;

		if ((guint)f->code >= FINDING_N_CODES || (guint)f->severity >= N_SEVERITIES)
			continue;
		fkey = g_strdup_printf("%s%d:%d:%s", key, f->code, f->severity,
		                       f->message != NULL ? f->message : "");
		if (!g_hash_table_add(c->findings, fkey))
			continue;
		if (f->accepted)
			c->n_accepted++;
		else
			c->count[f->code][f->severity]++;
	}
	g_hash_table_add(c->services, key);
}

/* dnssd_audit_findings: every (code, severity) that has findings, and a
 * 0 for every reported code at its site severity, so that a series does
 * not vanish ("no data") when its last finding goes. */
static void
render_findings(GString *out, const MetricsCounts *c, const AuditdConfig *cfg)
{
	metric_header(out, "dnssd_audit_findings", "gauge",
	              "Current findings by code and (site) severity, one per finding "
	              "per service (instance, type, domain) whatever interfaces and "
	              "protocols carry it; accepted findings are not counted.");
	for (guint code = 0; code < FINDING_N_CODES; code++) {
		Severity def = finding_code_default_severity((FindingCode)code);
		gboolean zero = TRUE;

		if (cfg != NULL) {
			def = config_severity(cfg, (FindingCode)code, def);
			zero = config_finding_wanted(cfg, (FindingCode)code, def);
		}
		for (guint s = 0; s < N_SEVERITIES; s++) {
			if (c->count[code][s] == 0 && !(zero && s == (guint)def))
				continue;
			g_string_append(out, "dnssd_audit_findings{code=\"");
			metrics_escape_label_value(out, finding_code_name((FindingCode)code));
			g_string_append(out, "\",severity=\"");
			metrics_escape_label_value(out, severity_name((Severity)s));
			g_string_append_printf(out, "\"} %u\n", c->count[code][s]);
		}
	}
}

/* "YYYY-MM-DD" as Unix time (UTC midnight); FALSE if it is not one. */
static gboolean
parse_date(const char *s, gint64 *out)
{
	g_autoptr(GDateTime) dt = NULL;
	guint64 y, m, d;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return FALSE;
	for (guint i = 0; i < 10; i++) {
		if (i != 4 && i != 7 && !g_ascii_isdigit(s[i]))
			return FALSE;
	}
	y = g_ascii_strtoull(s, NULL, 10);
	m = g_ascii_strtoull(s + 5, NULL, 10);
	d = g_ascii_strtoull(s + 8, NULL, 10);
	dt = g_date_time_new_utc((gint)y, (gint)m, (gint)d, 0, 0, 0);
	if (dt == NULL)
		return FALSE;
	*out = g_date_time_to_unix(dt);
	return TRUE;
}

char *
metrics_render(const MetricsState *st)
{
	GString *out = g_string_sized_new(8192);
	MetricsCounts c = { 0 };
	gint64 updated;

	c.services = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	c.findings = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	if (st->table != NULL)
		service_table_foreach(st->table, count_entry, &c);

	metric_u64(out, "dnssd_audit_services", "gauge",
	           "Advertisements known, counted per interface and protocol (a service "
	           "seen on IPv4 and IPv6 counts twice), like the NServices property.",
	           c.n_entries);
	metric_u64(out, "dnssd_audit_services_distinct", "gauge",
	           "Distinct services (instance, type, domain) known, whatever "
	           "interfaces and protocols carry them.",
	           g_hash_table_size(c.services));
	render_findings(out, &c, st->config);
	metric_u64(out, "dnssd_audit_findings_accepted", "gauge",
	           "Current findings the site accepts (accepted-findings), one per "
	           "finding per service.", c.n_accepted);
	metric_u64(out, "dnssd_audit_avahi_up", "gauge",
	           "1 while avahi-daemon runs and is browsed, else 0.", st->avahi_up ? 1 : 0);
	metric_header(out, "dnssd_audit_registry_updated_timestamp_seconds", "gauge",
	              "The IANA registry's <updated> date (UTC midnight) as Unix time; "
	              "no sample when the registry has none.");
	if (parse_date(st->registry_updated, &updated))
		g_string_append_printf(out, "dnssd_audit_registry_updated_timestamp_seconds %"
		                       G_GINT64_FORMAT "\n", updated);
	metric_u64(out, "dnssd_audit_log_lines_suppressed_total", "counter",
	           "Finding lines not logged because of rate-limit, since the daemon started.",
	           st->lines_suppressed);
	metric_u64(out, "dnssd_audit_services_first_resolution_only", "gauge",
	           "Advertisements judged on their first resolution only: past avahi-daemon's "
	           "objects-per-client-max their later TXT changes are not seen.",
	           st->first_resolution_only);
	metric_u64(out, "dnssd_audit_services_evicted_total", "counter",
	           "Advertisements forgotten because more than max-services were known, "
	           "since the daemon started.",
	           st->table != NULL ? service_table_n_evicted(st->table) : 0);
	metric_header(out, "dnssd_audit_build_info", "gauge",
	              "Always 1; the label says which dnssd-auditd runs.");
	g_string_append(out, "dnssd_audit_build_info{version=\"");
	metrics_escape_label_value(out, PACKAGE_VERSION);
	g_string_append(out, "\"} 1\n");

	g_hash_table_destroy(c.services);
	g_hash_table_destroy(c.findings);
	return g_string_free(out, FALSE);
}

/* --- the file -------------------------------------------------------- */

static gboolean
set_errno_error(GError **error, int err, const char *what, const char *name)
{
	g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(err), "cannot %s %s: %s",
	            what, name, g_strerror(err));
	return FALSE;
}

static gboolean
metrics_write_all(int fd, const char *text, gsize len)
{
	while (len > 0) {
		ssize_t n = write(fd, text, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return FALSE;
		}
		text += n;
		len -= (gsize)n;
	}
	return TRUE;
}

gboolean
metrics_write_file(const char *path, const char *text, GError **error)
{
	g_autofree char *dir = g_path_get_dirname(path);
	g_autofree char *base = g_path_get_basename(path);
	g_autofree char *tmp = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
	int fd, err;

	fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0644);
	if (fd < 0)
		return set_errno_error(error, errno, "create a temporary file in", dir);
	/* The unit's UMask=0077 (and mkstemp's 0600): the node exporter runs
	 * as another user. */
	if (fchmod(fd, 0644) < 0 || !metrics_write_all(fd, text, strlen(text))) {
		err = errno;
		close(fd);
		g_unlink(tmp);
		return set_errno_error(error, err, "write", tmp);
	}
	if (close(fd) < 0) {
		err = errno;
		g_unlink(tmp);
		return set_errno_error(error, err, "write", tmp);
	}
	if (g_rename(tmp, path) < 0) {
		err = errno;
		g_unlink(tmp);
		return set_errno_error(error, err, "rename a temporary file to", path);
	}
	return TRUE;
}

/* --- when to write --------------------------------------------------- */

static void
log_failure(MetricsReporter *mr, const char *message, gint64 now)
{
	gboolean same = mr->last_error != NULL && strcmp(mr->last_error, message) == 0;

	if (same && now - mr->last_warn_us < METRICS_WARN_INTERVAL_US)
		return;
	log_msg(LOG_WARNING, "metrics-file: %s (retrying every %u s%s)", message,
	        (guint)(METRICS_INTERVAL_US / G_USEC_PER_SEC),
	        same ? "; this line at most hourly" : "");
	g_free(mr->last_error);
	mr->last_error = g_strdup(message);
	mr->last_warn_us = now;
}

static void metrics_arm_timer(MetricsReporter *mr);

/* Write the file; on failure log (log_failure) and retry after
 * METRICS_INTERVAL_US, so that a directory created later (the node
 * exporter installed after us) gets its file without a change. */
static void
write_now(MetricsReporter *mr, gint64 now)
{
	MetricsState st = { 0 };
	g_autofree char *text = NULL;
	g_autoptr(GError) error = NULL;

	mr->state(&st, mr->user_data);
	text = metrics_render(&st);
	/* Many changes leave the metrics as they were (a service re-resolved
	 * with the same findings): the file stays, and so does the interval. */
	if (mr->written_text != NULL && strcmp(mr->written_text, text) == 0)
		return;
	g_clear_pointer(&mr->written_text, g_free);
	mr->last_write_us = now;
	mr->n_writes++;
	if (!metrics_write_file(mr->path, text, &error)) {
		mr->n_failures++;
		log_failure(mr, error->message, now);
		mr->due_us = now + METRICS_INTERVAL_US;
		metrics_arm_timer(mr);
		return;
	}
	mr->written = TRUE;
	mr->written_text = g_steal_pointer(&text);
	if (mr->last_error != NULL) {
		log_msg(LOG_NOTICE, "metrics-file: %s written again", mr->path);
		g_clear_pointer(&mr->last_error, g_free);
	}
}

static gboolean metrics_timer(gpointer data);

/* (Re)arm the timer for mr->due_us. */
static void
metrics_arm_timer(MetricsReporter *mr)
{
	gint64 delay_us = MAX(mr->due_us - mr->clock(), 0);

	if (mr->timer_id != 0)
		g_source_remove(mr->timer_id);
	mr->timer_id = g_timeout_add((guint)(delay_us / 1000) + 1, metrics_timer, mr);
}

static gboolean
metrics_timer(gpointer data)
{
	MetricsReporter *mr = data;

	mr->timer_id = 0;
	/* Not due yet by the reporter's clock (the timer's rounding): again. */
	if (!metrics_reporter_flush(mr) && mr->due_us >= 0)
		metrics_arm_timer(mr);
	return G_SOURCE_REMOVE;
}

gboolean
metrics_reporter_flush(MetricsReporter *mr)
{
	gint64 now = mr->clock();

	if (mr->due_us < 0 || now < mr->due_us)
		return FALSE;
	mr->due_us = -1;
	if (mr->timer_id != 0) {
		g_source_remove(mr->timer_id);
		mr->timer_id = 0;
	}
	write_now(mr, now);
	return TRUE;
}

void
metrics_reporter_changed(MetricsReporter *mr)
{
	gint64 now;

	/* A write already scheduled covers this change too. */
	if (mr->due_us >= 0)
		return;
	now = mr->clock();
	mr->due_us = now + METRICS_SETTLE_US;
	if (mr->last_write_us >= 0)
		mr->due_us = MAX(mr->due_us, mr->last_write_us + METRICS_INTERVAL_US);
	metrics_arm_timer(mr);
}

MetricsReporter *
metrics_reporter_new(const char *path, MetricsStateFunc state, gpointer user_data,
                     MetricsClock clock)
{
	MetricsReporter *mr = g_new0(MetricsReporter, 1);

	mr->path = g_strdup(path);
	mr->state = state;
	mr->user_data = user_data;
	mr->clock = clock != NULL ? clock : g_get_monotonic_time;
	mr->due_us = -1;
	mr->last_write_us = -1;
	metrics_reporter_changed(mr);
	return mr;
}

/* Remove the file we wrote at mr->path, if any. */
static void
remove_file(MetricsReporter *mr)
{
	if (!mr->written)
		return;
	mr->written = FALSE;
	g_clear_pointer(&mr->written_text, g_free);
	if (g_unlink(mr->path) < 0 && errno != ENOENT)
		log_msg(LOG_WARNING, "metrics-file: cannot remove %s: %s", mr->path,
		        g_strerror(errno));
}

void
metrics_reporter_set_path(MetricsReporter *mr, const char *path)
{
	if (strcmp(mr->path, path) == 0) {
		/* Written even if unchanged: a reload is how an admin gets a
		 * file back that someone removed. */
		g_clear_pointer(&mr->written_text, g_free);
		metrics_reporter_changed(mr);
		return;
	}
	remove_file(mr);
	g_free(mr->path);
	mr->path = g_strdup(path);
	/* A new file: no interval to keep, no error logged about it yet. */
	mr->last_write_us = -1;
	mr->due_us = -1;
	g_clear_pointer(&mr->last_error, g_free);
	metrics_reporter_changed(mr);
}

gint64
metrics_reporter_due(const MetricsReporter *mr)
{
	return mr->due_us;
}

guint
metrics_reporter_n_writes(const MetricsReporter *mr)
{
	return mr->n_writes;
}

guint
metrics_reporter_n_failures(const MetricsReporter *mr)
{
	return mr->n_failures;
}

void
metrics_reporter_free(MetricsReporter *mr)
{
	if (mr == NULL)
		return;
	if (mr->timer_id != 0)
		g_source_remove(mr->timer_id);
	remove_file(mr);
	g_free(mr->path);
	g_free(mr->last_error);
	g_free(mr->written_text);
	g_free(mr);
}
