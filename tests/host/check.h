/*
 * check.h - the one way a host test reports a check (tests/host/, the *_test.c files):
 *
 *   CHECK(NAME, COND, ...)   "PASS: NAME" or "FAIL: NAME (file:line: COND)";
 *                            NAME is a printf format, its arguments follow COND
 *   check_prefix             when set, printed before every NAME ("unpack: ")
 *   check_failures           how many failed: main() returns check_failures != 0
 *
 * tests/run.sh counts the PASS:/FAIL: lines, so every check prints exactly one
 * line, and stdout is line-buffered so that the lines come out in order with
 * a sanitizer's report (tests/lib.sh's host_run), which stops the program.
 */
#ifndef TESTS_HOST_CHECK_H
#define TESTS_HOST_CHECK_H

#include <stdarg.h>
#include <stdio.h>

static int check_failures;
static const char *check_prefix;

static void __attribute__((format(printf, 5, 6), unused))
check_report(int ok, const char *file, int line, const char *cond, const char *name, ...)
{
	va_list ap;

	printf("%s: ", ok ? "PASS" : "FAIL");
	if (check_prefix)
		printf("%s: ", check_prefix);
	va_start(ap, name);
	vprintf(name, ap);
	va_end(ap);
	if (!ok) {
		printf(" (%s:%d: %s)", file, line, cond);
		check_failures++;
	}
	printf("\n");
	fflush(stdout);
}

#define CHECK(name, cond, ...) \
	check_report(!!(cond), __FILE__, __LINE__, #cond, name, ##__VA_ARGS__)

#endif
