# avahi/: Avahi events -> observed services (audit/observed.h).  The only
# folder that includes Avahi's headers.
noinst_LIBRARIES += avahi/libwatch.a
avahi_libwatch_a_SOURCES = \
	avahi/watcher.h \
	avahi/watcher.c \
	avahi/ifname-cache.h \
	avahi/ifname-cache.c

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-watcher
TESTS += tests/unit/test-watcher
tests_unit_test_watcher_SOURCES = tests/unit/test-watcher.c
tests_unit_test_watcher_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_watcher_LDADD = avahi/libwatch.a format/libformat.a \
	$(AVAHI_LIBS) $(GIO_LIBS) $(GLIB_LIBS) $(CMOCKA_LIBS)
endif
