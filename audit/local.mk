# audit/: the one audit model both programs share: observed services ->
# judged entries -> which findings are new, which are gone.
noinst_LIBRARIES += audit/libaudit.a
audit_libaudit_a_SOURCES = \
	audit/observed.h \
	audit/observed.c \
	audit/service-table.h \
	audit/service-table.c

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-service-table
TESTS += tests/unit/test-service-table
tests_unit_test_service_table_SOURCES = tests/unit/test-service-table.c
tests_unit_test_service_table_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_service_table_LDADD = audit/libaudit.a format/libformat.a \
	validator/libvalidator.a registry/libregistry.a \
	$(XML_LIBS) $(GLIB_LIBS) $(CMOCKA_LIBS)
endif
