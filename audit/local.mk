# audit/: the one audit model both programs share: observed services ->
# judged entries -> which findings are new, which are gone.
noinst_LIBRARIES += audit/libaudit.a
audit_libaudit_a_SOURCES = \
	audit/observed.h \
	audit/observed.c \
	audit/service-table.h \
	audit/service-table.c \
	audit/site-file.h \
	audit/site-file.c \
	audit/accepted.h \
	audit/accepted.c \
	audit/site-config.h \
	audit/site-config.c \
	audit/judge.h \
	audit/judge.c

if HAVE_CMOCKA
audit_tests = tests/unit/test-service-table tests/unit/test-accepted \
	tests/unit/test-config tests/unit/test-judge
check_PROGRAMS += $(audit_tests)
TESTS += $(audit_tests)
audit_test_ldadd = audit/libaudit.a format/libformat.a \
	validator/libvalidator.a registry/libregistry.a \
	$(XML_LIBS) $(GLIB_LIBS) $(CMOCKA_LIBS) -lm
tests_unit_test_accepted_SOURCES = tests/unit/test-accepted.c
tests_unit_test_accepted_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_accepted_LDADD = $(audit_test_ldadd)
tests_unit_test_judge_SOURCES = tests/unit/test-judge.c
tests_unit_test_judge_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_judge_CPPFLAGS = $(AM_CPPFLAGS) \
	-DREGISTRY_TEST_DATA=\""$(abs_top_srcdir)/tests/registry-data"\"
tests_unit_test_judge_LDADD = $(audit_test_ldadd)
tests_unit_test_config_SOURCES = tests/unit/test-config.c
tests_unit_test_config_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_config_LDADD = $(audit_test_ldadd)
tests_unit_test_service_table_SOURCES = tests/unit/test-service-table.c
tests_unit_test_service_table_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_service_table_LDADD = $(audit_test_ldadd)
endif
