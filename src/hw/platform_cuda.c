/* NVIDIA GPUs through the CUDA driver API (libcuda) and, for power,
 * temperature and clocks, NVML (libnvidia-ml).
 *
 * Both libraries are opened at run time through the source, so a build has
 * no link-time dependency on the NVIDIA driver and tests can substitute
 * fixture libraries. The few types and constants needed are declared here by
 * hand, copied from the vendors' public headers (cuda.h, nvml.h), because
 * those headers may not be installed where we build. */
#include "hw_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------ CUDA driver API (cuda.h) */

typedef int ia_cu_result; /* CUresult */
typedef int ia_cu_device; /* CUdevice */

enum {
    IA_CU_SUCCESS = 0,                 /* CUDA_SUCCESS */
    IA_CU_ERROR_STUB_LIBRARY = 34,     /* CUDA_ERROR_STUB_LIBRARY */
    IA_CU_ERROR_NO_DEVICE = 100,       /* CUDA_ERROR_NO_DEVICE */
    IA_CU_ATTR_MULTIPROCESSOR_COUNT = 16,     /* CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT */
    IA_CU_ATTR_COMPUTE_CAPABILITY_MAJOR = 75, /* CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR */
    IA_CU_ATTR_COMPUTE_CAPABILITY_MINOR = 76  /* CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR */
};

typedef struct ia_cuda_api {
    ia_cu_result (*init)(unsigned int flags);
    ia_cu_result (*driver_get_version)(int *version);
    ia_cu_result (*device_get_count)(int *count);
    ia_cu_result (*device_get)(ia_cu_device *dev, int ordinal);
    ia_cu_result (*device_get_name)(char *name, int len, ia_cu_device dev);
    ia_cu_result (*device_get_attribute)(int *value, int attrib, ia_cu_device dev);
    ia_cu_result (*device_total_mem)(size_t *bytes, ia_cu_device dev);
    ia_cu_result (*device_get_pci_bus_id)(char *id, int len, ia_cu_device dev);
    ia_cu_result (*get_error_name)(ia_cu_result rc, const char **name);
    ia_cu_result (*get_error_string)(ia_cu_result rc, const char **text);
} ia_cuda_api;

/* ------------------------------------------------------------ NVML (nvml.h) */

typedef int ia_nvml_return;                    /* nvmlReturn_t */
typedef struct ia_nvml_device_st *ia_nvml_device; /* nvmlDevice_t */

enum {
    IA_NVML_SUCCESS = 0,          /* NVML_SUCCESS */
    IA_NVML_TEMPERATURE_GPU = 0,  /* NVML_TEMPERATURE_GPU */
    IA_NVML_CLOCK_SM = 1,         /* NVML_CLOCK_SM */
    IA_NVML_CLOCK_MEM = 2,        /* NVML_CLOCK_MEM */
    IA_NVML_DRIVER_VERSION_SIZE = 80 /* NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE */
};

typedef struct ia_nvml_api {
    ia_nvml_return (*init)(void);
    ia_nvml_return (*shutdown)(void);
    ia_nvml_return (*system_get_driver_version)(char *version, unsigned int length);
    ia_nvml_return (*device_get_handle_by_pci_bus_id)(const char *pci_bus_id, ia_nvml_device *dev);
    ia_nvml_return (*device_get_power_limit)(ia_nvml_device dev, unsigned int *milliwatts);
    ia_nvml_return (*device_get_temperature)(ia_nvml_device dev, int sensor, unsigned int *celsius);
    ia_nvml_return (*device_get_clock_info)(ia_nvml_device dev, int type, unsigned int *mhz);
    ia_nvml_return (*device_get_max_clock_info)(ia_nvml_device dev, int type, unsigned int *mhz);
    const char *(*error_string)(ia_nvml_return rc);
} ia_nvml_api;

/* -------------------------------------------------------------- helpers */

/* Used only when the driver lacks cuGetErrorName/cuGetErrorString (before
 * CUDA 6.0): the codes met while detecting, named as in cuda.h. */
