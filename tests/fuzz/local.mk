# tests/fuzz/: libFuzzer targets, their replay in `make check`, valgrind,
# and the flood/fault integration tests.
#
# With `./configure CC=clang --enable-fuzzing`, `make fuzz` builds the
# targets with libFuzzer and `make fuzz-run` fuzzes each for FUZZ_SECONDS.
# In every other build the same sources are linked with standalone.c (a
# main() that feeds files), and `make check` replays the seed corpora and
# every saved crash input in tests/fuzz/regressions/<target>/.

FUZZ_TARGETS = \
	tests/fuzz/fuzz-logline \
	tests/fuzz/fuzz-txt-spec \
	tests/fuzz/fuzz-registry \
	tests/fuzz/fuzz-validator \
	tests/fuzz/fuzz-batch

fuzz_common_sources = tests/fuzz/harness.h tests/fuzz/harness.c
if ENABLE_FUZZING
EXTRA_PROGRAMS += $(FUZZ_TARGETS)
fuzz_main_sources =
else
check_PROGRAMS += $(FUZZ_TARGETS)
fuzz_main_sources = tests/fuzz/standalone.c
endif
# FUZZ_LDFLAGS is empty unless fuzzing; AM_LDFLAGS holds the sanitizers.
fuzz_ldflags = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
fuzz_registry_sources = tests/fuzz/harness-registry.c
fuzz_ldadd_all = daemon/liboutput.a validator/libvalidator.a \
	registry/libregistry.a $(XML_LIBS) $(GLIB_LIBS)

tests_fuzz_fuzz_logline_SOURCES = tests/fuzz/fuzz-logline.c \
	$(fuzz_common_sources) $(fuzz_main_sources)
tests_fuzz_fuzz_logline_LDFLAGS = $(fuzz_ldflags)
tests_fuzz_fuzz_logline_LDADD = daemon/liboutput.a validator/libvalidator.a \
	$(GLIB_LIBS)

tests_fuzz_fuzz_txt_spec_SOURCES = tests/fuzz/fuzz-txt-spec.c \
	$(fuzz_common_sources) $(fuzz_main_sources)
tests_fuzz_fuzz_txt_spec_LDFLAGS = $(fuzz_ldflags)
tests_fuzz_fuzz_txt_spec_LDADD = registry/libregistry.a $(XML_LIBS) $(GLIB_LIBS)

tests_fuzz_fuzz_registry_SOURCES = tests/fuzz/fuzz-registry.c \
	$(fuzz_common_sources) $(fuzz_main_sources)
tests_fuzz_fuzz_registry_LDFLAGS = $(fuzz_ldflags)
tests_fuzz_fuzz_registry_LDADD = registry/libregistry.a $(XML_LIBS) $(GLIB_LIBS)

tests_fuzz_fuzz_validator_SOURCES = tests/fuzz/fuzz-validator.c \
	$(fuzz_common_sources) $(fuzz_registry_sources) $(fuzz_main_sources)
tests_fuzz_fuzz_validator_LDFLAGS = $(fuzz_ldflags)
tests_fuzz_fuzz_validator_LDADD = $(fuzz_ldadd_all)

tests_fuzz_fuzz_batch_SOURCES = tests/fuzz/fuzz-batch.c \
	$(fuzz_common_sources) $(fuzz_registry_sources) $(fuzz_main_sources)
tests_fuzz_fuzz_batch_LDFLAGS = $(fuzz_ldflags)
tests_fuzz_fuzz_batch_LDADD = $(fuzz_ldadd_all)

TESTS += tests/fuzz/replay.test

# dnssd-auditd under load and faults, and hostile TXT records, on the test
# LAN of tests/integration/lib.sh (root; skipped otherwise).
hardening_integration_tests = \
	tests/integration/flood.test \
	tests/integration/faults.test \
	tests/integration/hostile-txt.test
TESTS += $(hardening_integration_tests)
EXTRA_DIST += $(hardening_integration_tests) \
	tests/integration/auditd-lib.sh \
	tests/integration/mdns-flood.py
EXTRA_DIST += tests/fuzz/replay.test tests/fuzz/run-fuzzers.sh \
	tests/fuzz/lsan.supp tests/fuzz/README.md \
	tests/fuzz/corpus-logline tests/fuzz/corpus-txt-spec \
	tests/fuzz/corpus-registry tests/fuzz/corpus-validator \
	tests/fuzz/corpus-batch tests/fuzz/regressions

# Fuzz every target for FUZZ_SECONDS (default 30) from its seed corpus.
FUZZ_SECONDS = 30
if ENABLE_FUZZING
fuzz: $(FUZZ_TARGETS)
fuzz-run: fuzz
	FUZZ_SECONDS=$(FUZZ_SECONDS) $(SHELL) $(srcdir)/tests/fuzz/run-fuzzers.sh \
		$(srcdir)/tests/fuzz $(FUZZ_TARGETS)
else
fuzz fuzz-run:
	@echo "make $@: configure with CC=clang --enable-fuzzing first" >&2; exit 1
endif

# Every unit test and the fuzz replays under valgrind: memory errors or a
# definite leak fail.  GLib's slice allocator would hide leaks from it.
VALGRIND = valgrind
VALGRIND_FLAGS = --quiet --error-exitcode=1 --leak-check=full \
	--errors-for-leak-kinds=definite --show-leak-kinds=definite \
	--num-callers=30
check-valgrind: $(check_PROGRAMS)
	@$(AM_TESTS_ENVIRONMENT) \
	G_SLICE=always-malloc; G_DEBUG=gc-friendly; export G_SLICE G_DEBUG; \
	fail=0; n=0; \
	for t in $(filter tests/unit/test-%,$(TESTS)); do \
		n=$$((n + 1)); \
		if $(VALGRIND) $(VALGRIND_FLAGS) ./$$t >$$t.valgrind.log 2>&1; then \
			echo "PASS: valgrind $$t"; \
		else \
			echo "FAIL: valgrind $$t (see $$t.valgrind.log)"; \
			tail -n 60 $$t.valgrind.log; fail=$$((fail + 1)); \
		fi; \
	done; \
	for t in $(FUZZ_TARGETS); do \
		name=$${t#tests/fuzz/fuzz-}; n=$$((n + 1)); \
		if $(VALGRIND) $(VALGRIND_FLAGS) ./$$t \
			$(srcdir)/tests/fuzz/corpus-$$name \
			$(srcdir)/tests/fuzz/regressions/$$name \
			>$$t.valgrind.log 2>&1; then \
			echo "PASS: valgrind $$t"; \
		else \
			echo "FAIL: valgrind $$t (see $$t.valgrind.log)"; \
			tail -n 60 $$t.valgrind.log; fail=$$((fail + 1)); \
		fi; \
	done; \
	echo "check-valgrind: $$n programs, $$fail failed"; \
	test $$fail -eq 0
CLEANFILES += tests/unit/*.valgrind.log tests/fuzz/*.valgrind.log

.PHONY: fuzz fuzz-run check-valgrind
