# systemd/: units, sysusers.d, D-Bus policy, example configuration, and the
# optional bundled copy of the IANA registry (configure --with-registry).

# The units name installed programs, so their paths are filled in at build
# time (never at configure time: make expands ${prefix} fully and
# `make prefix=...` still works).  The timer goes through the same rule so
# that every unit in the build tree is generated.
systemd_edit = $(SED) \
	-e 's|@bindir[@]|$(bindir)|g' \
	-e 's|@sbindir[@]|$(sbindir)|g' \
	-e 's|@sysconfdir[@]|$(sysconfdir)|g' \
	-e 's|@localstatedir[@]|$(localstatedir)|g' \
	-e 's|@pkgdatadir[@]|$(pkgdatadir)|g'

systemd_generate = $(AM_V_GEN)$(MKDIR_P) systemd && rm -f $@ $@.tmp && \
	$(systemd_edit) $(srcdir)/$@.in >$@.tmp && mv -f $@.tmp $@
systemd/dnssd-auditd.service: $(srcdir)/systemd/dnssd-auditd.service.in Makefile
	$(systemd_generate)
	@case '$(localstatedir)' in /var|/var/) ;; *) \
		echo "systemd/local.mk: note: localstatedir is $(localstatedir), but the units keep" \
			"the registry copy in /var/lib/dnssd-audit (StateDirectory=); for a system" \
			"install configure with --localstatedir=/var" >&2 ;; esac
systemd/dnssd-audit-update-registry.service: \
		$(srcdir)/systemd/dnssd-audit-update-registry.service.in Makefile
	$(systemd_generate)
systemd/dnssd-audit-update-registry.timer: \
		$(srcdir)/systemd/dnssd-audit-update-registry.timer.in Makefile
	$(systemd_generate)

# sysusers.d and the bus want the files under names that differ from the
# source names, so a build-tree copy carries the installed name.
systemd/sysusers.d/dnssd-audit.conf: $(srcdir)/systemd/dnssd-audit.sysusers
	$(AM_V_GEN)$(MKDIR_P) systemd/sysusers.d && \
	cp $(srcdir)/systemd/dnssd-audit.sysusers $@

systemdsystemunit_DATA = \
	systemd/dnssd-auditd.service \
	systemd/dnssd-audit-update-registry.service \
	systemd/dnssd-audit-update-registry.timer
sysusers_DATA = systemd/sysusers.d/dnssd-audit.conf
dist_dbuspolicy_DATA = systemd/org.dnssdaudit.Auditor1.conf

# The example configuration is always installed under docdir.  It is copied
# to SYSCONFDIR/dnssd-audit/dnssd-audit.conf only when no configuration is
# there yet, so `make install` never overwrites an administrator's edits
# (every key is optional and the daemon runs without the file).  Uninstall
# removes that copy only while it is still identical to the example.
systemdexampledir = $(docdir)/examples
dist_systemdexample_DATA = systemd/dnssd-audit.conf
systemd_confdir = $(sysconfdir)/dnssd-audit

install-data-hook: systemd-install-config
uninstall-hook: systemd-uninstall-config
.PHONY: systemd-install-config systemd-uninstall-config
systemd-install-config:
	$(MKDIR_P) '$(DESTDIR)$(systemd_confdir)'
	if test -e '$(DESTDIR)$(systemd_confdir)/dnssd-audit.conf'; then \
		echo 'keeping existing $(DESTDIR)$(systemd_confdir)/dnssd-audit.conf'; \
	else \
		$(INSTALL_DATA) $(srcdir)/systemd/dnssd-audit.conf \
			'$(DESTDIR)$(systemd_confdir)/dnssd-audit.conf'; \
	fi
systemd-uninstall-config:
	if cmp -s $(srcdir)/systemd/dnssd-audit.conf \
		'$(DESTDIR)$(systemd_confdir)/dnssd-audit.conf'; then \
		rm -f '$(DESTDIR)$(systemd_confdir)/dnssd-audit.conf'; \
	fi

# configure --with-registry=FILE: ship that file as the fallback registry
# PKGDATADIR/service-names-port-numbers.xml (the daemon prefers the weekly
# updated copy in /var/lib/dnssd-audit).
if INSTALL_REGISTRY
systemd/service-names-port-numbers.xml: $(REGISTRY_SOURCE_FILE)
	$(AM_V_GEN)$(MKDIR_P) systemd && cp '$(REGISTRY_SOURCE_FILE)' $@
nodist_pkgdata_DATA = systemd/service-names-port-numbers.xml
CLEANFILES += systemd/service-names-port-numbers.xml
endif

CLEANFILES += $(systemdsystemunit_DATA) $(sysusers_DATA)
EXTRA_DIST += \
	systemd/dnssd-auditd.service.in \
	systemd/dnssd-audit-update-registry.service.in \
	systemd/dnssd-audit-update-registry.timer.in \
	systemd/dnssd-audit.sysusers

# `make distcheck` installs into a scratch prefix as a normal user, so the
# system directories that pkg-config names must follow that prefix.
AM_DISTCHECK_CONFIGURE_FLAGS = \
	--with-systemdsystemunitdir='$${libdir}/systemd/system' \
	--with-sysusersdir='$${libdir}/sysusers.d' \
	--with-dbuspolicydir='$${datadir}/dbus-1/system.d'

# Packaging tests: the units pass `systemd-analyze verify` and the exposure
# goal; `make install` puts every file where it belongs.
dist_check_SCRIPTS += tests/systemd-units.test tests/install-tree.test
TESTS += tests/systemd-units.test tests/install-tree.test

# Prints one installation variable, fully expanded, for install-tree.test:
#   make -s print-install-var VAR=sysusersdir
.PHONY: print-install-var
print-install-var:
	@echo '$($(VAR))'
