# systemd/: units, sysusers.d, D-Bus policy, example configuration.
