/* ARM CPU identity from the MIDR fields that /proc/cpuinfo shows, and ISA
 * features from the auxiliary vector's HWCAP bits (the kernel sets a bit only
 * when user space may use the feature), with cpuinfo's Features line as the
 * fallback. */
#include "hw_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* arch/arm64/include/uapi/asm/hwcap.h */
#define HWCAP_ASIMD (1ul << 1)
#define HWCAP_ASIMDDP (1ul << 20)
#define HWCAP_SVE (1ul << 22)
#define HWCAP2_I8MM (1ul << 13)

static const char *implementer_name(int implementer)
{
    switch (implementer) {
    case 0x41: return "ARM";
    case 0x42: return "Broadcom";
    case 0x43: return "Cavium";
    case 0x46: return "Fujitsu";
    case 0x48: return "HiSilicon";
    case 0x4e: return "NVIDIA";
    case 0x51: return "Qualcomm";
    case 0x61: return "Apple";
    case 0x6d: return "Microsoft";
    case 0xc0: return "Ampere";
    default: return NULL;
    }
}

/* Names for the ARM-designed cores found in servers and boards. */
static const char *arm_part_name(int part)
{
    switch (part) {
    case 0xd03: return "Cortex-A53";
    case 0xd08: return "Cortex-A72";
    case 0xd0b: return "Cortex-A76";
    case 0xd0c: return "Neoverse-N1";
    case 0xd40: return "Neoverse-V1";
    case 0xd41: return "Cortex-A78";
    case 0xd49: return "Neoverse-N2";
    case 0xd4f: return "Neoverse-V2";
    case 0xd8e: return "Neoverse-N3";
    case 0xd84: return "Neoverse-V3";
    default: return NULL;
    }
}

static int field_int(const char *cpuinfo, const char *key)
{
    char value[64];
    if (!ia_hw_field(cpuinfo, key, value, sizeof value))
        return IA_HW_NO_VALUE;
    char *end;
    long v = strtol(value, &end, 0);
    return end == value ? IA_HW_NO_VALUE : (int)v;
}

static bool has_word(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = strstr(list, word); p; p = strstr(p + 1, word))
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

void ia_hw_detect_cpu_arm(ia_hw_source *src, ia_hw_report *r)
{
    ia_hw_cpu *cpu = &r->cpu;
    char *cpuinfo = ia_hw_read(src, r, "/proc/cpuinfo", false);
    if (cpuinfo) {
        cpu->implementer = field_int(cpuinfo, "CPU implementer");
        cpu->part = field_int(cpuinfo, "CPU part");
        cpu->variant = field_int(cpuinfo, "CPU variant");
        cpu->revision = field_int(cpuinfo, "CPU revision");
        const char *vendor = implementer_name(cpu->implementer);
        if (vendor)
            ia_hw_copy(cpu->vendor, sizeof cpu->vendor, vendor);
        else if (cpu->implementer != IA_HW_NO_VALUE)
            snprintf(cpu->vendor, sizeof cpu->vendor, "implementer %#x", cpu->implementer);
        char model[128];
        const char *part = cpu->implementer == 0x41 ? arm_part_name(cpu->part) : NULL;
        if (ia_hw_field(cpuinfo, "model name", model, sizeof model))
            ia_hw_copy(cpu->model_name, sizeof cpu->model_name, model);
        else if (part)
            ia_hw_copy(cpu->model_name, sizeof cpu->model_name, part);
        else if (cpu->part != IA_HW_NO_VALUE)
            snprintf(cpu->model_name, sizeof cpu->model_name, "%s part %#x",
                     vendor ? vendor : "unknown", cpu->part);
    }

    unsigned long hwcap = 0, hwcap2 = 0;
    char *auxv = ia_hw_read(src, r, "/ia-probe/auxv", true);
    bool have_auxv = auxv && sscanf(auxv, "AT_HWCAP %lx AT_HWCAP2 %lx", &hwcap, &hwcap2) == 2;
    if (auxv && !have_auxv)
        ia_hw_warn(r, "/ia-probe/auxv: expected \"AT_HWCAP 0x... AT_HWCAP2 0x...\"");
    free(auxv);

    bool *f = cpu->features;
    if (have_auxv) {
        f[IA_CPU_ASIMD] = hwcap & HWCAP_ASIMD;
        f[IA_CPU_ASIMDDP] = hwcap & HWCAP_ASIMDDP;
        f[IA_CPU_SVE] = hwcap & HWCAP_SVE;
        f[IA_CPU_I8MM] = hwcap2 & HWCAP2_I8MM;
    } else if (cpuinfo) {
        char features[2048];
        if (ia_hw_field(cpuinfo, "Features", features, sizeof features)) {
            ia_hw_warn(r, "auxv unavailable; features taken from /proc/cpuinfo");
            f[IA_CPU_ASIMD] = has_word(features, "asimd");
            f[IA_CPU_ASIMDDP] = has_word(features, "asimddp");
            f[IA_CPU_SVE] = has_word(features, "sve");
            f[IA_CPU_I8MM] = has_word(features, "i8mm");
        }
    }
    free(cpuinfo);
}