static const struct {
    ia_cu_result code;
    const char *name, *text;
} ia_cuda_known_errors[] = {
    {34, "CUDA_ERROR_STUB_LIBRARY", "CUDA driver is a stub library"},
    {46, "CUDA_ERROR_DEVICE_UNAVAILABLE", "CUDA-capable device(s) is/are busy or unavailable"},
    {100, "CUDA_ERROR_NO_DEVICE", "no CUDA-capable device is detected"},
    {803, "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH",
     "system has unsupported display driver / cuda driver combination"},
    {999, "CUDA_ERROR_UNKNOWN", "unknown error"},
};

/* "CUDA_ERROR_NO_DEVICE (100): no CUDA-capable device is detected" */
static void ia_cuda_describe(const ia_cuda_api *api, ia_cu_result rc, char *buf, size_t size)
{
    const char *name = NULL, *text = NULL;
    if (api->get_error_name && api->get_error_name(rc, &name) != IA_CU_SUCCESS)
        name = NULL;
    if (api->get_error_string && api->get_error_string(rc, &text) != IA_CU_SUCCESS)
        text = NULL;
    for (size_t i = 0; i < sizeof ia_cuda_known_errors / sizeof ia_cuda_known_errors[0]; i++) {
        if (ia_cuda_known_errors[i].code == rc) {
            if (!name)
                name = ia_cuda_known_errors[i].name;
            if (!text)
                text = ia_cuda_known_errors[i].text;
        }
    }
    ia_hw_platform_format(buf, size, "%s (%d): %s", name ? name : "CUresult", rc,
                          text ? text : "no description from the driver");
}

static void ia_cuda_fail(ia_hw_platform *p, const ia_cuda_api *api, ia_hw_status status,
                         const char *function, ia_cu_result rc)
{
    char why[256];
    ia_cuda_describe(api, rc, why, sizeof why);
    p->status = status;
    ia_hw_platform_format(p->message, sizeof p->message, "%s failed: %s", function, why);
}

/* ------------------------------------------------------------------ NVML */

static const char *ia_nvml_describe(const ia_nvml_api *api, ia_nvml_return rc, char *buf,
                                    size_t size)
{
    const char *text = api->error_string ? api->error_string(rc) : NULL;
    ia_hw_platform_format(buf, size, "%s (%d)", text ? text : "NVML error", rc);
    return buf;
}

typedef struct ia_nvml_problems {
    int count;
    char first[192];
} ia_nvml_problems;

static void ia_nvml_problem(ia_nvml_problems *pr, const ia_nvml_api *api, const char *function,
                            const char *bus_id, ia_nvml_return rc)
{
    if (pr->count++ == 0) {
        char why[96];
        ia_hw_platform_format(pr->first, sizeof pr->first, "%s on %s: %s", function, bus_id,
                              ia_nvml_describe(api, rc, why, sizeof why));
    }
}

static void ia_nvml_read_device(const ia_nvml_api *nv, ia_hw_device *d, ia_nvml_problems *pr)
{
    ia_nvml_device h = NULL;
    ia_nvml_return rc = nv->device_get_handle_by_pci_bus_id(d->pci_bus_id, &h);
    if (rc != IA_NVML_SUCCESS || !h) {
        ia_nvml_problem(pr, nv, "nvmlDeviceGetHandleByPciBusId_v2", d->pci_bus_id, rc);
        return;
    }
    unsigned int v = 0;
    if (nv->device_get_power_limit) {
        rc = nv->device_get_power_limit(h, &v);
        if (rc == IA_NVML_SUCCESS)
            d->power_limit_w = v / 1000.0;
        else
            ia_nvml_problem(pr, nv, "nvmlDeviceGetPowerManagementLimit", d->pci_bus_id, rc);
    }
    if (nv->device_get_temperature) {
        rc = nv->device_get_temperature(h, IA_NVML_TEMPERATURE_GPU, &v);
        if (rc == IA_NVML_SUCCESS)
            d->temperature_c = v;
        else
            ia_nvml_problem(pr, nv, "nvmlDeviceGetTemperature", d->pci_bus_id, rc);
    }
    const struct {
        ia_nvml_return (*fn)(ia_nvml_device, int, unsigned int *);
        const char *name;
        int type;
        int *out;
    } clocks[] = {
        {nv->device_get_clock_info, "nvmlDeviceGetClockInfo", IA_NVML_CLOCK_SM, &d->clock_sm_mhz},
        {nv->device_get_clock_info, "nvmlDeviceGetClockInfo", IA_NVML_CLOCK_MEM, &d->clock_mem_mhz},
        {nv->device_get_max_clock_info, "nvmlDeviceGetMaxClockInfo", IA_NVML_CLOCK_SM,
         &d->clock_sm_max_mhz},
        {nv->device_get_max_clock_info, "nvmlDeviceGetMaxClockInfo", IA_NVML_CLOCK_MEM,
         &d->clock_mem_max_mhz},
    };
    for (size_t i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
        if (!clocks[i].fn)
            continue;
        rc = clocks[i].fn(h, clocks[i].type, &v);
        if (rc == IA_NVML_SUCCESS)
            *clocks[i].out = (int)v;
        else
            ia_nvml_problem(pr, nv, clocks[i].name, d->pci_bus_id, rc);
    }
}

