# daemon/: the daemon, the command-line tool and their shared pieces.
# One fragment per part, still one make graph.
include daemon/output.mk
include daemon/watch.mk
include daemon/auditd.mk
