/* test-watcher.c - the parts of the watcher that need no avahi-daemon:
 * the TXT list of an avahi-client resolver callback to GBytes in wire
 * order (lists built with avahi-common's own functions, not mocks), and
 * the interface-name cache against a stand-in for avahi-daemon's
 * GetNetworkInterfaceNameByIndex on a private dbus-daemon. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <gio/gio.h>
#include <avahi-common/malloc.h>
#include <avahi-common/strlst.h>
#include "avahi/ifname-cache.h"
#include "avahi/watcher.h"

static void
assert_bytes(GBytes *b, const void *data, gsize len)
{
	gsize got_len;
	const void *got = g_bytes_get_data(b, &got_len);

	assert_int_equal(got_len, len);
	if (len > 0)
		assert_memory_equal(got, data, len);
}

/* The TXT path from the wire to a resolver callback, with avahi-common's
 * own functions: avahi-core parses the record (avahi_string_list_parse,
 * which yields a reversed list), avahi-daemon appends that list to the
 * D-Bus array head first, and avahi-client reads the array prepending each
 * string.  The result is what the callback gets. */
static AvahiStringList *
client_list_from_wire(const void *wire, gsize len)
{
	AvahiStringList *daemon_side = NULL, *client_side = NULL, *l;

	assert_int_equal(avahi_string_list_parse(wire, len, &daemon_side), 0);
	for (l = daemon_side; l != NULL; l = l->next)
		client_side = avahi_string_list_add_arbitrary(client_side, l->text, l->size);
	avahi_string_list_free(daemon_side);
	return client_side;
}

static void
test_keeps_wire_order(void **state)
{
	static const char wire[] = "\x09" "txtvers=1" "\x06" "path=/" "\x04" "flag";
	AvahiStringList *l = client_list_from_wire(wire, sizeof(wire) - 1);
	g_autoptr(GPtrArray) txt = watcher_txt_to_wire(l);
	char *shown = avahi_string_list_to_string(l);

	assert_int_equal(txt->len, 3);
	assert_bytes(txt->pdata[0], "txtvers=1", 9);
	assert_bytes(txt->pdata[1], "path=/", 6);
	assert_bytes(txt->pdata[2], "flag", 4);
	/* what avahi-browse prints: reverse wire order */
	assert_string_equal(shown, "\"flag\" \"path=/\" \"txtvers=1\"");
	/* the list itself is untouched */
	assert_string_equal((const char *) l->text, "txtvers=1");
	avahi_free(shown);
	avahi_string_list_free(l);
}

static void
test_empty_list(void **state)
{
	g_autoptr(GPtrArray) txt = watcher_txt_to_wire(NULL);

	assert_non_null(txt);
	assert_int_equal(txt->len, 0);
}

/* Network bytes: NULs, invalid UTF-8 and empty strings keep their length. */
static void
test_arbitrary_bytes(void **state)
{
	static const guint8 raw[] = { 'k', '=', 0x00, 0xff, '\n' };
	AvahiStringList *l = NULL;
	g_autoptr(GPtrArray) txt = NULL;

	l = avahi_string_list_add_arbitrary(l, (const guint8 *) "", 0);
	l = avahi_string_list_add_arbitrary(l, raw, sizeof(raw));
	txt = watcher_txt_to_wire(l);
	assert_int_equal(txt->len, 2);
	assert_bytes(txt->pdata[0], raw, sizeof(raw));
	assert_bytes(txt->pdata[1], "", 0);
	avahi_string_list_free(l);
}

/* A long list (bigger than any real TXT record) stays in order. */
static void
test_long_list(void **state)
{
	AvahiStringList *l = NULL;
	g_autoptr(GPtrArray) txt = NULL;
	guint i;

	for (i = 500; i-- > 0;) {
		char s[16];

		g_snprintf(s, sizeof(s), "k%u=%u", i, i);
		l = avahi_string_list_add(l, s);
	}
	txt = watcher_txt_to_wire(l);
	assert_int_equal(txt->len, 500);
	for (i = 0; i < 500; i++) {
		char s[16];

		g_snprintf(s, sizeof(s), "k%u=%u", i, i);
		assert_bytes(txt->pdata[i], s, strlen(s));
	}
	avahi_string_list_free(l);
}

/* A TXT record browser's rdata gives what a resolver gives for the same
 * record: wire order, and no empty strings (avahi's parser drops them). */
