/* cli-scan.c - placeholder until the subcommand is written. */
#include "config.h"
#include <stdio.h>
#include <glib.h>
#include "daemon/cli.h"

int
cli_scan_main(int argc, char **argv)
{
	fprintf(stderr, "dnssd-audit: 'scan' is not implemented yet\n");
	return 2;
}
