/* Helpers shared by the hw tests: running detection on a tree, reading its
 * warnings, and scratch copies of fixture trees that a test may damage. */
#ifndef IA_HW_TEST_SUPPORT_H
#define IA_HW_TEST_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "ipfs_accelerate/hw.h"

/* IA_FIXTURES/hw/NAME */
void fixture_path(char *out, size_t size, const char *name);

/* Detection over a captured tree; vendor libraries from lib_dir (NULL: none),
 * platforms probed only when asked. Fails the test when detection fails. */
ia_hw_report *detect_tree(const char *root, const char *lib_dir, bool platforms);
ia_hw_report *detect_fixture(const char *name);

bool has_warning(const ia_hw_report *r, const char *needle);
void print_warnings(const ia_hw_report *r);

/* A scratch folder for one test, made by the setup and removed by the
 * teardown whether the test passed or not (cmocka_unit_test_setup_teardown). */
typedef struct scratch {
    char root[256];
} scratch;

int scratch_setup(void **state);
int scratch_teardown(void **state);
void scratch_copy(scratch *s, const char *fixture);
void scratch_write(scratch *s, const char *path, const char *text);
void scratch_remove(scratch *s, const char *path);
/* Replaces a file by a folder of the same name: reading it fails with EISDIR,
 * which, unlike chmod 000, also fails for root. */
void scratch_make_unreadable(scratch *s, const char *path);

#endif