static void
test_rdata_like_resolver(void **state)
{
	static const char wire[] = "\x09" "txtvers=1" "\x00" "\x06" "path=/" "\x00" "\x04" "flag";
	AvahiStringList *l = client_list_from_wire(wire, sizeof(wire) - 1);
	g_autoptr(GPtrArray) from_resolver = watcher_txt_to_wire(l);
	g_autoptr(GPtrArray) from_rdata =
		watcher_txt_rdata_to_wire((const guint8 *) wire, sizeof(wire) - 1);

	assert_non_null(from_rdata);
	assert_int_equal(from_rdata->len, 3);
	assert_int_equal(from_resolver->len, 3);
	for (guint i = 0; i < 3; i++)
		assert_true(g_bytes_equal(from_rdata->pdata[i], from_resolver->pdata[i]));
	avahi_string_list_free(l);
}

/* avahi serializes an empty list as one empty string; a length past the
 * end is refused. */
static void
test_rdata_edges(void **state)
{
	static const guint8 empty[] = { 0 };
	static const guint8 overrun[] = { 3, 'a', '=', '1', 5, 'b' };
	static const guint8 full[] = { 255 };
	g_autoptr(GPtrArray) e = watcher_txt_rdata_to_wire(empty, sizeof(empty));
	g_autoptr(GPtrArray) none = watcher_txt_rdata_to_wire(NULL, 0);

	assert_non_null(e);
	assert_int_equal(e->len, 0);
	assert_non_null(none);
	assert_int_equal(none->len, 0);
	assert_null(watcher_txt_rdata_to_wire(overrun, sizeof(overrun)));
	assert_null(watcher_txt_rdata_to_wire(full, sizeof(full)));
}

/* --- the interface-name cache ------------------------------------- */

static const char fake_avahi_xml[] =
	"<node><interface name='org.freedesktop.Avahi.Server'>"
	"<method name='GetNetworkInterfaceNameByIndex'>"
	"<arg name='index' type='i' direction='in'/>"
	"<arg name='name' type='s' direction='out'/>"
	"</method></interface></node>";

typedef struct {
	GTestDBus *bus;
	GDBusConnection *avahi;    /* the stand-in avahi-daemon's connection */
	guint object_id;
	guint owner_id;
	gboolean owned;
	guint n_calls;
	gboolean hold;             /* keep invocations instead of answering */
	GPtrArray *held;           /* GDBusMethodInvocation* */
	/* what the cache reported */
	guint n_ready;
	int last_index;
	char *last_name;
} NameFixture;

/* The stand-in: index 2 is "lan0"; any other index is unknown to it
 * (avahi answers org.freedesktop.Avahi.OSError). */
static void
fake_answer(GDBusMethodInvocation *inv)
{
	gint32 index;

	g_variant_get(g_dbus_method_invocation_get_parameters(inv), "(i)", &index);
	if (index == 2)
		g_dbus_method_invocation_return_value(inv, g_variant_new("(s)", "lan0"));
	else
		g_dbus_method_invocation_return_dbus_error(inv, "org.freedesktop.Avahi.OSError",
		                                           "No such device");
}

static void
fake_method(GDBusConnection *c, const char *sender, const char *path,
            const char *iface, const char *method, GVariant *params,
            GDBusMethodInvocation *inv, gpointer data)
{
	NameFixture *fx = data;

	fx->n_calls++;
	if (fx->hold)
		g_ptr_array_add(fx->held, inv);
	else
		fake_answer(inv);
}

static const GDBusInterfaceVTable fake_vtable = { fake_method, NULL, NULL, { 0 } };

static void
fake_name_acquired(GDBusConnection *c, const char *name, gpointer data)
{
	((NameFixture *) data)->owned = TRUE;
}

static void
on_ready(int ifindex, const char *name, gpointer data)
{
	NameFixture *fx = data;

	fx->n_ready++;
	fx->last_index = ifindex;
	g_free(fx->last_name);
	fx->last_name = g_strdup(name);
}

/* Iterate the main loop until *value >= want (or 5 s). */
static void
wait_for_count(const guint *value, guint want)
{
	gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

	while (*value < want && g_get_monotonic_time() < end)
		if (!g_main_context_iteration(NULL, FALSE))
			g_usleep(1000);
	assert_true(*value >= want);
}

