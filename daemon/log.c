/* log.c - dnssd-auditd's log targets (see log.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/uio.h>
#ifdef HAVE_LIBSYSTEMD
/* CODE_FILE= etc. would only ever name this file. */
#define SD_JOURNAL_SUPPRESS_LOCATION 1
#include <systemd/sd-journal.h>
#endif
#include "daemon/log.h"
#include "format/escape.h"

#define JOURNAL_SOCKET "/run/systemd/journal/socket"

static struct {
	LogTarget target;
	gboolean fallback_warned;  /* "journal unreachable" was said */
	gboolean opened;
} logger = { LOG_TARGET_STDERR, FALSE, FALSE };

/* One MESSAGE_ID per finding code, generated once (random), never to
 * change: admins filter the journal on them (journalctl MESSAGE_ID=...). */
static const char *const message_ids[FINDING_N_CODES] = {
	[FINDING_TYPE_MALFORMED]         = "0ccda52bdb2e48669506f575dd620ca1",
	[FINDING_SERVICE_NAME_TOO_LONG]  = "6ff1a29d28784a18af64942a2156e787",
	[FINDING_SERVICE_NAME_CHARSET]   = "400a26368a284c07bf126efd01ae3c2b",
	[FINDING_SERVICE_NAME_NO_LETTER] = "03a1a8c5d54a4e399bc4a6a6b51b2a7c",
	[FINDING_SERVICE_NAME_HYPHEN]    = "fd42706c7ae443bb84dcc6d823a3c365",
	[FINDING_SERVICE_NAME_CASE]      = "87a7a06648624bcd91c956c23ff8d408",
	[FINDING_UNREGISTERED]           = "bd744dbd44f143dab67ac5002a2e3cbe",
	[FINDING_TRANSPORT_MISMATCH]     = "54d769e7651b475eb4f0435466235c65",
	[FINDING_HISTORIC_NAME]          = "b233ec845178494596863aef198d3f12",
	[FINDING_NOT_FOR_DISCOVERY]      = "7556cec48756468baddf0460a3c1f12d",
	[FINDING_PORT_DIFFERS]           = "d9205e9966bd4a7aad65748dcf55142e",
	[FINDING_SUBTYPE_MALFORMED]      = "a21184e90fdb4b11802e35e72c4d502a",
	[FINDING_INSTANCE_TOO_LONG]      = "734f0154764f413185e186ba9bdc97b4",
	[FINDING_INSTANCE_NOT_UTF8]      = "ef8eb7f4cd454228af11e1fa4bf4dab2",
	[FINDING_INSTANCE_CONTROL_CHAR]  = "1d08e690696c406c8dc985b3ed7eb4ad",
	[FINDING_INSTANCE_NOT_NFC]       = "ede92ffd962945e5b75cf6528347223e",
	[FINDING_TXT_KEY_EMPTY]          = "49acb4d6fc05459881d6a9835f22717a",
	[FINDING_TXT_KEY_CHARSET]        = "3c0f13e0c9ea410ab1a30811d6b4c9c2",
	[FINDING_TXT_KEY_DUPLICATE]      = "5b049a964586422fa9484498c391e19f",
	[FINDING_TXT_KEY_TOO_LONG]       = "ea5db882974e44f7a520f48c9bc497f7",
	[FINDING_TXT_TOO_LARGE]          = "2ef2f489f9294033ad42b3ab65e23101",
	[FINDING_TXTVERS_NOT_FIRST]      = "90be3477e43c4524a06c5fc17009ffea",
	[FINDING_TXTVERS_NOT_NUMERIC]    = "84a0284e38e445a6b0e726b3b2a53c6a",
	[FINDING_TXT_KEY_UNDEFINED]      = "8256fcae1ea846dab77f5ab7ad9b93a0",
	[FINDING_TXT_KEYS_UNEXPECTED]    = "075d4789a5c4478b9e064f06517babb0",
	[FINDING_RESOLVE_FAILED]         = "258f822c91e14b759d765309564de177",
	[FINDING_INSTANCE_BIDI_CONTROL]  = "47ff932955f74385a5c44d4d1d37422e",
	[FINDING_UNREGISTERED_KNOWN]     = "0d9ec90ad31142ef8bf1224968c57ab9",
};

