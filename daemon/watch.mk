# The Avahi watcher (browse -> resolve chain) and `dnssd-audit scan`.
noinst_LIBRARIES += daemon/libwatch.a
daemon_libwatch_a_SOURCES = \
	daemon/watcher.h
