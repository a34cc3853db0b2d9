/* test-browser-pool.c - the browser pool's side of avahi's D-Bus protocol,
 * on a private dbus-daemon standing in for the system bus: the test plays
 * avahi-daemon on its own connection (a unit test; the integration tests
 * run the pool against a real avahi-daemon).
 *
 * Checked: the ServiceBrowserNew calls of a burst are all on the bus before
 * the first is answered; answers, signals and error replies reach the
 * right browser; a signal from anyone but the answering daemon, of the
 * other kind of browser, or without its arguments is ignored; a reply that
 * is not an object path and avahi's Failure signal fail the browser once;
 * a type browser's events carry no name;
 * freeing sends Free (also for a browser still being made, once its path
 * is known); a lost bus fails every browser once; no bus, one error line;
 * nothing calls back from inside browser_pool_browse(). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <dbus/dbus.h>
#include <gio/gio.h>

#include "daemon/browser-pool.h"

typedef struct {
	int n;
	AvahiBrowserEvent event[16];
	PoolBrowser *browser[16];
	char *name[16];
	char *type[16];
	char *error[16];
	AvahiIfIndex ifindex[16];
	AvahiProtocol protocol[16];
} Events;

/* One bus for the whole run: libdbus reads the system bus address once per
 * process.  test_lost_bus_fails_each_once takes it down, so it runs last
 * but one, before test_bus_gone. */
static GTestDBus *bus;

typedef struct {
	DBusConnection *avahi;      /* the test's avahi-daemon */
	BrowserPool *pool;
	Events ev;
} Fixture;

static void
on_event(PoolBrowser *b, AvahiIfIndex interface, AvahiProtocol protocol,
         AvahiBrowserEvent event, const char *name, const char *type,
         const char *domain, AvahiLookupResultFlags flags, const char *error,
         void *user_data)
{
	Events *ev = user_data;
	int i = ev->n++;

	assert_true(i < 16);
	ev->event[i] = event;
	ev->browser[i] = b;
	ev->name[i] = g_strdup(name);
	ev->type[i] = g_strdup(type);
	ev->error[i] = g_strdup(error);
	ev->ifindex[i] = interface;
	ev->protocol[i] = protocol;
}

static DBusConnection *
connect_bus(void)
{
	DBusError err;
	DBusConnection *c;

	dbus_error_init(&err);
	c = dbus_bus_get_private(DBUS_BUS_SYSTEM, &err);
	assert_non_null(c);
	dbus_connection_set_exit_on_disconnect(c, FALSE);
	return c;
}

static int
setup(void **state)
{
	Fixture *fx = g_new0(Fixture, 1);
	DBusError err;
	g_autoptr(GError) error = NULL;

	fx->avahi = connect_bus();
	dbus_error_init(&err);
	assert_int_equal(dbus_bus_request_name(fx->avahi, "org.freedesktop.Avahi",
	                                       DBUS_NAME_FLAG_DO_NOT_QUEUE, &err),
	                 DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER);
	fx->pool = browser_pool_new(&error);
	assert_non_null(fx->pool);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	Fixture *fx = *state;

	browser_pool_free(fx->pool);
	dbus_connection_close(fx->avahi);
	dbus_connection_unref(fx->avahi);
	for (int i = 0; i < fx->ev.n; i++) {
		g_free(fx->ev.name[i]);
		g_free(fx->ev.type[i]);
		g_free(fx->ev.error[i]);
	}
	g_free(fx);
	return 0;
}

static int
group_setup(void **state)
{
	(void) state;
	bus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_test_dbus_up(bus);
	g_setenv("DBUS_SYSTEM_BUS_ADDRESS", g_test_dbus_get_bus_address(bus), TRUE);
	return 0;
}

static int
group_teardown(void **state)
{
	(void) state;
	if (bus != NULL) {
		g_test_dbus_down(bus);
		g_clear_object(&bus);
	}
	return 0;
}

/* Run the main loop (the pool) without blocking. */
static void
spin(void)
{
	for (int i = 0; i < 50 && g_main_context_iteration(NULL, FALSE); i++)
		;
}

