/* dnssd-audit.c - the command-line tool: dispatch to the subcommands.
 * Exit status 2 for usage errors (FINDINGS.md); each subcommand returns
 * its own status. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include "cli/cli.h"

static const char usage_text[] =
	"Usage: dnssd-audit COMMAND [OPTION...] [ARG...]\n"
	"\n"
	"Audit DNS-SD (mDNS) service advertisements against RFC 6335/6763 and\n"
	"the IANA Service Name registry.\n"
	"\n"
	"Commands:\n"
	"  check      judge one advertisement given on the command line, or\n"
	"             JSON lines with --batch\n"
	"  scan       browse the network through Avahi and judge what is there\n"
	"  registry   look names up in the registry (lookup NAME, stats)\n"
	"  accept     print accepted-findings rules for the current findings\n"
	"\n"
	"Commands that ask the running dnssd-auditd:\n"
	"  status     is it running, with which registry, what does it see\n"
	"  findings   its current findings, rendered like scan\n"
	"  services   the advertisements it knows, rendered like scan\n"
	"\n"
	"Options:\n"
	"  -h, --help     show this help ('dnssd-audit COMMAND --help' for a command)\n"
	"  -V, --version  show the version\n"
	"\n"
	"Exit status: 0 no finding at warning or error severity, 1 at least one,\n"
	"2 usage error or the registry could not be loaded.\n";

int
main(int argc, char **argv)
{
	const char *cmd = argc >= 2 ? argv[1] : NULL;

	/* GOption's help text and messages follow the user's locale. */
	setlocale(LC_ALL, "");
	if (cmd == NULL) {
		fputs(usage_text, stderr);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(cmd, "check") == 0)
		return cli_check_main(argc - 1, argv + 1);
	if (strcmp(cmd, "scan") == 0)
		return cli_scan_main(argc - 1, argv + 1);
	if (strcmp(cmd, "registry") == 0)
		return cli_registry_main(argc - 1, argv + 1);
	if (strcmp(cmd, "accept") == 0)
		return cli_accept_main(argc - 1, argv + 1);
	if (strcmp(cmd, "status") == 0)
		return cli_status_main(argc - 1, argv + 1);
	if (strcmp(cmd, "findings") == 0)
		return cli_findings_main(argc - 1, argv + 1);
	if (strcmp(cmd, "services") == 0)
		return cli_services_main(argc - 1, argv + 1);
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
	    strcmp(cmd, "help") == 0) {
		fputs(usage_text, stdout);
		return CLI_EXIT_OK;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return CLI_EXIT_OK;
	}
	if (cmd[0] == '-')
		fprintf(stderr, "dnssd-audit: unknown option '%s'\n\n", cmd);
	else
		fprintf(stderr, "dnssd-audit: unknown command '%s'\n\n", cmd);
	fputs(usage_text, stderr);
	return CLI_EXIT_USAGE;
}
