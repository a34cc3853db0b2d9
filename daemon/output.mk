# Output and CLI pieces shared by dnssd-audit and dnssd-auditd:
# escaping, log lines, JSON, and the dnssd-audit binary itself.
noinst_LIBRARIES += daemon/liboutput.a
daemon_liboutput_a_SOURCES = \
	daemon/escape.h \
	daemon/logline.h \
	daemon/json-writer.h \
	daemon/cli.h
