# validator/: the rules of FINDINGS.md (pure, no I/O).
noinst_LIBRARIES += validator/libvalidator.a
validator_libvalidator_a_SOURCES = \
	validator/advertisement.h \
	validator/bytescan.h \
	validator/decimal.h \
	validator/finding.h \
	validator/finding.c \
	validator/validator.h \
	validator/validator.c

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-finding tests/unit/test-validator
TESTS += tests/unit/test-finding tests/unit/test-validator
tests_unit_test_validator_SOURCES = tests/unit/test-validator.c tests/unit/test-common.h
tests_unit_test_validator_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_validator_CPPFLAGS = $(AM_CPPFLAGS) \
	-DREGISTRY_TEST_DATA=\""$(abs_top_srcdir)/tests/registry-data"\"
tests_unit_test_validator_LDADD = validator/libvalidator.a registry/libregistry.a format/libformat.a \
	$(XML_LIBS) $(GLIB_LIBS) $(CMOCKA_LIBS)
tests_unit_test_finding_SOURCES = tests/unit/test-validator-finding.c
tests_unit_test_finding_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_finding_LDADD = validator/libvalidator.a $(GLIB_LIBS) $(CMOCKA_LIBS)
endif
