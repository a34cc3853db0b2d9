# daemon/: dnssd-auditd: configuration, logging, reporters (log line,
# D-Bus), reload and status, around the audit model of audit/.
# The daemon's code lives in a convenience library that the unit tests link;
# dnssd-auditd.c only holds main().

# D-Bus glue generated from the introspection XML (into the build tree).
auditd_dbus_xml = $(top_srcdir)/daemon/org.dnssdaudit.Auditor1.xml
daemon/auditor-dbus.h: daemon/auditor-dbus.c
daemon/auditor-dbus.c: $(auditd_dbus_xml)
	$(AM_V_GEN)$(MKDIR_P) daemon && \
	$(GDBUS_CODEGEN) --interface-prefix org.dnssdaudit. --c-namespace Auditd \
		--c-generate-autocleanup all --glib-min-required 2.66 \
		--generate-c-code daemon/auditor-dbus $(auditd_dbus_xml)
BUILT_SOURCES += daemon/auditor-dbus.c daemon/auditor-dbus.h
# So that `make dnssd-auditd` (not only `make all`) generates it first.
daemon/dbus-service.$(OBJEXT): daemon/auditor-dbus.h
CLEANFILES += daemon/auditor-dbus.c daemon/auditor-dbus.h

# The interface description, installed for D-Bus tools (busctl, d-feet).
dbusinterfacesdir = $(datadir)/dbus-1/interfaces
dist_dbusinterfaces_DATA = daemon/org.dnssdaudit.Auditor1.xml

noinst_LIBRARIES += daemon/libauditd.a
daemon_libauditd_a_SOURCES = \
	daemon/auditor.h \
	daemon/auditor.c \
	daemon/dbus-limits.h \
	daemon/dbus-limits.c \
	daemon/dbus-service.h \
	daemon/dbus-service.c \
	daemon/log.h \
	daemon/log.c \
	daemon/notify.h \
	daemon/notify.c \
	daemon/ratelimit.h \
	daemon/ratelimit.c \
	daemon/reporter-line.h \
	daemon/reporter-line.c \
	daemon/reporter-metrics.h \
	daemon/reporter-metrics.c
nodist_daemon_libauditd_a_SOURCES = \
	daemon/auditor-dbus.c \
	daemon/auditor-dbus.h

auditd_ldadd = \
	daemon/libauditd.a \
	audit/libaudit.a \
	avahi/libwatch.a \
	format/libformat.a \
	validator/libvalidator.a \
	registry/libregistry.a \
	$(SYSTEMD_LIBS) $(AVAHI_LIBS) $(XML_LIBS) $(GIO_LIBS) $(GLIB_LIBS) -lm

sbin_PROGRAMS += dnssd-auditd
dnssd_auditd_SOURCES = daemon/dnssd-auditd.c
dnssd_auditd_LDADD = $(auditd_ldadd)

if HAVE_CMOCKA
auditd_test_ldadd = $(auditd_ldadd) $(CMOCKA_LIBS)
auditd_tests = \
	tests/unit/test-ratelimit \
	tests/unit/test-log-syslog \
	tests/unit/test-reporter-line \
	tests/unit/test-reporter-metrics \
	tests/unit/test-dbus-service \
	tests/unit/test-auditor
check_PROGRAMS += $(auditd_tests)
TESTS += $(auditd_tests)
tests_unit_test_ratelimit_SOURCES = tests/unit/test-ratelimit.c
tests_unit_test_ratelimit_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ratelimit_LDADD = $(auditd_test_ldadd)
tests_unit_test_log_syslog_SOURCES = tests/unit/test-log-syslog.c tests/unit/stderr-capture.h
tests_unit_test_log_syslog_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_log_syslog_LDADD = $(auditd_test_ldadd)
tests_unit_test_reporter_line_SOURCES = tests/unit/test-reporter-line.c tests/unit/stderr-capture.h
tests_unit_test_reporter_line_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_reporter_line_LDADD = $(auditd_test_ldadd)
tests_unit_test_reporter_metrics_SOURCES = tests/unit/test-reporter-metrics.c tests/unit/stderr-capture.h
tests_unit_test_reporter_metrics_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_reporter_metrics_LDADD = $(auditd_test_ldadd)
tests_unit_test_dbus_service_SOURCES = tests/unit/test-dbus-service.c
tests_unit_test_dbus_service_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_dbus_service_LDADD = $(auditd_test_ldadd)
tests_unit_test_auditor_SOURCES = tests/unit/test-auditor.c tests/unit/stderr-capture.h
tests_unit_test_auditor_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_auditor_LDADD = $(auditd_test_ldadd)
endif
