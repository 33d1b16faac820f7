/* The accelerator platforms other than CUDA: AMD ROCm (HIP), Intel OpenVINO,
 * Qualcomm AI Engine Direct (QNN), Apple MPS and the browser-only APIs.
 *
 * As for CUDA, vendor libraries are opened at run time through the source
 * and the few types and constants needed are declared by hand from the
 * vendors' public headers, so the build depends on none of them. */
#include "hw_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- helpers */

/* Opens the first of sonames that loads, recording it in p->library. When
 * none does, sets p to ABSENT, or to ERROR when a candidate exists but cannot
 * be loaded (wrong architecture, missing dependency): "installed but
 * unusable" must not read as "not installed". looked_for names the
 * candidates briefly; why_absent says what their absence means. */
static void *ia_plat_open(ia_hw_source *src, ia_hw_platform *p, const char *const *sonames,
                          size_t count, const char *looked_for, const char *why_absent,
                          const char **opened)
{
    ia_error broken;
    void *lib = ia_hw_platform_open(src, sonames, count, opened, &broken);
    if (lib) {
        ia_hw_platform_format(p->library, sizeof p->library, "%s", *opened);
        return lib;
    }
    ia_hw_platform_format(p->library, sizeof p->library, "%s", looked_for);
    if (broken.status != IA_OK) {
        p->status = IA_HW_ERROR;
        ia_hw_platform_format(p->message, sizeof p->message, "cannot load %s", broken.message);
    } else {
        p->status = IA_HW_ABSENT;
        ia_hw_platform_format(p->message, sizeof p->message, "%s not found (%s)", looked_for,
                              why_absent);
    }
    return NULL;
}

/* ------------------------------------------------- ROCm (hip_runtime_api.h) */

typedef int ia_hip_error; /* hipError_t */

enum {
    IA_HIP_SUCCESS = 0,       /* hipSuccess */
    IA_HIP_ERROR_NO_DEVICE = 100, /* hipErrorNoDevice */
    /* hipDeviceAttributeMultiprocessorCount in the hipDeviceAttribute_t of
     * ROCm 5 and 6 (CudaCompatibleBegin = 0, counted through the header;
     * later removals were kept as hipDeviceAttributeUnusedN so the numbers
     * hold). ROCm 4 numbered it differently, hence no libamdhip64.so.4. */
    IA_HIP_ATTR_MULTIPROCESSOR_COUNT = 63
};

typedef struct ia_hip_api {
    ia_hip_error (*get_device_count)(int *count);
    ia_hip_error (*device_get_name)(char *name, int len, int device);
    ia_hip_error (*device_total_mem)(size_t *bytes, int device);
    ia_hip_error (*device_get_attribute)(int *value, int attr, int device);
    ia_hip_error (*driver_get_version)(int *version);
    ia_hip_error (*device_get_pci_bus_id)(char *id, int len, int device);
    const char *(*get_error_name)(ia_hip_error rc);
    const char *(*get_error_string)(ia_hip_error rc);
} ia_hip_api;

static void ia_hip_fail(ia_hw_platform *p, const ia_hip_api *api, ia_hw_status status,
                        const char *function, ia_hip_error rc)
{
    const char *name = api->get_error_name ? api->get_error_name(rc) : NULL;
    const char *text = api->get_error_string ? api->get_error_string(rc) : NULL;
    p->status = status;
    ia_hw_platform_format(p->message, sizeof p->message, "%s failed: %s (%d): %s", function,
                          name ? name : "hipError_t", rc, text ? text : "no description from HIP");
}