/* Spin until the test's avahi has a method call for member (up to 5 s);
 * other messages (NameAcquired, ...) are dropped.  Returns it. */
static DBusMessage *
avahi_next_call(Fixture *fx, const char *member)
{
	gint64 until = g_get_monotonic_time() + 5 * G_TIME_SPAN_SECOND;

	while (g_get_monotonic_time() < until) {
		DBusMessage *m;

		spin();
		dbus_connection_read_write(fx->avahi, 10);
		while ((m = dbus_connection_pop_message(fx->avahi)) != NULL) {
			if (dbus_message_get_type(m) == DBUS_MESSAGE_TYPE_METHOD_CALL &&
			    g_strcmp0(dbus_message_get_member(m), member) == 0)
				return m;
			dbus_message_unref(m);
		}
	}
	fail_msg("no %s call within 5 s", member);
	return NULL;
}

/* Spin until n events were seen (up to 5 s). */
static void
wait_events(Fixture *fx, int n)
{
	gint64 until = g_get_monotonic_time() + 5 * G_TIME_SPAN_SECOND;

	while (fx->ev.n < n && g_get_monotonic_time() < until)
		g_main_context_iteration(NULL, TRUE);
	assert_int_equal(fx->ev.n, n);
}

static void
reply_path(Fixture *fx, DBusMessage *call, const char *path)
{
	DBusMessage *r = dbus_message_new_method_return(call);

	assert_true(dbus_message_append_args(r, DBUS_TYPE_OBJECT_PATH, &path, DBUS_TYPE_INVALID));
	assert_true(dbus_connection_send(fx->avahi, r, NULL));
	dbus_connection_flush(fx->avahi);
	dbus_message_unref(r);
}

/* A browser signal from conn on path to dest, with the ItemNew arguments
 * when name is not NULL. */
static void
send_signal(DBusConnection *conn, const char *dest, const char *path,
            const char *member, const char *name)
{
	DBusMessage *s = dbus_message_new_signal(path, "org.freedesktop.Avahi.ServiceBrowser",
	                                         member);
	dbus_int32_t ifindex = 3, proto = 1;
	dbus_uint32_t flags = 0;
	const char *type = "_http._tcp", *domain = "local";

	dbus_message_set_destination(s, dest);
	if (name != NULL)
		assert_true(dbus_message_append_args(s, DBUS_TYPE_INT32, &ifindex,
		                                     DBUS_TYPE_INT32, &proto, DBUS_TYPE_STRING, &name,
		                                     DBUS_TYPE_STRING, &type, DBUS_TYPE_STRING, &domain,
		                                     DBUS_TYPE_UINT32, &flags, DBUS_TYPE_INVALID));
	assert_true(dbus_connection_send(conn, s, NULL));
	dbus_connection_flush(conn);
	dbus_message_unref(s);
}

static void
test_burst_leaves_at_once(void **state)
{
	Fixture *fx = *state;
	PoolBrowser *b1, *b2;
	DBusMessage *c1, *c2;
	dbus_int32_t ifindex, proto;
	dbus_uint32_t flags;
	const char *type, *domain;

	b1 = browser_pool_browse(fx->pool, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, "_http._tcp",
	                         "local", on_event, &fx->ev);
	b2 = browser_pool_browse(fx->pool, 2, AVAHI_PROTO_INET6, "_ipp._tcp", "local",
	                         on_event, &fx->ev);
	assert_non_null(b1);
	assert_non_null(b2);
	assert_int_equal(fx->ev.n, 0);
	/* Both calls arrive while neither has been answered. */
	c1 = avahi_next_call(fx, "ServiceBrowserNew");
	c2 = avahi_next_call(fx, "ServiceBrowserNew");
	assert_true(dbus_message_get_args(c2, NULL, DBUS_TYPE_INT32, &ifindex, DBUS_TYPE_INT32,
	                                  &proto, DBUS_TYPE_STRING, &type, DBUS_TYPE_STRING,
	                                  &domain, DBUS_TYPE_UINT32, &flags, DBUS_TYPE_INVALID));
	assert_int_equal(ifindex, 2);
	assert_int_equal(proto, AVAHI_PROTO_INET6);
	assert_string_equal(type, "_ipp._tcp");
	assert_string_equal(domain, "local");
	assert_int_equal(flags, 0);
	assert_int_equal(fx->ev.n, 0);
	dbus_message_unref(c1);
	dbus_message_unref(c2);
}

