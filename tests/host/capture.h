/*
 * capture.h - what a reader prints, caught for a host test to look at
 * (ext2_test.c, iso_test.c): the readers print their errors with printf(),
 * as stage 2 does, and the tests check those messages.
 *
 *   capture_start()   stdout goes to a temporary file from here on
 *   capture_end()     stdout is back; returns the text (also in captured[])
 *                     and copies it to stderr, for the test's log
 */
#ifndef TESTS_HOST_CAPTURE_H
#define TESTS_HOST_CAPTURE_H

#include <stdio.h>
#include <unistd.h>

static char captured[16384];
static int saved_stdout = -1;
static FILE *capture_file;

static void __attribute__((unused)) capture_start(void)
{
	fflush(stdout);
	saved_stdout = dup(1);
	capture_file = tmpfile();
	dup2(fileno(capture_file), 1);
}

static const char *__attribute__((unused)) capture_end(void)
{
	size_t n;

	fflush(stdout);
	dup2(saved_stdout, 1);
	close(saved_stdout);
	rewind(capture_file);
	n = fread(captured, 1, sizeof(captured) - 1, capture_file);
	captured[n] = 0;
	fclose(capture_file);
	fputs(captured, stderr);
	return captured;
}

#endif
