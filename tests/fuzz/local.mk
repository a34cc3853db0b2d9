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
	tests/fuzz/fuzz-batch \
	tests/fuzz/fuzz-site

fuzz_common_sources = tests/fuzz/harness.h tests/fuzz/harness.c
# Built by `make check` either way: a libFuzzer binary given files runs
# each once, like the standalone one, so replay.test works in both builds.
check_PROGRAMS += $(FUZZ_TARGETS)
if ENABLE_FUZZING
fuzz_main_sources =
else
fuzz_main_sources = tests/fuzz/standalone.c
endif
# FUZZ_LDFLAGS is empty unless fuzzing; AM_LDFLAGS holds the sanitizers.
fuzz_ldflags = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
fuzz_registry_sources = tests/fuzz/harness-registry.c
fuzz_ldadd_all = format/libformat.a validator/libvalidator.a \
	registry/libregistry.a format/libformat.a $(XML_LIBS) $(GLIB_LIBS)

tests_fuzz_fuzz_logline_SOURCES = tests/fuzz/fuzz-logline.c \
	$(fuzz_common_sources) $(fuzz_main_sources)
tests_fuzz_fuzz_logline_LDFLAGS = $(fuzz_ldflags)
tests_fuzz_fuzz_logline_LDADD = format/libformat.a validator/libvalidator.a \
	$(GLIB_LIBS)

tests_fuzz_fuzz_txt_spec_SOURCES = tests/fuzz/fuzz-txt-spec.c \
	$(fuzz_common_sources) $(fuzz_main_sources)
tests_fuzz_fuzz_txt_spec_LDFLAGS = $(fuzz_ldflags)
tests_fuzz_fuzz_txt_spec_LDADD = registry/libregistry.a format/libformat.a $(XML_LIBS) $(GLIB_LIBS)

tests_fuzz_fuzz_registry_SOURCES = tests/fuzz/fuzz-registry.c \
	$(fuzz_common_sources) $(fuzz_main_sources)
tests_fuzz_fuzz_registry_LDFLAGS = $(fuzz_ldflags)
tests_fuzz_fuzz_registry_LDADD = registry/libregistry.a format/libformat.a $(XML_LIBS) $(GLIB_LIBS)

tests_fuzz_fuzz_validator_SOURCES = tests/fuzz/fuzz-validator.c \
	$(fuzz_common_sources) $(fuzz_registry_sources) $(fuzz_main_sources)
tests_fuzz_fuzz_validator_LDFLAGS = $(fuzz_ldflags)
tests_fuzz_fuzz_validator_LDADD = $(fuzz_ldadd_all)

tests_fuzz_fuzz_batch_SOURCES = tests/fuzz/fuzz-batch.c \
	$(fuzz_common_sources) $(fuzz_registry_sources) $(fuzz_main_sources)
tests_fuzz_fuzz_batch_LDFLAGS = $(fuzz_ldflags)
tests_fuzz_fuzz_batch_LDADD = $(fuzz_ldadd_all)

tests_fuzz_fuzz_site_SOURCES = tests/fuzz/fuzz-site.c \
	$(fuzz_common_sources) $(fuzz_main_sources)
tests_fuzz_fuzz_site_LDFLAGS = $(fuzz_ldflags)
tests_fuzz_fuzz_site_LDADD = audit/libaudit.a $(fuzz_ldadd_all) -lm

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
	tests/fuzz/registry.dict tests/fuzz/txt-spec.dict \
	tests/fuzz/corpus-logline tests/fuzz/corpus-txt-spec \
	tests/fuzz/corpus-registry tests/fuzz/corpus-validator \
	tests/fuzz/corpus-batch tests/fuzz/corpus-site tests/fuzz/regressions

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
# One log per program (kept only when it passed), so `make -j2` runs two
# at a time and a rerun only repeats the failures.
VALGRIND = valgrind
VALGRIND_FLAGS = --quiet --error-exitcode=1 --leak-check=full \
	--errors-for-leak-kinds=definite --show-leak-kinds=definite \
	--num-callers=30
valgrind_logs = $(patsubst %,%.valgrind.log,\
	$(filter tests/unit/test-%,$(TESTS)) $(FUZZ_TARGETS))
valgrind_run = $(AM_TESTS_ENVIRONMENT) \
	G_SLICE=always-malloc; G_DEBUG=gc-friendly; export G_SLICE G_DEBUG; \
	if $(VALGRIND) $(VALGRIND_FLAGS)
valgrind_done = >$@.tmp 2>&1; then mv $@.tmp $@; echo "PASS: valgrind $<"; \
	else echo "FAIL: valgrind $< (log: $@.tmp)"; tail -n 60 $@.tmp; exit 1; fi
tests/unit/%.valgrind.log: tests/unit/%
	@$(valgrind_run) ./$< $(valgrind_done)
tests/fuzz/%.valgrind.log: tests/fuzz/%
	@name=$*; name=$${name#fuzz-}; \
	$(valgrind_run) ./$< $(srcdir)/tests/fuzz/corpus-$$name \
		$(srcdir)/tests/fuzz/regressions/$$name $(valgrind_done)
check-valgrind: $(check_PROGRAMS)
	@rm -f $(valgrind_logs)
	@$(MAKE) $(AM_MAKEFLAGS) -k $(valgrind_logs); st=$$?; \
	echo "check-valgrind: $(words $(valgrind_logs)) programs," \
		"$$(ls $(valgrind_logs) 2>/dev/null | wc -l) clean"; exit $$st
CLEANFILES += tests/unit/*.valgrind.log* tests/fuzz/*.valgrind.log* \
	tests/fuzz/*.replay.log tests/fuzz/*.known.log

.PHONY: fuzz fuzz-run check-valgrind
