/* Detection against captured and hand-made machines: this project's real
 * capture (AMD Zen 5 under KVM), an Intel Sapphire Rapids server with SMT and
 * AMX, an AWS Graviton3-like ARM server, and a Kubernetes container on an
 * AMD EPYC host with cgroup v2 (and, built here, the same under cgroup v1).
 * Variants that differ in one file (AMX refused, XCR0 without AVX-512, no
 * auxv, cgroup v1) are made in a scratch copy that teardown always removes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw_test_support.h"

#define GIB (1024ull * 1024ull * 1024ull)

/* ------------------------------------------------------------- helpers */

/* A well-formed fixture must be read without a single complaint. */
static void assert_no_warnings(const ia_hw_report *r)
{
    print_warnings(r);
    assert_int_equal(r->warning_count, 0);
}

static void assert_near(double actual, double expected)
{
    if (fabs(actual - expected) > 1e-9)
        fprintf(stderr, "expected %g, got %g\n", expected, actual);
    assert_true(fabs(actual - expected) <= 1e-9);
}

/* Exactly the features in want[] (terminated by IA_CPU_FEATURE_COUNT). */
static void assert_features_exactly(const ia_hw_cpu *cpu, const ia_cpu_feature *want)
{
    bool expected[IA_CPU_FEATURE_COUNT] = {false};
    for (const ia_cpu_feature *f = want; *f != IA_CPU_FEATURE_COUNT; f++)
        expected[*f] = true;
    for (int i = 0; i < IA_CPU_FEATURE_COUNT; i++) {
        if (cpu->features[i] != expected[i])
            fprintf(stderr, "feature %s: expected %s, got %s\n",
                    ia_cpu_feature_name((ia_cpu_feature)i), expected[i] ? "present" : "absent",
                    cpu->features[i] ? "present" : "absent");
        assert_int_equal(cpu->features[i], expected[i]);
    }
}

static void assert_cache(const ia_hw_cache *c, int level, const char *type, uint64_t size,
                         int instances, int shared_by)
{
    assert_int_equal(c->level, level);
    assert_string_equal(c->type, type);
    assert_int_equal(c->size_bytes, size);
    assert_int_equal(c->instances, instances);
    assert_int_equal(c->shared_by_cpus, shared_by);
}

/* ------------------------------------------- zen5-kvm: the real capture */

static void test_zen5_kvm_capture(void **state)
{
    (void)state;
    ia_hw_report *r = detect_fixture("zen5-kvm");
    const ia_hw_cpu *cpu = &r->cpu;
    assert_string_equal(cpu->arch, "x86_64");
    assert_string_equal(cpu->vendor, "AuthenticAMD");
    assert_int_equal(cpu->family, 26);
    assert_int_equal(cpu->logical_cores, 2);
    assert_int_equal(cpu->usable_cpus, 2);
    assert_int_equal(cpu->effective_cpus, 2);
    assert_true(cpu->cgroup_cpu_quota < 0);
    assert_true(cpu->features[IA_CPU_AVX512F]);
    assert_true(cpu->features[IA_CPU_AVX512_VNNI]);
    assert_true(cpu->features[IA_CPU_AVX512_BF16]);
    assert_false(cpu->features[IA_CPU_AVX512_FP16]);
    assert_false(cpu->features[IA_CPU_AMX_TILE]);
    assert_false(cpu->features[IA_CPU_AMX_INT8]);
    assert_false(cpu->features[IA_CPU_AMX_BF16]);
    assert_false(cpu->features[IA_CPU_SVE]);
    assert_false(cpu->amx_permission_requested);
    assert_int_equal(cpu->cache_count, 4);
    assert_true(r->memory.cgroup_limit_bytes < 0);
    assert_int_equal(r->memory.total_bytes, r->memory.host_total_bytes);
    assert_no_warnings(r);
    ia_hw_report_free(r);
}

/* ------------------------------- intel-smt-amx: Xeon Platinum 8480+ */

