# tests/fuzz/: libFuzzer targets (./configure CC=clang --enable-fuzzing; make fuzz).
