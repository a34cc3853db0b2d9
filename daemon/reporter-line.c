/* reporter-line.c - findings as rate-limited log lines (see
 * reporter-line.h). */
#include "config.h"

#include "daemon/log.h"
#include "format/logline.h"
#include "daemon/reporter-line.h"

struct _LineReporter {
	RateLimit rl;
	LineReporterClock clock;
	guint timer_id;
};

LineReporter *
line_reporter_new(guint rate_limit, LineReporterClock clock)
{
	LineReporter *lr = g_new0(LineReporter, 1);

	ratelimit_init(&lr->rl, rate_limit, RATELIMIT_WINDOW_US);
	lr->clock = clock != NULL ? clock : g_get_monotonic_time;
	return lr;
}

void
line_reporter_set_rate_limit(LineReporter *lr, guint rate_limit)
{
	ratelimit_set_limit(&lr->rl, rate_limit);
}

guint64
line_reporter_n_suppressed(const LineReporter *lr)
{
	return lr->rl.total_suppressed;
}

/* "suppressed 12 finding lines in the last 10 s (rate-limit=5): 2
 * warning, 10 notice", at the priority of the worst one suppressed. */
static void
log_summary(const LineReporter *lr, guint n, const guint count[RATELIMIT_N_SEVERITIES])
{
	g_autoptr(GString) by = g_string_new(NULL);
	int priority = LOG_NOTICE;

	for (int s = SEVERITY_ERROR; s >= SEVERITY_INFO; s--) {
		if (count[s] == 0)
			continue;
		if (s >= SEVERITY_WARNING)
			priority = LOG_WARNING;
		g_string_append_printf(by, "%s%u %s", by->len > 0 ? ", " : "", count[s],
		                       severity_name((Severity) s));
	}
	log_msg(priority, "suppressed %u finding lines in the last %u s (rate-limit=%u): %s",
	        n, (guint)(lr->rl.window_us / G_USEC_PER_SEC), lr->rl.limit, by->str);
}

guint
line_reporter_flush(LineReporter *lr)
{
	guint count[RATELIMIT_N_SEVERITIES];
	guint n = ratelimit_take_suppressed(&lr->rl, lr->clock(), count);

	if (n > 0)
		log_summary(lr, n, count);
	return n;
}

static gboolean
summary_timer(gpointer data)
{
	LineReporter *lr = data;

	lr->timer_id = 0;
	line_reporter_flush(lr);
	return G_SOURCE_REMOVE;
}

/* The first suppressed line of a window arms a timer for its end, so the
 * summary is logged even if no further finding comes. */
static void
line_arm_timer(LineReporter *lr)
{
	gint64 end = ratelimit_window_end(&lr->rl);
	gint64 delay_us;

	if (lr->timer_id != 0 || end < 0)
		return;
	delay_us = MAX(end - lr->clock(), 0);
	lr->timer_id = g_timeout_add((guint)(delay_us / 1000) + 1, summary_timer, lr);
}

/* Log one line about f of e: the finding itself at its severity, or
 * (gone) that it no longer applies, at LOG_INFO. */
static gboolean
log_finding(LineReporter *lr, const ServiceEntry *e, const Finding *f, gboolean gone)
{
	LogLineContext ctx;
	LogFindingFields fields = { .code = f->code, .severity = f->severity };
	g_autofree char *line = NULL;

	/* A window that ended before this line: its summary first, so the
	 * log reads in order. */
	line_reporter_flush(lr);
	if (!ratelimit_allow(&lr->rl, gone ? SEVERITY_INFO : f->severity, lr->clock())) {
		line_arm_timer(lr);
		return FALSE;
	}
	if (gone) {
		/* Deliberately not the finding's own line format: whoever
		 * greps for "<code> severity=" must not match this. */
		log_msg(LOG_INFO, "finding no longer applies: code=%s type=\"%s\" "
		        "instance=\"%s\" interface=\"%s\" protocol=%s",
		        finding_code_name(f->code), e->type_esc, e->name_esc,
		        e->ifname_esc != NULL ? e->ifname_esc : "",
		        service_entry_protocol_name(e) != NULL ?
		        service_entry_protocol_name(e) : "unknown");
		return TRUE;
	}
	service_entry_logline_context(e, &ctx);
	line = logline_format(f, &ctx);
	fields.type = e->type_esc;
	fields.instance = e->name_esc;
	fields.interface = e->ifname_esc;
	fields.host = e->host_esc;
	fields.port = ctx.port;
	log_finding_line(line, &fields);
	return TRUE;
}

gboolean
line_reporter_finding(LineReporter *lr, const ServiceEntry *e, const Finding *f)
{
	return log_finding(lr, e, f, FALSE);
}

gboolean
line_reporter_gone(LineReporter *lr, const ServiceEntry *e, const Finding *f)
{
	return log_finding(lr, e, f, TRUE);
}

void
line_reporter_free(LineReporter *lr)
{
	if (lr == NULL)
		return;
	if (lr->timer_id != 0)
		g_source_remove(lr->timer_id);
	/* Whatever was suppressed in the last window is still worth a line. */
	{
		guint count[RATELIMIT_N_SEVERITIES], n = 0;

		for (guint i = 0; i < RATELIMIT_N_SEVERITIES; i++) {
			count[i] = lr->rl.pending[i] + lr->rl.suppressed[i];
			n += count[i];
		}
		if (n > 0)
			log_summary(lr, n, count);
	}
	g_free(lr);
}