/* Run the main loop for ms milliseconds. */
static void
spin(guint ms)
{
	gint64 end = g_get_monotonic_time() + (gint64) ms * 1000;

	while (g_get_monotonic_time() < end)
		if (!g_main_context_iteration(NULL, FALSE))
			g_usleep(1000);
}

/* A private bus as the system bus; own org.freedesktop.Avahi on it when
 * with_avahi. */
static void
name_bus_up(NameFixture *fx, gboolean with_avahi)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDBusNodeInfo) node = NULL;

	fx->bus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_test_dbus_up(fx->bus);
	g_setenv("DBUS_SYSTEM_BUS_ADDRESS", g_test_dbus_get_bus_address(fx->bus), TRUE);
	if (!with_avahi)
		return;
	fx->avahi = g_dbus_connection_new_for_address_sync(
		g_test_dbus_get_bus_address(fx->bus),
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
		G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL, NULL, &error);
	assert_non_null(fx->avahi);
	g_dbus_connection_set_exit_on_close(fx->avahi, FALSE);
	node = g_dbus_node_info_new_for_xml(fake_avahi_xml, &error);
	assert_non_null(node);
	fx->object_id = g_dbus_connection_register_object(fx->avahi, "/", node->interfaces[0],
	                                                  &fake_vtable, fx, NULL, &error);
	assert_true(fx->object_id != 0);
	fx->owned = FALSE;
	fx->owner_id = g_bus_own_name_on_connection(fx->avahi, "org.freedesktop.Avahi",
	                                            G_BUS_NAME_OWNER_FLAGS_NONE,
	                                            fake_name_acquired, NULL, fx, NULL);
	while (!fx->owned)
		g_main_context_iteration(NULL, TRUE);
}

static void
name_bus_down(NameFixture *fx)
{
	if (fx->avahi != NULL) {
		g_bus_unown_name(fx->owner_id);
		g_dbus_connection_unregister_object(fx->avahi, fx->object_id);
		g_dbus_connection_close_sync(fx->avahi, NULL, NULL);
		g_clear_object(&fx->avahi);
	}
	if (fx->bus != NULL) {
		g_test_dbus_down(fx->bus);
		g_clear_object(&fx->bus);
	}
}

static int
name_setup(void **state)
{
	g_autofree char *daemon = g_find_program_in_path("dbus-daemon");
	NameFixture *fx;

	/* No dbus-daemon: *state NULL, and each test skips. */
	*state = NULL;
	if (daemon == NULL)
		return 0;
	fx = g_new0(NameFixture, 1);
	fx->held = g_ptr_array_new();
	name_bus_up(fx, TRUE);
	*state = fx;
	return 0;
}

static int
name_teardown(void **state)
{
	NameFixture *fx = *state;

	if (fx == NULL)
		return 0;
	name_bus_down(fx);
	g_unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
	g_ptr_array_unref(fx->held);
	g_free(fx->last_name);
	g_free(fx);
	return 0;
}

/* avahi's name, asked once, reported once, never from inside lookup. */
static void
test_ifname_from_avahi(void **state)
{
	NameFixture *fx = *state;
	g_autoptr(IfnameCache) c = NULL;

	if (fx == NULL)
		skip();
	c = ifname_cache_new(on_ready, fx);
	assert_null(ifname_cache_lookup(c, 2));
	assert_null(ifname_cache_lookup(c, 2));
	assert_int_equal(fx->n_ready, 0);
	assert_true(ifname_cache_is_pending(c, 2));
	assert_int_equal(ifname_cache_n_pending(c), 1);
	wait_for_count(&fx->n_ready, 1);
	assert_int_equal(fx->last_index, 2);
	assert_string_equal(fx->last_name, "lan0");
	assert_false(ifname_cache_is_pending(c, 2));
	assert_int_equal(ifname_cache_n_pending(c), 0);
	assert_string_equal(ifname_cache_lookup(c, 2), "lan0");
	spin(50);
	assert_int_equal(fx->n_calls, 1);
	assert_int_equal(fx->n_ready, 1);
}

/* An index avahi does not know: this namespace's name, else "if<N>";
 * cached like an answer.  A negative index needs no call. */
