/* Control-group limits: how many CPUs' worth of time and how much memory this
 * process may really use, which in a container is far less than the host
 * shows. Works with cgroup v2 (cpu.max, memory.max) and v1 (cfs quota,
 * memory.limit_in_bytes). The process's cgroup comes from /proc/self/cgroup
 * and the controller's mount from /proc/self/mountinfo; limits are checked
 * from that folder up to the mount's root, and the tightest one wins. */
#include "hw_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct cgroup_dir {
    int version;
    char mount[1024]; /* where the hierarchy is mounted */
    char leaf[2048];  /* this process's folder in it */
} cgroup_dir;

/* Finds the mount of a hierarchy in mountinfo: cgroup2, or the v1 hierarchy
 * carrying controller. Lines: "id parent dev root mountpoint opts ... - fstype source superopts". */
static bool find_mount(const char *mountinfo, int version, const char *controller, char *root,
                       size_t root_size, char *mount, size_t mount_size)
{
    for (const char *line = mountinfo; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
        char f_root[1024], f_mount[1024], fstype[64], superopts[512];
        const char *dash = strstr(line, " - ");
        const char *eol = strchr(line, '\n');
        if (!dash || (eol && dash > eol))
            continue;
        if (sscanf(line, "%*s %*s %*s %1023s %1023s", f_root, f_mount) != 2)
            continue;
        if (sscanf(dash + 3, "%63s %*s %511s", fstype, superopts) < 1)
            continue;
        bool match = false;
        if (version == 2)
            match = strcmp(fstype, "cgroup2") == 0;
        else if (strcmp(fstype, "cgroup") == 0) {
            size_t n = strlen(controller);
            for (char *p = strstr(superopts, controller); p; p = strstr(p + 1, controller))
                if ((p == superopts || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
                    match = true;
        }
        if (match) {
            ia_hw_copy(root, root_size, f_root);
            ia_hw_copy(mount, mount_size, f_mount);
            return true;
        }
    }
    return false;
}

/* This process's folder for a controller ("cpu" or "memory"). */
static bool find_cgroup(ia_hw_source *src, ia_hw_report *r, const char *controller, cgroup_dir *out)
{
    char *self = ia_hw_read(src, r, "/proc/self/cgroup", true);
    if (!self)
        return false;
    char *mountinfo = ia_hw_read(src, r, "/proc/self/mountinfo", true);
    bool found = false;
    /* v1 names the controllers ("4:cpu,cpuacct:/path"); v2 is "0::/path". A
     * controller bound to v1 is governed there even on a hybrid system. */
    for (int version = 1; version <= 2 && !found; version++) {
        for (char *line = self; line && *line && !found; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
            char controllers[256], path[1024];
            if (sscanf(line, "%*[^:]:%255[^:]:%1023[^\n]", controllers, path) != 2) {
                if (version == 2 && sscanf(line, "0::%1023[^\n]", path) == 1)
                    controllers[0] = '\0';
                else
                    continue;
            }
            bool match;
            if (version == 2)
                match = controllers[0] == '\0';
            else {
                match = false;
                size_t n = strlen(controller);
                for (char *p = strstr(controllers, controller); p; p = strstr(p + 1, controller))
                    if ((p == controllers || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
                        match = true;
            }
            if (!match)
                continue;
            char root[1024] = "/", mount[1024];
            if (!mountinfo || !find_mount(mountinfo, version, controller, root, sizeof root, mount, sizeof mount))
                snprintf(mount, sizeof mount, version == 2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/%s", controller);
            /* Inside a cgroup namespace the mount's root is our own cgroup. */
            size_t rl = strlen(root);
            const char *rel = path;
            if (strcmp(root, "/") != 0 && strncmp(path, root, rl) == 0 && (path[rl] == '/' || path[rl] == '\0'))
                rel = path + rl;
            else if (strcmp(root, "/") != 0 || strncmp(path, "/..", 3) == 0)
                rel = "";
            if (strcmp(rel, "/") == 0)
                rel = "";
            out->version = version;
            ia_hw_copy(out->mount, sizeof out->mount, mount);
            snprintf(out->leaf, sizeof out->leaf, "%s%s", mount, rel);
            found = true;
        }
    }
    free(mountinfo);
    free(self);
    return found;
}

/* Steps dir up one level; false at the mount's root. */
static bool parent_dir(char *dir, const char *mount)
{
    if (strcmp(dir, mount) == 0)
        return false;
    char *slash = strrchr(dir, '/');
    if (!slash || (size_t)(slash - dir) < strlen(mount))
        return false;
    *slash = '\0';
    return true;
}

/* Reads "max" or a number of bytes; *value < 0 for no limit. */
static bool read_limit(ia_hw_source *src, ia_hw_report *r, const char *path, int64_t *value)
{
    char *text = ia_hw_read(src, r, path, true);
    if (!text)
        return false;
    ia_hw_trim(text);
    bool ok = true;
    if (strcmp(text, "max") == 0)
        *value = -1;
    else {
        char *end;
        long long v = strtoll(text, &end, 10);
        ok = end != text && *end == '\0';
        /* v1 writes "no limit" as a huge page-rounded number near 2^63. */
        *value = ok && v >= 0 && v < (1LL << 62) ? v : -1;
        if (!ok)
            ia_hw_warn(r, "%s: expected \"max\" or a number, found \"%.40s\"; ignored", path, text);
    }
    free(text);
    return ok;
}

void ia_hw_detect_cgroup_cpu(ia_hw_source *src, ia_hw_report *r)
{
    ia_hw_cpu *cpu = &r->cpu;
    cpu->cgroup_cpu_quota = -1;
    cgroup_dir cg;
    if (!find_cgroup(src, r, "cpu", &cg))
        return;
    char dir[2048], path[2200];
    ia_hw_copy(dir, sizeof dir, cg.leaf);
    do {
        double quota = -1;
        if (cg.version == 2) {
            snprintf(path, sizeof path, "%s/cpu.max", dir);
            char *text = ia_hw_read(src, r, path, true);
            if (text) {
                char q[32];
                long long period = 0;
                int n = sscanf(text, "%31s %lld", q, &period);
                if (n == 2 && strcmp(q, "max") == 0)
                    quota = -1;
                else if (n == 2 && period > 0 && atoll(q) > 0)
                    quota = (double)atoll(q) / (double)period;
                else
                    ia_hw_warn(r, "%s: expected \"QUOTA PERIOD\" or \"max PERIOD\", found \"%.40s\"; ignored",
                               path, ia_hw_trim(text));
                free(text);
            }
        } else {
            int64_t q = -1, period = 0;
            snprintf(path, sizeof path, "%s/cpu.cfs_quota_us", dir);
            bool have_q = ia_hw_read_i64(src, r, path, &q);
            snprintf(path, sizeof path, "%s/cpu.cfs_period_us", dir);
            if (have_q && q > 0 && ia_hw_read_i64(src, r, path, &period) && period > 0)
                quota = (double)q / (double)period;
        }
        if (quota > 0 && (cpu->cgroup_cpu_quota < 0 || quota < cpu->cgroup_cpu_quota))
            cpu->cgroup_cpu_quota = quota;
    } while (parent_dir(dir, cg.mount));
}

bool ia_hw_cgroup_memory(ia_hw_source *src, ia_hw_report *r, int64_t *limit, int64_t *room)
{
    *limit = -1;
    *room = -1;
    cgroup_dir cg;
    if (!find_cgroup(src, r, "memory", &cg))
        return false;
    const char *limit_name = cg.version == 2 ? "memory.max" : "memory.limit_in_bytes";
    const char *usage_name = cg.version == 2 ? "memory.current" : "memory.usage_in_bytes";
    char dir[2048], path[2200];
    ia_hw_copy(dir, sizeof dir, cg.leaf);
    do {
        int64_t level_limit, usage;
        snprintf(path, sizeof path, "%s/%s", dir, limit_name);
        if (!read_limit(src, r, path, &level_limit) || level_limit < 0)
            continue;
        if (*limit < 0 || level_limit < *limit)
            *limit = level_limit;
        snprintf(path, sizeof path, "%s/%s", dir, usage_name);
        if (read_limit(src, r, path, &usage) && usage >= 0) {
            int64_t level_room = usage < level_limit ? level_limit - usage : 0;
            if (*room < 0 || level_room < *room)
                *room = level_room;
        }
    } while (parent_dir(dir, cg.mount));
    return true;
}
