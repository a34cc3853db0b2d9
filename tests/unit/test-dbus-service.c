/* test-dbus-service.c - org.dnssdaudit.Auditor1 on a private dbus-daemon
 * standing in for the system bus (DBUS_SYSTEM_BUS_ADDRESS): name
 * ownership, ListServices/ListFindings/GetFindings with escaped strings,
 * the FindingAdded and FindingRemoved signals (never for accepted
 * findings), cached replies, the properties, the limits for callers that
 * do not read their replies, Reload errors, a taken name, an absent bus. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <gio/gio.h>
#include "daemon/dbus-service.h"
#include "audit/service-table.h"

typedef struct {
	GTestDBus *bus;
	GDBusConnection *client;
	ServiceTable *table;
	DbusService *svc;
	int last_state;            /* -1 none */
	char *last_message;
	gboolean reload_ok;
	guint n_signals;           /* FindingAdded */
	GVariant *last_signal;
	guint n_removed;           /* FindingRemoved */
	GVariant *last_removed;
} Fixture;

/* Every service has one finding; an instance name starting with "Acc" has
 * it accepted, one starting with "Two" a notice too. */
static void
judge(const ServiceEntry *e, FindingList *out, gpointer data)
{
	finding_list_add(out, FINDING_INSTANCE_CONTROL_CHAR, SEVERITY_ERROR,
	                 g_strdup_printf("control byte in \"%s\"", e->name));
	if (g_str_has_prefix(e->name, "Acc"))
		finding_list_get(out, out->len - 1)->accepted = TRUE;
	if (g_str_has_prefix(e->name, "Two"))
		finding_list_add(out, FINDING_TXT_KEY_TOO_LONG, SEVERITY_NOTICE,
		                 g_strdup("TXT key \"averylongkey\" is longer than 9 characters"));
}

/* What the auditor does: report -> FindingAdded, gone -> FindingRemoved,
 * and every change invalidates the cached lists (here: in the tests). */
static void
report(const ServiceEntry *e, const Finding *f, gpointer data)
{
	Fixture *fx = data;

	dbus_service_emit_finding(fx->svc, e, f);
}

static void
gone(const ServiceEntry *e, const Finding *f, ServiceGone why, gpointer data)
{
	Fixture *fx = data;

	dbus_service_emit_finding_removed(fx->svc, e, f);
}

static const ServiceTableCallbacks table_cb = { judge, report, NULL, gone };

static gboolean
reload_cb(char **summary, GError **error, gpointer data)
{
	Fixture *fx = data;

	if (fx->reload_ok) {
		*summary = g_strdup("registry reloaded: test");
		return TRUE;
	}
	g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "/x.xml: cannot open");
	return FALSE;
}

static void
state_cb(DbusServiceState state, const char *message, gpointer data)
{
	Fixture *fx = data;

	fx->last_state = (int)state;
	g_free(fx->last_message);
	fx->last_message = g_strdup(message);
}

static const DbusServiceCallbacks dbus_cb = { reload_cb, state_cb };

/* Iterate the main loop until *flag (or 5 s). */
static void
wait_for(const int *value, int want)
{
	gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

	while (*value != want && g_get_monotonic_time() < end)
		g_main_context_iteration(NULL, TRUE);
	assert_int_equal(*value, want);
}

static void
on_signal(GDBusConnection *c, const char *sender, const char *path, const char *iface,
          const char *name, GVariant *params, gpointer data)
{
	Fixture *fx = data;
	gboolean added = strcmp(name, "FindingAdded") == 0;
	GVariant **slot = added ? &fx->last_signal : &fx->last_removed;

	if (added)
		fx->n_signals++;
	else
		fx->n_removed++;
	if (*slot != NULL)
		g_variant_unref(*slot);
	*slot = g_variant_ref(params);
}