static void test_intel_smt_amx(void **state)
{
    (void)state;
    ia_hw_report *r = detect_fixture("intel-smt-amx");
    const ia_hw_cpu *cpu = &r->cpu;
    assert_string_equal(cpu->arch, "x86_64");
    assert_string_equal(cpu->vendor, "GenuineIntel");
    assert_string_equal(cpu->model_name, "Intel(R) Xeon(R) Platinum 8480+");
    assert_int_equal(cpu->family, 6);
    assert_int_equal(cpu->model, 143);
    assert_int_equal(cpu->stepping, 8);
    assert_int_equal(cpu->implementer, IA_HW_NO_VALUE);
    assert_int_equal(cpu->part, IA_HW_NO_VALUE);

    assert_int_equal(cpu->logical_cores, 8);
    assert_int_equal(cpu->physical_cores, 4);
    assert_int_equal(cpu->packages, 1);
    assert_int_equal(cpu->threads_per_core, 2);
    assert_true(cpu->smt);
    assert_int_equal(cpu->usable_cpus, 8);
    assert_string_equal(cpu->usable_cpu_list, "0-7");
    assert_true(cpu->cgroup_cpu_quota < 0);
    assert_int_equal(cpu->effective_cpus, 8);
    assert_int_equal(cpu->numa_nodes, 1);

    assert_int_equal(cpu->cache_count, 4);
    assert_cache(&cpu->caches[0], 1, "Data", 48 * 1024, 4, 2);
    assert_cache(&cpu->caches[1], 1, "Instruction", 32 * 1024, 4, 2);
    assert_cache(&cpu->caches[2], 2, "Unified", 2048 * 1024, 4, 2);
    assert_cache(&cpu->caches[3], 3, "Unified", 105ull * 1024 * 1024, 1, 8);

    assert_near(cpu->base_mhz, 2000);
    assert_near(cpu->max_mhz, 3800);
    assert_string_equal(cpu->frequency_source, "cpufreq");

    static const ia_cpu_feature want[] = {
        IA_CPU_SSE4_2,      IA_CPU_AVX,         IA_CPU_AVX2,        IA_CPU_FMA,
        IA_CPU_F16C,        IA_CPU_AVX512F,     IA_CPU_AVX512BW,    IA_CPU_AVX512VL,
        IA_CPU_AVX512_VNNI, IA_CPU_AVX512_BF16, IA_CPU_AVX512_FP16, IA_CPU_AVX_VNNI,
        IA_CPU_AMX_TILE,    IA_CPU_AMX_INT8,    IA_CPU_AMX_BF16,    IA_CPU_FEATURE_COUNT};
    assert_features_exactly(cpu, want);
    assert_true(cpu->amx_permission_requested);

    const ia_hw_memory *m = &r->memory;
    assert_int_equal(m->host_total_bytes, 263634576ull * 1024);
    assert_int_equal(m->total_bytes, m->host_total_bytes);
    assert_int_equal(m->available_bytes, 258101344ull * 1024);
    assert_true(m->cgroup_limit_bytes < 0);
    assert_int_equal(m->hugepage_size_bytes, 2048 * 1024);
    assert_string_equal(m->transparent_hugepages, "madvise");
    assert_no_warnings(r);

    /* The same facts through the JSON contract. */
    char *json = ia_hw_report_to_json(r, false);
    assert_non_null(json);
    cJSON *doc = cJSON_Parse(json);
    free(json);
    assert_non_null(doc);
    const cJSON *jcpu = cJSON_GetObjectItemCaseSensitive(doc, "cpu");
    assert_true(cJSON_IsObject(jcpu));
    const cJSON *logical = cJSON_GetObjectItemCaseSensitive(jcpu, "logical_cores");
    assert_true(cJSON_IsNumber(logical));
    assert_int_equal(logical->valueint, 8);
    const cJSON *features = cJSON_GetObjectItemCaseSensitive(jcpu, "features");
    assert_true(cJSON_IsArray(features));
    assert_int_equal(cJSON_GetArraySize(features), 15);
    bool amx_tile = false, sve = false;
    const cJSON *f;
    cJSON_ArrayForEach(f, features) {
        assert_true(cJSON_IsString(f));
        amx_tile = amx_tile || strcmp(f->valuestring, "amx_tile") == 0;
        sve = sve || strcmp(f->valuestring, "sve") == 0;
    }
    assert_true(amx_tile);
    assert_false(sve);
    const cJSON *freq = cJSON_GetObjectItemCaseSensitive(jcpu, "frequency_source");
    assert_true(cJSON_IsString(freq));
    assert_string_equal(freq->valuestring, "cpufreq");
    const cJSON *jmem = cJSON_GetObjectItemCaseSensitive(doc, "memory");
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(jmem, "cgroup_limit_bytes")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(jcpu, "cgroup_cpu_quota")));
    cJSON_Delete(doc);
    ia_hw_report_free(r);
}

