# Output and CLI pieces shared by dnssd-audit and dnssd-auditd:
# escaping, log lines, JSON, and the dnssd-audit binary itself.
noinst_LIBRARIES += daemon/liboutput.a
daemon_liboutput_a_SOURCES = \
	daemon/escape.h \
	daemon/logline.h \
	daemon/json-writer.h \
	daemon/cli.h

bin_PROGRAMS += dnssd-audit
dnssd_audit_SOURCES = \
	daemon/dnssd-audit.c \
	daemon/cli-check.c \
	daemon/cli-registry.c \
	daemon/cli-scan.c
dnssd_audit_LDADD = \
	daemon/liboutput.a \
	daemon/libwatch.a \
	validator/libvalidator.a \
	registry/libregistry.a \
	$(AVAHI_LIBS) $(XML_LIBS) $(GLIB_LIBS)
