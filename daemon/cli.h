/* cli.h - the subcommands of dnssd-audit(1).  Each returns the process exit
 * status of FINDINGS.md: 0 no warning/error finding, 1 at least one, 2 usage
 * error or registry not loadable. */
#pragma once

int cli_check_main(int argc, char **argv);     /* dnssd-audit check ... */
int cli_scan_main(int argc, char **argv);      /* dnssd-audit scan ... */
int cli_registry_main(int argc, char **argv);  /* dnssd-audit registry lookup|stats ... */

/* Shared helpers for the subcommands. */
gboolean cli_use_color(int fd);                /* isatty && $NO_COLOR unset && TERM != dumb */
const char *cli_severity_color(int severity);  /* ANSI SGR sequence, "" for none */
