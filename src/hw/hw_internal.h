/* Shared by the files of the hw layer; not a public interface. */
#ifndef IA_HW_INTERNAL_H
#define IA_HW_INTERNAL_H

#include "ipfs_accelerate/hw.h"

/* The largest file detection will read: /proc/cpuinfo of a 512-CPU server is
 * about 1 MiB. */
#define IA_HW_MAX_FILE (8u << 20)

/* Adds a warning to the report (printf-style); never fails the detection. */
void ia_hw_warn(ia_hw_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Reads path through the source. Returns NULL when it is missing (silently,
 * when quiet_if_missing) or unreadable (with a warning naming the file). */
char *ia_hw_read(ia_hw_source *src, ia_hw_report *r, const char *path, bool quiet_if_missing);

/* Reads a file holding one integer (sysfs style). False, with a warning
 * unless missing, when it is missing or not a number. */
bool ia_hw_read_i64(ia_hw_source *src, ia_hw_report *r, const char *path, int64_t *out);

/* Parses a Linux CPU list ("0-3,8,10-11") into a bitmap of up to max_cpus;
 * returns the number of CPUs set or -1 when malformed. */
#define IA_HW_MAX_CPUS 8192
int ia_hw_parse_cpu_list(const char *text, unsigned char *bitmap, int max_cpus);

/* Finds "key" in a "key : value" file (cpuinfo, meminfo style) starting at
 * text; copies the trimmed value. Returns false when absent. */
bool ia_hw_field(const char *text, const char *key, char *value, size_t value_size);

/* Copies src into dst (size dst_size), always NUL-terminating. */
void ia_hw_copy(char *dst, size_t dst_size, const char *src);

/* Trims whitespace at both ends in place and returns s. */
char *ia_hw_trim(char *s);

/* Lists a real folder, sorted (shared by the live and directory sources). */
ia_status ia_hw_list_real_dir(const char *path, char ***names_out, size_t *count_out, ia_error *err);

/* dlopen(path), telling "not installed" (IA_ERR_NOT_FOUND) from "installed
 * but broken" (IA_ERR_IO, with dlerror's reason); messages name soname. */
void *ia_hw_dlopen_path(const char *path, const char *soname, ia_error *err);
void *ia_hw_dl_symbol(ia_hw_source *src, void *lib, const char *name);
void ia_hw_dl_close(ia_hw_source *src, void *lib);

/* The stages of detection, in the order ia_hw_detect runs them. */
void ia_hw_detect_cpu_x86(ia_hw_source *src, ia_hw_report *r);
void ia_hw_detect_cpu_arm(ia_hw_source *src, ia_hw_report *r);
void ia_hw_detect_topology(ia_hw_source *src, ia_hw_report *r); /* and caches */
void ia_hw_detect_frequency(ia_hw_source *src, ia_hw_report *r);
void ia_hw_detect_cgroup_cpu(ia_hw_source *src, ia_hw_report *r);
void ia_hw_detect_memory(ia_hw_source *src, ia_hw_report *r);

/* ------------------------------------------ Shared by the platform probes */

/* Formats into dst (size bytes), always NUL-terminating; cutting a long
 * vendor string short is acceptable. */
void ia_hw_platform_format(char *dst, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Appends to dst (a list or a message), preceded by sep when dst is not
 * empty; does nothing when there is no room left. */
void ia_hw_platform_append(char *dst, size_t size, const char *sep, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

typedef struct ia_hw_symbol {
    const char *name;
    void *slot; /* address of the function pointer to fill */
    bool required;
} ia_hw_symbol;

/* Fills every slot it can (NULL where lib lacks the symbol). Returns the
 * number of required symbols missing and, when there are any, describes them
 * in missing: "symbol X not found" or "symbol X not found (N other required
 * symbols missing too)". */
int ia_hw_resolve_symbols(ia_hw_source *src, void *lib, const ia_hw_symbol *syms, size_t count,
                          char *missing, size_t missing_size);

/* Opens the first of sonames that loads, naming it in *opened. Returns NULL
 * (*opened NULL) when none does; then *broken holds the first candidate that
 * exists but cannot be loaded (wrong architecture, missing dependency), with
 * the loader's message, since "installed but unusable" must not be reported
 * as "not installed"; its status is IA_OK when every candidate is absent. */
void *ia_hw_platform_open(ia_hw_source *src, const char *const *sonames, size_t count,
                          const char **opened, ia_error *broken);

/* Zeroes *d and sets index, with every optional value IA_HW_NO_VALUE. */
void ia_hw_device_init(ia_hw_device *d, int index);

/* Upper bound on a device count we will allocate for; a larger count can
 * only come from a broken library. */
#define IA_HW_MAX_DEVICES 4096

/* Platforms: each fills one ia_hw_platform (already named and zeroed, with
 * device_count 0 and devices NULL) and never fails. */
void ia_hw_detect_cuda(ia_hw_source *src, ia_hw_platform *p);
void ia_hw_detect_rocm(ia_hw_source *src, ia_hw_platform *p);
void ia_hw_detect_openvino(ia_hw_source *src, ia_hw_platform *p);
void ia_hw_detect_qnn(ia_hw_source *src, ia_hw_platform *p);
void ia_hw_detect_mps(ia_hw_source *src, ia_hw_platform *p);
void ia_hw_detect_browser(ia_hw_source *src, ia_hw_platform *p); /* webgpu, webnn */

/* The memory limits of this process's cgroup, checked from its folder up to
 * the root: *limit is the tightest limit (< 0 when none) and *room the least
 * (limit - usage) over the levels that have a limit, since a parent's limit
 * is shared with its other children (< 0 when unknown). False when no cgroup
 * memory controller is found. */
bool ia_hw_cgroup_memory(ia_hw_source *src, ia_hw_report *r, int64_t *limit, int64_t *room);

#endif