/* The kernel refused the tiles (arch_prctl failed): AMX is unusable however
 * much the CPU has it, and the report says why. */
static void test_intel_amx_denied(void **state)
{
    scratch *s = *state;
    scratch_copy(s, "intel-smt-amx");
    scratch_write(s, "/ia-probe/amx", "denied: Operation not permitted\n");
    ia_hw_report *r = detect_tree(s->root, NULL, false);
    const ia_hw_cpu *cpu = &r->cpu;
    assert_false(cpu->features[IA_CPU_AMX_TILE]);
    assert_false(cpu->features[IA_CPU_AMX_INT8]);
    assert_false(cpu->features[IA_CPU_AMX_BF16]);
    /* Everything that does not need the tiles stays. */
    assert_true(cpu->features[IA_CPU_AVX512_FP16]);
    assert_true(cpu->features[IA_CPU_AVX512_BF16]);
    assert_true(cpu->features[IA_CPU_AVX_VNNI]);
    assert_true(cpu->amx_permission_requested);
    print_warnings(r);
    assert_int_equal(r->warning_count, 1);
    assert_true(has_warning(r, "AMX"));
    assert_true(has_warning(r, "Operation not permitted"));
    ia_hw_report_free(r);
}

/* An OS that saves only x87/SSE/AVX state (XCR0 = 7): AVX-512 and AMX are
 * unusable though CPUID lists them; AVX2 and the VEX-encoded AVX-VNNI stay. */
static void test_intel_xcr0_without_avx512(void **state)
{
    scratch *s = *state;
    scratch_copy(s, "intel-smt-amx");
    scratch_write(s, "/ia-probe/xcr0", "0000000000000007\n");
    ia_hw_report *r = detect_tree(s->root, NULL, false);
    static const ia_cpu_feature want[] = {IA_CPU_SSE4_2, IA_CPU_AVX,      IA_CPU_AVX2,
                                          IA_CPU_FMA,    IA_CPU_F16C,     IA_CPU_AVX_VNNI,
                                          IA_CPU_FEATURE_COUNT};
    assert_features_exactly(&r->cpu, want);
    assert_no_warnings(r);
    ia_hw_report_free(r);
}

/* ------------------------------------ arm-server: Graviton3 (Neoverse V1) */

static const ia_cpu_feature arm_features[] = {IA_CPU_ASIMD, IA_CPU_SVE, IA_CPU_ASIMDDP,
                                              IA_CPU_I8MM, IA_CPU_FEATURE_COUNT};

static void test_arm_server(void **state)
{
    (void)state;
    ia_hw_report *r = detect_fixture("arm-server");
    const ia_hw_cpu *cpu = &r->cpu;
    assert_string_equal(cpu->arch, "aarch64");
    assert_string_equal(cpu->vendor, "ARM");
    assert_string_equal(cpu->model_name, "Neoverse-V1");
    assert_int_equal(cpu->implementer, 0x41);
    assert_int_equal(cpu->part, 0xd40);
    assert_int_equal(cpu->part, 3392);
    assert_int_equal(cpu->variant, 1);
    assert_int_equal(cpu->revision, 1);
    assert_int_equal(cpu->family, IA_HW_NO_VALUE);
    assert_int_equal(cpu->model, IA_HW_NO_VALUE);
    assert_int_equal(cpu->stepping, IA_HW_NO_VALUE);

    assert_int_equal(cpu->logical_cores, 8);
    assert_int_equal(cpu->physical_cores, 8);
    assert_int_equal(cpu->packages, 1);
    assert_int_equal(cpu->threads_per_core, 1);
    assert_false(cpu->smt);
    assert_int_equal(cpu->usable_cpus, 8);
    assert_true(cpu->cgroup_cpu_quota < 0);
    assert_int_equal(cpu->effective_cpus, 8);
    assert_int_equal(cpu->numa_nodes, 1);

    assert_int_equal(cpu->cache_count, 4);
    assert_cache(&cpu->caches[0], 1, "Data", 64 * 1024, 8, 1);
    assert_cache(&cpu->caches[1], 1, "Instruction", 64 * 1024, 8, 1);
    assert_cache(&cpu->caches[2], 2, "Unified", 1024 * 1024, 8, 1);
    assert_cache(&cpu->caches[3], 3, "Unified", 32ull * 1024 * 1024, 1, 8);

    assert_true(cpu->base_mhz < 0);
    assert_true(cpu->max_mhz < 0);
    assert_string_equal(cpu->frequency_source, "none");

    assert_features_exactly(cpu, arm_features);
    assert_false(cpu->amx_permission_requested);

    assert_int_equal(r->memory.host_total_bytes, 32188708ull * 1024);
    assert_int_equal(r->memory.total_bytes, r->memory.host_total_bytes);
    assert_true(r->memory.cgroup_limit_bytes < 0);
    assert_string_equal(r->memory.transparent_hugepages, "always");
    assert_no_warnings(r);
    ia_hw_report_free(r);
}