static bool ia_hip_read_device(const ia_hip_api *api, ia_hw_platform *p, int index)
{
    ia_hw_device *d = &p->devices[index];
    ia_hw_device_init(d, index);
    ia_hip_error rc = api->device_get_name(d->name, (int)sizeof d->name, index);
    if (rc != IA_HIP_SUCCESS) {
        ia_hip_fail(p, api, IA_HW_ERROR, "hipDeviceGetName", rc);
        return false;
    }
    d->name[sizeof d->name - 1] = '\0';
    size_t bytes = 0;
    rc = api->device_total_mem(&bytes, index);
    if (rc != IA_HIP_SUCCESS) {
        ia_hip_fail(p, api, IA_HW_ERROR, "hipDeviceTotalMem", rc);
        return false;
    }
    d->memory_total_bytes = bytes;
    /* The attribute number is our own transcription of the enum, so a
     * refusal leaves the count unknown instead of failing the platform. */
    int cus = 0;
    if (api->device_get_attribute(&cus, IA_HIP_ATTR_MULTIPROCESSOR_COUNT, index) ==
            IA_HIP_SUCCESS &&
        cus > 0)
        d->multiprocessors = cus;
    if (api->device_get_pci_bus_id &&
        api->device_get_pci_bus_id(d->pci_bus_id, (int)sizeof d->pci_bus_id, index) ==
            IA_HIP_SUCCESS)
        d->pci_bus_id[sizeof d->pci_bus_id - 1] = '\0';
    else
        d->pci_bus_id[0] = '\0';
    /* compute_major/minor stay -1: they are CUDA's notion, and HIP's
     * emulated values would be misread as one. */
    return true;
}

void ia_hw_detect_rocm(ia_hw_source *src, ia_hw_platform *p)
{
    static const char *const sonames[] = {"libamdhip64.so.7", "libamdhip64.so.6",
                                          "libamdhip64.so.5", "libamdhip64.so"};
    const char *soname = NULL;
    void *lib = ia_plat_open(src, p, sonames, sizeof sonames / sizeof sonames[0],
                             "libamdhip64.so.7, .so.6, .so.5, libamdhip64.so",
                             "no ROCm HIP runtime installed", &soname);
    if (!lib)
        return;

    /* hipGetDeviceProperties is avoided on purpose: hipDeviceProp_t changed
     * layout between ROCm releases, and a mismatched struct corrupts memory. */
    ia_hip_api api;
    memset(&api, 0, sizeof api);
    const ia_hw_symbol syms[] = {
        {"hipGetDeviceCount", &api.get_device_count, true},
        {"hipDeviceGetName", &api.device_get_name, true},
        {"hipDeviceTotalMem", &api.device_total_mem, true},
        {"hipDeviceGetAttribute", &api.device_get_attribute, true},
        {"hipDriverGetVersion", &api.driver_get_version, true},
        {"hipDeviceGetPCIBusId", &api.device_get_pci_bus_id, false},
        {"hipGetErrorName", &api.get_error_name, false},
        {"hipGetErrorString", &api.get_error_string, false},
    };
    char missing[160];
    if (ia_hw_resolve_symbols(src, lib, syms, sizeof syms / sizeof syms[0], missing,
                              sizeof missing)) {
        p->status = IA_HW_ERROR;
        ia_hw_platform_format(p->message, sizeof p->message, "%s: %s", soname, missing);
        src->lib_close(src, lib);
        return;
    }

    int count = 0;
    ia_hip_error rc = api.get_device_count(&count);
    if (rc == IA_HIP_ERROR_NO_DEVICE || (rc == IA_HIP_SUCCESS && count <= 0)) {
        p->status = IA_HW_ABSENT;
        ia_hw_platform_format(
            p->message, sizeof p->message,
            "the HIP runtime (%s) is installed but hipGetDeviceCount found no device", soname);
    } else if (rc != IA_HIP_SUCCESS) {
        ia_hip_fail(p, &api, IA_HW_ERROR, "hipGetDeviceCount", rc);
    } else if (count > IA_HW_MAX_DEVICES) {
        p->status = IA_HW_ERROR;
        ia_hw_platform_format(p->message, sizeof p->message,
                              "hipGetDeviceCount returned an implausible %d devices", count);
    } else if (!(p->devices = calloc((size_t)count, sizeof *p->devices))) {
        p->status = IA_HW_ERROR;
        ia_hw_platform_format(p->message, sizeof p->message, "out of memory for %d HIP devices",
                              count);
    } else {
        int version = 0;
        /* HIP encodes 6.0.32830 as 60032830: major * 1e7 + minor * 1e5 + patch. */
        if (api.driver_get_version(&version) == IA_HIP_SUCCESS && version > 0)
            ia_hw_platform_format(p->version, sizeof p->version, "%d.%d.%d", version / 10000000,
                                  version / 100000 % 100, version % 100000);
        bool ok = true;
        for (int i = 0; i < count && ok; i++)
            ok = ia_hip_read_device(&api, p, i);
        if (ok) {
            p->device_count = count;
            p->status = IA_HW_AVAILABLE;
            ia_hw_platform_format(p->message, sizeof p->message,
                                  "power, temperature and clocks are not read for AMD devices yet");
        } else {
            free(p->devices);
            p->devices = NULL;
        }
    }
    src->lib_close(src, lib);
}

