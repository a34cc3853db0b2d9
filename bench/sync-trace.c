/* sync-trace.c - an LD_PRELOAD shim for bench-daemon.sh: times every
 * synchronous D-Bus call a process makes, per thread.
 *
 * avahi-client makes each avahi_service_resolver_new/_free, browser
 * new/free and record browser new/free a blocking round trip through
 * libdbus's dbus_connection_send_with_reply_and_block(); GDBus code blocks
 * in g_dbus_connection_call_sync().  Both are interposed here: each call
 * is timed with CLOCK_MONOTONIC and recorded with its thread id (gettid),
 * its start (CLOCK_REALTIME, so that a shell script can place it with
 * `date +%s%N`) and its method name.  At exit (the daemon exits through
 * main() on SIGTERM, so a destructor runs) every record goes to the file
 * named by $SYNC_TRACE_OUT:
 *
 *   start <realtime ns of the shim's constructor> pid <pid>
 *   <tid> <start ns, realtime> <duration ns> <api> <method>
 *
 * one line per call; bench-daemon.sh sums them over any window it likes.
 * Nothing is written while the process runs, so the shim adds no I/O to
 * the calls it times.  Build: cc -shared -fPIC -O2 -o sync-trace.so
 * sync-trace.c -ldl -lpthread.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

typedef struct {
	pid_t tid;
	uint64_t start_ns;   /* realtime */
	uint64_t dur_ns;
	char api;            /* 'd' libdbus, 'g' GDBus */
	char member[47];
} Rec;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static Rec *recs;
static size_t n_recs, cap_recs;
static uint64_t start_real_ns;

static uint64_t
now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
record(char api, const char *member, uint64_t real0, uint64_t mono0)
{
	uint64_t dur = now_ns(CLOCK_MONOTONIC) - mono0;
	pid_t tid = (pid_t)syscall(SYS_gettid);

	pthread_mutex_lock(&lock);
	if (n_recs == cap_recs) {
		size_t cap = cap_recs ? cap_recs * 2 : 4096;
		Rec *r = realloc(recs, cap * sizeof *r);

		if (r == NULL) {
			pthread_mutex_unlock(&lock);
			return;
		}
		recs = r;
		cap_recs = cap;
	}
	recs[n_recs].tid = tid;
	recs[n_recs].start_ns = real0;
	recs[n_recs].dur_ns = dur;
	recs[n_recs].api = api;
	snprintf(recs[n_recs].member, sizeof recs[n_recs].member, "%s",
	         member != NULL && *member ? member : "-");
	n_recs++;
	pthread_mutex_unlock(&lock);
}

__attribute__((constructor)) static void
sync_trace_init(void)
{
	start_real_ns = now_ns(CLOCK_REALTIME);
}

__attribute__((destructor)) static void
sync_trace_dump(void)
{
	const char *path = getenv("SYNC_TRACE_OUT");
	FILE *f;
	size_t i;

	if (path == NULL || *path == '\0' || (f = fopen(path, "w")) == NULL)
		return;
	pthread_mutex_lock(&lock);
	fprintf(f, "start %llu pid %ld\n", (unsigned long long)start_real_ns, (long)getpid());
	for (i = 0; i < n_recs; i++)
		fprintf(f, "%ld %llu %llu %c %s\n", (long)recs[i].tid,
		        (unsigned long long)recs[i].start_ns, (unsigned long long)recs[i].dur_ns,
		        recs[i].api, recs[i].member);
	pthread_mutex_unlock(&lock);
	fclose(f);
}

/* --- libdbus --------------------------------------------------------- */

typedef struct DBusConnection DBusConnection;
typedef struct DBusMessage DBusMessage;
typedef struct DBusError DBusError;

DBusMessage *dbus_connection_send_with_reply_and_block(DBusConnection *c, DBusMessage *m,
                                                       int timeout_ms, DBusError *e);

DBusMessage *
dbus_connection_send_with_reply_and_block(DBusConnection *c, DBusMessage *m, int timeout_ms,
                                          DBusError *e)
{
	static DBusMessage *(*real)(DBusConnection *, DBusMessage *, int, DBusError *);
	static const char *(*get_member)(DBusMessage *);
	char member[47] = "-";
	uint64_t real0, mono0;
	DBusMessage *reply;

	if (real == NULL) {
		real = (DBusMessage * (*)(DBusConnection *, DBusMessage *, int, DBusError *))
			dlsym(RTLD_NEXT, "dbus_connection_send_with_reply_and_block");
		get_member = (const char *(*)(DBusMessage *))dlsym(RTLD_DEFAULT,
		                                                  "dbus_message_get_member");
	}
	/* The member is read before the call: the reply may be all that is
	 * left of the exchange afterwards. */
	if (get_member != NULL && m != NULL) {
		const char *s = get_member(m);

		if (s != NULL)
			snprintf(member, sizeof member, "%s", s);
	}
	real0 = now_ns(CLOCK_REALTIME);
	mono0 = now_ns(CLOCK_MONOTONIC);
	reply = real(c, m, timeout_ms, e);
	record('d', member, real0, mono0);
	return reply;
}

/* --- GDBus ----------------------------------------------------------- */

/* The GLib types, opaque here: no GLib headers needed. */
void *g_dbus_connection_call_sync(void *connection, const char *bus_name,
                                  const char *object_path, const char *interface_name,
                                  const char *method_name, void *parameters,
                                  const void *reply_type, int flags, int timeout_msec,
                                  void *cancellable, void **error);

void *
g_dbus_connection_call_sync(void *connection, const char *bus_name, const char *object_path,
                            const char *interface_name, const char *method_name,
                            void *parameters, const void *reply_type, int flags,
                            int timeout_msec, void *cancellable, void **error)
{
	static void *(*real)(void *, const char *, const char *, const char *, const char *,
	                     void *, const void *, int, int, void *, void **);
	uint64_t real0, mono0;
	void *reply;

	if (real == NULL)
		real = (void *(*)(void *, const char *, const char *, const char *, const char *,
		                  void *, const void *, int, int, void *, void **))
			dlsym(RTLD_NEXT, "g_dbus_connection_call_sync");
	real0 = now_ns(CLOCK_REALTIME);
	mono0 = now_ns(CLOCK_MONOTONIC);
	reply = real(connection, bus_name, object_path, interface_name, method_name, parameters,
	             reply_type, flags, timeout_msec, cancellable, error);
	record('g', method_name, real0, mono0);
	return reply;
}
