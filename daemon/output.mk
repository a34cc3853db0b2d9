# Output and CLI pieces shared by dnssd-audit and dnssd-auditd:
# escaping, log lines, JSON, and the dnssd-audit binary itself.
noinst_LIBRARIES += daemon/liboutput.a
daemon_liboutput_a_SOURCES = \
	daemon/escape.h \
	daemon/escape.c \
	daemon/strbuf.h \
	daemon/logline.h \
	daemon/logline.c \
	daemon/json-writer.h \
	daemon/json-writer.c \
	daemon/json-reader.h \
	daemon/json-reader.c \
	daemon/cli.h \
	daemon/cli-common.c

bin_PROGRAMS += dnssd-audit
dnssd_audit_SOURCES = \
	daemon/dnssd-audit.c \
	daemon/cli-check.c \
	daemon/cli-registry.c \
	daemon/cli-scan.c
dnssd_audit_LDADD = \
	daemon/liboutput.a \
	daemon/libwatch.a \
	validator/libvalidator.a \
	registry/libregistry.a \
	$(AVAHI_LIBS) $(DBUS_LIBS) $(REGISTRY_XML_LIBS) $(GLIB_LIBS)

if HAVE_CMOCKA
output_test_ldadd = daemon/liboutput.a validator/libvalidator.a \
	$(GLIB_LIBS) $(CMOCKA_LIBS)
check_PROGRAMS += tests/unit/test-escape tests/unit/test-logline \
	tests/unit/test-json-writer tests/unit/test-json-reader
TESTS += tests/unit/test-escape tests/unit/test-logline \
	tests/unit/test-json-writer tests/unit/test-json-reader
tests_unit_test_json_reader_SOURCES = tests/unit/test-json-reader.c
tests_unit_test_json_reader_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_json_reader_LDADD = $(output_test_ldadd)
tests_unit_test_escape_SOURCES = tests/unit/test-escape.c
tests_unit_test_escape_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_escape_LDADD = $(output_test_ldadd)
tests_unit_test_logline_SOURCES = tests/unit/test-logline.c
tests_unit_test_logline_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_logline_LDADD = $(output_test_ldadd)
tests_unit_test_json_writer_SOURCES = tests/unit/test-json-writer.c
tests_unit_test_json_writer_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_json_writer_LDADD = $(output_test_ldadd)
endif

# The binary's behaviour: exit codes, --json, --batch.
TESTS += tests/cli-check.test
EXTRA_DIST += tests/cli-check.test
