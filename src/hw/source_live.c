/* The live source: the running machine's /proc and /sys, plus the facts that
 * are not files (CPUID, XCR0, affinity, auxv, uname, AMX permission), which
 * it renders as small text files under /ia-probe/ so that detection, capture
 * and fixtures all go through one path. Formats: docs/hw-detection.md. */
#include "hw_internal.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define IA_HAVE_CPUID 1
#endif

/* A growable text buffer for rendering the probe files. */
typedef struct text {
    char *data;
    size_t len, cap;
    bool failed;
} text;

static void text_add(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void text_add(text *t, const char *fmt, ...)
{
    if (t->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->data ? t->data + t->len : NULL, t->data ? t->cap - t->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            t->failed = true;
            return;
        }
        if (t->data && t->len + (size_t)n < t->cap) {
            t->len += (size_t)n;
            return;
        }
        size_t cap = t->cap ? t->cap * 2 : 1024;
        while (cap <= t->len + (size_t)n)
            cap *= 2;
        char *grown = realloc(t->data, cap);
        if (!grown) {
            t->failed = true;
            return;
        }
        t->data = grown;
        t->cap = cap;
    }
}

#ifdef IA_HAVE_CPUID
static void cpuid_line(text *t, unsigned leaf, unsigned sub)
{
    unsigned a, b, c, d;
    __cpuid_count(leaf, sub, a, b, c, d);
    text_add(t, "%08x %02x: %08x %08x %08x %08x\n", leaf, sub, a, b, c, d);
}

/* Every leaf detection may look at, with the subleaves that matter. */
static void render_cpuid(text *t)
{
    unsigned max_basic, max_ext, b, c, d;
    __cpuid(0, max_basic, b, c, d);
    if (max_basic > 0x20)
        max_basic = 0x20;
    for (unsigned leaf = 0; leaf <= max_basic; leaf++) {
        unsigned subs = 1;
        if (leaf == 4 || leaf == 0xb || leaf == 0x1f)
            subs = 8;
        else if (leaf == 0xd)
            subs = 2;
        else if (leaf == 7) {
            unsigned a;
            __cpuid_count(7, 0, a, b, c, d);
            subs = a + 1 > 4 ? 4 : a + 1;
        }
        for (unsigned sub = 0; sub < subs; sub++)
            cpuid_line(t, leaf, sub);
    }
    __cpuid(0x80000000u, max_ext, b, c, d);
    if (max_ext >= 0x80000000u) {
        if (max_ext > 0x80000028u)
            max_ext = 0x80000028u;
        for (unsigned leaf = 0x80000000u; leaf <= max_ext; leaf++)
            cpuid_line(t, leaf, 0);
    }
}

static bool os_has_xsave(void)
{
    unsigned a, b, c, d;
    __cpuid(1, a, b, c, d);
    return (c >> 27) & 1; /* OSXSAVE: the OS set CR4.OSXSAVE, so XGETBV works */
}

static void render_xcr0(text *t)
{
    if (!os_has_xsave()) {
        text_add(t, "unavailable: OSXSAVE not set\n");
        return;
    }
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    text_add(t, "%016llx\n", ((unsigned long long)hi << 32) | lo);
}

/* AMX tiles need the kernel's permission before first use (Linux 5.16+). */
static void render_amx(text *t)
{
    unsigned a, b, c, d;
    __cpuid(0, a, b, c, d);
    if (a < 7) {
        text_add(t, "not applicable\n");
        return;
    }
    __cpuid_count(7, 0, a, b, c, d);
    if (!((d >> 24) & 1)) {
        text_add(t, "not applicable\n");
        return;
    }
    const long arch_req_xcomp_perm = 0x1023, xfeature_xtiledata = 18;
    if (syscall(SYS_arch_prctl, arch_req_xcomp_perm, xfeature_xtiledata) == 0)
        text_add(t, "granted\n");
    else
        text_add(t, "denied: %s\n", strerror(errno));
}
#endif

static void render_affinity(text *t)
{
    cpu_set_t *set = CPU_ALLOC(IA_HW_MAX_CPUS);
    size_t size = CPU_ALLOC_SIZE(IA_HW_MAX_CPUS);
    if (!set || sched_getaffinity(0, size, set) != 0) {
        text_add(t, "unavailable: %s\n", strerror(errno));
        CPU_FREE(set);
        return;
    }
    const char *sep = "";
    for (int cpu = 0; cpu < IA_HW_MAX_CPUS; cpu++) {
        if (!CPU_ISSET_S(cpu, size, set))
            continue;
        int end = cpu;
        while (end + 1 < IA_HW_MAX_CPUS && CPU_ISSET_S(end + 1, size, set))
            end++;
        if (end == cpu)
            text_add(t, "%s%d", sep, cpu);
        else
            text_add(t, "%s%d-%d", sep, cpu, end);
        sep = ",";
        cpu = end;
    }
    text_add(t, "\n");
    CPU_FREE(set);
}

