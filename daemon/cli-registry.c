/* cli-registry.c - placeholder until the subcommand is written. */
#include "config.h"
#include <stdio.h>
#include <glib.h>
#include "daemon/cli.h"

int
cli_registry_main(int argc, char **argv)
{
	fprintf(stderr, "dnssd-audit: 'registry' is not implemented yet\n");
	return 2;
}
