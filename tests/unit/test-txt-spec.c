/* test-txt-spec.c - the "Defined TXT keys:" note reader on the styles the
 * registry really uses, and on every such note in the pasted excerpts. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "registry/txt-spec.h"
#include "tests/unit/test-common.h"

/* Parse note and check its kind and, for TXT_SPEC_KEYS, the displayed
 * keys ("sys|dk<n>"; NULL for other kinds). */
static void
expect(const char *note, TxtSpecKind kind, const char *keys)
{
	TxtSpec spec;
	g_autoptr(GString) got = g_string_new(NULL);

	txt_spec_parse(note, &spec);
	for (guint i = 0; i < spec.n_keys; i++)
		g_string_append_printf(got, "%s%s", i > 0 ? "|" : "", spec.keys[i].key_display);
	if (spec.kind != kind || (keys != NULL && strcmp(got->str, keys) != 0)) {
		print_error("note \"%s\": got %s [%s], expected %s [%s]\n", note,
		            txt_spec_kind_name(spec.kind), got->str, txt_spec_kind_name(kind),
		            keys != NULL ? keys : "");
		txt_spec_clear(&spec);
		fail();
	}
	if (kind != TXT_SPEC_KEYS)
		assert_int_equal(spec.n_keys, 0);
	txt_spec_clear(&spec);
}

#define KEYS(note, keys) expect(note, TXT_SPEC_KEYS, keys)
#define NONE(note) expect(note, TXT_SPEC_NONE, NULL)
#define UNSPEC(note) expect(note, TXT_SPEC_UNSPECIFIED, NULL)

static void
test_absent(void **state)
{
	expect(NULL, TXT_SPEC_ABSENT, NULL);
	expect("", TXT_SPEC_ABSENT, NULL);
	expect("This entry is an alias to \"dec-dlm\".", TXT_SPEC_ABSENT, NULL);
	expect("u=<username> p=<password> path=<path to document>", TXT_SPEC_ABSENT, NULL);
}

static void
test_none(void **state)
{
	NONE("Defined TXT keys: None");
	NONE("Defined TXT keys: none");
	NONE("Defined TXT keys: NONE");
	NONE("Defined TXT keys:  None");
	NONE("Defined TXT keys: None.");
	NONE("Defined TXT keys: None at present");
	NONE("Defined TXT keys: None. RFID reader Low Level Reader Protocol");
	NONE("Defined TXT keys: None\nProfiling and performance analysis protocol for Shark 4.0 and BigTop.");
	NONE("Defined TXT keys: there is no TXT keys defined for this protocol");
	NONE("Subtypes: _www-http\n      Defined TXT keys: None");
	NONE("[RFC7030]. Defined TXT keys: None");
	/* "Nonesuch" is a key, not "None". */
	KEYS("Defined TXT keys: Nonesuch", "Nonesuch");
	/* "None" followed by key definitions contradicts itself. */
	UNSPEC("Defined TXT keys: None\n  path=<file system pathname to repository>\n"
	       "  description=<descriptive name of repository>");
}

