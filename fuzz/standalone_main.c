/* Runs a fuzz target over files named on the command line, so the corpus
 * replays as a regression test in any build (gcc, sanitizers) without
 * libFuzzer. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ipfs_accelerate/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    int failures = 0;
    for (int i = 1; i < argc; i++) {
        char *data;
        size_t len;
        ia_error err;
        if (ia_file_read_all(argv[i], 64u << 20, &data, &len, &err) != IA_OK) {
            fprintf(stderr, "%s\n", err.message);
            failures++;
            continue;
        }
        LLVMFuzzerTestOneInput((const uint8_t *)data, len);
        free(data);
    }
    printf("%d passed, %d failed\n", argc - 1 - failures, failures);
    return failures ? 1 : 0;
}
