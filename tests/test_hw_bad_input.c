/* Detection meets broken inputs: missing and unreadable files, garbage in
 * cgroup and sysfs files, a probe dump that is not a dump, and vendor
 * libraries that are broken. Each must give a clear warning or status naming
 * the file, never a crash and never a made-up value. */
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

static void test_empty_tree_fails_clearly(void **state)
{
    (void)state;
    char root[] = "/tmp/ia-hw-empty-XXXXXX";
    assert_non_null(mkdtemp(root));
    ia_error err;
    ia_hw_source *src = ia_hw_source_dir(root, NULL, &err);
    ia_hw_report *r = NULL;
    assert_int_equal(ia_hw_detect(src, NULL, &r, &err), IA_ERR_IO);
    assert_null(r);
    assert_non_null(strstr(err.message, "no CPU or memory information"));
    assert_non_null(strstr(err.message, "/ia-probe/uname"));
    ia_hw_source_free(src);
    rmdir(root);
}

static void test_garbage_cgroup_files(void **state)
{
    scratch *s = *state;
    scratch_copy(s, "zen5-kvm");
    const char *leaf = "/sys/fs/cgroup/memory/process_api/f151d5d113182cfdf9cee401729c358b";
    char path[512];
    snprintf(path, sizeof path, "%s/memory.limit_in_bytes", leaf);
    scratch_write(s, path, "lots\n");
    scratch_write(s, "/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "\x01\x02garbage");
    ia_hw_report *r = detect_tree(s->root, NULL, false);
    print_warnings(r);
    assert_true(has_warning(r, "memory.limit_in_bytes: expected \"max\" or a number"));
    assert_true(has_warning(r, "cpu.cfs_quota_us: expected an integer"));
    assert_true(r->memory.cgroup_limit_bytes < 0);
    assert_true(r->cpu.cgroup_cpu_quota < 0);
    assert_int_equal(r->cpu.effective_cpus, 2);
    ia_hw_report_free(r);
}

static void test_garbage_cgroup_v2_cpu_max(void **state)
{
    scratch *s = *state;
    scratch_copy(s, "zen5-kvm");
    scratch_write(s, "/proc/self/cgroup", "0::/box\n");
    scratch_write(s, "/proc/self/mountinfo",
                  "41 31 0:38 / /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw\n");
    scratch_write(s, "/sys/fs/cgroup/box/cpu.max", "half 100000\n");
    scratch_write(s, "/sys/fs/cgroup/box/memory.max", "-5\n");
    ia_hw_report *r = detect_tree(s->root, NULL, false);
    print_warnings(r);
    assert_true(has_warning(r, "/sys/fs/cgroup/box/cpu.max: expected \"QUOTA PERIOD\""));
    assert_true(r->cpu.cgroup_cpu_quota < 0);
    assert_true(r->memory.cgroup_limit_bytes < 0);
    ia_hw_report_free(r);
}

static void test_missing_sysfs_falls_back_and_says_so(void **state)
{
    scratch *s = *state;
    scratch_copy(s, "zen5-kvm");
    scratch_remove(s, "/sys");
    ia_hw_report *r = detect_tree(s->root, NULL, false);
    print_warnings(r);
    /* Online CPUs come from cpuinfo's processor lines instead. */
    assert_int_equal(r->cpu.logical_cores, 2);
    assert_true(has_warning(r, "/sys/devices/system/cpu/online"));
    assert_true(has_warning(r, "CPU topology unreadable"));
    assert_int_equal(r->cpu.physical_cores, 2);
    assert_int_equal(r->cpu.cache_count, 0);
    ia_hw_report_free(r);
}

static void test_unreadable_files(void **state)
{
    scratch *s = *state;
    scratch_copy(s, "zen5-kvm");
    scratch_make_unreadable(s, "/proc/meminfo");
    scratch_make_unreadable(s, "/sys/devices/system/cpu/cpu0/cache/index2/size");
    ia_hw_report *r = detect_tree(s->root, NULL, false);
    print_warnings(r);
    assert_true(has_warning(r, "/proc/meminfo: Is a directory"));
    assert_true(has_warning(r, "index2/size: Is a directory"));
    assert_int_equal(r->memory.host_total_bytes, 0);
    assert_int_equal(r->cpu.cache_count, 3);
    assert_int_equal(r->cpu.logical_cores, 2);
    ia_hw_report_free(r);
}

static void test_garbage_probe_files(void **state)
{
    scratch *s = *state;
    scratch_copy(s, "zen5-kvm");
    scratch_write(s, "/ia-probe/cpuid", "this is not a cpuid dump\n");
    scratch_write(s, "/ia-probe/affinity", "zero to seven\n");
    scratch_write(s, "/sys/devices/system/cpu/online", "0-\n");
    scratch_write(s, "/sys/devices/system/cpu/cpu0/cache/index0/size", "big\n");
    ia_hw_report *r = detect_tree(s->root, NULL, false);
    print_warnings(r);
    assert_true(has_warning(r, "/ia-probe/cpuid: line 1"));
    assert_true(has_warning(r, "features taken from the kernel's /proc/cpuinfo flags"));
    assert_true(has_warning(r, "/ia-probe/affinity"));
    assert_true(has_warning(r, "/sys/devices/system/cpu/online: not a CPU list"));
    assert_true(has_warning(r, "index0/size: not a size"));
    /* The kernel's flags still tell the truth about this CPU. */
    assert_true(r->cpu.features[IA_CPU_AVX512F]);
    assert_true(r->cpu.features[IA_CPU_AVX512_VNNI]);
    assert_string_equal(r->cpu.vendor, "AuthenticAMD");
    assert_int_equal(r->cpu.logical_cores, 2);
    assert_int_equal(r->cpu.usable_cpus, 2);
    ia_hw_report_free(r);
}

static void test_xcr0_unavailable_means_no_avx(void **state)
{
    scratch *s = *state;
    scratch_copy(s, "zen5-kvm");
    scratch_write(s, "/ia-probe/xcr0", "unavailable: OSXSAVE not set\n");
    ia_hw_report *r = detect_tree(s->root, NULL, false);
    assert_true(has_warning(r, "/ia-probe/xcr0: unavailable"));
    assert_true(r->cpu.features[IA_CPU_SSE4_2]);
    assert_false(r->cpu.features[IA_CPU_AVX]);
    assert_false(r->cpu.features[IA_CPU_AVX2]);
    assert_false(r->cpu.features[IA_CPU_AVX512F]);
    ia_hw_report_free(r);
}

static void test_truncated_and_binary_cpuinfo(void **state)
{
    scratch *s = *state;
    scratch_copy(s, "zen5-kvm");
    scratch_remove(s, "/ia-probe/cpuid");
    scratch_write(s, "/proc/cpuinfo", "processor\t: 0\nvendor_id\t: Genu");
    ia_hw_report *r = detect_tree(s->root, NULL, false);
    print_warnings(r);
    assert_true(has_warning(r, "/ia-probe/cpuid"));
    assert_string_equal(r->cpu.vendor, "Genu");
    assert_false(r->cpu.features[IA_CPU_AVX]);
    ia_hw_report_free(r);
}

static const ia_hw_platform *find(const ia_hw_report *r, const char *name)
{
    const ia_hw_platform *p = ia_hw_report_platform(r, name);
    assert_non_null(p);
    return p;
}

/* CMake builds the broken fixture libraries into IA_TEST_LIBS/broken and
 * IA_TEST_LIBS/failing, each named libcuda.so.1. */
static void test_cuda_library_without_symbols(void **state)
{
    (void)state;
    char lib_dir[512];
    snprintf(lib_dir, sizeof lib_dir, "%s/broken", getenv("IA_TEST_LIBS"));
    char root[512];
    fixture_path(root, sizeof root, "zen5-kvm");
    ia_hw_report *r = detect_tree(root, lib_dir, true);
    const ia_hw_platform *cuda = find(r, "cuda");
    print_message("  cuda: %s: %s\n", ia_hw_status_name(cuda->status), cuda->message);
    assert_int_equal(cuda->status, IA_HW_ERROR);
    assert_non_null(strstr(cuda->message, "libcuda.so.1"));
    assert_non_null(strstr(cuda->message, "cuDriverGetVersion"));
    assert_int_equal(cuda->device_count, 0);
    ia_hw_report_free(r);
}

static void test_cuda_library_whose_init_fails(void **state)
{
    (void)state;
    char lib_dir[512];
    snprintf(lib_dir, sizeof lib_dir, "%s/failing", getenv("IA_TEST_LIBS"));
    char root[512];
    fixture_path(root, sizeof root, "zen5-kvm");
    ia_hw_report *r = detect_tree(root, lib_dir, true);
    const ia_hw_platform *cuda = find(r, "cuda");
    print_message("  cuda: %s: %s\n", ia_hw_status_name(cuda->status), cuda->message);
    assert_int_equal(cuda->status, IA_HW_ERROR);
    assert_non_null(strstr(cuda->message, "cuInit"));
    assert_non_null(strstr(cuda->message, "CUDA_ERROR_UNKNOWN"));
    ia_hw_report_free(r);
}

static void test_no_libraries_means_absent(void **state)
{
    (void)state;
    char root[512];
    fixture_path(root, sizeof root, "zen5-kvm");
    ia_hw_report *r = detect_tree(root, NULL, true);
    const char *absent[] = {"cuda", "rocm", "openvino", "qnn"};
    for (size_t i = 0; i < sizeof absent / sizeof *absent; i++) {
        const ia_hw_platform *p = find(r, absent[i]);
        assert_int_equal(p->status, IA_HW_ABSENT);
        assert_true(strlen(p->message) > 0);
    }
    assert_int_equal(find(r, "mps")->status, IA_HW_UNSUPPORTED);
    assert_int_equal(find(r, "webgpu")->status, IA_HW_UNSUPPORTED);
    assert_int_equal(find(r, "webnn")->status, IA_HW_UNSUPPORTED);
    ia_hw_report_free(r);
}

static void test_dir_source_refuses_paths_that_climb_out(void **state)
{
    (void)state;
    char root[512];
    fixture_path(root, sizeof root, "zen5-kvm");
    ia_error err;
    ia_hw_source *src = ia_hw_source_dir(root, NULL, &err);
    char *data = NULL;
    assert_int_equal(src->read_file(src, "/proc/../../../../etc/passwd", &data, NULL, &err),
                     IA_ERR_INVALID);
    assert_null(data);
    assert_int_equal(src->read_file(src, "proc/cpuinfo", &data, NULL, &err), IA_ERR_INVALID);
    ia_hw_source_free(src);
}

int main(void)
{
    if (!getenv("IA_FIXTURES") || !getenv("IA_TEST_LIBS")) {
        fprintf(stderr, "IA_FIXTURES and IA_TEST_LIBS must be set (ctest sets them)\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_tree_fails_clearly),
        cmocka_unit_test_setup_teardown(test_garbage_cgroup_files, scratch_setup, scratch_teardown),
        cmocka_unit_test_setup_teardown(test_garbage_cgroup_v2_cpu_max, scratch_setup, scratch_teardown),
        cmocka_unit_test_setup_teardown(test_missing_sysfs_falls_back_and_says_so, scratch_setup, scratch_teardown),
        cmocka_unit_test_setup_teardown(test_unreadable_files, scratch_setup, scratch_teardown),
        cmocka_unit_test_setup_teardown(test_garbage_probe_files, scratch_setup, scratch_teardown),
        cmocka_unit_test_setup_teardown(test_xcr0_unavailable_means_no_avx, scratch_setup, scratch_teardown),
        cmocka_unit_test_setup_teardown(test_truncated_and_binary_cpuinfo, scratch_setup, scratch_teardown),
        cmocka_unit_test(test_cuda_library_without_symbols),
        cmocka_unit_test(test_cuda_library_whose_init_fails),
        cmocka_unit_test(test_no_libraries_means_absent),
        cmocka_unit_test(test_dir_source_refuses_paths_that_climb_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
