/* Test fixture: a "libcuda.so.1" with every symbol detection resolves, whose
 * cuInit fails with CUDA_ERROR_UNKNOWN (999). Detection must report
 * IA_HW_ERROR with the driver's own words for the code:
 * "cuInit failed: CUDA_ERROR_UNKNOWN (999): unknown error".
 * After a failed cuInit the real driver answers CUDA_ERROR_NOT_INITIALIZED
 * (3) to everything else, and so does this fixture. */
#include <stddef.h>

enum {
    CUDA_SUCCESS = 0,
    CUDA_ERROR_INVALID_VALUE = 1,
    CUDA_ERROR_NOT_INITIALIZED = 3,
    CUDA_ERROR_UNKNOWN = 999
};

int cuInit(unsigned int flags);
int cuDriverGetVersion(int *version);
int cuDeviceGetCount(int *count);
int cuDeviceGet(int *device, int ordinal);
int cuDeviceGetName(char *name, int len, int device);
int cuDeviceGetAttribute(int *value, int attrib, int device);
int cuDeviceTotalMem_v2(size_t *bytes, int device);
int cuDeviceGetPCIBusId(char *id, int len, int device);
int cuGetErrorName(int error, const char **name);
int cuGetErrorString(int error, const char **text);

int cuInit(unsigned int flags)
{
    (void)flags;
    return CUDA_ERROR_UNKNOWN;
}

int cuDriverGetVersion(int *version)
{
    (void)version;
    return CUDA_ERROR_NOT_INITIALIZED;
}

int cuDeviceGetCount(int *count)
{
    (void)count;
    return CUDA_ERROR_NOT_INITIALIZED;
}

int cuDeviceGet(int *device, int ordinal)
{
    (void)device;
    (void)ordinal;
    return CUDA_ERROR_NOT_INITIALIZED;
}

int cuDeviceGetName(char *name, int len, int device)
{
    (void)name;
    (void)len;
    (void)device;
    return CUDA_ERROR_NOT_INITIALIZED;
}

int cuDeviceGetAttribute(int *value, int attrib, int device)
{
    (void)value;
    (void)attrib;
    (void)device;
    return CUDA_ERROR_NOT_INITIALIZED;
}

int cuDeviceTotalMem_v2(size_t *bytes, int device)
{
    (void)bytes;
    (void)device;
    return CUDA_ERROR_NOT_INITIALIZED;
}

int cuDeviceGetPCIBusId(char *id, int len, int device)
{
    (void)id;
    (void)len;
    (void)device;
    return CUDA_ERROR_NOT_INITIALIZED;
}

/* Like the driver, these work without cuInit and reject unknown codes. */
int cuGetErrorName(int error, const char **name)
{
    switch (error) {
    case CUDA_ERROR_UNKNOWN: *name = "CUDA_ERROR_UNKNOWN"; return CUDA_SUCCESS;
    case CUDA_ERROR_NOT_INITIALIZED: *name = "CUDA_ERROR_NOT_INITIALIZED"; return CUDA_SUCCESS;
    default: *name = NULL; return CUDA_ERROR_INVALID_VALUE;
    }
}

int cuGetErrorString(int error, const char **text)
{
    switch (error) {
    case CUDA_ERROR_UNKNOWN: *text = "unknown error"; return CUDA_SUCCESS;
    case CUDA_ERROR_NOT_INITIALIZED: *text = "initialization error"; return CUDA_SUCCESS;
    default: *text = NULL; return CUDA_ERROR_INVALID_VALUE;
    }
}
