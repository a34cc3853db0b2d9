# man/: hand-written roff pages.