static void
test_answers_signals_and_errors(void **state)
{
	Fixture *fx = *state;
	PoolBrowser *b1, *b2;
	DBusMessage *c1, *c2, *err, *freed;
	DBusConnection *other = connect_bus();
	DBusError e;
	char *pool_name;

	b1 = browser_pool_browse(fx->pool, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, "_http._tcp",
	                         "local", on_event, &fx->ev);
	b2 = browser_pool_browse(fx->pool, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, "_x._sctp",
	                         "local", on_event, &fx->ev);
	c1 = avahi_next_call(fx, "ServiceBrowserNew");
	c2 = avahi_next_call(fx, "ServiceBrowserNew");
	pool_name = g_strdup(dbus_message_get_sender(c1));
	reply_path(fx, c1, "/Client1/ServiceBrowser1");
	err = dbus_message_new_error(c2, "org.freedesktop.Avahi.InvalidServiceTypeError",
	                             "Invalid service type");
	assert_true(dbus_connection_send(fx->avahi, err, NULL));
	dbus_message_unref(err);
	/* Someone else speaking for the browser is ignored; the round trip
	 * makes sure the bus has routed it before avahi's own signals. */
	send_signal(other, pool_name, "/Client1/ServiceBrowser1", "ItemNew", "forged");
	dbus_error_init(&e);
	dbus_bus_get_unix_user(other, pool_name, &e);
	dbus_error_free(&e);
	/* An ItemNew without its arguments is not avahi's: ignored. */
	send_signal(fx->avahi, pool_name, "/Client1/ServiceBrowser1", "ItemNew", NULL);
	send_signal(fx->avahi, pool_name, "/Client1/ServiceBrowser1", "ItemNew", "printer");
	send_signal(fx->avahi, pool_name, "/Client1/ServiceBrowser2", "ItemNew", "nobody's");
	send_signal(fx->avahi, pool_name, "/Client1/ServiceBrowser1", "AllForNow", NULL);
	wait_events(fx, 3);
	assert_ptr_equal(fx->ev.browser[0], b2);
	assert_int_equal(fx->ev.event[0], AVAHI_BROWSER_FAILURE);
	assert_string_equal(fx->ev.error[0], "Invalid service type");
	assert_ptr_equal(fx->ev.browser[1], b1);
	assert_int_equal(fx->ev.event[1], AVAHI_BROWSER_NEW);
	assert_string_equal(fx->ev.name[1], "printer");
	assert_int_equal(fx->ev.ifindex[1], 3);
	assert_int_equal(fx->ev.protocol[1], 1);
	assert_null(fx->ev.error[1]);
	assert_ptr_equal(fx->ev.browser[2], b1);
	assert_int_equal(fx->ev.event[2], AVAHI_BROWSER_ALL_FOR_NOW);
	/* Freeing tells avahi. */
	pool_browser_free(b1);
	pool_browser_free(b2);
	freed = avahi_next_call(fx, "Free");
	assert_string_equal(dbus_message_get_path(freed), "/Client1/ServiceBrowser1");
	assert_string_equal(dbus_message_get_interface(freed), "org.freedesktop.Avahi.ServiceBrowser");
	assert_true(dbus_message_get_no_reply(freed));
	spin();
	assert_int_equal(fx->ev.n, 3);
	dbus_message_unref(freed);
	dbus_message_unref(c1);
	dbus_message_unref(c2);
	g_free(pool_name);
	dbus_connection_close(other);
	dbus_connection_unref(other);
}

