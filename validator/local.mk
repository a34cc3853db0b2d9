# validator/: the rules of FINDINGS.md (pure, no I/O).
noinst_LIBRARIES += validator/libvalidator.a
validator_libvalidator_a_SOURCES = \
	validator/advertisement.h \
	validator/finding.h \
	validator/validator.h
