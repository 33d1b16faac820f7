/* x86 CPU identity and ISA features from CPUID, with the operating system's
 * support checked: a feature counts only when the CPU has it AND the OS saves
 * its registers (XCR0 via XGETBV) AND, for AMX, the kernel granted the
 * process permission to use the tiles (arch_prctl). */
#include "hw_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LEAVES 256

typedef struct cpuid_leaf {
    unsigned leaf, sub;
    unsigned r[4]; /* eax, ebx, ecx, edx */
} cpuid_leaf;

typedef struct cpuid_table {
    int count;
    cpuid_leaf leaves[MAX_LEAVES];
} cpuid_table;

enum { EAX, EBX, ECX, EDX };

/* Parses the /ia-probe/cpuid dump: "LLLLLLLL SS: EAX EBX ECX EDX" per line. */
static bool parse_cpuid(const char *text, cpuid_table *t, ia_hw_report *r)
{
    t->count = 0;
    int line_no = 0;
    for (const char *line = text; *line; line++) {
        line_no++;
        cpuid_leaf l;
        if (sscanf(line, "%x %x: %x %x %x %x", &l.leaf, &l.sub, &l.r[0], &l.r[1], &l.r[2],
                   &l.r[3]) != 6) {
            ia_hw_warn(r, "/ia-probe/cpuid: line %d is not \"leaf sub: eax ebx ecx edx\"", line_no);
            return false;
        }
        if (t->count < MAX_LEAVES)
            t->leaves[t->count++] = l;
        line = strchr(line, '\n');
        if (!line)
            break;
    }
    return t->count > 0;
}

/* A leaf that was not dumped reads as zeros, as CPUID does past the maximum. */
static unsigned reg(const cpuid_table *t, unsigned leaf, unsigned sub, int which)
{
    for (int i = 0; i < t->count; i++)
        if (t->leaves[i].leaf == leaf && t->leaves[i].sub == sub)
            return t->leaves[i].r[which];
    return 0;
}

static bool bit(unsigned value, int n) { return (value >> n) & 1u; }

static void identity_from_cpuid(const cpuid_table *t, ia_hw_cpu *cpu)
{
    char vendor[13];
    unsigned v[3] = {reg(t, 0, 0, EBX), reg(t, 0, 0, EDX), reg(t, 0, 0, ECX)};
    memcpy(vendor, v, 12);
    vendor[12] = '\0';
    ia_hw_copy(cpu->vendor, sizeof cpu->vendor, vendor);

    unsigned sig = reg(t, 1, 0, EAX);
    int family = (int)((sig >> 8) & 0xf), model = (int)((sig >> 4) & 0xf);
    if (family == 0xf)
        family += (int)((sig >> 20) & 0xff);
    if (family == 0x6 || family >= 0xf)
        model += (int)((sig >> 16) & 0xf) << 4;
    cpu->family = family;
    cpu->model = model;
    cpu->stepping = (int)(sig & 0xf);

    /* Leaf 0x16 (Intel since Skylake) gives base and maximum MHz. */
    if (reg(t, 0, 0, EAX) >= 0x16 && reg(t, 0x16, 0, EAX) != 0) {
        cpu->base_mhz = reg(t, 0x16, 0, EAX);
        cpu->max_mhz = reg(t, 0x16, 0, EBX) ? (double)reg(t, 0x16, 0, EBX) : -1.0;
        ia_hw_copy(cpu->frequency_source, sizeof cpu->frequency_source, "cpuid");
    }

    if (reg(t, 0x80000000u, 0, EAX) >= 0x80000004u) {
        char brand[49];
        for (unsigned i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++) {
                unsigned x = reg(t, 0x80000002u + i, 0, j);
                memcpy(brand + i * 16 + j * 4, &x, 4);
            }
        brand[48] = '\0';
        ia_hw_copy(cpu->model_name, sizeof cpu->model_name, ia_hw_trim(brand));
    }
}

