/* registry-bench.c - registry_load() against a bare xmlTextReader pass over
 * the same file, alternately in one process, so that neither process
 * start-up nor load from other programs tilts the comparison.  Used by
 * bench/bench-registry.sh; not installed.
 *
 *   registry-bench FILE [ROUNDS]
 *
 * Prints the median CPU time of each and their ratio. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <libxml/xmlreader.h>

#include "registry/registry.h"

static double
cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* What xmllint --stream --noout does: read every node, look at none. */
static gboolean
bare_pass(const char *path)
{
	xmlTextReaderPtr r = xmlReaderForFile(path, NULL, XML_PARSE_COMPACT | XML_PARSE_BIG_LINES);
	int ret;

	if (r == NULL)
		return FALSE;
	while ((ret = xmlTextReaderRead(r)) == 1)
		;
	xmlFreeTextReader(r);
	return ret == 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *) a, y = *(const double *) b;

	return (x > y) - (x < y);
}

static double
median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int
main(int argc, char **argv)
{
	int rounds = argc > 2 ? atoi(argv[2]) : 20;
	double *bare, *load;

	if (argc < 2 || rounds < 1 || rounds > 10000) {
		fprintf(stderr, "usage: registry-bench FILE [ROUNDS]\n");
		return 2;
	}
	bare = g_new(double, rounds);
	load = g_new(double, rounds);
	for (int i = 0; i < rounds; i++) {
		g_autoptr(GError) error = NULL;
		Registry *reg;
		double t0 = cpu_ms();

		if (!bare_pass(argv[1])) {
			fprintf(stderr, "registry-bench: %s: libxml2 cannot read it\n", argv[1]);
			return 1;
		}
		bare[i] = cpu_ms() - t0;
		t0 = cpu_ms();
		reg = registry_load(argv[1], &error);
		if (reg == NULL) {
			fprintf(stderr, "registry-bench: %s\n", error->message);
			return 1;
		}
		registry_unref(reg);
		load[i] = cpu_ms() - t0;
	}
	printf("%.2f %.2f %.3f\n", median(load, rounds), median(bare, rounds),
	       median(load, rounds) / median(bare, rounds));
	g_free(bare);
	g_free(load);
	return 0;
}