static int
setup_with(void **state, const DbusLimitsConfig *limits)
{
	Fixture *fx = g_new0(Fixture, 1);
	g_autoptr(GError) error = NULL;

	fx->bus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_test_dbus_up(fx->bus);
	g_setenv("DBUS_SYSTEM_BUS_ADDRESS", g_test_dbus_get_bus_address(fx->bus), TRUE);
	fx->client = g_dbus_connection_new_for_address_sync(
		g_test_dbus_get_bus_address(fx->bus),
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
		G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL, NULL, &error);
	assert_non_null(fx->client);
	g_dbus_connection_signal_subscribe(fx->client, NULL, AUDITD_DBUS_INTERFACE,
	                                   "FindingAdded", AUDITD_DBUS_PATH, NULL,
	                                   G_DBUS_SIGNAL_FLAGS_NONE, on_signal, fx, NULL);
	g_dbus_connection_signal_subscribe(fx->client, NULL, AUDITD_DBUS_INTERFACE,
	                                   "FindingRemoved", AUDITD_DBUS_PATH, NULL,
	                                   G_DBUS_SIGNAL_FLAGS_NONE, on_signal, fx, NULL);
	fx->table = service_table_new(100, &table_cb, fx);
	fx->last_state = -1;
	fx->svc = dbus_service_new(G_BUS_TYPE_SYSTEM, fx->table, &dbus_cb, fx);
	if (limits != NULL)
		dbus_service_set_limits(fx->svc, limits);
	wait_for(&fx->last_state, DBUS_SERVICE_NAME_OWNED);
	assert_true(dbus_service_is_owned(fx->svc));
	assert_string_equal(fx->last_message, "bus name org.dnssdaudit.Auditor1 owned");
	*state = fx;
	return 0;
}

static int
setup(void **state)
{
	return setup_with(state, NULL);
}

/* Every reply leaves a caller that does not read over its limit. */
static int
setup_tight(void **state)
{
	DbusLimitsConfig cfg = dbus_limits_default;

	cfg.caller_bytes = 1;
	return setup_with(state, &cfg);
}

static int
teardown(void **state)
{
	Fixture *fx = *state;

	dbus_service_free(fx->svc);
	service_table_free(fx->table);
	g_object_unref(fx->client);
	g_test_dbus_down(fx->bus);
	g_object_unref(fx->bus);
	g_unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
	g_free(fx->last_message);
	if (fx->last_signal != NULL)
		g_variant_unref(fx->last_signal);
	if (fx->last_removed != NULL)
		g_variant_unref(fx->last_removed);
	g_free(fx);
	return 0;
}

typedef struct {
	GVariant *reply;
	GError *error;
	int done;
} Call;

static void
call_done(GObject *source, GAsyncResult *res, gpointer data)
{
	Call *c = data;

	c->reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), res, &c->error);
	c->done = 1;
}

/* Call a method of the service while the main loop keeps running (the
 * service lives in this process). */
static void
call(Fixture *fx, const char *method, Call *c)
{
	*c = (Call){ 0 };
	g_dbus_connection_call(fx->client, AUDITD_DBUS_NAME, AUDITD_DBUS_PATH,
	                       AUDITD_DBUS_INTERFACE, method, NULL, NULL,
	                       G_DBUS_CALL_FLAGS_NONE, 5000, NULL, call_done, c);
	wait_for(&c->done, 1);
}

/* name on eth0 (index 2) or wlan0 (3), IPv4 or IPv6. */
static void
update_service(Fixture *fx, const char *name, gboolean wlan, gboolean ipv6, gboolean remove)
{
	GPtrArray *txt = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	ObservedService s = {
		.ifindex = wlan ? 3 : 2, .ifname = wlan ? "wlan0" : "eth0",
		.protocol = ipv6 ? OBSERVED_PROTO_IPV6 : OBSERVED_PROTO_IPV4,
		.name = name, .type = "_ipp._tcp", .domain = "local",
		.resolved = TRUE, .host = "p.local", .address = "192.0.2.1", .port = 631,
		.txt = txt,
	};

	g_ptr_array_add(txt, g_bytes_new("rp=x\xff", 5));
	if (remove)
		service_table_remove(fx->table, &s);
	else
		service_table_update(fx->table, &s, NULL);
	dbus_service_invalidate(fx->svc);
	g_ptr_array_unref(txt);
}

static void
add_service(Fixture *fx, const char *name)
{
	update_service(fx, name, FALSE, FALSE, FALSE);
}

/* Run the main loop until *n reaches want (or 5 s), then a little longer
 * so that a signal too many would arrive too. */
static void
wait_signals(const guint *n, guint want)
{
	gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

	while (*n < want && g_get_monotonic_time() < end)
		g_main_context_iteration(NULL, TRUE);
	end = g_get_monotonic_time() + 100 * 1000;
	while (g_get_monotonic_time() < end)
		g_main_context_iteration(NULL, FALSE);
	assert_int_equal(*n, want);
}

