# registry/: IANA registry loader, index and TXT-key note parser.
noinst_LIBRARIES += registry/libregistry.a
registry_libregistry_a_SOURCES = \
	registry/registry.h \
	registry/registry.c \
	registry/txt-spec.h \
	registry/txt-spec.c

if HAVE_CMOCKA
registry_test_cflags = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
registry_test_cppflags = $(AM_CPPFLAGS) \
	-DREGISTRY_TEST_DATA=\""$(abs_top_srcdir)/tests/registry-data"\"
registry_test_ldadd = registry/libregistry.a format/libformat.a $(XML_LIBS) $(GLIB_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test-txt-spec
TESTS += tests/unit/test-txt-spec
tests_unit_test_txt_spec_SOURCES = tests/unit/test-txt-spec.c tests/unit/test-common.h
tests_unit_test_txt_spec_CFLAGS = $(registry_test_cflags)
tests_unit_test_txt_spec_LDADD = $(registry_test_ldadd)
endif

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-registry
TESTS += tests/unit/test-registry
tests_unit_test_registry_SOURCES = tests/unit/test-registry.c tests/unit/test-common.h
tests_unit_test_registry_CFLAGS = $(registry_test_cflags)
tests_unit_test_registry_CPPFLAGS = $(registry_test_cppflags)
tests_unit_test_registry_LDADD = $(registry_test_ldadd)
endif

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-registry-bad-input
TESTS += tests/unit/test-registry-bad-input
tests_unit_test_registry_bad_input_SOURCES = tests/unit/test-registry-bad-input.c tests/unit/test-common.h
tests_unit_test_registry_bad_input_CFLAGS = $(registry_test_cflags)
tests_unit_test_registry_bad_input_CPPFLAGS = $(registry_test_cppflags)
tests_unit_test_registry_bad_input_LDADD = $(registry_test_ldadd)
endif

# In-process loader benchmark for bench/bench-registry.sh (not installed).
noinst_PROGRAMS += registry/registry-bench
registry_registry_bench_SOURCES = registry/registry-bench.c
registry_registry_bench_LDADD = registry/libregistry.a format/libformat.a $(XML_LIBS) $(GLIB_LIBS)

# dnssd-audit-update-registry: the paths are substituted at make time so
# that "make prefix=..." and DESTDIR installs get them right.
bin_SCRIPTS += registry/dnssd-audit-update-registry
EXTRA_DIST += registry/dnssd-audit-update-registry.in
CLEANFILES += registry/dnssd-audit-update-registry
registry/dnssd-audit-update-registry: $(srcdir)/registry/dnssd-audit-update-registry.in Makefile
	$(AM_V_GEN)$(MKDIR_P) registry && \
	sed -e 's|@bindir[@]|$(bindir)|g' \
	    -e 's|@localstatedir[@]|$(localstatedir)|g' \
	    $(srcdir)/registry/dnssd-audit-update-registry.in > $@.tmp && \
	chmod +x $@.tmp && mv -f $@.tmp $@

TESTS += tests/update-registry.test
EXTRA_DIST += tests/update-registry.test tests/update-registry-server.py

# The subcommands as a user runs them (needs the dnssd-audit binary).
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-registry-cli
TESTS += tests/unit/test-registry-cli
tests_unit_test_registry_cli_SOURCES = tests/unit/test-registry-cli.c tests/unit/test-common.h
tests_unit_test_registry_cli_CFLAGS = $(registry_test_cflags)
tests_unit_test_registry_cli_CPPFLAGS = $(registry_test_cppflags) \
	-DTOP_BUILDDIR=\""$(abs_top_builddir)"\"
tests_unit_test_registry_cli_LDADD = $(GLIB_LIBS) $(CMOCKA_LIBS)
endif

# Hand-written fixtures for the tests above (not IANA's file).
EXTRA_DIST += \
	tests/registry-data/bad-encoding.xml \
	tests/registry-data/bad-port-big.xml \
	tests/registry-data/bad-port-range.xml \
	tests/registry-data/bad-port.xml \
	tests/registry-data/catalogue.xml \
	tests/registry-data/catalogue-validator.xml \
	tests/registry-data/doctype.xml \
	tests/registry-data/entity-loop.xml \
	tests/registry-data/local-collides.xml \
	tests/registry-data/local-services.xml \
	tests/registry-data/minimal.xml \
	tests/registry-data/no-records.xml \
	tests/registry-data/not-xml.txt \
	tests/registry-data/truncated.xml \
	tests/registry-data/wrong-root.xml

# The catalogue of known service types (FINDINGS.md): data, each record
# citing its public source.
dist_pkgdata_DATA = registry/known-service-types.xml

# IANA's own records of every name the tests use (an excerpt of the
# 2024-03-18 release): what unit and integration tests judge with when the
# full registry (../shared, $DNSSD_AUDIT_REGISTRY) is absent.
EXTRA_DIST += tests/registry-data/fixture-registry.xml
