# dnssd-auditd: config, logging, reporters, D-Bus service, state.