static ia_status live_read_probe(const char *name, char **data, size_t *len, ia_error *err)
{
    text t = {0};
    if (strcmp(name, "uname") == 0) {
        struct utsname u;
        if (uname(&u) != 0)
            return ia_error_set(err, IA_ERR_IO, "uname: %s", strerror(errno));
        text_add(&t, "%s\n", u.machine);
    } else if (strcmp(name, "affinity") == 0) {
        render_affinity(&t);
    } else if (strcmp(name, "auxv") == 0) {
        text_add(&t, "AT_HWCAP %#lx\nAT_HWCAP2 %#lx\n", getauxval(AT_HWCAP), getauxval(AT_HWCAP2));
#ifdef IA_HAVE_CPUID
    } else if (strcmp(name, "cpuid") == 0) {
        render_cpuid(&t);
    } else if (strcmp(name, "xcr0") == 0) {
        render_xcr0(&t);
    } else if (strcmp(name, "amx") == 0) {
        render_amx(&t);
#endif
    } else {
        return ia_error_set(err, IA_ERR_NOT_FOUND, "/ia-probe/%s: not available on this machine",
                            name);
    }
    if (t.failed) {
        free(t.data);
        return ia_error_set(err, IA_ERR_NOMEM, "/ia-probe/%s: out of memory", name);
    }
    *data = t.data;
    if (len)
        *len = t.len;
    return IA_OK;
}

static ia_status live_read_file(ia_hw_source *src, const char *path, char **data, size_t *len,
                                ia_error *err)
{
    (void)src;
    static const char probe[] = "/ia-probe/";
    if (strncmp(path, probe, sizeof probe - 1) == 0)
        return live_read_probe(path + sizeof probe - 1, data, len, err);
    return ia_file_read_all(path, IA_HW_MAX_FILE, data, len, err);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

ia_status ia_hw_list_real_dir(const char *path, char ***names_out, size_t *count_out, ia_error *err)
{
    *names_out = NULL;
    *count_out = 0;
    DIR *dir = opendir(path);
    if (!dir)
        return ia_error_set(err, errno == ENOENT ? IA_ERR_NOT_FOUND : IA_ERR_IO, "%s: %s", path,
                            strerror(errno));
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 32;
            char **grown = realloc(names, cap * sizeof *names);
            if (!grown)
                goto nomem;
            names = grown;
        }
        if (!(names[count] = strdup(e->d_name)))
            goto nomem;
        count++;
    }
    closedir(dir);
    qsort(names, count, sizeof *names, compare_names);
    *names_out = names;
    *count_out = count;
    return IA_OK;
nomem:
    closedir(dir);
    ia_hw_names_free(names, count);
    return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", path);
}

static ia_status live_list_dir(ia_hw_source *src, const char *path, char ***names, size_t *count,
                               ia_error *err)
{
    (void)src;
    return ia_hw_list_real_dir(path, names, count, err);
}

void *ia_hw_dlopen_path(const char *path, const char *soname, ia_error *err)
{
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (lib)
        return lib;
    const char *why = dlerror();
    if (!why)
        why = "unknown dlopen error";
    bool missing = strstr(why, "No such file") != NULL;
    ia_error_set(err, missing ? IA_ERR_NOT_FOUND : IA_ERR_IO, "%s: %s", soname,
                 missing ? "not found" : why);
    return NULL;
}

static void *live_lib_open(ia_hw_source *src, const char *soname, ia_error *err)
{
    (void)src;
    return ia_hw_dlopen_path(soname, soname, err);
}

void *ia_hw_dl_symbol(ia_hw_source *src, void *lib, const char *name)
{
    (void)src;
    return dlsym(lib, name);
}

void ia_hw_dl_close(ia_hw_source *src, void *lib)
{
    (void)src;
    if (lib)
        dlclose(lib);
}

static void live_free(ia_hw_source *src) { free(src); }

ia_hw_source *ia_hw_source_live(ia_error *err)
{
    ia_hw_source *src = calloc(1, sizeof *src);
    if (!src) {
        ia_error_set(err, IA_ERR_NOMEM, "out of memory");
        return NULL;
    }
    src->read_file = live_read_file;
    src->list_dir = live_list_dir;
    src->lib_open = live_lib_open;
    src->lib_symbol = ia_hw_dl_symbol;
    src->lib_close = ia_hw_dl_close;
    src->free = live_free;
    return src;
}

void ia_hw_source_free(ia_hw_source *src)
{
    if (src)
        src->free(src);
}

void ia_hw_names_free(char **names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
}
