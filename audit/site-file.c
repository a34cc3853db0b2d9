/* site-file.c - bounded, non-blocking reads of the site's files. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "audit/site-file.h"

G_DEFINE_QUARK(site-file-error-quark, site_file_error)

gboolean
site_file_read(const char *path, gsize max_size, char **contents, gsize *len,
               GError **error)
{
	struct stat st;
	g_autofree char *buf = NULL;
	gsize got = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		int e = errno;

		g_set_error(error, SITE_FILE_ERROR,
		            e == ENOENT ? SITE_FILE_ERROR_MISSING : SITE_FILE_ERROR_OPEN,
		            "%s: cannot open: %s", path, g_strerror(e));
		return FALSE;
	}
	/* /dev/null is the usual way to say "an empty file". */
	if (fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && strcmp(path, "/dev/null") == 0) {
		close(fd);
		*contents = g_strdup("");
		*len = 0;
		return TRUE;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		g_set_error(error, SITE_FILE_ERROR, SITE_FILE_ERROR_OPEN,
		            "%s: not a regular file", path);
		close(fd);
		return FALSE;
	}
	if ((guint64) st.st_size > max_size) {
		g_set_error(error, SITE_FILE_ERROR, SITE_FILE_ERROR_TOO_BIG,
		            "%s: larger than %" G_GSIZE_FORMAT " bytes", path, max_size);
		close(fd);
		return FALSE;
	}
	/* One byte more than allowed, to notice a file that grew meanwhile. */
	buf = g_malloc((gsize) st.st_size + 2);
	for (;;) {
		ssize_t n = read(fd, buf + got, (gsize) st.st_size + 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			g_set_error(error, SITE_FILE_ERROR, SITE_FILE_ERROR_OPEN,
			            "%s: cannot read: %s", path, g_strerror(errno));
			close(fd);
			return FALSE;
		}
		if (n == 0)
			break;
		got += (gsize) n;
		if (got > (gsize) st.st_size) {
			g_set_error(error, SITE_FILE_ERROR, SITE_FILE_ERROR_OPEN,
			            "%s: changed while being read", path);
			close(fd);
			return FALSE;
		}
	}
	close(fd);
	buf[got] = '\0';
	*len = got;
	*contents = g_steal_pointer(&buf);
	return TRUE;
}