static void
test_unspecified(void **state)
{
	UNSPEC("Defined TXT keys: Proprietary");
	UNSPEC("Defined TXT keys: proprietary");
	UNSPEC("Defined TXT keys: txtvers and proprietary keys");
	UNSPEC("Defined TXT keys: txtvers + Proprietary");
	UNSPEC("Defined TXT keys: txtvers, name, (others not publicly documented)");
	UNSPEC("Defined TXT keys: See BonjourPrinting.pdf.");
	UNSPEC("Defined TXT keys: See BonjourPrinting.pdf. | |||");
	UNSPEC("Defined TXT keys: see www.broadband-forum.org/assignments");
	UNSPEC("Defined TXT keys: see: http://www.zigbee.org/Standards/ZigBeeNetworkDevices");
	UNSPEC("Defined TXT keys: https://help.axis.com/en-us/axis-os#axis-bonjour-implementation");
	UNSPEC("Defined TXT keys: https://www.praesentia.com/medkit/mist-service-type (dn dt md mf pr sn vn)");
	UNSPEC("Defined TXT keys: bidib,node,interface,uid,prod,user - http://bidib.org/transport/bidib_net_e.html");
	UNSPEC("Defined TXT keys: TBD");
	UNSPEC("Defined TXT keys: omni-livetxt.html");
	UNSPEC("Defined TXT keys:");
	UNSPEC("Defined TXT keys: ");
	UNSPEC("Defined TXT keys: []");
	UNSPEC("Defined TXT keys: 0");
	UNSPEC("Defined TXT keys: Will be described at www.exbiblio.com");
	UNSPEC("Defined TXT keys: inherited from bonjour/iOS multipeer connectivity");
	UNSPEC("Defined TXT keys: Application will rely upon Bonjour version 3.1.0.1");
	UNSPEC("Defined TXT keys: Defined in URL specification");
	UNSPEC("Defined TXT keys: Contact The ZAZ Software <networkclipboard at thezaz.com>");
	UNSPEC("Defined TXT keys: TEST-OK Test Controller Card TCCxxxx");
	UNSPEC("Defined TXT keys: 1 TXT record key for the RSA public key used by the server instance.");
	UNSPEC("Defined TXT keys: Text keys are the file extensions of any file the user plans to share, i.e. pdf, doc, mp3.");
	UNSPEC("Defined TXT keys: <serial number of server>");
	UNSPEC("Defined TXT keys: <type>:application specific kind of protocol; \n"
	       "      <vers>:version of the 'type'; <device>:device descriptor");
	UNSPEC("Defined TXT keys: key \"txtvers\" for specification versioning, \n"
	       "      and key \"name\" representing the advertising presentation string");
	UNSPEC("Defined TXT keys: There are two TXT record keys: 1st key: \n"
	       "    \"txt-vers\" associated with an 'int' entry. 2nd key: \"conn-stat\" \n"
	       "    associated with an 'int' entry.");
	UNSPEC("Defined TXT keys: Varies; Depends on type of service being offered/resolved\n"
	       "Although DNS-SD does not recommend ...");
	UNSPEC("Defined TXT keys: _payload._tcp.local, _payload._udp.local");
	UNSPEC("Defined TXT keys: _hub._tcp.host.example.com");
	UNSPEC("Defined TXT keys: companyfullname == The name of the company hosting the Nasuni Filer");
	UNSPEC("Defined TXT keys: uuid = 55A346CB-C87C-4569-A4B0-248E6388893B vers = 1.0");
}

static void
test_comma_lists(void **state)
{
	KEYS("Defined TXT keys: txtvers", "txtvers");
	KEYS("Defined TXT keys: txtvers, protovers", "txtvers|protovers");
	KEYS("Defined TXT keys: txtvers,mk,md,us,un,ss,auth", "txtvers|mk|md|us|un|ss|auth");
	KEYS("Defined TXT keys: txtvers, Version, iTSh Version, Machine ID, Database ID, Machine Name, Password",
	     "txtvers|Version|iTSh Version|Machine ID|Database ID|Machine Name|Password");
	KEYS("Defined TXT keys: Edition, Version, Public Shares, Machine ID, Machine Name",
	     "Edition|Version|Public Shares|Machine ID|Machine Name");
	KEYS("Defined TXT keys: MAC=, GW-MAC", "MAC|GW-MAC");
	KEYS("Defined TXT keys: waMA;", "waMA");
	KEYS("Defined TXT keys: u=username; k=keypattern; f=fstabFILE; n=namespace; h=hostkey; r=root",
	     "u|k|f|n|h|r");
	KEYS("Defined TXT keys: SN (serial number), SVER (software version), HVER (hardware version), PVER (protocol version))",
	     "SN|SVER|HVER|PVER");
	KEYS("Defined TXT keys: D (device type), S (https port), A (architecture),\n    T (tags)", "D|S|A|T");
	KEYS("Defined TXT keys: RMC Client Version=<version>, MAC Address=<address>",
	     "RMC Client Version|MAC Address");
	KEYS("Defined TXT keys: DevID=<device id>, DevType=<device type>, DevStat=<device status>",
	     "DevID|DevType|DevStat");
	KEYS("Defined TXT keys: txtvers=1, name=<Full Name>, userid=<User ID>, version=2",
	     "txtvers|name|userid|version");
	KEYS("Defined TXT keys: txtvers, *IDN?=<response defined by IEEE 488; e.g., manufacturer, model, serial number, version>",
	     "txtvers|*IDN?");
	KEYS("Defined TXT keys: txtvers=1, sesna, seid, setype, cosna, coid,\n    cotype, sysna, syna, syid, subsyid, venid, protocols, pid",
	     "txtvers|sesna|seid|setype|cosna|coid|cotype|sysna|syna|syid|subsyid|venid|protocols|pid");
	KEYS("Defined TXT keys: am, cn, et, ft, fv, md, pk, pw, sf, tp, vn, vs",
	     "am|cn|et|ft|fv|md|pk|pw|sf|tp|vn|vs");
	KEYS("Defined TXT keys: prefix=<country code prefix> (numeric, additionally '+')", "prefix");
	KEYS("Defined TXT keys: txtvers, txtvers", "txtvers");
}