/* NVML only adds to what CUDA found, so nothing here changes p->status. */
static void ia_cuda_read_nvml(ia_hw_source *src, ia_hw_platform *p)
{
    static const char *const sonames[] = {"libnvidia-ml.so.1", "libnvidia-ml.so"};
    static const char unknown[] = "power, temperature and clocks unknown";
    const char *soname = NULL;
    ia_error broken;
    void *lib = ia_hw_platform_open(src, sonames, 2, &soname, &broken);
    if (!lib) {
        if (broken.status != IA_OK)
            ia_hw_platform_append(p->message, sizeof p->message, "; ", "NVML not available: %s; %s",
                                  broken.message, unknown);
        else
            ia_hw_platform_append(p->message, sizeof p->message, "; ",
                                  "NVML not available: libnvidia-ml.so.1 not found; %s", unknown);
        return;
    }

    ia_nvml_api nv;
    memset(&nv, 0, sizeof nv);
    const ia_hw_symbol syms[] = {
        {"nvmlInit_v2", &nv.init, true},
        {"nvmlShutdown", &nv.shutdown, true},
        {"nvmlDeviceGetHandleByPciBusId_v2", &nv.device_get_handle_by_pci_bus_id, true},
        {"nvmlSystemGetDriverVersion", &nv.system_get_driver_version, false},
        {"nvmlDeviceGetPowerManagementLimit", &nv.device_get_power_limit, false},
        {"nvmlDeviceGetTemperature", &nv.device_get_temperature, false},
        {"nvmlDeviceGetClockInfo", &nv.device_get_clock_info, false},
        {"nvmlDeviceGetMaxClockInfo", &nv.device_get_max_clock_info, false},
        {"nvmlErrorString", &nv.error_string, false},
    };
    char missing[160];
    if (ia_hw_resolve_symbols(src, lib, syms, sizeof syms / sizeof syms[0], missing,
                              sizeof missing)) {
        ia_hw_platform_append(p->message, sizeof p->message, "; ", "NVML not available: %s: %s; %s",
                              soname, missing, unknown);
        src->lib_close(src, lib);
        return;
    }

    char why[96];
    ia_nvml_return rc = nv.init();
    if (rc != IA_NVML_SUCCESS) {
        ia_hw_platform_append(p->message, sizeof p->message, "; ",
                              "NVML not available: nvmlInit_v2 failed: %s; %s",
                              ia_nvml_describe(&nv, rc, why, sizeof why), unknown);
        src->lib_close(src, lib);
        return;
    }

    char driver[IA_NVML_DRIVER_VERSION_SIZE] = "";
    if (nv.system_get_driver_version &&
        nv.system_get_driver_version(driver, sizeof driver) == IA_NVML_SUCCESS) {
        driver[sizeof driver - 1] = '\0';
        char cuda_version[sizeof p->version];
        memcpy(cuda_version, p->version, sizeof cuda_version);
        ia_hw_platform_format(p->version, sizeof p->version, "%s (driver %s)", cuda_version,
                              driver);
    }

    ia_nvml_problems problems = {0, ""};
    for (int i = 0; i < p->device_count; i++)
        ia_nvml_read_device(&nv, &p->devices[i], &problems);
    if (problems.count == 1)
        ia_hw_platform_append(p->message, sizeof p->message, "; ", "NVML: one value unknown: %s",
                              problems.first);
    else if (problems.count > 1)
        ia_hw_platform_append(p->message, sizeof p->message, "; ",
                              "NVML: %d values unknown, the first: %s", problems.count,
                              problems.first);

    nv.shutdown();
    src->lib_close(src, lib);
}

