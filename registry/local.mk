# registry/: IANA registry loader, index and TXT-key note parser.
noinst_LIBRARIES += registry/libregistry.a
registry_libregistry_a_SOURCES = \
	registry/registry.h \
	registry/registry.c \
	registry/txt-spec.h \
	registry/txt-spec.c