static void
test_families(void **state)
{
	KEYS("Defined TXT keys: sys, dkX", "sys|dk<n>");
	KEYS("Defined TXT keys: c0, c1, ..., cn", "c<n>");
	KEYS("Defined TXT keys: txtvers, guid, c0, c1, c2, ..., where the number of c_n attributes is variable",
	     "txtvers|guid|c<n>");
	/* Numbered keys without an ellipsis are plain keys. */
	KEYS("Defined TXT keys: Keyboard, Mouse, Option1, Option2, Option3, Option4, ModelName",
	     "Keyboard|Mouse|Option1|Option2|Option3|Option4|ModelName");
	/* An ellipsis after something that is not numbered: not readable. */
	UNSPEC("Defined TXT keys: foo, ..., bar");
}

static void
test_space_lists(void **state)
{
	KEYS("Defined TXT keys: txtvers=1 protovers=x", "txtvers|protovers");
	KEYS("Defined TXT keys: u=<username> p=<password> path=<path>", "u|p|path");
	KEYS("Defined TXT keys: u=<username> p=<password> path=<path to document> (Same as for _http._tcp)",
	     "u|p|path");
	KEYS("Defined TXT keys: txtvers version name uuid", "txtvers|version|name|uuid");
	KEYS("Defined TXT keys: product version bus id featuremask", "product|version|bus|id|featuremask");
	KEYS("Defined TXT keys: version=? description=?", "version|description");
	KEYS("Defined TXT keys: txtvers=1 mood=<ascii digit from 0-4>", "txtvers|mood");
	KEYS("Defined TXT keys: model=value (string)", "model");
	KEYS("Defined TXT keys: path=<path on the server where the HKP applications reside> normally: \"path=/pks/\"",
	     "path");
	KEYS("Defined TXT keys: txtvers='1'", "txtvers");
	KEYS("Defined TXT keys: heythings", "heythings");
	KEYS("Defined TXT keys: Shared_Activity_Protocol_1.0", "Shared_Activity_Protocol_1.0");
	KEYS("Defined TXT keys: _irc-iot", "_irc-iot");
	KEYS("Defined TXT keys: app.url", "app.url");
	KEYS("This is an extension of the http service.  Defined TXT keys: path=<context path>", "path");
	KEYS("Defined TXT keys: server=dns-name/ip-address:port of currently displayed VNC server.\n"
	     "  Empty if not showing anything/available.", "server");
}