/* ------------------------------------------------------------------ CUDA */

/* Returns false with p->status and p->message set when a driver call fails. */
static bool ia_cuda_read_device(const ia_cuda_api *api, ia_hw_platform *p, int index)
{
    ia_hw_device *d = &p->devices[index];
    ia_hw_device_init(d, index);
    ia_cu_device dev = 0;
    ia_cu_result rc = api->device_get(&dev, index);
    if (rc != IA_CU_SUCCESS) {
        ia_cuda_fail(p, api, IA_HW_ERROR, "cuDeviceGet", rc);
        return false;
    }
    rc = api->device_get_name(d->name, (int)sizeof d->name, dev);
    if (rc != IA_CU_SUCCESS) {
        ia_cuda_fail(p, api, IA_HW_ERROR, "cuDeviceGetName", rc);
        return false;
    }
    d->name[sizeof d->name - 1] = '\0';
    size_t bytes = 0;
    rc = api->device_total_mem(&bytes, dev);
    if (rc != IA_CU_SUCCESS) {
        ia_cuda_fail(p, api, IA_HW_ERROR, "cuDeviceTotalMem_v2", rc);
        return false;
    }
    d->memory_total_bytes = bytes;
    rc = api->device_get_pci_bus_id(d->pci_bus_id, (int)sizeof d->pci_bus_id, dev);
    if (rc != IA_CU_SUCCESS) {
        ia_cuda_fail(p, api, IA_HW_ERROR, "cuDeviceGetPCIBusId", rc);
        return false;
    }
    d->pci_bus_id[sizeof d->pci_bus_id - 1] = '\0';

    const struct {
        int attrib;
        const char *name;
        int *out;
    } attrs[] = {
        {IA_CU_ATTR_COMPUTE_CAPABILITY_MAJOR, "COMPUTE_CAPABILITY_MAJOR", &d->compute_major},
        {IA_CU_ATTR_COMPUTE_CAPABILITY_MINOR, "COMPUTE_CAPABILITY_MINOR", &d->compute_minor},
        {IA_CU_ATTR_MULTIPROCESSOR_COUNT, "MULTIPROCESSOR_COUNT", &d->multiprocessors},
    };
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
        int v = 0;
        rc = api->device_get_attribute(&v, attrs[i].attrib, dev);
        if (rc != IA_CU_SUCCESS) {
            char what[96];
            ia_hw_platform_format(what, sizeof what, "cuDeviceGetAttribute(CU_DEVICE_ATTRIBUTE_%s)",
                                  attrs[i].name);
            ia_cuda_fail(p, api, IA_HW_ERROR, what, rc);
            return false;
        }
        *attrs[i].out = v;
    }
    return true;
}

