# The Avahi watcher (browse -> resolve chain) and `dnssd-audit scan`.
# libwatch.a uses escape.h: link it before daemon/liboutput.a.
noinst_LIBRARIES += daemon/libwatch.a
daemon_libwatch_a_SOURCES = \
	daemon/watcher.h \
	daemon/browser-pool.h \
	daemon/browser-pool.c \
	daemon/watcher.c

# The scan report is only used by `dnssd-audit scan` (cli-scan.c, listed
# with the program in output.mk); as sources of the program it links
# before every library.
dnssd_audit_SOURCES += \
	daemon/scan-report.h \
	daemon/scan-report.c

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-watcher tests/unit/test-watcher-report
TESTS += tests/unit/test-watcher tests/unit/test-watcher-report
tests_unit_test_watcher_report_SOURCES = tests/unit/test-watcher-report.c \
	daemon/scan-report.c
tests_unit_test_watcher_report_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_watcher_report_CPPFLAGS = $(AM_CPPFLAGS) \
	-DREGISTRY_TEST_DATA=\""$(abs_top_srcdir)/tests/registry-data"\"
tests_unit_test_watcher_report_LDADD = daemon/liboutput.a \
	validator/libvalidator.a registry/libregistry.a \
	$(REGISTRY_XML_LIBS) $(GLIB_LIBS) $(CMOCKA_LIBS)
# The browser pool against a private dbus-daemon (GTestDBus) on which the
# test plays avahi-daemon.
check_PROGRAMS += tests/unit/test-browser-pool
TESTS += tests/unit/test-browser-pool
tests_unit_test_browser_pool_SOURCES = tests/unit/test-browser-pool.c
tests_unit_test_browser_pool_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_browser_pool_LDADD = daemon/libwatch.a \
	$(DBUS_LIBS) $(GIO_LIBS) $(GLIB_LIBS) $(CMOCKA_LIBS)
tests_unit_test_watcher_SOURCES = tests/unit/test-watcher.c
tests_unit_test_watcher_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_watcher_LDADD = daemon/libwatch.a daemon/liboutput.a \
	$(AVAHI_LIBS) $(DBUS_LIBS) $(GLIB_LIBS) $(CMOCKA_LIBS)
endif

# `dnssd-audit scan` on a real two-host LAN (tests/integration/lib.sh).
TESTS += tests/integration/scan.test
EXTRA_DIST += tests/integration/scan.test