/* Without the auxiliary vector the kernel's Features line is the fallback,
 * and the report says so. */
static void test_arm_without_auxv(void **state)
{
    scratch *s = *state;
    scratch_copy(s, "arm-server");
    scratch_remove(s, "/ia-probe/auxv");
    ia_hw_report *r = detect_tree(s->root, NULL, false);
    assert_features_exactly(&r->cpu, arm_features);
    assert_string_equal(r->cpu.model_name, "Neoverse-V1");
    print_warnings(r);
    assert_int_equal(r->warning_count, 1);
    assert_true(has_warning(r, "auxv"));
    assert_true(has_warning(r, "/proc/cpuinfo"));
    ia_hw_report_free(r);
}

/* ------------------- cgroup-container: a pod on a 16-vCPU EPYC 7763 host */

static void test_cgroup_v2_container(void **state)
{
    (void)state;
    ia_hw_report *r = detect_fixture("cgroup-container");
    const ia_hw_cpu *cpu = &r->cpu;
    assert_string_equal(cpu->vendor, "AuthenticAMD");
    assert_string_equal(cpu->model_name, "AMD EPYC 7763 64-Core Processor");
    assert_int_equal(cpu->family, 25);
    assert_int_equal(cpu->model, 1);
    assert_int_equal(cpu->stepping, 1);

    assert_int_equal(cpu->logical_cores, 16);
    assert_int_equal(cpu->physical_cores, 8);
    assert_int_equal(cpu->threads_per_core, 2);
    assert_true(cpu->smt);
    assert_int_equal(cpu->usable_cpus, 8);
    assert_string_equal(cpu->usable_cpu_list, "0-7");
    assert_near(cpu->cgroup_cpu_quota, 2.5);
    assert_int_equal(cpu->effective_cpus, 3);

    static const ia_cpu_feature want[] = {IA_CPU_SSE4_2, IA_CPU_AVX,  IA_CPU_AVX2,
                                          IA_CPU_FMA,    IA_CPU_F16C, IA_CPU_FEATURE_COUNT};
    assert_features_exactly(cpu, want);
    assert_false(cpu->amx_permission_requested);
    assert_string_equal(cpu->frequency_source, "none");

    const ia_hw_memory *m = &r->memory;
    assert_int_equal(m->host_total_bytes, 64 * GIB);
    assert_int_equal(m->cgroup_limit_bytes, 4 * GIB);
    assert_int_equal(m->total_bytes, 4 * GIB);
    /* limit 4 GiB - usage 1 GiB, far below the host's MemAvailable */
    assert_true(m->available_bytes <= 3 * GIB);
    assert_int_equal(m->available_bytes, 3 * GIB);
    assert_no_warnings(r);
    ia_hw_report_free(r);
}

/* The same container under cgroup v1 (Docker): CFS quota 1.5 CPUs and a
 * 2 GiB memory limit, with unlimited parents. */