static void
test_line_lists(void **state)
{
	KEYS("Defined TXT keys:    brand=value (string)\n   model=value (string)\n   version=value (string)",
	     "brand|model|version");
	KEYS("Defined TXT keys: - txtvers\n      - protovers\n      - serialnum", "txtvers|protovers|serialnum");
	KEYS("Defined TXT keys: a. ssid=<Wi-Fi SSID of the device>\nb. bssid=<Wi-Fi BSSID of the device>\n    ",
	     "ssid|bssid");
	KEYS("Defined TXT keys:\n  txtvers\n  server=<main LANrev server for agent>\n  vers=<version of LANrev Agent>",
	     "txtvers|server|vers");
	KEYS("Defined TXT keys:   username     The login username to use (optional)\n"
	     "  ssh_tunnel   Whether an SSH tunnel must be used (required)\n"
	     "  ID           Server Identifier (requried)", "username|ssh_tunnel|ID");
	KEYS("Defined TXT keys:\n  auth          plaintext | md5 | rsakeys\n"
	     "  userid        alphanumeric, additionally '_', '+', '-'\n"
	     "All of these TXT record keys are optional, they may be omitted.\n"
	     "Further keys may be added in the future.", "auth|userid");
	KEYS("Defined TXT keys: hash=<40hex characters>\n      salt=<40hex characters>\n"
	     "      Example:\n      hash=5e7580598c0d7064d4fc79faaeb42585e1a675f8\n", "hash|salt");
	KEYS("Defined TXT keys: txtvers=1\ncport= the port for the content HTTP server\n"
	     "      (secondary HTTP server used for content publishing)\n"
	     "      mode= the mode in which the HMP device is currently\n"
	     "      operating, one of \"normal\", \"safe\" or \"recovery\"\n"
	     "      firmware= firmware version string (e.g.,\n      2.1.0-0.1.7844)",
	     "txtvers|cport|mode|firmware");
	KEYS("Defined TXT keys:   txtvers=<version>, serial=<serial number>, \n"
	     "        mac=<mac-address>, model=<model number>", "txtvers|serial|mac|model");
	KEYS("Defined TXT keys:     txtvers=1 (as described in the draft)\n"
	     "      protovers=<comma-separated list of major/minor versions supported>\n"
	     "(examples: \"protovers=1.0\" \"protovers=1.1,2.0\"", "txtvers|protovers");
	KEYS("Defined TXT keys:\n\ntd: Absolute pathname of the Thing Description\n"
	     "      Description Directory.\n"
	     "type: Type of the Thing Description, i.e. \"Thing\" or \"Directory\". If omitted, the type is assumed\n"
	     "      to be Thing.\n"
	     "scheme: Scheme part of URL. One of the following values can be specified\n"
	     "      coap+tcp (CoAP over TCP), or coaps+tcp (CoAP over TLS/TCP). If omitted, the scheme is\n",
	     "td|type|scheme");
	KEYS("Defined TXT keys:   Currently valid enumerated values:\n"
	     "   FIX Session Protocol Versions (SESSIONVERSION): 1.1\n"
	     "   txtvers=1\n   fix=APPLICATIONVERSION\n"
	     "   fix supported=APPLICATIONVERSION[,APPLICATIONVERSION, ... ,APPLICATIONVERSION]\n"
	     "   fixt=SESSIONVERSION", "txtvers|fix|fix supported|fixt");
	KEYS("Defined TXT keys: u=<username> p=<password> \n      m=<manifest_name> o=<owner_name>",
	     "u|p|m|o");
	KEYS("Defined TXT keys:   txtvers='1'\n  type={'production'|'standby'}\n  protocol={['SOAP'],['CORBA']}",
	     "txtvers|type|protocol");
}

static void
test_defines(void **state)
{
	TxtSpec spec;

	txt_spec_parse("Defined TXT keys: sys, dkX, Machine ID", &spec);
	assert_int_equal(spec.kind, TXT_SPEC_KEYS);
	assert_true(txt_spec_defines(&spec, "sys", 3));
	assert_true(txt_spec_defines(&spec, "SYS", 3));
	assert_true(txt_spec_defines(&spec, "sysX", 3));   /* only len bytes count */
	assert_false(txt_spec_defines(&spec, "sy", 2));
	assert_false(txt_spec_defines(&spec, "sysx", 4));
	assert_true(txt_spec_defines(&spec, "dk0", 3));
	assert_true(txt_spec_defines(&spec, "DK12", 4));
	assert_true(txt_spec_defines(&spec, "dk_a", 4));
	assert_false(txt_spec_defines(&spec, "dk", 2));      /* needs one or more */
	assert_false(txt_spec_defines(&spec, "dk-1", 4));
	assert_false(txt_spec_defines(&spec, "dk 1", 4));
	assert_true(txt_spec_defines(&spec, "machine id", 10));
	assert_false(txt_spec_defines(&spec, "machine", 7));
	assert_false(txt_spec_defines(&spec, "", 0));
	assert_true(spec.keys[1].is_family);
	assert_string_equal(spec.keys[1].key, "dk");
	assert_string_equal(spec.keys[1].key_display, "dk<n>");
	txt_spec_clear(&spec);
	assert_int_equal(spec.n_keys, 0);
	assert_null(spec.keys);

	txt_spec_parse("Defined TXT keys: None", &spec);
	assert_false(txt_spec_defines(&spec, "txtvers", 7));
	txt_spec_clear(&spec);
	txt_spec_parse("Defined TXT keys: Proprietary", &spec);
	assert_false(txt_spec_defines(&spec, "txtvers", 7));
	txt_spec_clear(&spec);
	assert_false(txt_spec_defines(NULL, "x", 1));

	assert_string_equal(txt_spec_kind_name(TXT_SPEC_ABSENT), "absent");
	assert_string_equal(txt_spec_kind_name(TXT_SPEC_NONE), "none");
	assert_string_equal(txt_spec_kind_name(TXT_SPEC_KEYS), "keys");
	assert_string_equal(txt_spec_kind_name(TXT_SPEC_UNSPECIFIED), "unspecified");
}

