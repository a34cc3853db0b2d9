/* site-file.h - read one of the site's small text files (configuration,
 * accepted findings) without letting the file decide how long that takes
 * or how much memory it costs.
 */
#pragma once

#include <glib.h>

#define SITE_FILE_ERROR (site_file_error_quark())
GQuark site_file_error_quark(void);

typedef enum {
	SITE_FILE_ERROR_MISSING,   /* ENOENT */
	SITE_FILE_ERROR_OPEN,      /* any other reason it cannot be read */
	SITE_FILE_ERROR_TOO_BIG,
} SiteFileErrorCode;

/* Read path whole into *contents (NUL-terminated; *len without the NUL).
 * The file is opened with O_NONBLOCK, so a FIFO or device named by
 * mistake (or swapped in before a reload) cannot block the open, and
 * anything but a regular file (or /dev/null, read as empty) is refused;
 * so is a file larger than
 * max_size bytes.  FALSE with one line "PATH: what" in error. */
gboolean site_file_read(const char *path, gsize max_size, char **contents,
                        gsize *len, GError **error);
