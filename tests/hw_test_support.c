#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hw_test_support.h"

void fixture_path(char *out, size_t size, const char *name)
{
    const char *base = getenv("IA_FIXTURES");
    assert_non_null(base);
    int n = snprintf(out, size, "%s/hw/%s", base, name);
    assert_true(n > 0 && (size_t)n < size);
}

ia_hw_report *detect_tree(const char *root, const char *lib_dir, bool platforms)
{
    ia_error err;
    ia_error_clear(&err);
    ia_hw_source *src = ia_hw_source_dir(root, lib_dir, &err);
    assert_non_null(src);
    ia_hw_options opts = {.skip_platforms = !platforms};
    ia_hw_report *r = NULL;
    ia_status st = ia_hw_detect(src, &opts, &r, &err);
    ia_hw_source_free(src);
    if (st != IA_OK)
        fprintf(stderr, "ia_hw_detect(%s): %s\n", root, err.message);
    assert_int_equal(st, IA_OK);
    assert_non_null(r);
    return r;
}

ia_hw_report *detect_fixture(const char *name)
{
    char root[1024];
    fixture_path(root, sizeof root, name);
    return detect_tree(root, NULL, false);
}

bool has_warning(const ia_hw_report *r, const char *needle)
{
    for (int i = 0; i < r->warning_count; i++)
        if (strstr(r->warnings[i], needle))
            return true;
    return false;
}

void print_warnings(const ia_hw_report *r)
{
    for (int i = 0; i < r->warning_count; i++)
        fprintf(stderr, "  warning: %s\n", r->warnings[i]);
}

int scratch_setup(void **state)
{
    scratch *s = calloc(1, sizeof *s);
    if (!s)
        return -1;
    snprintf(s->root, sizeof s->root, "/tmp/ia-hw-test-XXXXXX");
    if (!mkdtemp(s->root)) {
        free(s);
        return -1;
    }
    *state = s;
    return 0;
}

int scratch_teardown(void **state)
{
    scratch *s = *state;
    if (!s)
        return 0;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", s->root);
    int rc = system(cmd);
    free(s);
    *state = NULL;
    return rc == 0 ? 0 : -1;
}

void scratch_copy(scratch *s, const char *fixture)
{
    char src[1024], cmd[2400];
    fixture_path(src, sizeof src, fixture);
    assert_null(strchr(src, '\''));
    snprintf(cmd, sizeof cmd, "cp -r '%s/.' '%s/'", src, s->root);
    assert_int_equal(system(cmd), 0);
}

void scratch_write(scratch *s, const char *path, const char *text)
{
    char full[1024];
    snprintf(full, sizeof full, "%s%s", s->root, path);
    ia_error err;
    ia_status st = ia_file_write_all(full, text, strlen(text), &err);
    if (st != IA_OK)
        fprintf(stderr, "%s\n", err.message);
    assert_int_equal(st, IA_OK);
}

void scratch_remove(scratch *s, const char *path)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "rm -rf '%s%s'", s->root, path);
    assert_int_equal(system(cmd), 0);
}

void scratch_make_unreadable(scratch *s, const char *path)
{
    scratch_remove(s, path);
    char full[1024];
    snprintf(full, sizeof full, "%s%s", s->root, path);
    assert_int_equal(mkdir(full, 0755), 0);
}
