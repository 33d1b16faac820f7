/* The reference backend: every op as plain C, one thread. It is the yardstick
 * the other backends are tested against, never the fast path. */
#include <stdlib.h>

#include "engine_internal.h"

static bool reference_supports(ia_backend *be, const ia_op *op)
{
    (void)be;
    return (unsigned)op->type < IA_OP_COUNT;
}

static ia_status reference_compute(ia_backend *be, const ia_op *op, ia_error *err)
{
    (void)be;
#define IA_REF_CASE(TYPE, name) \
    case TYPE: return ia_ref_##name(op, err);
    switch (op->type) {
        IA_ENGINE_OPS(IA_REF_CASE)
    case IA_OP_COUNT: break;
    }
#undef IA_REF_CASE
    return ia_error_set(err, IA_ERR_UNSUPPORTED, "reference: op %d", (int)op->type);
}

static void reference_free(ia_backend *be) { free(be); }

ia_backend *ia_backend_reference_create(ia_error *err)
{
    ia_backend *be = calloc(1, sizeof *be);
    if (!be) {
        ia_error_set(err, IA_ERR_NOMEM, "out of memory");
        return NULL;
    }
    be->name = "reference";
    be->supports = reference_supports;
    be->compute = reference_compute;
    be->free = reference_free;
    return be;
}
