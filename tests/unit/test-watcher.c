/* test-watcher.c - the pure parts of the watcher: the TXT list of an
 * avahi-client resolver callback to GBytes in wire order.  The lists are
 * built with avahi-common's own functions, not mocks. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>
#include <avahi-common/malloc.h>
#include <avahi-common/strlst.h>
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keeps_wire_order),
		cmocka_unit_test(test_empty_list),
		cmocka_unit_test(test_arbitrary_bytes),
		cmocka_unit_test(test_long_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
