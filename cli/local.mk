# cli/: dnssd-audit: check, scan (the audit model rendered once), registry.
bin_PROGRAMS += dnssd-audit
dnssd_audit_SOURCES = \
	cli/cli.h \
	cli/dnssd-audit.c \
	cli/cli-common.c \
	cli/cli-check.c \
	cli/cli-registry.c \
	cli/cli-scan.c \
	cli/cli-daemon.c \
	cli/scan-report.h \
	cli/scan-report.c
dnssd_audit_LDADD = \
	audit/libaudit.a \
	avahi/libwatch.a \
	format/libformat.a \
	validator/libvalidator.a \
	registry/libregistry.a \
	$(AVAHI_LIBS) $(XML_LIBS) $(GIO_LIBS) $(GLIB_LIBS) -lm

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-scan-report
TESTS += tests/unit/test-scan-report
tests_unit_test_scan_report_SOURCES = tests/unit/test-scan-report.c \
	cli/scan-report.c cli/cli-common.c
tests_unit_test_scan_report_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_scan_report_CPPFLAGS = $(AM_CPPFLAGS) \
	-DREGISTRY_TEST_DATA=\""$(abs_top_srcdir)/tests/registry-data"\"
tests_unit_test_scan_report_LDADD = audit/libaudit.a format/libformat.a \
	validator/libvalidator.a registry/libregistry.a \
	$(XML_LIBS) $(GLIB_LIBS) $(CMOCKA_LIBS) -lm
endif

# The binary's behaviour: exit codes, --json, --batch.
TESTS += tests/cli-check.test
EXTRA_DIST += tests/cli-check.test

# `dnssd-audit scan` on a real two-host LAN (tests/integration/lib.sh);
# the commands that ask the running daemon, and accept.
TESTS += tests/integration/scan.test tests/integration/daemon-cli.test
EXTRA_DIST += tests/integration/scan.test tests/integration/daemon-cli.test

# The real advertisements of tests/corpus/ (needs the full registry).
TESTS += tests/corpus.test
EXTRA_DIST += tests/corpus.test tests/corpus/real-advertisements.jsonl \
	tests/corpus/summarize.py tests/corpus/README.md

# A LAN of thousands of services: "complete" only when it has answered.
TESTS += tests/integration/scan-big.test
EXTRA_DIST += tests/integration/scan-big.test