/* ------------------------------------------- OpenVINO (openvino/c/ov_core.h) */

typedef int ia_ov_status; /* ov_status_e: OK is 0, errors are negative */
typedef struct ia_ov_core ia_ov_core; /* ov_core_t, opaque */

typedef struct ia_ov_version { /* ov_version_t */
    const char *buildNumber;
    const char *description;
} ia_ov_version;

typedef struct ia_ov_available_devices { /* ov_available_devices_t */
    char **devices;
    size_t size;
} ia_ov_available_devices;

typedef struct ia_ov_api {
    ia_ov_status (*get_openvino_version)(ia_ov_version *version);
    void (*version_free)(ia_ov_version *version);
    ia_ov_status (*core_create)(ia_ov_core **core);
    ia_ov_status (*core_get_available_devices)(const ia_ov_core *core,
                                               ia_ov_available_devices *devices);
    void (*available_devices_free)(ia_ov_available_devices *devices);
    void (*core_free)(ia_ov_core *core);
    const char *(*get_error_info)(ia_ov_status status);
    const char *(*get_last_err_msg)(void);
} ia_ov_api;

static void ia_ov_fail(ia_hw_platform *p, const ia_ov_api *api, const char *function,
                       ia_ov_status rc)
{
    const char *info = api->get_error_info ? api->get_error_info(rc) : NULL;
    const char *last = api->get_last_err_msg ? api->get_last_err_msg() : NULL;
    p->status = IA_HW_ERROR;
    ia_hw_platform_format(p->message, sizeof p->message, "%s failed: status %d (%s)%s%s", function,
                          rc, info ? info : "no description from OpenVINO",
                          last && *last ? ": " : "", last && *last ? last : "");
}

static void ia_ov_list_devices(const ia_ov_api *api, const ia_ov_core *core, ia_hw_platform *p)
{
    ia_ov_available_devices list = {NULL, 0};
    ia_ov_status rc = api->core_get_available_devices(core, &list);
    if (rc != 0) {
        ia_ov_fail(p, api, "ov_core_get_available_devices", rc);
        return;
    }
    size_t n = list.devices ? list.size : 0;
    if (n == 0) {
        p->status = IA_HW_ABSENT;
        ia_hw_platform_format(
            p->message, sizeof p->message,
            "OpenVINO %s loaded but reports no devices (no device plugins installed)", p->version);
    } else if (n > IA_HW_MAX_DEVICES) {
        p->status = IA_HW_ERROR;
        ia_hw_platform_format(p->message, sizeof p->message,
                              "ov_core_get_available_devices returned an implausible %zu devices",
                              n);
    } else if (!(p->devices = calloc(n, sizeof *p->devices))) {
        p->status = IA_HW_ERROR;
        ia_hw_platform_format(p->message, sizeof p->message,
                              "out of memory for %zu OpenVINO devices", n);
    } else {
        for (size_t i = 0; i < n; i++) {
            ia_hw_device_init(&p->devices[i], (int)i);
            ia_hw_platform_format(p->devices[i].name, sizeof p->devices[i].name, "%s",
                                  list.devices[i] ? list.devices[i] : "");
        }
        p->device_count = (int)n;
        p->status = IA_HW_AVAILABLE;
        ia_hw_platform_format(p->message, sizeof p->message,
                              "devices as OpenVINO names them; memory and clocks not reported");
    }
    api->available_devices_free(&list);
}