/* A reply that is not an object path, and avahi's Failure signal. */
static void
test_bad_reply_and_failure_signal(void **state)
{
	Fixture *fx = *state;
	PoolBrowser *b1, *b2;
	DBusMessage *c1, *c2, *r, *sig;
	dbus_int32_t not_a_path = 7;
	const char *why = "Too many objects";
	char *pool_name;

	b1 = browser_pool_browse(fx->pool, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, "_http._tcp",
	                         "local", on_event, &fx->ev);
	b2 = browser_pool_browse(fx->pool, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, "_ipp._tcp",
	                         "local", on_event, &fx->ev);
	c1 = avahi_next_call(fx, "ServiceBrowserNew");
	c2 = avahi_next_call(fx, "ServiceBrowserNew");
	pool_name = g_strdup(dbus_message_get_sender(c1));
	r = dbus_message_new_method_return(c1);
	assert_true(dbus_message_append_args(r, DBUS_TYPE_INT32, &not_a_path, DBUS_TYPE_INVALID));
	assert_true(dbus_connection_send(fx->avahi, r, NULL));
	dbus_message_unref(r);
	reply_path(fx, c2, "/Client1/ServiceBrowser2");
	sig = dbus_message_new_signal("/Client1/ServiceBrowser2",
	                              "org.freedesktop.Avahi.ServiceBrowser", "Failure");
	dbus_message_set_destination(sig, pool_name);
	assert_true(dbus_message_append_args(sig, DBUS_TYPE_STRING, &why, DBUS_TYPE_INVALID));
	assert_true(dbus_connection_send(fx->avahi, sig, NULL));
	dbus_message_unref(sig);
	/* A failed browser hears nothing more. */
	send_signal(fx->avahi, pool_name, "/Client1/ServiceBrowser2", "AllForNow", NULL);
	wait_events(fx, 2);
	spin();
	assert_int_equal(fx->ev.n, 2);
	assert_ptr_equal(fx->ev.browser[0], b1);
	assert_int_equal(fx->ev.event[0], AVAHI_BROWSER_FAILURE);
	assert_non_null(fx->ev.error[0]);
	assert_ptr_equal(fx->ev.browser[1], b2);
	assert_int_equal(fx->ev.event[1], AVAHI_BROWSER_FAILURE);
	assert_string_equal(fx->ev.error[1], "Too many objects");
	pool_browser_free(b1);
	pool_browser_free(b2);
	dbus_message_unref(c1);
	dbus_message_unref(c2);
	g_free(pool_name);
}

static void
test_type_browser(void **state)
{
	Fixture *fx = *state;
	PoolBrowser *b = browser_pool_browse_types(fx->pool, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
	                                           NULL, on_event, &fx->ev);
	DBusMessage *call, *sig, *freed;
	dbus_int32_t ifindex = 3, proto = 0;
	dbus_uint32_t flags = 0;
	const char *domain, *type = "_ipp._tcp", *local = "local";
	char *pool_name;

	call = avahi_next_call(fx, "ServiceTypeBrowserNew");
	assert_true(dbus_message_get_args(call, NULL, DBUS_TYPE_INT32, &ifindex, DBUS_TYPE_INT32,
	                                  &proto, DBUS_TYPE_STRING, &domain, DBUS_TYPE_UINT32,
	                                  &flags, DBUS_TYPE_INVALID));
	assert_int_equal(ifindex, AVAHI_IF_UNSPEC);
	assert_string_equal(domain, "");
	pool_name = g_strdup(dbus_message_get_sender(call));
	reply_path(fx, call, "/Client1/ServiceTypeBrowser1");
	/* A service browser's signal on that path is not the type browser's. */
	send_signal(fx->avahi, pool_name, "/Client1/ServiceTypeBrowser1", "ItemNew", "x");
	ifindex = 3;
	sig = dbus_message_new_signal("/Client1/ServiceTypeBrowser1",
	                              "org.freedesktop.Avahi.ServiceTypeBrowser", "ItemNew");
	dbus_message_set_destination(sig, pool_name);
	assert_true(dbus_message_append_args(sig, DBUS_TYPE_INT32, &ifindex, DBUS_TYPE_INT32,
	                                     &proto, DBUS_TYPE_STRING, &type, DBUS_TYPE_STRING,
	                                     &local, DBUS_TYPE_UINT32, &flags, DBUS_TYPE_INVALID));
	assert_true(dbus_connection_send(fx->avahi, sig, NULL));
	dbus_connection_flush(fx->avahi);
	dbus_message_unref(sig);
	wait_events(fx, 1);
	assert_ptr_equal(fx->ev.browser[0], b);
	assert_int_equal(fx->ev.event[0], AVAHI_BROWSER_NEW);
	assert_null(fx->ev.name[0]);
	assert_string_equal(fx->ev.type[0], "_ipp._tcp");
	assert_int_equal(fx->ev.ifindex[0], 3);
	pool_browser_free(b);
	freed = avahi_next_call(fx, "Free");
	assert_string_equal(dbus_message_get_interface(freed),
	                    "org.freedesktop.Avahi.ServiceTypeBrowser");
	dbus_message_unref(freed);
	dbus_message_unref(call);
	g_free(pool_name);
}