static void
test_ifname_fallback(void **state)
{
	NameFixture *fx = *state;
	g_autoptr(IfnameCache) c = NULL;

	if (fx == NULL)
		skip();
	c = ifname_cache_new(on_ready, fx);
	assert_string_equal(ifname_cache_lookup(c, -1), "if-1");
	assert_null(ifname_cache_lookup(c, 999999));
	wait_for_count(&fx->n_ready, 1);
	assert_string_equal(fx->last_name, "if999999");
	assert_string_equal(ifname_cache_lookup(c, 999999), "if999999");
	assert_int_equal(fx->n_calls, 1);
	/* Index 1 is "lo" in every network namespace. */
	assert_null(ifname_cache_lookup(c, 1));
	wait_for_count(&fx->n_ready, 2);
	assert_string_equal(fx->last_name, "lo");
}

/* No avahi-daemon on the bus, or no bus at all: the fallback, from the
 * main loop. */
static void
test_ifname_no_avahi(void **state)
{
	NameFixture *fx = *state;
	g_autoptr(IfnameCache) c = NULL;

	if (fx == NULL)
		skip();
	name_bus_down(fx);
	name_bus_up(fx, FALSE);
	c = ifname_cache_new(on_ready, fx);
	assert_null(ifname_cache_lookup(c, 999998));
	wait_for_count(&fx->n_ready, 1);
	assert_string_equal(fx->last_name, "if999998");
	g_clear_pointer(&c, ifname_cache_free);

	g_setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/bus", TRUE);
	c = ifname_cache_new(on_ready, fx);
	assert_null(ifname_cache_lookup(c, 999997));
	assert_int_equal(fx->n_ready, 1);
	wait_for_count(&fx->n_ready, 2);
	assert_string_equal(fx->last_name, "if999997");
}

/* forget() while a call is out: no ready() for it; the index is asked
 * again afterwards.  free() with a call out: nothing runs later. */
static void
test_ifname_forget(void **state)
{
	NameFixture *fx = *state;
	g_autoptr(IfnameCache) c = NULL;

	if (fx == NULL)
		skip();
	c = ifname_cache_new(on_ready, fx);
	fx->hold = TRUE;
	assert_null(ifname_cache_lookup(c, 2));
	wait_for_count(&fx->n_calls, 1);
	ifname_cache_forget(c);
	assert_int_equal(ifname_cache_n_pending(c), 0);
	fake_answer(g_ptr_array_steal_index(fx->held, 0));
	spin(100);
	assert_int_equal(fx->n_ready, 0);
	fx->hold = FALSE;
	assert_null(ifname_cache_lookup(c, 2));
	wait_for_count(&fx->n_ready, 1);
	assert_string_equal(fx->last_name, "lan0");
	assert_int_equal(fx->n_calls, 2);

	fx->hold = TRUE;
	assert_null(ifname_cache_lookup(c, 3));
	wait_for_count(&fx->n_calls, 3);
	g_clear_pointer(&c, ifname_cache_free);
	fake_answer(g_ptr_array_steal_index(fx->held, 0));
	spin(100);
	assert_int_equal(fx->n_ready, 1);
}

/* The bus goes away (dbus-daemon restart) and comes back: the process
 * survives (exit-on-close is off) and the next lookup gets a new
 * connection. */
static void
test_ifname_bus_restart(void **state)
{
	NameFixture *fx = *state;
	g_autoptr(IfnameCache) c = NULL;

	if (fx == NULL)
		skip();
	c = ifname_cache_new(on_ready, fx);
	assert_null(ifname_cache_lookup(c, 2));
	wait_for_count(&fx->n_ready, 1);
	name_bus_down(fx);
	spin(100);
	name_bus_up(fx, TRUE);
	ifname_cache_forget(c);
	assert_null(ifname_cache_lookup(c, 2));
	wait_for_count(&fx->n_ready, 2);
	assert_string_equal(fx->last_name, "lan0");
	assert_int_equal(fx->n_calls, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keeps_wire_order),
		cmocka_unit_test(test_empty_list),
		cmocka_unit_test(test_arbitrary_bytes),
		cmocka_unit_test(test_long_list),
		cmocka_unit_test(test_rdata_like_resolver),
		cmocka_unit_test(test_rdata_edges),
		cmocka_unit_test_setup_teardown(test_ifname_from_avahi, name_setup, name_teardown),
		cmocka_unit_test_setup_teardown(test_ifname_fallback, name_setup, name_teardown),
		cmocka_unit_test_setup_teardown(test_ifname_no_avahi, name_setup, name_teardown),
		cmocka_unit_test_setup_teardown(test_ifname_forget, name_setup, name_teardown),
		cmocka_unit_test_setup_teardown(test_ifname_bus_restart, name_setup, name_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