static void
test_signal_and_lists(void **state)
{
	Fixture *fx = *state;
	Call c;
	const char *code, *sev, *type, *inst, *ifname, *msg, *proto, *host;
	gint32 port;
	g_autoptr(GVariant) list = NULL;
	g_autoptr(GVariant) svc = NULL;
	GVariantDict d;
	const char *s;
	gint32 i;
	g_autoptr(GVariant) txt = NULL;

	add_service(fx, "Bad\x01Name\xc3");
	{
		gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

		while (fx->n_signals == 0 && g_get_monotonic_time() < end)
			g_main_context_iteration(NULL, TRUE);
	}
	assert_int_equal(fx->n_signals, 1);
	g_variant_get(fx->last_signal, "(&s&s&s&s&s&s&s&si)", &code, &sev, &type, &inst, &ifname,
	              &msg, &proto, &host, &port);
	assert_string_equal(code, "instance-control-char");
	assert_string_equal(sev, "error");
	assert_string_equal(type, "_ipp._tcp");
	/* Network bytes arrive escaped: valid UTF-8, no control bytes. */
	assert_string_equal(inst, "Bad\\x01Name\\xc3");
	assert_string_equal(ifname, "eth0");
	assert_string_equal(msg, "control byte in \\\"Bad\\x01Name\\xc3\\\"");
	assert_string_equal(proto, "ipv4");
	assert_string_equal(host, "p.local");
	assert_int_equal(port, 631);

	call(fx, "ListFindings", &c);
	assert_null(c.error);
	assert_string_equal(g_variant_get_type_string(c.reply), "(a(ssssssssi))");
	list = g_variant_get_child_value(c.reply, 0);
	assert_int_equal(g_variant_n_children(list), 1);
	{
		g_autoptr(GVariant) one = g_variant_get_child_value(list, 0);

		assert_true(g_variant_equal(one, fx->last_signal));
	}
	g_variant_unref(c.reply);

	call(fx, "ListServices", &c);
	assert_null(c.error);
	assert_string_equal(g_variant_get_type_string(c.reply), "(aa{sv})");
	g_variant_unref(list);
	list = g_variant_get_child_value(c.reply, 0);
	assert_int_equal(g_variant_n_children(list), 1);
	svc = g_variant_get_child_value(list, 0);
	g_variant_dict_init(&d, svc);
	assert_true(g_variant_dict_lookup(&d, "instance", "&s", &s));
	assert_string_equal(s, "Bad\\x01Name\\xc3");
	assert_true(g_variant_dict_lookup(&d, "port", "i", &i));
	assert_int_equal(i, 631);
	assert_true(g_variant_dict_lookup(&d, "address", "&s", &s));
	assert_string_equal(s, "192.0.2.1");
	txt = g_variant_dict_lookup_value(&d, "txt", G_VARIANT_TYPE("aay"));
	assert_non_null(txt);
	{
		g_autoptr(GVariant) t0 = g_variant_get_child_value(txt, 0);
		gsize n;
		const guint8 *bytes = g_variant_get_fixed_array(t0, &n, 1);

		assert_int_equal(n, 5);
		assert_memory_equal(bytes, "rp=x\xff", 5);
	}
	assert_true(g_variant_dict_lookup(&d, "findings", "u", (guint *)&i));
	assert_int_equal(i, 1);
	g_variant_dict_clear(&d);
	g_variant_unref(c.reply);
}

/* The list of a reply "(aa{sv})" / "(a(...))", owned. */
static GVariant *
reply_list(Call *c)
{
	GVariant *list;

	assert_null(c->error);
	list = g_variant_get_child_value(c->reply, 0);
	g_variant_unref(c->reply);
	c->reply = NULL;
	return list;
}

