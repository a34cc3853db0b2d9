/* dnsname.h - DNS names compare case-insensitively in ASCII (as avahi
 * does): the hash and the comparison of the watcher's keys and of the
 * service table's services. */
#pragma once

#include <glib.h>

/* 0 for NULL. */
static inline guint
dns_name_hash(const char *s)
{
	guint h = 5381;

	if (s == NULL)
		return 0;
	for (; *s != '\0'; s++)
		h = (h << 5) + h + (guchar) g_ascii_tolower(*s);
	return h;
}

/* NULL equals only NULL. */
static inline gboolean
dns_name_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return g_ascii_strcasecmp(a, b) == 0;
}
