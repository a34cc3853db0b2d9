# format/: what both programs write and read: escaping, the log line, JSON
# out (the writer) and in (`check --batch` lines).
noinst_LIBRARIES += format/libformat.a
format_libformat_a_SOURCES = \
	format/escape.h \
	format/escape.c \
	format/strbuf.h \
	format/dnsname.h \
	format/logline.h \
	format/logline.c \
	format/json-writer.h \
	format/json-writer.c \
	format/json-reader.h \
	format/json-reader.c

if HAVE_CMOCKA
format_test_ldadd = format/libformat.a validator/libvalidator.a \
	$(GLIB_LIBS) $(CMOCKA_LIBS)
format_tests = tests/unit/test-escape tests/unit/test-logline \
	tests/unit/test-json-writer tests/unit/test-json-reader
check_PROGRAMS += $(format_tests)
TESTS += $(format_tests)
tests_unit_test_json_reader_SOURCES = tests/unit/test-json-reader.c
tests_unit_test_json_reader_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_json_reader_LDADD = $(format_test_ldadd)
tests_unit_test_escape_SOURCES = tests/unit/test-escape.c
tests_unit_test_escape_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_escape_LDADD = $(format_test_ldadd)
tests_unit_test_logline_SOURCES = tests/unit/test-logline.c
tests_unit_test_logline_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_logline_LDADD = $(format_test_ldadd)
tests_unit_test_json_writer_SOURCES = tests/unit/test-json-writer.c
tests_unit_test_json_writer_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_json_writer_LDADD = $(format_test_ldadd)
endif