static void
test_finding_removed(void **state)
{
	Fixture *fx = *state;
	const char *code, *inst, *ifname, *proto;

	add_service(fx, "Gone");
	wait_signals(&fx->n_signals, 1);
	/* Seen on a second interface and protocol: nothing new, nothing gone. */
	update_service(fx, "Gone", TRUE, TRUE, FALSE);
	/* It leaves one of them: it still has the finding. */
	update_service(fx, "Gone", FALSE, FALSE, TRUE);
	wait_signals(&fx->n_removed, 0);
	/* And the other: the finding is gone, signalled once, with the same
	 * arguments as FindingAdded but for the advertisement that had it
	 * last. */
	update_service(fx, "Gone", TRUE, TRUE, TRUE);
	wait_signals(&fx->n_removed, 1);
	assert_int_equal(fx->n_signals, 1);
	assert_string_equal(g_variant_get_type_string(fx->last_removed), "(ssssssssi)");
	g_variant_get(fx->last_removed, "(&s&s&s&s&s&s&s&si)", &code, NULL, NULL, &inst,
	              &ifname, NULL, &proto, NULL, NULL);
	assert_string_equal(code, "instance-control-char");
	assert_string_equal(inst, "Gone");
	assert_string_equal(ifname, "wlan0");
	assert_string_equal(proto, "ipv6");
}

static void
test_accepted(void **state)
{
	Fixture *fx = *state;
	Call c;
	g_autoptr(GVariant) list = NULL;
	g_autoptr(GVariant) all = NULL;
	gboolean accepted = FALSE;
	const char *inst;

	add_service(fx, "Accepted one");
	add_service(fx, "Plain");
	/* FindingAdded for Plain only. */
	wait_signals(&fx->n_signals, 1);
	g_variant_get(fx->last_signal, "(&s&s&s&sssssi)", NULL, NULL, NULL, &inst,
	              NULL, NULL, NULL, NULL, NULL);
	assert_string_equal(inst, "Plain");

	/* ListFindings (0.1) lists only what is not accepted ... */
	call(fx, "ListFindings", &c);
	list = reply_list(&c);
	assert_int_equal(g_variant_n_children(list), 1);
	/* ... GetFindings all, the accepted one marked. */
	call(fx, "GetFindings", &c);
	all = reply_list(&c);
	assert_int_equal(g_variant_n_children(all), 2);
	{
		g_autoptr(GVariant) first = g_variant_get_child_value(all, 0);
		GVariantDict d;

		g_variant_dict_init(&d, first);
		assert_true(g_variant_dict_lookup(&d, "instance", "&s", &inst));
		assert_string_equal(inst, "Accepted one");
		assert_true(g_variant_dict_lookup(&d, "accepted", "b", &accepted));
		assert_true(accepted);
		g_variant_dict_clear(&d);
	}
	/* Its removal is not signalled either. */
	update_service(fx, "Accepted one", FALSE, FALSE, TRUE);
	update_service(fx, "Plain", FALSE, FALSE, TRUE);
	wait_signals(&fx->n_removed, 1);
	g_variant_get(fx->last_removed, "(&s&s&s&sssssi)", NULL, NULL, NULL, &inst,
	              NULL, NULL, NULL, NULL, NULL);
	assert_string_equal(inst, "Plain");
}

static void
test_get_findings(void **state)
{
	Fixture *fx = *state;
	Call c;
	g_autoptr(GVariant) all = NULL;
	g_autoptr(GVariant) old = NULL;
	gint64 before = g_get_real_time(), after;

	/* One service on three advertisements, with two findings. */
	update_service(fx, "Two faces", FALSE, FALSE, FALSE);
	update_service(fx, "Two faces", FALSE, TRUE, FALSE);
	update_service(fx, "Two faces", TRUE, FALSE, FALSE);
	after = g_get_real_time();
	/* ListFindings keeps the 0.1 shape: per advertisement. */
	call(fx, "ListFindings", &c);
	old = reply_list(&c);
	assert_int_equal(g_variant_n_children(old), 6);
	/* GetFindings: once per service. */
	call(fx, "GetFindings", &c);
	all = reply_list(&c);
	assert_string_equal(g_variant_get_type_string(all), "aa{sv}");
	assert_int_equal(g_variant_n_children(all), 2);
	for (guint i = 0; i < 2; i++) {
		g_autoptr(GVariant) one = g_variant_get_child_value(all, i);
		g_autoptr(GVariant) seen = NULL;
		GVariantDict d;
		const char *code, *sev, *ifname, *proto, *host, *msg, *type;
		gint32 port;
		guint64 first;
		gboolean accepted;

		g_variant_dict_init(&d, one);
		assert_true(g_variant_dict_lookup(&d, "code", "&s", &code));
		assert_string_equal(code, i == 0 ? "instance-control-char" : "txt-key-too-long");
		assert_true(g_variant_dict_lookup(&d, "severity", "&s", &sev));
		assert_string_equal(sev, i == 0 ? "error" : "notice");
		assert_true(g_variant_dict_lookup(&d, "type", "&s", &type));
		assert_string_equal(type, "_ipp._tcp");
		/* The oldest advertisement with it. */
		assert_true(g_variant_dict_lookup(&d, "interface", "&s", &ifname));
		assert_string_equal(ifname, "eth0");
		assert_true(g_variant_dict_lookup(&d, "protocol", "&s", &proto));
		assert_string_equal(proto, "ipv4");
		assert_true(g_variant_dict_lookup(&d, "host", "&s", &host));
		assert_string_equal(host, "p.local");
		assert_true(g_variant_dict_lookup(&d, "port", "i", &port));
		assert_int_equal(port, 631);
		assert_true(g_variant_dict_lookup(&d, "message", "&s", &msg));
		if (i == 1)
			assert_string_equal(msg, "TXT key \\\"averylongkey\\\" is longer than 9 characters");
		assert_true(g_variant_dict_lookup(&d, "accepted", "b", &accepted));
		assert_false(accepted);
		assert_true(g_variant_dict_lookup(&d, "first-seen", "t", &first));
		assert_true((gint64)first >= before && (gint64)first <= after);
		seen = g_variant_dict_lookup_value(&d, "seen-on", G_VARIANT_TYPE("a(ss)"));
		assert_non_null(seen);
		assert_int_equal(g_variant_n_children(seen), 3);
		{
			g_autofree char *text = g_variant_print(seen, FALSE);

			assert_string_equal(text, "[('eth0', 'ipv4'), ('eth0', 'ipv6'), ('wlan0', 'ipv4')]");
		}
		g_variant_dict_clear(&d);
	}
}