void ia_hw_detect_openvino(ia_hw_source *src, ia_hw_platform *p)
{
    /* The unversioned name exists only with development files; releases
     * carry the soname libopenvino_c.so.YYM0 (2025.0 -> .2500), newest first. */
    static const char *const sonames[] = {
        "libopenvino_c.so", "libopenvino_c.so.2560", "libopenvino_c.so.2550",
        "libopenvino_c.so.2540", "libopenvino_c.so.2530", "libopenvino_c.so.2520",
        "libopenvino_c.so.2510", "libopenvino_c.so.2500", "libopenvino_c.so.2460",
        "libopenvino_c.so.2450", "libopenvino_c.so.2440", "libopenvino_c.so.2430",
        "libopenvino_c.so.2420", "libopenvino_c.so.2410", "libopenvino_c.so.2400",
        "libopenvino_c.so.2330", "libopenvino_c.so.2320", "libopenvino_c.so.2310",
        "libopenvino_c.so.2300"};
    const char *soname = NULL;
    void *lib = ia_plat_open(src, p, sonames, sizeof sonames / sizeof sonames[0],
                             "libopenvino_c.so, libopenvino_c.so.2300 to .2560",
                             "no OpenVINO runtime installed", &soname);
    if (!lib)
        return;

    ia_ov_api api;
    memset(&api, 0, sizeof api);
    const ia_hw_symbol syms[] = {
        {"ov_get_openvino_version", &api.get_openvino_version, true},
        {"ov_version_free", &api.version_free, true},
        {"ov_core_create", &api.core_create, true},
        {"ov_core_get_available_devices", &api.core_get_available_devices, true},
        {"ov_available_devices_free", &api.available_devices_free, true},
        {"ov_core_free", &api.core_free, true},
        {"ov_get_error_info", &api.get_error_info, false},
        {"ov_get_last_err_msg", &api.get_last_err_msg, false},
    };
    char missing[160];
    if (ia_hw_resolve_symbols(src, lib, syms, sizeof syms / sizeof syms[0], missing,
                              sizeof missing)) {
        p->status = IA_HW_ERROR;
        ia_hw_platform_format(p->message, sizeof p->message, "%s: %s", soname, missing);
        src->lib_close(src, lib);
        return;
    }

    ia_ov_version version = {NULL, NULL};
    ia_ov_status rc = api.get_openvino_version(&version);
    if (rc != 0) {
        ia_ov_fail(p, &api, "ov_get_openvino_version", rc);
        src->lib_close(src, lib);
        return;
    }
    ia_hw_platform_format(p->version, sizeof p->version, "%s",
                          version.buildNumber ? version.buildNumber : "");
    api.version_free(&version);

    ia_ov_core *core = NULL;
    rc = api.core_create(&core);
    if (rc != 0 || !core) {
        ia_ov_fail(p, &api, "ov_core_create", rc);
    } else {
        ia_ov_list_devices(&api, core, p);
        api.core_free(core);
    }
    src->lib_close(src, lib);
}

/* ---------------------------------------------- QNN (QnnInterface.h et al.) */

typedef uint64_t ia_qnn_error; /* Qnn_ErrorHandle_t: the code is the low 16 bits */

typedef struct ia_qnn_version { /* Qnn_Version_t */
    uint32_t major, minor, patch;
} ia_qnn_version;

/* The leading members of QnnInterface_t, which are stable across QNN 2.x;
 * the union of function tables that follows is never touched. */
typedef struct ia_qnn_interface {
    uint32_t backend_id;
    const char *provider_name;
    ia_qnn_version core_api_version;    /* Qnn_ApiVersion_t.coreApiVersion */
    ia_qnn_version backend_api_version; /* Qnn_ApiVersion_t.backendApiVersion */
} ia_qnn_interface;

/* QnnInterface_getProviders */
typedef ia_qnn_error (*ia_qnn_get_providers_fn)(const ia_qnn_interface ***providers,
                                                uint32_t *count);

/* Opens soname and finds symbol in it. Returns the symbol, with the library
 * to close in *lib, or NULL; a library that exists but is unusable is noted
 * in problems. */
static void *ia_qnn_open(ia_hw_source *src, const char *soname, const char *symbol,
                         char *problems, size_t size, void **lib)
{
    ia_error err;
    ia_error_clear(&err);
    *lib = src->lib_open(src, soname, &err);
    if (!*lib) {
        if (err.status != IA_OK && err.status != IA_ERR_NOT_FOUND)
            ia_hw_platform_append(problems, size, "; ", "%s", err.message);
        return NULL;
    }
    void *sym = src->lib_symbol(src, *lib, symbol);
    if (!sym) {
        ia_hw_platform_append(problems, size, "; ", "%s: symbol %s not found", soname, symbol);
        src->lib_close(src, *lib);
        *lib = NULL;
    }
    return sym;
}