static void test_cgroup_v1_container(void **state)
{
    scratch *s = *state;
    scratch_copy(s, "cgroup-container");
    scratch_remove(s, "/sys/fs/cgroup");
    scratch_write(s, "/proc/self/cgroup",
                  "12:hugetlb:/docker/abc\n"
                  "11:pids:/docker/abc\n"
                  "10:freezer:/docker/abc\n"
                  "9:perf_event:/docker/abc\n"
                  "8:net_cls,net_prio:/docker/abc\n"
                  "7:devices:/docker/abc\n"
                  "6:cpuset:/docker/abc\n"
                  "5:blkio:/docker/abc\n"
                  "4:cpu,cpuacct:/docker/abc\n"
                  "3:memory:/docker/abc\n"
                  "2:rdma:/\n"
                  "1:name=systemd:/docker/abc\n"
                  "0::/system.slice/containerd.service\n");
    scratch_write(s, "/proc/self/mountinfo",
                  "25 30 0:23 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n"
                  "26 30 0:24 / /proc rw,nosuid,nodev,noexec,relatime shared:14 - proc proc rw\n"
                  "30 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p1 rw,discard\n"
                  "31 25 0:26 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755,inode64\n"
                  "32 31 0:27 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate\n"
                  "33 31 0:28 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,xattr,name=systemd\n"
                  "36 31 0:31 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,memory\n"
                  "37 31 0:32 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,cpu,cpuacct\n"
                  "38 31 0:33 / /sys/fs/cgroup/cpuset rw,nosuid,nodev,noexec,relatime shared:17 - cgroup cgroup rw,cpuset\n"
                  "39 31 0:34 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:18 - cgroup cgroup rw,pids\n");
    const char *cpu_dir = "/sys/fs/cgroup/cpu,cpuacct";
    const char *mem_dir = "/sys/fs/cgroup/memory";
    char path[256];
    snprintf(path, sizeof path, "%s/cpu.cfs_quota_us", cpu_dir);
    scratch_write(s, path, "-1\n");
    snprintf(path, sizeof path, "%s/cpu.cfs_period_us", cpu_dir);
    scratch_write(s, path, "100000\n");
    snprintf(path, sizeof path, "%s/docker/cpu.cfs_quota_us", cpu_dir);
    scratch_write(s, path, "-1\n");
    snprintf(path, sizeof path, "%s/docker/cpu.cfs_period_us", cpu_dir);
    scratch_write(s, path, "100000\n");
    snprintf(path, sizeof path, "%s/docker/abc/cpu.cfs_quota_us", cpu_dir);
    scratch_write(s, path, "150000\n");
    snprintf(path, sizeof path, "%s/docker/abc/cpu.cfs_period_us", cpu_dir);
    scratch_write(s, path, "100000\n");
    snprintf(path, sizeof path, "%s/memory.limit_in_bytes", mem_dir);
    scratch_write(s, path, "9223372036854771712\n");
    snprintf(path, sizeof path, "%s/docker/memory.limit_in_bytes", mem_dir);
    scratch_write(s, path, "9223372036854771712\n");
    snprintf(path, sizeof path, "%s/docker/abc/memory.limit_in_bytes", mem_dir);
    scratch_write(s, path, "2147483648\n");
    snprintf(path, sizeof path, "%s/docker/abc/memory.usage_in_bytes", mem_dir);
    scratch_write(s, path, "536870912\n");

    ia_hw_report *r = detect_tree(s->root, NULL, false);
    const ia_hw_cpu *cpu = &r->cpu;
    assert_int_equal(cpu->logical_cores, 16);
    assert_int_equal(cpu->usable_cpus, 8);
    assert_near(cpu->cgroup_cpu_quota, 1.5);
    assert_int_equal(cpu->effective_cpus, 2);
    const ia_hw_memory *m = &r->memory;
    assert_int_equal(m->host_total_bytes, 64 * GIB);
    assert_int_equal(m->cgroup_limit_bytes, 2 * GIB);
    assert_int_equal(m->total_bytes, 2 * GIB);
    assert_int_equal(m->available_bytes, 2 * GIB - 512ull * 1024 * 1024);
    assert_no_warnings(r);
    ia_hw_report_free(r);
}

/* ------------------ intel-amx-kvm: a real capture of the GPU machine's host */

/* Captured with `hw --capture` on the 16-vCPU Intel Xeon (family 6, model 207:
 * Emerald Rapids) that hosts the project's H200, where the kernel granted AMX:
 * the real-world counterpart of the hand-made intel-smt-amx tree. */
