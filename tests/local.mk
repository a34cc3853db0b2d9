# tests/: integration tests (real avahi-daemon + dbus-daemon in network
# namespaces).  Unit tests are declared in the fragment of the module they test.
include tests/fuzz/local.mk

# Each .test script builds its own two-host LAN with tests/integration/lib.sh
# (needs root; exits 77 = skip otherwise) and is run by $(SHELL) through the
# plain test-driver (TEST_LOG_COMPILER in Makefile.am).
integration_tests = \
	tests/integration/lan-smoke.test \
	tests/integration/findings.test \
	tests/integration/hostile-names.test \
	tests/integration/dedup.test \
	tests/integration/dbus.test \
	tests/integration/dbus-abuse.test \
	tests/integration/avahi-restart.test \
	tests/integration/reload.test \
	tests/integration/config.test \
	tests/integration/metrics.test \
	tests/integration/demo-lan.test \
	tests/integration/real-lan.test \
	tests/integration/many-segments.test \
	tests/integration/three-links.test

TESTS += $(integration_tests)
EXTRA_DIST += $(integration_tests) \
	tests/integration/lib.sh \
	tests/integration/mdns-send.py \
	tests/integration/syslog-catcher.py \
	tests/integration/expect-findings.py \
	tests/integration/syslog-clean.py \
	tests/integration/dbus-slow-client.py \
	tests/integration/zc-publish.py \
	scripts/quickstart \
	scripts/demo-lan
