/* Opening a model and its tokenizer for the commands that run models. */
#include <stdio.h>
#include <sys/stat.h>

#include "cli.h"
#include "ipfs_accelerate/core.h"
#include "ipfs_accelerate/models.h"
#include "ipfs_accelerate/tokenizer.h"

static bool exists(const char *dir, const char *name)
{
    char p[4200];
    struct stat sb;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return stat(p, &sb) == 0;
}

int ia_cli_open_model(const char *command, const char *model, const char *tokenizer_path,
                      ia_model **m, ia_tokenizer **tok)
{
    *m = NULL;
    if (tok)
        *tok = NULL;
    ia_error err;
    ia_error_clear(&err);
    char dir[4096];
    bool synthetic = false; /* the folder says so too: ia_model_weights_synthetic */
    if (ia_model_resolve(model, dir, sizeof dir, &synthetic, &err) != IA_OK ||
        ia_model_load(dir, NULL, m, &err) != IA_OK) {
        ia_log_error("%s: %s", command, err.message);
        return IA_EXIT_FAILURE;
    }
    if (!tok)
        return IA_EXIT_OK;
    const char *from = tokenizer_path ? tokenizer_path : dir;
    if (!tokenizer_path && !exists(dir, "tokenizer.json") && !exists(dir, "vocab.txt") &&
        !exists(dir, "vocab.json")) {
        ia_log_error("%s: %s has no tokenizer (tokenizer.json, vocab.txt, or vocab.json with "
                     "merges.txt); give one with --tokenizer FILE",
                     command, dir);
        ia_model_free(*m);
        *m = NULL;
        return IA_EXIT_FAILURE;
    }
    if (ia_tokenizer_load(from, tok, &err) != IA_OK) {
        ia_log_error("%s: %s", command, err.message);
        ia_model_free(*m);
        *m = NULL;
        return IA_EXIT_FAILURE;
    }
    return IA_EXIT_OK;
}
