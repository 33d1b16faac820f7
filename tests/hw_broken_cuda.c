/* Test fixture: a broken "libcuda.so.1" that exports cuInit and nothing
 * else. It stands for a truncated or foreign library installed under the
 * driver's name; detection must report IA_HW_ERROR naming the first missing
 * symbol (cuDriverGetVersion) instead of calling through a NULL pointer. */

int cuInit(unsigned int flags);

int cuInit(unsigned int flags)
{
    (void)flags;
    return 0; /* CUDA_SUCCESS: the failure must come from the missing symbols */
}
