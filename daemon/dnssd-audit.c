/* dnssd-audit.c - placeholder main; dispatches to the subcommands. */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include "daemon/cli.h"

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "check") == 0)
		return cli_check_main(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "scan") == 0)
		return cli_scan_main(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "registry") == 0)
		return cli_registry_main(argc - 1, argv + 1);
	fprintf(stderr, "usage: dnssd-audit check|scan|registry ...\n");
	return 2;
}
