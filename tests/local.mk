# tests/: integration tests (real avahi-daemon + dbus-daemon in network
# namespaces).  Unit tests are declared in the fragment of the module they test.
include tests/fuzz/local.mk
