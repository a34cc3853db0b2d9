/* stderr-capture.h - what the code under test writes to stderr (the log
 * target "stderr"), for the daemon's unit tests.  Include after cmocka.h.
 *
 *   StderrCapture c;
 *   stderr_capture_begin(&c);
 *   ... code that logs ...
 *   char *text = stderr_capture_take(&c);   (everything since the last take)
 *   stderr_capture_end(&c);
 */
#pragma once

#include <stdio.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>

typedef struct {
	char *path;
	int saved;
} StderrCapture;

static inline void
stderr_capture_begin(StderrCapture *c)
{
	int fd = g_file_open_tmp("test-stderr-XXXXXX", &c->path, NULL);

	assert_true(fd >= 0);
	fflush(stderr);
	c->saved = dup(2);
	dup2(fd, 2);
	close(fd);
}

/* Newly allocated; the file is emptied for the next take. */
static inline char *
stderr_capture_take(StderrCapture *c)
{
	char *out = NULL;

	fflush(stderr);
	assert_true(g_file_get_contents(c->path, &out, NULL, NULL));
	assert_int_equal(ftruncate(2, 0), 0);
	lseek(2, 0, SEEK_SET);
	return out;
}

static inline void
stderr_capture_end(StderrCapture *c)
{
	fflush(stderr);
	dup2(c->saved, 2);
	close(c->saved);
	g_unlink(c->path);
	g_free(c->path);
	c->path = NULL;
}
