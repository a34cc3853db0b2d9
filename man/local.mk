# man/: hand-written roff pages.
dist_man_MANS += \
	man/dnssd-audit.1 \
	man/dnssd-audit.conf.5 \
	man/dnssd-auditd.8
