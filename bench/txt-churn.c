/* txt-churn.c - COUNT services whose TXT changes every second, for
 * bench-daemon.sh.
 *
 *   txt-churn COUNT
 *
 * Publishes COUNT services "bench churn 0".."bench churn COUNT-1" through
 * the avahi-daemon of the system bus ($DBUS_SYSTEM_BUS_ADDRESS), one entry
 * group each, spread over the service types of lib.sh's
 * lan_many_services, TXT "txtvers=1" "n=I" "seq=0"; prints "established
 * COUNT" once avahi has established them all.  SIGUSR1 starts the churn:
 * every second each service's TXT gets the next seq= through
 * avahi_entry_group_update_service_txt() (avahi's UpdateServiceTxt: the
 * same records, announced again with the new TXT; no goodbye, no probe),
 * and "updates TOTAL" is printed after each round.  SIGUSR2 stops the
 * churn; SIGTERM or SIGINT withdraws everything and exits 0.  Only seq=
 * changes, so a judge's findings about these services stay the same.
 * SIGHUP starts (a second SIGHUP stops) the flips, for an event latency:
 * every FLIP_MS "bench churn 0" alone gets the next seq=, and every
 * other time seq= twice, so that a judge finds a duplicate TXT key and
 * then finds it gone, one finding change per flip; "flips TOTAL" is
 * printed after each.
 *
 * Build: cc -O2 -o txt-churn txt-churn.c $(pkg-config --cflags --libs
 * avahi-client).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <avahi-client/client.h>
#include <avahi-client/publish.h>
#include <avahi-common/error.h>
#include <avahi-common/simple-watch.h>

static const char *types[] = {
	"_http._tcp", "_ipp._tcp", "_ssh._tcp", "_sftp-ssh._tcp", "_workstation._tcp",
	"_printer._tcp", "_smb._tcp", "_afpovertcp._tcp", "_raop._tcp", "_airplay._tcp",
	"_apt_proxy._tcp", "_bench-x._tcp", "_nfs._tcp", "_daap._tcp", "_rfb._tcp",
	"_ftp._tcp", "_webdav._tcp", "_pdl-datastream._tcp", "_scanner._tcp",
	"_device-info._tcp",
};
#define N_TYPES (sizeof types / sizeof types[0])

/* Far enough apart that each flip's events are over before the next. */
#define FLIP_MS 500

static volatile sig_atomic_t quit, churn, flip;
static int n_services, n_established;
static AvahiEntryGroup **groups;

static void
on_signal(int sig)
{
	if (sig == SIGUSR1)
		churn = 1;
	else if (sig == SIGUSR2)
		churn = 0;
	else if (sig == SIGHUP)
		flip = !flip;
	else
		quit = 1;
}

static void
group_cb(AvahiEntryGroup *g, AvahiEntryGroupState state, void *data)
{
	(void)g;
	(void)data;
	if (state == AVAHI_ENTRY_GROUP_ESTABLISHED) {
		if (++n_established == n_services) {
			printf("established %d\n", n_services);
			fflush(stdout);
		}
	} else if (state == AVAHI_ENTRY_GROUP_COLLISION || state == AVAHI_ENTRY_GROUP_FAILURE) {
		fprintf(stderr, "txt-churn: entry group %s\n",
		        state == AVAHI_ENTRY_GROUP_COLLISION ? "collision" : "failure");
		quit = 1;
	}
}

static char *
name_of(int i)
{
	static char buf[64];

	snprintf(buf, sizeof buf, "bench churn %d", i);
	return buf;
}

static void
publish_all(AvahiClient *c)
{
	int i;

	for (i = 0; i < n_services; i++) {
		char n[32];

		snprintf(n, sizeof n, "n=%d", i);
		groups[i] = avahi_entry_group_new(c, group_cb, NULL);
		if (groups[i] == NULL ||
		    avahi_entry_group_add_service(groups[i], AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, 0,
		                                  name_of(i), types[i % N_TYPES], NULL, NULL,
		                                  20000 + i, "seq=0", n, "txtvers=1", NULL) < 0 ||
		    avahi_entry_group_commit(groups[i]) < 0) {
			fprintf(stderr, "txt-churn: cannot publish %s: %s\n", name_of(i),
			        avahi_strerror(avahi_client_errno(c)));
			exit(1);
		}
	}
}

static void
client_cb(AvahiClient *c, AvahiClientState state, void *data)
{
	(void)data;
	if (state == AVAHI_CLIENT_S_RUNNING && groups[0] == NULL)
		publish_all(c);
	else if (state == AVAHI_CLIENT_FAILURE || state == AVAHI_CLIENT_S_COLLISION ||
	         (state == AVAHI_CLIENT_CONNECTING && groups[0] != NULL)) {
		/* Once published, losing avahi means the groups are gone. */
		fprintf(stderr, "txt-churn: avahi client %s\n",
		        avahi_strerror(avahi_client_errno(c)));
		quit = 1;
	}
}

/* Service i's TXT for seq; twice when dup (a duplicate key). */
static int
update_txt(AvahiClient *c, int i, unsigned long seq, int dup)
{
	char n[32], s[32];

	snprintf(n, sizeof n, "n=%d", i);
	snprintf(s, sizeof s, "seq=%lu", seq);
	if (avahi_entry_group_update_service_txt(groups[i], AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
	                                         0, name_of(i), types[i % N_TYPES], NULL, s,
	                                         n, "txtvers=1", dup ? s : NULL, NULL) < 0) {
		fprintf(stderr, "txt-churn: update: %s\n", avahi_strerror(avahi_client_errno(c)));
		return -1;
	}
	return 0;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	AvahiSimplePoll *sp;
	AvahiClient *c;
	struct sigaction sa;
	unsigned long seq = 0, updates = 0, flips = 0;
	double next = 0, next_flip = 0;
	int err, i;

	if (argc != 2 || (n_services = atoi(argv[1])) <= 0) {
		fprintf(stderr, "usage: txt-churn COUNT\n");
		return 2;
	}
	groups = calloc((size_t)n_services, sizeof *groups);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sp = avahi_simple_poll_new();
	/* NO_FAIL: an avahi-daemon still busy (loading thousands of static
	 * services) or restarting is waited for, not an error. */
	c = avahi_client_new(avahi_simple_poll_get(sp), AVAHI_CLIENT_NO_FAIL, client_cb, NULL,
	                     &err);
	if (c == NULL) {
		fprintf(stderr, "txt-churn: %s\n", avahi_strerror(err));
		return 1;
	}
	while (!quit) {
		/* A signal interrupts the poll; at most 100 ms late otherwise. */
		if (avahi_simple_poll_iterate(sp, flip ? 10 : 100) != 0 && !quit)
			break;
		if (flip && n_established == n_services && now_s() >= next_flip) {
			next_flip = now_s() + FLIP_MS / 1000.0;
			seq++;
			flips++;
			if (update_txt(c, 0, seq, flips % 2) < 0)
				return 1;
			printf("flips %lu\n", flips);
			fflush(stdout);
		}
		if (!churn || n_established < n_services || now_s() < next)
			continue;
		next = next == 0 || now_s() - next > 1 ? now_s() + 1 : next + 1;
		seq++;
		for (i = 0; i < n_services; i++) {
			if (update_txt(c, i, seq, 0) < 0)
				return 1;
			updates++;
		}
		printf("updates %lu\n", updates);
		fflush(stdout);
	}
	avahi_client_free(c);
	avahi_simple_poll_free(sp);
	return 0;
}