/* ListServices is built once per state: without dbus_service_invalidate()
 * a change does not show, after it, it does. */
static void
test_cached_replies(void **state)
{
	Fixture *fx = *state;
	Call c;
	g_autoptr(GVariant) a = NULL;
	g_autoptr(GVariant) b = NULL;
	g_autoptr(GVariant) d = NULL;
	g_autoptr(GVariant) f = NULL;
	ObservedService s = {
		.ifindex = 2, .ifname = "eth0", .protocol = OBSERVED_PROTO_IPV4,
		.name = "Uncached", .type = "_ipp._tcp", .domain = "local",
	};

	add_service(fx, "Cached");
	call(fx, "ListServices", &c);
	a = reply_list(&c);
	assert_int_equal(g_variant_n_children(a), 1);
	call(fx, "GetFindings", &c);
	f = reply_list(&c);
	assert_int_equal(g_variant_n_children(f), 1);
	g_variant_unref(f);
	service_table_update(fx->table, &s, NULL);
	call(fx, "ListServices", &c);
	b = reply_list(&c);
	assert_int_equal(g_variant_n_children(b), 1);
	call(fx, "GetFindings", &c);
	f = reply_list(&c);
	assert_int_equal(g_variant_n_children(f), 1);
	g_variant_unref(f);
	dbus_service_invalidate(fx->svc);
	call(fx, "ListServices", &c);
	d = reply_list(&c);
	assert_int_equal(g_variant_n_children(d), 2);
	call(fx, "GetFindings", &c);
	f = reply_list(&c);
	assert_int_equal(g_variant_n_children(f), 2);
}

/* A client that never answers Peer.Ping: to the auditor, one that has not
 * read its replies. */
static GDBusMessage *
drop_pings(GDBusConnection *c, GDBusMessage *msg, gboolean incoming, gpointer data)
{
	if (incoming && g_dbus_message_get_message_type(msg) == G_DBUS_MESSAGE_TYPE_METHOD_CALL &&
	    g_strcmp0(g_dbus_message_get_member(msg), "Ping") == 0) {
		g_object_unref(msg);
		return NULL;
	}
	return msg;
}

typedef struct {
	guint done, ok, refused, timed_out, other;
} Burst;

static void
burst_done(GObject *source, GAsyncResult *res, gpointer data)
{
	Burst *b = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source),
	                                                          res, &error);

	b->done++;
	if (reply != NULL)
		b->ok++;
	else if (g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_LIMITS_EXCEEDED))
		b->refused++;
	else if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
		b->timed_out++;
	else
		b->other++;
}