static void
test_free_while_pending(void **state)
{
	Fixture *fx = *state;
	PoolBrowser *b = browser_pool_browse(fx->pool, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
	                                     "_ssh._tcp", "local", on_event, &fx->ev);
	DBusMessage *call, *freed;

	pool_browser_free(b);
	call = avahi_next_call(fx, "ServiceBrowserNew");
	reply_path(fx, call, "/Client1/ServiceBrowser7");
	/* Made after all: avahi is told to free it at once. */
	freed = avahi_next_call(fx, "Free");
	assert_string_equal(dbus_message_get_path(freed), "/Client1/ServiceBrowser7");
	assert_int_equal(fx->ev.n, 0);
	dbus_message_unref(freed);
	dbus_message_unref(call);
}

static void
test_lost_bus_fails_each_once(void **state)
{
	Fixture *fx = *state;
	PoolBrowser *b1, *b2;
	DBusMessage *call;

	b1 = browser_pool_browse(fx->pool, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, "_http._tcp",
	                         "local", on_event, &fx->ev);
	call = avahi_next_call(fx, "ServiceBrowserNew");
	reply_path(fx, call, "/Client1/ServiceBrowser1");
	dbus_message_unref(call);
	b2 = browser_pool_browse(fx->pool, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, "_ipp._tcp",
	                         "local", on_event, &fx->ev);
	call = avahi_next_call(fx, "ServiceBrowserNew");
	dbus_message_unref(call);  /* never answered */
	g_test_dbus_down(bus);
	g_clear_object(&bus);
	assert_false(browser_pool_closed(fx->pool));
	wait_events(fx, 2);
	assert_true(browser_pool_closed(fx->pool));
	for (int i = 0; i < 2; i++)
		assert_int_equal(fx->ev.event[i], AVAHI_BROWSER_FAILURE);
	assert_true(fx->ev.browser[0] != fx->ev.browser[1]);
	assert_true((fx->ev.browser[0] == b1 || fx->ev.browser[0] == b2) &&
	            (fx->ev.browser[1] == b1 || fx->ev.browser[1] == b2));
	/* Nothing more, and a closed pool makes no new browsers. */
	spin();
	assert_int_equal(fx->ev.n, 2);
	assert_null(browser_pool_browse(fx->pool, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
	                                "_nfs._tcp", "local", on_event, &fx->ev));
	pool_browser_free(b1);
	pool_browser_free(b2);
}

/* The bus of the tests above is down now. */
static void
test_bus_gone(void **state)
{
	g_autoptr(GError) error = NULL;

	(void) state;
	assert_null(browser_pool_new(&error));
	assert_non_null(error);
	assert_non_null(strstr(error->message, "cannot connect to the system bus: "));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_burst_leaves_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_answers_signals_and_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_reply_and_failure_signal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_type_browser, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_while_pending, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lost_bus_fails_each_once, setup, teardown),
		cmocka_unit_test(test_bus_gone),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
