# dnssd-auditd: config, logging, reporters, D-Bus service, state.
# The daemon's code lives in a convenience library that the unit tests link;
# dnssd-auditd.c only holds main().
noinst_LIBRARIES += daemon/libauditd.a
daemon_libauditd_a_SOURCES = \
	daemon/auditd-config.h \
	daemon/auditd-config.c \
	daemon/log.h \
	daemon/log.c \
	daemon/log-syslog.h \
	daemon/log-syslog.c \
	daemon/ratelimit.h \
	daemon/ratelimit.c \
	daemon/service-table.h \
	daemon/service-table.c
auditd_ldadd = \
	daemon/libauditd.a \
	daemon/liboutput.a \
	validator/libvalidator.a \
	registry/libregistry.a \
	$(SYSTEMD_LIBS) $(AVAHI_LIBS) $(XML_LIBS) $(GLIB_LIBS) -lm

if HAVE_CMOCKA
auditd_test_ldadd = $(auditd_ldadd) $(CMOCKA_LIBS)
auditd_tests = \
	tests/unit/test-config \
	tests/unit/test-ratelimit \
	tests/unit/test-log-syslog \
	tests/unit/test-service-table
check_PROGRAMS += $(auditd_tests)
TESTS += $(auditd_tests)
tests_unit_test_config_SOURCES = tests/unit/test-config.c
tests_unit_test_config_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_config_LDADD = $(auditd_test_ldadd)
tests_unit_test_ratelimit_SOURCES = tests/unit/test-ratelimit.c
tests_unit_test_ratelimit_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ratelimit_LDADD = $(auditd_test_ldadd)
tests_unit_test_log_syslog_SOURCES = tests/unit/test-log-syslog.c
tests_unit_test_log_syslog_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_log_syslog_LDADD = $(auditd_test_ldadd)
tests_unit_test_service_table_SOURCES = tests/unit/test-service-table.c
tests_unit_test_service_table_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_service_table_LDADD = $(auditd_test_ldadd)
endif