/* An example shows a key in use; it is not one more key. */
static void
test_examples(void **state)
{
	/* mqtt, in the registry since 2019 */
	KEYS("Defined TXT keys: topics=<open topic to subscribe to for information>, eg topic=/info",
	     "topics");
	KEYS("Defined TXT keys: topics=<t>, e.g. topic=/info", "topics");
	KEYS("Defined TXT keys: topics=<t>, E.g., topic=/info", "topics");
	KEYS("Defined TXT keys: topics=<t>; for example topic=/info", "topics");
	/* jnx-kcsync: an example block after the keys, one per line and as
	 * the excerpts join it onto one line */
	KEYS("Defined TXT keys: hash=<40hex characters>\n      salt=<40hex characters>\n"
	     "      Example:\n      hash=5e75\n      salt=f016\n      other=1\n", "hash|salt");
	KEYS("Defined TXT keys: hash=<40hex> salt=<40hex> Example: hash=5e75 salt=f016 other=1",
	     "hash|salt");
	KEYS("Defined TXT keys: a=<x>, b=<y>\nExamples: a=1, c=2", "a|b");
	/* an example on one line of a list leaves the other lines alone */
	KEYS("Defined TXT keys:\n  path=<path>  eg path=/x\n  vers=<version>", "path|vers");
	/* inside a value it is part of the value (lxi) */
	KEYS("Defined TXT keys: txtvers, *IDN?=<response defined by IEEE 488; e.g., manufacturer, model, serial number, version>",
	     "txtvers|*IDN?");
	/* words that contain the letters are not examples; "eg" can be a key */
	KEYS("Defined TXT keys: regex, leg, neg.x", "regex|leg|neg.x");
	KEYS("Defined TXT keys: eg, foo", "eg|foo");
	KEYS("Defined TXT keys: example, foo", "example|foo");
	/* nothing but an example: nothing to read */
	UNSPEC("Defined TXT keys: e.g. topic=/info");
	UNSPEC("Defined TXT keys: Example: a=1");
}

/* The index txt_spec_parse() builds answers as the plain scan of the
 * keys does (a spec without index), for a note with many keys and
 * families of several prefix lengths. */
static void
test_defines_index(void **state)
{
	g_autoptr(GString) note = g_string_new("Defined TXT keys: aX, bbX, cccX");
	TxtSpec spec, scan;
	static const char *const probe[] = {
		"a10", "a", "a_", "AZ", "bb", "bb7", "bbb", "ccc0", "cc0", "ccc-1",
		"key0", "KEY499", "key500", "key", "ke", "aX", "bbX0", "ab-", "",
	};

	for (int i = 0; i < 500; i++)
		g_string_append_printf(note, ", key%d", i);
	txt_spec_parse(note->str, &spec);
	assert_int_equal(spec.kind, TXT_SPEC_KEYS);
	assert_int_equal(spec.n_keys, 503);
	assert_non_null(spec.index);
	scan = spec;
	scan.index = NULL;
	for (gsize i = 0; i < G_N_ELEMENTS(probe); i++)
		assert_int_equal(txt_spec_defines(&spec, probe[i], strlen(probe[i])),
		                 txt_spec_defines(&scan, probe[i], strlen(probe[i])));
	assert_true(txt_spec_defines(&spec, "a10", 3));
	assert_true(txt_spec_defines(&spec, "KEY499", 6));
	assert_false(txt_spec_defines(&spec, "key500", 6));
	assert_false(txt_spec_defines(&spec, "bb", 2));
	/* a NUL inside the key is a byte like any other */
	assert_false(txt_spec_defines(&spec, "key1\0", 5));
	txt_spec_clear(&spec);
	assert_null(spec.index);
}

