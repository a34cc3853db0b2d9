# bench/: `make bench` measures side by side with the reference tool, in one
# run, and prints ratios.  Each bench-* script is self-contained.
bench_scripts = \
	bench/bench-registry.sh \
	bench/bench-check.sh \
	bench/bench-scan.sh \
	bench/bench-daemon.sh
# bench-daemon.sh builds these itself (cc), into a temporary directory.
EXTRA_DIST += $(bench_scripts) bench/sync-trace.c bench/txt-churn.c

bench: all
	@for s in $(bench_scripts); do \
	  if test -f "$(srcdir)/$$s"; then \
	    echo "== $$s"; \
	    top_builddir="$(abs_top_builddir)" top_srcdir="$(abs_top_srcdir)" \
	      $(SHELL) "$(srcdir)/$$s" || exit 1; \
	  fi; \
	done
.PHONY: bench