static void test_intel_amx_kvm_capture(void **state)
{
    (void)state;
    ia_hw_report *r = detect_fixture("intel-amx-kvm");
    assert_no_warnings(r);
    assert_string_equal(r->cpu.vendor, "GenuineIntel");
    assert_int_equal(r->cpu.family, 6);
    assert_int_equal(r->cpu.model, 207);
    assert_int_equal(r->cpu.logical_cores, 16);
    assert_int_equal(r->cpu.physical_cores, 16);
    assert_true(r->cpu.amx_permission_requested);
    static const ia_cpu_feature want[] = {
        IA_CPU_SSE4_2,      IA_CPU_AVX,         IA_CPU_AVX2,        IA_CPU_FMA,
        IA_CPU_F16C,        IA_CPU_AVX512F,     IA_CPU_AVX512BW,    IA_CPU_AVX512VL,
        IA_CPU_AVX512_VNNI, IA_CPU_AVX512_BF16, IA_CPU_AVX512_FP16, IA_CPU_AVX_VNNI,
        IA_CPU_AMX_TILE,    IA_CPU_AMX_INT8,    IA_CPU_AMX_BF16,    IA_CPU_FEATURE_COUNT};
    assert_features_exactly(&r->cpu, want);
    assert_int_equal(r->cpu.cache_count, 4);
    assert_cache(&r->cpu.caches[3], 3, "Unified", 300ull << 20, 1, 16);
    /* cgroup v2 limit of 128 GiB, above the 125.9 GiB the VM has. */
    assert_int_equal(r->memory.cgroup_limit_bytes, 128LL << 30);
    assert_int_equal(r->memory.total_bytes, r->memory.host_total_bytes);
    ia_hw_report_free(r);
}

/* ------------------------------------------------ regressions found in review */

/* Online CPUs need not be 0..n-1: with 0,2,5,7 online, each of the four cores
 * keeps one thread, so four L1 and L2 instances, one L3. */
static void test_caches_with_offline_cpus(void **state)
{
    scratch *s = *state;
    scratch_copy(s, "intel-smt-amx");
    scratch_write(s, "/sys/devices/system/cpu/online", "0,2,5,7\n");
    ia_hw_report *r = detect_tree(s->root, NULL, false);
    assert_no_warnings(r);
    assert_int_equal(r->cpu.logical_cores, 4);
    assert_int_equal(r->cpu.physical_cores, 4);
    assert_int_equal(r->cpu.cache_count, 4);
    for (int i = 0; i < 3; i++)
        assert_int_equal(r->cpu.caches[i].instances, 4);
    assert_int_equal(r->cpu.caches[3].instances, 1);
    ia_hw_report_free(r);
}

/* A parent's limit is shared with its other children: the room left is the
 * least (limit - usage) over the levels, not the leaf's usage against the
 * tightest limit. */
static void test_cgroup_parent_memory_room(void **state)
{
    scratch *s = *state;
    scratch_copy(s, "cgroup-container");
    scratch_write(s, "/sys/fs/cgroup/kubepods/pod1234/memory.max", "2147483648\n");
    scratch_write(s, "/sys/fs/cgroup/kubepods/pod1234/memory.current", "2040109465\n");
    ia_hw_report *r = detect_tree(s->root, NULL, false);
    assert_no_warnings(r);
    assert_int_equal(r->memory.cgroup_limit_bytes, 2147483648LL);
    assert_int_equal(r->memory.total_bytes, 2147483648ULL);
    assert_int_equal(r->memory.available_bytes, 2147483648ULL - 2040109465ULL);
    ia_hw_report_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zen5_kvm_capture),
        cmocka_unit_test(test_intel_smt_amx),
        cmocka_unit_test_setup_teardown(test_intel_amx_denied, scratch_setup, scratch_teardown),
        cmocka_unit_test_setup_teardown(test_intel_xcr0_without_avx512, scratch_setup,
                                        scratch_teardown),
        cmocka_unit_test(test_arm_server),
        cmocka_unit_test_setup_teardown(test_arm_without_auxv, scratch_setup, scratch_teardown),
        cmocka_unit_test(test_cgroup_v2_container),
        cmocka_unit_test_setup_teardown(test_cgroup_v1_container, scratch_setup,
                                        scratch_teardown),
        cmocka_unit_test(test_intel_amx_kvm_capture),
        cmocka_unit_test_setup_teardown(test_caches_with_offline_cpus, scratch_setup, scratch_teardown),
        cmocka_unit_test_setup_teardown(test_cgroup_parent_memory_room, scratch_setup, scratch_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