static void
test_limits(void **state)
{
	Fixture *fx = *state;
	g_autoptr(GError) error = NULL;
	g_autoptr(GDBusConnection) deaf = g_dbus_connection_new_for_address_sync(
		g_test_dbus_get_bus_address(fx->bus),
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
		G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL, NULL, &error);
	Burst b = { 0 };
	DbusLimitsStats st;
	/* Under the bus's 128 calls in progress per connection, so that all
	 * refusals are the auditor's. */
	const guint n = 120;

	assert_non_null(deaf);
	g_dbus_connection_add_filter(deaf, drop_pings, NULL, NULL);
	add_service(fx, "Limited");
	/* All at once, as a client that does not wait for its replies: the
	 * first ones are answered, then refused, then left unanswered. */
	for (guint i = 0; i < n; i++)
		g_dbus_connection_call(deaf, AUDITD_DBUS_NAME, AUDITD_DBUS_PATH,
		                       AUDITD_DBUS_INTERFACE, i % 2 ? "ListServices" : "GetFindings",
		                       NULL, NULL, G_DBUS_CALL_FLAGS_NONE, 1500, NULL,
		                       burst_done, &b);
	{
		gint64 end = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

		while (b.done < n && g_get_monotonic_time() < end)
			g_main_context_iteration(NULL, TRUE);
	}
	print_message("limits: %u answered, %u refused, %u unanswered, %u other\n",
	              b.ok, b.refused, b.timed_out, b.other);
	assert_int_equal(b.done, n);
	assert_int_equal(b.other, 0);
	assert_true(b.ok >= 1 && b.ok <= dbus_limits_default.caller_calls);
	assert_true(b.refused >= 1);
	assert_true(b.timed_out >= 1);
	assert_true(dbus_service_limits_stats(fx->svc, &st));
	assert_int_equal(st.accepted, b.ok);
	assert_int_equal(st.refused, b.refused);
	assert_int_equal(st.dropped, b.timed_out);
	/* A few refusals, then silence. */
	assert_true(b.refused < 64);

	/* A client that reads is answered every time meanwhile, however many
	 * calls it makes (each after the last reply). */
	for (guint i = 0; i < 20; i++) {
		Call c;

		call(fx, i % 2 ? "ListServices" : "GetFindings", &c);
		if (c.error != NULL)
			print_message("call %u: %s\n", i, c.error->message);

		assert_null(c.error);
		g_variant_unref(c.reply);
	}

	/* The deaf one leaves: the bus drops what it did not read, and the
	 * auditor forgets it. */
	g_dbus_connection_close_sync(deaf, NULL, NULL);
	{
		gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

		do {
			g_main_context_iteration(NULL, FALSE);
			assert_true(dbus_service_limits_stats(fx->svc, &st));
		} while ((st.callers > 0 || st.unread_bytes > 0) && g_get_monotonic_time() < end);
	}
	assert_int_equal(st.callers, 0);
	assert_int_equal(st.unread_bytes, 0);
}

static void
test_reload(void **state)
{
	Fixture *fx = *state;
	Call c;
	g_autofree char *remote = NULL;
	const char *summary;

	fx->reload_ok = FALSE;
	call(fx, "Reload", &c);
	assert_null(c.reply);
	assert_non_null(c.error);
	remote = g_dbus_error_get_remote_error(c.error);
	assert_string_equal(remote, "org.dnssdaudit.Error.ReloadFailed");
	assert_non_null(strstr(c.error->message, "/x.xml: cannot open"));
	g_clear_error(&c.error);

	fx->reload_ok = TRUE;
	call(fx, "Reload", &c);
	assert_null(c.error);
	g_variant_get(c.reply, "(&s)", &summary);
	assert_string_equal(summary, "registry reloaded: test");
	g_variant_unref(c.reply);
}

