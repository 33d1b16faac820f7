/* Drives ia_webhook_post for tests/webhook_test.sh: posts a file's text to
 * a URL and says how it went.
 *   webhook_post URL BODY_FILE [TIMEOUT_MS]
 * Exit 0 when the receiver took it; 1 with the error on stderr otherwise. */
#include <stdio.h>
#include <stdlib.h>

#include "ipfs_accelerate/analyze.h"
#include "ipfs_accelerate/core.h"

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: webhook_post URL BODY_FILE [TIMEOUT_MS]\n");
        return 2;
    }
    ia_error err;
    char *body = NULL;
    if (ia_file_read_all(argv[2], 1 << 20, &body, NULL, &err) != IA_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 2;
    }
    long timeout_ms = argc == 4 ? strtol(argv[3], NULL, 10) : 5000;
    ia_status rc = ia_webhook_post(argv[1], body, timeout_ms, &err);
    free(body);
    if (rc != IA_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    return 0;
}
