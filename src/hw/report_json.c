/* The report as JSON. The layout is a contract (docs/hw-json.md): every
 * benchmark result stores it, so fields are added, never renamed. */
#include "hw_internal.h"

#include <cjson/cJSON.h>
#include <stdio.h>

#define IA_HW_JSON_SCHEMA 1

/* Unknown values are null rather than a sentinel a reader must know. */
static void add_int(cJSON *o, const char *key, int v)
{
    if (v == IA_HW_NO_VALUE)
        cJSON_AddNullToObject(o, key);
    else
        cJSON_AddNumberToObject(o, key, v);
}

static void add_positive(cJSON *o, const char *key, double v)
{
    if (v < 0)
        cJSON_AddNullToObject(o, key);
    else
        cJSON_AddNumberToObject(o, key, v);
}

static cJSON *cpu_json(const ia_hw_cpu *c)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "arch", c->arch);
    cJSON_AddStringToObject(o, "vendor", c->vendor);
    cJSON_AddStringToObject(o, "model_name", c->model_name);
    add_int(o, "family", c->family);
    add_int(o, "model", c->model);
    add_int(o, "stepping", c->stepping);
    add_int(o, "implementer", c->implementer);
    add_int(o, "part", c->part);
    add_int(o, "variant", c->variant);
    add_int(o, "revision", c->revision);
    cJSON_AddNumberToObject(o, "logical_cores", c->logical_cores);
    cJSON_AddNumberToObject(o, "physical_cores", c->physical_cores);
    cJSON_AddNumberToObject(o, "packages", c->packages);
    cJSON_AddNumberToObject(o, "threads_per_core", c->threads_per_core);
    cJSON_AddBoolToObject(o, "smt", c->smt);
    cJSON_AddNumberToObject(o, "usable_cpus", c->usable_cpus);
    cJSON_AddStringToObject(o, "usable_cpu_list", c->usable_cpu_list);
    add_positive(o, "cgroup_cpu_quota", c->cgroup_cpu_quota);
    cJSON_AddNumberToObject(o, "effective_cpus", c->effective_cpus);
    cJSON_AddNumberToObject(o, "numa_nodes", c->numa_nodes);
    cJSON *caches = cJSON_AddArrayToObject(o, "caches");
    for (int i = 0; i < c->cache_count; i++) {
        const ia_hw_cache *k = &c->caches[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "level", k->level);
        cJSON_AddStringToObject(e, "type", k->type);
        cJSON_AddNumberToObject(e, "size_bytes", (double)k->size_bytes);
        cJSON_AddNumberToObject(e, "instances", k->instances);
        cJSON_AddNumberToObject(e, "shared_by_cpus", k->shared_by_cpus);
        cJSON_AddItemToArray(caches, e);
    }
    add_positive(o, "base_mhz", c->base_mhz);
    add_positive(o, "max_mhz", c->max_mhz);
    cJSON_AddStringToObject(o, "frequency_source", c->frequency_source);
    cJSON *features = cJSON_AddArrayToObject(o, "features");
    for (int i = 0; i < IA_CPU_FEATURE_COUNT; i++)
        if (c->features[i])
            cJSON_AddItemToArray(features, cJSON_CreateString(ia_cpu_feature_name((ia_cpu_feature)i)));
    return o;
}

static cJSON *memory_json(const ia_hw_memory *m)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "total_bytes", (double)m->total_bytes);
    cJSON_AddNumberToObject(o, "available_bytes", (double)m->available_bytes);
    cJSON_AddNumberToObject(o, "host_total_bytes", (double)m->host_total_bytes);
    add_positive(o, "cgroup_limit_bytes", (double)m->cgroup_limit_bytes);
    cJSON *huge = cJSON_AddObjectToObject(o, "hugepages");
    cJSON_AddNumberToObject(huge, "total", (double)m->hugepages_total);
    cJSON_AddNumberToObject(huge, "free", (double)m->hugepages_free);
    cJSON_AddNumberToObject(huge, "size_bytes", (double)m->hugepage_size_bytes);
    cJSON_AddStringToObject(o, "transparent_hugepages", m->transparent_hugepages);
    return o;
}

static cJSON *device_json(const ia_hw_device *d)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "index", d->index);
    cJSON_AddStringToObject(o, "name", d->name);
    if (d->memory_total_bytes)
        cJSON_AddNumberToObject(o, "memory_total_bytes", (double)d->memory_total_bytes);
    else
        cJSON_AddNullToObject(o, "memory_total_bytes");
    if (d->compute_major >= 0) {
        char cc[32];
        snprintf(cc, sizeof cc, "%d.%d", d->compute_major, d->compute_minor);
        cJSON_AddStringToObject(o, "compute_capability", cc);
    } else {
        cJSON_AddNullToObject(o, "compute_capability");
    }
    add_positive(o, "multiprocessors", d->multiprocessors);
    cJSON_AddStringToObject(o, "pci_bus_id", d->pci_bus_id);
    add_positive(o, "power_limit_w", d->power_limit_w);
    add_positive(o, "temperature_c", d->temperature_c);
    cJSON *clocks = cJSON_AddObjectToObject(o, "clocks_mhz");
    add_positive(clocks, "sm", d->clock_sm_mhz);
    add_positive(clocks, "memory", d->clock_mem_mhz);
    add_positive(clocks, "sm_max", d->clock_sm_max_mhz);
    add_positive(clocks, "memory_max", d->clock_mem_max_mhz);
    return o;
}

static cJSON *platform_json(const ia_hw_platform *p)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", p->name);
    cJSON_AddStringToObject(o, "status", ia_hw_status_name(p->status));
    cJSON_AddStringToObject(o, "library", p->library);
    cJSON_AddStringToObject(o, "version", p->version);
    cJSON_AddStringToObject(o, "message", p->message);
    cJSON *devices = cJSON_AddArrayToObject(o, "devices");
    for (int i = 0; i < p->device_count; i++)
        cJSON_AddItemToArray(devices, device_json(&p->devices[i]));
    return o;
}

char *ia_hw_report_to_json(const ia_hw_report *r, bool pretty)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    cJSON_AddNumberToObject(root, "schema_version", IA_HW_JSON_SCHEMA);
    cJSON_AddItemToObject(root, "cpu", cpu_json(&r->cpu));
    cJSON_AddItemToObject(root, "memory", memory_json(&r->memory));
    cJSON *platforms = cJSON_AddArrayToObject(root, "platforms");
    for (int i = 0; i < r->platform_count; i++)
        cJSON_AddItemToArray(platforms, platform_json(&r->platforms[i]));
    cJSON *warnings = cJSON_AddArrayToObject(root, "warnings");
    for (int i = 0; i < r->warning_count; i++)
        cJSON_AddItemToArray(warnings, cJSON_CreateString(r->warnings[i]));
    char *text = pretty ? cJSON_Print(root) : cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return text;
}