void ia_hw_detect_qnn(ia_hw_source *src, ia_hw_platform *p)
{
    static const char *const backends[] = {"libQnnHtp.so", "libQnnCpu.so", "libQnnGpu.so"};
    static const char system_lib[] = "libQnnSystem.so";
    char found[256] = "", problems[384] = "";
    void *lib = NULL;

    for (size_t i = 0; i < sizeof backends / sizeof backends[0]; i++) {
        void *sym = ia_qnn_open(src, backends[i], "QnnInterface_getProviders", problems,
                                sizeof problems, &lib);
        if (!sym)
            continue;
        ia_qnn_get_providers_fn get_providers;
        memcpy(&get_providers, &sym, sizeof get_providers);
        /* Asking for the providers only reads static tables in the backend,
         * so it is safe here and proves the library is a usable QNN backend. */
        const ia_qnn_interface **providers = NULL;
        uint32_t n = 0;
        ia_qnn_error rc = get_providers(&providers, &n);
        if (rc != 0 || !providers || n == 0 || !providers[0]) {
            ia_hw_platform_append(problems, sizeof problems, "; ",
                                  "%s: QnnInterface_getProviders failed: error %u, %u providers",
                                  backends[i], (unsigned)(rc & 0xffffu), (unsigned)n);
        } else {
            const ia_qnn_version *v = &providers[0]->core_api_version;
            if (!found[0])
                ia_hw_platform_format(p->version, sizeof p->version, "%u.%u.%u", (unsigned)v->major,
                                      (unsigned)v->minor, (unsigned)v->patch);
            ia_hw_platform_append(found, sizeof found, ", ", "%s", backends[i]);
        }
        src->lib_close(src, lib);
    }

    /* The system library (context binaries, profiling) is no backend by
     * itself; it is reported alongside one. */
    bool have_system = ia_qnn_open(src, system_lib, "QnnSystemInterface_getProviders", problems,
                                   sizeof problems, &lib) != NULL;
    if (have_system)
        src->lib_close(src, lib);

    if (found[0]) {
        p->status = IA_HW_AVAILABLE;
        ia_hw_platform_format(p->library, sizeof p->library, "%s%s%s", found,
                              have_system ? ", " : "", have_system ? system_lib : "");
        ia_hw_platform_format(
            p->message, sizeof p->message,
            "QNN backend libraries found: %s; devices are not enumerated (that needs "
            "a backend to be created)",
            found);
        if (problems[0])
            ia_hw_platform_append(p->message, sizeof p->message, "; ", "also: %s", problems);
        return;
    }
    ia_hw_platform_format(p->library, sizeof p->library, "%s, %s, %s, %s", backends[0], backends[1],
                          backends[2], system_lib);
    if (problems[0]) {
        p->status = IA_HW_ERROR;
        ia_hw_platform_format(p->message, sizeof p->message, "no usable QNN backend: %s", problems);
    } else {
        p->status = IA_HW_ABSENT;
        ia_hw_platform_format(p->message, sizeof p->message,
                              "Qualcomm AI Engine Direct not found: none of %s, %s, %s%s",
                              backends[0], backends[1], backends[2],
                              have_system ? " (libQnnSystem.so is there, but no backend)" : "");
    }
}

/* ---------------------------------------------------- MPS and the browser */

void ia_hw_detect_mps(ia_hw_source *src, ia_hw_platform *p)
{
    (void)src;
    p->status = IA_HW_UNSUPPORTED;
#ifdef __APPLE__
    ia_hw_platform_format(p->message, sizeof p->message,
                          "Metal Performance Shaders: detection not implemented on macOS yet");
#else
    ia_hw_platform_format(p->message, sizeof p->message,
                          "Metal Performance Shaders exist only on Apple systems");
#endif
}

void ia_hw_detect_browser(ia_hw_source *src, ia_hw_platform *p)
{
    (void)src;
    p->status = IA_HW_UNSUPPORTED;
    ia_hw_platform_format(
        p->message, sizeof p->message,
        "browser platform: not reachable from a native process; measured through a "
        "browser runner (not yet available)");
}