static void
test_properties(void **state)
{
	Fixture *fx = *state;
	Call c = { 0 };
	g_autoptr(GVariant) v = NULL;
	const char *s;

	gint64 start_max = g_get_real_time();

	add_service(fx, "Two");
	add_service(fx, "Accepted");
	update_service(fx, "Two", TRUE, TRUE, FALSE);
	dbus_service_set_status(fx->svc, "auditing 1 services, 1 findings", TRUE, 1, 1, 7);
	dbus_service_set_registry(fx->svc, "/r.xml", "2024-03-18", 14444);
	dbus_service_set_catalogue(fx->svc, "/c\x01.xml", 118);
	g_dbus_connection_call(fx->client, AUDITD_DBUS_NAME, AUDITD_DBUS_PATH,
	                       "org.freedesktop.DBus.Properties", "GetAll",
	                       g_variant_new("(s)", AUDITD_DBUS_INTERFACE), NULL,
	                       G_DBUS_CALL_FLAGS_NONE, 5000, NULL, call_done, &c);
	wait_for(&c.done, 1);
	assert_null(c.error);
	v = g_variant_get_child_value(c.reply, 0);
	{
		GVariantDict d;
		guint u;
		guint64 t;
		gboolean b;

		g_variant_dict_init(&d, v);
		assert_true(g_variant_dict_lookup(&d, "Status", "&s", &s));
		assert_string_equal(s, "auditing 1 services, 1 findings");
		assert_true(g_variant_dict_lookup(&d, "Version", "&s", &s));
		assert_string_equal(s, PACKAGE_VERSION);
		assert_true(g_variant_dict_lookup(&d, "RegistryUpdated", "&s", &s));
		assert_string_equal(s, "2024-03-18");
		assert_true(g_variant_dict_lookup(&d, "RegistryRecords", "u", &u));
		assert_int_equal(u, 14444);
		assert_true(g_variant_dict_lookup(&d, "SuppressedLines", "t", &t));
		assert_int_equal(t, 7);
		assert_true(g_variant_dict_lookup(&d, "AvahiRunning", "b", &b));
		assert_true(b);
		/* Per service: Two's error and notice once (two advertisements),
		 * Accepted's error accepted. */
		assert_true(g_variant_dict_lookup(&d, "NAccepted", "u", &u));
		assert_int_equal(u, 1);
		{
			g_autoptr(GVariant) sev = g_variant_dict_lookup_value(
				&d, "FindingsBySeverity", G_VARIANT_TYPE("a{su}"));
			g_autofree char *text = NULL;

			assert_non_null(sev);
			text = g_variant_print(sev, FALSE);
			assert_string_equal(text, "{'error': 1, 'warning': 0, 'notice': 1, 'info': 0}");
		}
		assert_true(g_variant_dict_lookup(&d, "StartTime", "t", &t));
		assert_true(t > 0 && (gint64)t <= start_max);
		assert_true(g_variant_dict_lookup(&d, "CataloguePath", "&s", &s));
		assert_string_equal(s, "/c\\x01.xml");
		assert_true(g_variant_dict_lookup(&d, "CatalogueRecords", "u", &u));
		assert_int_equal(u, 118);
		g_variant_dict_clear(&d);
	}
	g_variant_unref(c.reply);
}

static void
test_name_taken(void **state)
{
	Fixture *fx = *state;
	Fixture other = { .last_state = -1 };
	g_autoptr(ServiceTable) t = service_table_new(10, &table_cb, &other);
	DbusService *second = dbus_service_new(G_BUS_TYPE_SYSTEM, t, &dbus_cb, &other);

	wait_for(&other.last_state, DBUS_SERVICE_NAME_TAKEN);
	assert_non_null(strstr(other.last_message, "another process owns it"));
	assert_false(dbus_service_is_owned(second));
	/* The first one still serves. */
	assert_true(dbus_service_is_owned(fx->svc));
	dbus_service_free(second);
	g_free(other.last_message);
}

static void
test_no_bus(void **state)
{
	Fixture fx = { .last_state = -1 };
	g_autoptr(ServiceTable) t = service_table_new(10, &table_cb, &fx);
	DbusService *s;

	g_setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/bus", TRUE);
	s = dbus_service_new(G_BUS_TYPE_SYSTEM, t, &dbus_cb, &fx);
	wait_for(&fx.last_state, DBUS_SERVICE_UNAVAILABLE);
	assert_non_null(strstr(fx.last_message, "D-Bus system bus unavailable"));
	assert_false(dbus_service_is_owned(s));
	/* Emitting without a bus is harmless. */
	dbus_service_free(s);
	g_unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
	g_free(fx.last_message);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_signal_and_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_finding_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accepted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_get_findings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cached_replies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup_tight, teardown),
		cmocka_unit_test_setup_teardown(test_reload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_properties, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name_taken, setup, teardown),
		cmocka_unit_test(test_no_bus),
	};

	g_autofree char *daemon = g_find_program_in_path("dbus-daemon");

	if (daemon == NULL) {
		/* cmocka has no whole-group skip: say so in TAP. */
		printf("1..0 # SKIP dbus-daemon not installed\n");
		return 0;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