static void ia_cuda_query(ia_hw_source *src, void *lib, const char *soname, ia_hw_platform *p)
{
    ia_cuda_api api;
    memset(&api, 0, sizeof api);
    const ia_hw_symbol syms[] = {
        {"cuInit", &api.init, true},
        {"cuDriverGetVersion", &api.driver_get_version, true},
        {"cuDeviceGetCount", &api.device_get_count, true},
        {"cuDeviceGet", &api.device_get, true},
        {"cuDeviceGetName", &api.device_get_name, true},
        {"cuDeviceGetAttribute", &api.device_get_attribute, true},
        {"cuDeviceTotalMem_v2", &api.device_total_mem, true},
        {"cuDeviceGetPCIBusId", &api.device_get_pci_bus_id, true},
        {"cuGetErrorName", &api.get_error_name, false},
        {"cuGetErrorString", &api.get_error_string, false},
    };
    char missing[160];
    if (ia_hw_resolve_symbols(src, lib, syms, sizeof syms / sizeof syms[0], missing,
                              sizeof missing)) {
        p->status = IA_HW_ERROR;
        ia_hw_platform_format(p->message, sizeof p->message, "%s: %s", soname, missing);
        return;
    }

    ia_cu_result rc = api.init(0);
    if (rc == IA_CU_ERROR_NO_DEVICE) {
        ia_cuda_fail(p, &api, IA_HW_ABSENT, "cuInit", rc);
        return;
    }
    if (rc == IA_CU_ERROR_STUB_LIBRARY) {
        /* The toolkit's link-time stub answers when no driver is installed. */
        ia_cuda_fail(p, &api, IA_HW_ABSENT, "cuInit", rc);
        ia_hw_platform_append(p->message, sizeof p->message, "; ",
                              "%s is the CUDA toolkit's stub, not an NVIDIA driver", soname);
        return;
    }
    if (rc != IA_CU_SUCCESS) {
        ia_cuda_fail(p, &api, IA_HW_ERROR, "cuInit", rc);
        return;
    }

    int version = 0;
    rc = api.driver_get_version(&version);
    if (rc != IA_CU_SUCCESS) {
        ia_cuda_fail(p, &api, IA_HW_ERROR, "cuDriverGetVersion", rc);
        return;
    }
    /* The driver encodes 12.4 as 12040: 1000 * major + 10 * minor. */
    ia_hw_platform_format(p->version, sizeof p->version, "%d.%d", version / 1000,
                          version % 1000 / 10);

    int count = 0;
    rc = api.device_get_count(&count);
    if (rc != IA_CU_SUCCESS) {
        ia_cuda_fail(p, &api, IA_HW_ERROR, "cuDeviceGetCount", rc);
        return;
    }
    if (count <= 0) {
        p->status = IA_HW_ABSENT;
        ia_hw_platform_format(
            p->message, sizeof p->message,
            "the NVIDIA driver (%s) is installed but cuDeviceGetCount found no device", soname);
        return;
    }
    if (count > IA_HW_MAX_DEVICES) {
        p->status = IA_HW_ERROR;
        ia_hw_platform_format(p->message, sizeof p->message,
                              "cuDeviceGetCount returned an implausible %d devices", count);
        return;
    }

    p->devices = calloc((size_t)count, sizeof *p->devices);
    if (!p->devices) {
        p->status = IA_HW_ERROR;
        ia_hw_platform_format(p->message, sizeof p->message, "out of memory for %d CUDA devices",
                              count);
        return;
    }
    for (int i = 0; i < count; i++) {
        if (!ia_cuda_read_device(&api, p, i)) {
            char why[sizeof p->message];
            memcpy(why, p->message, sizeof why);
            ia_hw_platform_format(p->message, sizeof p->message, "device %d: %s", i, why);
            free(p->devices);
            p->devices = NULL;
            return;
        }
    }
    p->device_count = count;
    p->status = IA_HW_AVAILABLE;
    ia_cuda_read_nvml(src, p);
}

void ia_hw_detect_cuda(ia_hw_source *src, ia_hw_platform *p)
{
    /* libcuda.so.1 is what the driver installs; the bare name is a
     * development symlink, tried so a toolkit-only machine is recognised. */
    static const char *const sonames[] = {"libcuda.so.1", "libcuda.so"};
    p->device_count = 0;
    p->devices = NULL;
    p->version[0] = '\0';
    p->message[0] = '\0';

    const char *soname = NULL;
    ia_error broken;
    void *lib = ia_hw_platform_open(src, sonames, 2, &soname, &broken);
    if (!lib) {
        ia_hw_platform_format(p->library, sizeof p->library, "%s, %s", sonames[0], sonames[1]);
        if (broken.status != IA_OK) {
            p->status = IA_HW_ERROR;
            ia_hw_platform_format(p->message, sizeof p->message, "cannot load the CUDA driver: %s",
                                  broken.message);
        } else {
            p->status = IA_HW_ABSENT;
            ia_hw_platform_format(p->message, sizeof p->message,
                                  "%s not found (no NVIDIA driver installed); also looked for %s",
                                  sonames[0], sonames[1]);
        }
        return;
    }
    ia_hw_platform_format(p->library, sizeof p->library, "%s", soname);
    ia_cuda_query(src, lib, soname, p);
    /* libcuda stays loaded: after cuInit the driver runs threads of its own,
     * and unloading its code under them can crash the process at exit.
     * dlopen counts references, so detecting again reuses this handle. */
}