const char *
log_message_id(FindingCode code)
{
	if ((guint)code >= FINDING_N_CODES || message_ids[code] == NULL)
		return NULL;
	return message_ids[code];
}

static const char *const target_names[] = {
	[LOG_TARGET_AUTO] = "auto",
	[LOG_TARGET_STDERR] = "stderr",
	[LOG_TARGET_SYSLOG] = "syslog",
	[LOG_TARGET_JOURNAL] = "journal",
};

gboolean
log_target_from_name(const char *name, LogTarget *out)
{
	for (guint i = 0; name != NULL && i < G_N_ELEMENTS(target_names); i++) {
		if (strcmp(name, target_names[i]) == 0) {
			*out = (LogTarget)i;
			return TRUE;
		}
	}
	return FALSE;
}

const char *
log_target_name(LogTarget t)
{
	if ((guint)t >= G_N_ELEMENTS(target_names))
		return "unknown";
	return target_names[t];
}

LogTarget
log_target_resolve(LogTarget t)
{
#ifdef HAVE_LIBSYSTEMD
	if (t == LOG_TARGET_AUTO)
		return access(JOURNAL_SOCKET, F_OK) == 0 ? LOG_TARGET_JOURNAL : LOG_TARGET_SYSLOG;
	return t;
#else
	if (t == LOG_TARGET_AUTO || t == LOG_TARGET_JOURNAL)
		return LOG_TARGET_SYSLOG;
	return t;
#endif
}

LogTarget
log_get_target(void)
{
	return logger.target;
}

static void
write_stderr(const char *line)
{
	/* One fputs per line: stderr is unbuffered, so build it whole to keep
	 * lines from interleaving with other writers. */
	g_autofree char *buf = g_strconcat(line, "\n", NULL);

	fputs(buf, stderr);
}

#ifdef HAVE_LIBSYSTEMD
/* stderr instead of an unreachable journal; the first time (since the
 * last success) with a warning that says why. */
static void
fallback(const char *line, const char *why)
{
	if (!logger.fallback_warned) {
		g_autofree char *warn = g_strdup_printf("%s: %s; logging to stderr",
		                                        AUDITD_IDENT, why);
		write_stderr(warn);
		logger.fallback_warned = TRUE;
	}
	write_stderr(line);
}

/* Append "NAME=value" to the journal entry; NULL values are left out. */
static void
add_field(GPtrArray *items, const char *name, const char *value)
{
	if (value != NULL)
		g_ptr_array_add(items, g_strconcat(name, "=", value, NULL));
}

static void
send_journal(int priority, const char *line, const LogFindingFields *f)
{
	g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(g_free);
	g_autofree struct iovec *iov = NULL;
	int r;

	add_field(items, "MESSAGE", line);
	g_ptr_array_add(items, g_strdup_printf("PRIORITY=%d", priority));
	add_field(items, "SYSLOG_IDENTIFIER", AUDITD_IDENT);
	if (f != NULL) {
		add_field(items, "MESSAGE_ID", log_message_id(f->code));
		add_field(items, "DNSSD_AUDIT_CODE", finding_code_name(f->code));
		add_field(items, "DNSSD_AUDIT_SEVERITY", severity_name(f->severity));
		add_field(items, "DNSSD_AUDIT_TYPE", f->type);
		add_field(items, "DNSSD_AUDIT_INSTANCE", f->instance);
		add_field(items, "DNSSD_AUDIT_INTERFACE", f->interface);
		add_field(items, "DNSSD_AUDIT_HOST", f->host);
		if (f->port >= 0)
			g_ptr_array_add(items, g_strdup_printf("DNSSD_AUDIT_PORT=%d", f->port));
	}
	iov = g_new0(struct iovec, items->len);
	for (guint i = 0; i < items->len; i++) {
		iov[i].iov_base = g_ptr_array_index(items, i);
		iov[i].iov_len = strlen(g_ptr_array_index(items, i));
	}
	r = sd_journal_sendv(iov, (int)items->len);
	if (r >= 0) {
		logger.fallback_warned = FALSE;
	} else {
		g_autofree char *why = g_strdup_printf("cannot write to the journal: %s",
		                                       g_strerror(-r));
		fallback(line, why);
	}
}
#endif