static void features_from_cpuid(const cpuid_table *t, uint64_t xcr0, bool amx_granted,
                                ia_hw_cpu *cpu)
{
    unsigned c1 = reg(t, 1, 0, ECX);
    unsigned max_basic = reg(t, 0, 0, EAX);
    unsigned b7 = 0, c7 = 0, d7 = 0, a71 = 0;
    if (max_basic >= 7) {
        b7 = reg(t, 7, 0, EBX);
        c7 = reg(t, 7, 0, ECX);
        d7 = reg(t, 7, 0, EDX);
        if (reg(t, 7, 0, EAX) >= 1)
            a71 = reg(t, 7, 1, EAX);
    }
    /* XCR0 bits: 1 SSE, 2 AVX, 5-7 AVX-512 opmask/ZMM, 17-18 AMX tiles. */
    bool os_avx = bit(c1, 27) && (xcr0 & 0x6) == 0x6;
    bool os_avx512 = os_avx && (xcr0 & 0xe0) == 0xe0;
    bool os_amx = (xcr0 & 0x60000) == 0x60000 && amx_granted;

    bool *f = cpu->features;
    f[IA_CPU_SSE4_2] = bit(c1, 20);
    f[IA_CPU_AVX] = os_avx && bit(c1, 28);
    f[IA_CPU_FMA] = os_avx && bit(c1, 12);
    f[IA_CPU_F16C] = os_avx && bit(c1, 29);
    f[IA_CPU_AVX2] = os_avx && bit(b7, 5);
    f[IA_CPU_AVX_VNNI] = os_avx && bit(a71, 4);
    f[IA_CPU_AVX512F] = os_avx512 && bit(b7, 16);
    f[IA_CPU_AVX512BW] = os_avx512 && bit(b7, 30);
    f[IA_CPU_AVX512VL] = os_avx512 && bit(b7, 31);
    f[IA_CPU_AVX512_VNNI] = os_avx512 && bit(c7, 11);
    f[IA_CPU_AVX512_BF16] = os_avx512 && bit(a71, 5);
    f[IA_CPU_AVX512_FP16] = os_avx512 && bit(d7, 23);
    f[IA_CPU_AMX_BF16] = os_amx && bit(d7, 22);
    f[IA_CPU_AMX_TILE] = os_amx && bit(d7, 24);
    f[IA_CPU_AMX_INT8] = os_amx && bit(d7, 25);
}

/* Without CPUID (a capture made elsewhere, say) the kernel's own flags are
 * the next best truth: Linux clears a flag when the OS cannot use it. */
static void features_from_cpuinfo(const char *cpuinfo, ia_hw_cpu *cpu)
{
    char flags[4096];
    if (!ia_hw_field(cpuinfo, "flags", flags, sizeof flags))
        return;
    for (int i = 0; i < IA_CPU_FEATURE_COUNT; i++) {
        const char *name = ia_cpu_feature_name((ia_cpu_feature)i);
        size_t n = strlen(name);
        for (char *p = strstr(flags, name); p; p = strstr(p + 1, name)) {
            if ((p == flags || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) {
                cpu->features[i] = true;
                break;
            }
        }
    }
}

static void identity_from_cpuinfo(const char *cpuinfo, ia_hw_cpu *cpu)
{
    char value[256];
    if (ia_hw_field(cpuinfo, "vendor_id", value, sizeof value))
        ia_hw_copy(cpu->vendor, sizeof cpu->vendor, value);
    if (ia_hw_field(cpuinfo, "model name", value, sizeof value))
        ia_hw_copy(cpu->model_name, sizeof cpu->model_name, value);
    if (ia_hw_field(cpuinfo, "cpu family", value, sizeof value))
        cpu->family = atoi(value);
    if (ia_hw_field(cpuinfo, "model", value, sizeof value))
        cpu->model = atoi(value);
    if (ia_hw_field(cpuinfo, "stepping", value, sizeof value))
        cpu->stepping = atoi(value);
}

void ia_hw_detect_cpu_x86(ia_hw_source *src, ia_hw_report *r)
{
    ia_hw_cpu *cpu = &r->cpu;
    char *cpuinfo = ia_hw_read(src, r, "/proc/cpuinfo", false);
    char *dump = ia_hw_read(src, r, "/ia-probe/cpuid", false);
    cpuid_table *t = calloc(1, sizeof *t);
    bool have_cpuid = dump && t && parse_cpuid(dump, t, r);

    if (have_cpuid) {
        identity_from_cpuid(t, cpu);
        uint64_t xcr0 = 0;
        char *x = ia_hw_read(src, r, "/ia-probe/xcr0", false);
        if (x && sscanf(x, "%" SCNx64, &xcr0) != 1) {
            ia_hw_warn(r, "/ia-probe/xcr0: %s; AVX and later features count as unusable",
                       ia_hw_trim(x));
            xcr0 = 0;
        }
        free(x);
        bool amx_granted = false;
        char *amx = ia_hw_read(src, r, "/ia-probe/amx", true);
        if (amx) {
            cpu->amx_permission_requested = strncmp(amx, "not applicable", 14) != 0;
            amx_granted = strncmp(amx, "granted", 7) == 0;
            if (cpu->amx_permission_requested && !amx_granted)
                ia_hw_warn(r, "AMX present but the kernel refused its use (%s)", ia_hw_trim(amx));
        }
        free(amx);
        features_from_cpuid(t, xcr0, amx_granted, cpu);
    } else if (cpuinfo) {
        ia_hw_warn(r, "CPUID unavailable; features taken from the kernel's /proc/cpuinfo flags");
        features_from_cpuinfo(cpuinfo, cpu);
    }
    /* The brand string is the best name; cpuinfo fills what CPUID did not. */
    if (cpuinfo && (!have_cpuid || cpu->model_name[0] == '\0')) {
        ia_hw_cpu from_kernel = *cpu;
        identity_from_cpuinfo(cpuinfo, &from_kernel);
        if (!have_cpuid)
            *cpu = from_kernel;
        else
            ia_hw_copy(cpu->model_name, sizeof cpu->model_name, from_kernel.model_name);
    }
    free(t);
    free(dump);
    free(cpuinfo);
}
