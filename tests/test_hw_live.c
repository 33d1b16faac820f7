/* Detection on the machine the tests run on, checked against what the C
 * library and the kernel say by other routes; and capture then replay, which
 * must reproduce the live report exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "hw/hw_internal.h"

static ia_hw_report *detect(ia_hw_source *src)
{
    ia_error err;
    ia_hw_options opts = {.skip_platforms = true};
    ia_hw_report *r = NULL;
    ia_status st = ia_hw_detect(src, &opts, &r, &err);
    if (st != IA_OK)
        fail_msg("detection failed: %s", err.message);
    return r;
}

static void test_live_matches_libc(void **state)
{
    (void)state;
    ia_error err;
    ia_hw_source *src = ia_hw_source_live(&err);
    ia_hw_report *r = detect(src);
    ia_hw_source_free(src);

    assert_int_equal(r->cpu.logical_cores, sysconf(_SC_NPROCESSORS_ONLN));
    cpu_set_t set;
    assert_int_equal(sched_getaffinity(0, sizeof set, &set), 0);
    assert_int_equal(r->cpu.usable_cpus, CPU_COUNT(&set));
    assert_true(r->cpu.physical_cores >= 1 && r->cpu.physical_cores <= r->cpu.logical_cores);
    assert_true(r->cpu.effective_cpus >= 1 && r->cpu.effective_cpus <= r->cpu.usable_cpus);
    assert_true(r->memory.host_total_bytes > 0);
    struct sysinfo si;
    assert_int_equal(sysinfo(&si), 0);
    /* meminfo and sysinfo read the same counter, in different units. */
    uint64_t total = (uint64_t)si.totalram * si.mem_unit;
    assert_true(r->memory.host_total_bytes / (1u << 20) == total / (1u << 20));
    assert_true(r->memory.available_bytes <= r->memory.total_bytes);
#if defined(__x86_64__)
    assert_string_equal(r->cpu.arch, "x86_64");
    /* The compiler's own CPUID check must agree with ours. */
    __builtin_cpu_init();
    assert_int_equal(r->cpu.features[IA_CPU_AVX2], !!__builtin_cpu_supports("avx2"));
    assert_int_equal(r->cpu.features[IA_CPU_FMA], !!__builtin_cpu_supports("fma"));
    assert_int_equal(r->cpu.features[IA_CPU_AVX512F], !!__builtin_cpu_supports("avx512f"));
    assert_int_equal(r->cpu.features[IA_CPU_AVX512BW], !!__builtin_cpu_supports("avx512bw"));
    assert_int_equal(r->cpu.features[IA_CPU_AVX512_VNNI], !!__builtin_cpu_supports("avx512vnni"));
#endif
    ia_hw_report_free(r);
}

static void test_capture_replays_exactly(void **state)
{
    (void)state;
    char dir[] = "/tmp/ia-hw-capture-XXXXXX";
    assert_non_null(mkdtemp(dir));
    ia_error err;
    ia_hw_source *live = ia_hw_source_live(&err);
    ia_hw_source *rec = ia_hw_source_recorder(live, dir, &err);
    assert_non_null(rec);
    ia_hw_report *first = detect(rec);
    ia_hw_source_free(rec);

    ia_hw_source *replay = ia_hw_source_dir(dir, NULL, &err);
    ia_hw_report *second = detect(replay);
    ia_hw_source_free(replay);

    /* Available memory moves between reads; everything else must match. */
    second->memory.available_bytes = first->memory.available_bytes;
    char *a = ia_hw_report_to_json(first, true), *b = ia_hw_report_to_json(second, true);
    assert_string_equal(a, b);
    free(a);
    free(b);
    ia_hw_report_free(first);
    ia_hw_report_free(second);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_cpu_list_parser(void **state)
{
    (void)state;
    static unsigned char map[IA_HW_MAX_CPUS / 8];
    assert_int_equal(ia_hw_parse_cpu_list("0-3,8,10-11\n", map, IA_HW_MAX_CPUS), 7);
    assert_true(map[1] & (1 << 0));  /* cpu 8 */
    assert_false(map[0] & (1 << 4)); /* cpu 4 */
    assert_int_equal(ia_hw_parse_cpu_list("5", map, IA_HW_MAX_CPUS), 1);
    assert_int_equal(ia_hw_parse_cpu_list("", map, IA_HW_MAX_CPUS), 0);
    assert_int_equal(ia_hw_parse_cpu_list("0-1,0-1", map, IA_HW_MAX_CPUS), 2);
    const char *bad[] = {"3-1", "0-", "-2", "a", "1,,2", "1 2", "0-99999", "1;2"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(ia_hw_parse_cpu_list(bad[i], map, IA_HW_MAX_CPUS), -1);
}

static void test_field_parser(void **state)
{
    (void)state;
    const char *text = "model\t\t: 2\nmodel name\t: AMD EPYC  \nflags : a b\n";
    char v[64];
    assert_true(ia_hw_field(text, "model", v, sizeof v));
    assert_string_equal(v, "2");
    assert_true(ia_hw_field(text, "model name", v, sizeof v));
    assert_string_equal(v, "AMD EPYC");
    assert_false(ia_hw_field(text, "stepping", v, sizeof v));
    char tiny[4];
    assert_true(ia_hw_field(text, "model name", tiny, sizeof tiny));
    assert_string_equal(tiny, "AMD");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_live_matches_libc),
        cmocka_unit_test(test_capture_replays_exactly),
        cmocka_unit_test(test_cpu_list_parser),
        cmocka_unit_test(test_field_parser),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