static void
emit(int priority, const char *line, const LogFindingFields *fields)
{
	switch (logger.target) {
	case LOG_TARGET_SYSLOG:
		/* Never the line as the format: it holds network bytes. */
		syslog(priority, "%s", line);
		break;
#ifdef HAVE_LIBSYSTEMD
	case LOG_TARGET_JOURNAL:
		send_journal(priority, line, fields);
		break;
#endif
	default:
		write_stderr(line);
		break;
	}
}

int
log_severity_priority(Severity s)
{
	switch (s) {
	case SEVERITY_ERROR:   return LOG_ERR;
	case SEVERITY_WARNING: return LOG_WARNING;
	case SEVERITY_NOTICE:  return LOG_NOTICE;
	case SEVERITY_INFO:    return LOG_INFO;
	}
	return LOG_ERR;
}

void
log_finding_line(const char *line, const LogFindingFields *fields)
{
	emit(log_severity_priority(fields->severity), line, fields);
}

void
log_msg(int priority, const char *format, ...)
{
	va_list ap;
	g_autofree char *raw = NULL;
	g_autoptr(GString) line = g_string_new(NULL);

	va_start(ap, format);
	raw = g_strdup_vprintf(format, ap);
	va_end(ap);
	/* A GLib message or a status line must stay one line, readable. */
	escape_append_mode(line, raw, strlen(raw), ESCAPE_CONTROLS);
	emit(priority, line->str, NULL);
}

static int
level_priority(GLogLevelFlags level)
{
	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
		return LOG_CRIT;
	if (level & G_LOG_LEVEL_WARNING)
		return LOG_WARNING;
	if (level & G_LOG_LEVEL_MESSAGE)
		return LOG_NOTICE;
	if (level & G_LOG_LEVEL_INFO)
		return LOG_INFO;
	return LOG_DEBUG;
}

/* GLib's messages (ours and the libraries') go to the same target.  Debug
 * messages only when G_MESSAGES_DEBUG asks for them. */
static GLogWriterOutput
glib_writer(GLogLevelFlags level, const GLogField *fields, gsize n_fields,
            gpointer user_data)
{
	const char *domain = NULL;
	const char *message = NULL;
	g_autofree char *line = NULL;

#if GLIB_CHECK_VERSION(2, 68, 0)
	if (g_log_writer_default_would_drop(level, NULL))
		return G_LOG_WRITER_HANDLED;
#else
	if ((level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO)) &&
	    g_getenv("G_MESSAGES_DEBUG") == NULL)
		return G_LOG_WRITER_HANDLED;
#endif
	for (gsize i = 0; i < n_fields; i++) {
		if (strcmp(fields[i].key, "GLIB_DOMAIN") == 0 && fields[i].length < 0)
			domain = fields[i].value;
		else if (strcmp(fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
			message = fields[i].value;
	}
	if (message == NULL)
		return G_LOG_WRITER_UNHANDLED;
	if (domain != NULL && strcmp(domain, G_LOG_DOMAIN) != 0)
		line = g_strdup_printf("%s: %s", domain, message);
	else
		line = g_strdup(message);
	log_msg(level_priority(level), "%s", line);
	return G_LOG_WRITER_HANDLED;
}

void
log_open(LogTarget target)
{
	log_close();
	logger.target = log_target_resolve(target);
	logger.fallback_warned = FALSE;
	if (logger.target == LOG_TARGET_SYSLOG)
		openlog(AUDITD_IDENT, LOG_PID, LOG_DAEMON);
	if (!logger.opened) {
		/* The writer can be set only once per process. */
		g_log_set_writer_func(glib_writer, NULL, NULL);
		logger.opened = TRUE;
	}
}

void
log_close(void)
{
	if (logger.target == LOG_TARGET_SYSLOG)
		closelog();
	logger.target = LOG_TARGET_STDERR;
}