/* Every key must be something a TXT record could carry. */
static void
assert_sane(const TxtSpec *spec, const char *note)
{
	assert_int_not_equal(spec->kind, TXT_SPEC_ABSENT);
	if (spec->kind == TXT_SPEC_KEYS)
		assert_true(spec->n_keys > 0);
	for (guint i = 0; i < spec->n_keys; i++) {
		const char *k = spec->keys[i].key;

		assert_true(*k != '\0' && strlen(k) <= 48);
		for (const char *p = k; *p != '\0'; p++)
			if (*p < 0x20 || *p > 0x7e || *p == '=') {
				print_error("bad key \"%s\" from \"%s\"\n", k, note);
				fail();
			}
	}
}

/* Each "Defined TXT keys:" line of the pasted registry excerpts (web
 * renderings of the registry, notes joined onto one line) parses without
 * a crash into sane keys. */
static void
test_excerpts(void **state)
{
	g_autofree char *dir = test_shared_path("registry-excerpts/000_10439729063225f7.txt");
	g_autofree char *dirname = NULL;
	g_autoptr(GDir) d = NULL;
	const char *f;
	guint n = 0, kinds[TXT_SPEC_UNSPECIFIED + 1] = { 0 };

	if (dir == NULL)
		test_skip("needs the registry excerpts of $DNSSD_AUDIT_SHARED/registry-excerpts/");
	dirname = g_path_get_dirname(dir);
	d = g_dir_open(dirname, 0, NULL);
	assert_non_null(d);
	while ((f = g_dir_read_name(d)) != NULL) {
		g_autofree char *path = g_build_filename(dirname, f, NULL);
		g_autofree char *text = NULL;
		const char *p;

		if (!g_file_get_contents(path, &text, NULL, NULL))
			continue;
		for (p = strstr(text, "Defined TXT keys:"); p != NULL;
		     p = strstr(p + 1, "Defined TXT keys:")) {
			const char *eol = strchr(p, '\n');
			g_autofree char *note = eol != NULL ? g_strndup(p, eol - p) : g_strdup(p);
			TxtSpec spec;

			txt_spec_parse(note, &spec);
			assert_sane(&spec, note);
			kinds[spec.kind]++;
			txt_spec_clear(&spec);
			n++;
		}
	}
	print_message("# %u notes: none %u, keys %u, unspecified %u\n", n, kinds[TXT_SPEC_NONE],
	              kinds[TXT_SPEC_KEYS], kinds[TXT_SPEC_UNSPECIFIED]);
	assert_true(n >= 150);
	assert_true(kinds[TXT_SPEC_NONE] >= 120);
	assert_true(kinds[TXT_SPEC_KEYS] >= 30);
}

/* Hostile input: long, binary, unbalanced brackets. */
static void
test_garbage(void **state)
{
	g_autoptr(GString) s = g_string_new("Defined TXT keys: ");
	TxtSpec spec;

	for (int i = 0; i < 20000; i++)
		g_string_append_c(s, (char) (1 + (i * 7919) % 255));
	txt_spec_parse(s->str, &spec);
	assert_sane(&spec, "binary");
	txt_spec_clear(&spec);

	UNSPEC("Defined TXT keys: <<<<((((\"");
	/* an unclosed bracket swallows the rest of the note */
	KEYS("Defined TXT keys: a=<unclosed, b=(", "a");
	KEYS("Defined TXT keys: a=<x>, b=<y", "a|b");
	UNSPEC("Defined TXT keys: ..., ...");
	UNSPEC("Defined TXT keys: ,,,;;;");
	expect("Defined TXT keys: =", TXT_SPEC_UNSPECIFIED, NULL);
	expect("defined txt keys: NONE", TXT_SPEC_NONE, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_absent),
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_unspecified),
		cmocka_unit_test(test_comma_lists),
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_space_lists),
		cmocka_unit_test(test_line_lists),
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_defines),
		cmocka_unit_test(test_defines_index),
		cmocka_unit_test(test_excerpts),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
