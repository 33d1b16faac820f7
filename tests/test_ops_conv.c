/* IA_OP_CONV1D and IA_OP_CONV2D on every CPU ISA against the reference:
 * groups (depthwise included), dilation, stride, padding, odd sizes, F16 and
 * BF16 weights, a strided input; and the shapes the checks refuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "op_test_support.h"

/* F32 products against a double reference (F16 weights are exact in both). */
#define CONV_NMSE 1e-10

typedef struct conv_case {
    int64_t N, Cin, Cout, H, W, Kh, Kw; /* conv1d: H = Kh = 1 */
    int sh, sw, ph, pw, dh, dw, groups; /* raw parameters: 0 means 1 where allowed */
    ia_dtype wdtype;
    bool bias, strided_input;
} conv_case;

static int64_t out_size(int64_t in, int64_t k, int s, int p, int d)
{
    s = s ? s : 1;
    d = d ? d : 1;
    return (in + 2 * p - d * (k - 1) - 1) / s + 1;
}

static void run_conv(test_rng *rng, const conv_case *c, int rank)
{
    const int groups = c->groups ? c->groups : 1;
    ia_tensor x_store, x, w, b, dst;
    if (rank == 1) {
        const int64_t lout = out_size(c->W, c->Kw, c->sw, c->pw, c->dw);
        x = x_store = random_tensor(rng, IA_DTYPE_F32, 3, (int64_t[]){c->N, c->Cin, c->W}, -1, 1);
        w = random_tensor(rng, c->wdtype, 3, (int64_t[]){c->Cout, c->Cin / groups, c->Kw}, -1, 1);
        dst = ia_tensor_make(IA_DTYPE_F32, 3, (int64_t[]){c->N, c->Cout, lout}, NULL);
    } else {
        const int64_t hout = out_size(c->H, c->Kh, c->sh, c->ph, c->dh);
        const int64_t wout = out_size(c->W, c->Kw, c->sw, c->pw, c->dw);
        x = x_store = random_tensor(rng, IA_DTYPE_F32, 4, (int64_t[]){c->N, c->Cin, c->H, c->W}, -1, 1);
        if (c->strided_input) {
            /* NHWC memory seen as NCHW: channel stride 1, width stride Cin. */
            ia_tensor_free(&x_store);
            x_store = random_tensor(rng, IA_DTYPE_F32, 4, (int64_t[]){c->N, c->H, c->W, c->Cin}, -1, 1);
            ia_error err;
            if (ia_tensor_view_permute(&x_store, (const int[]){0, 3, 1, 2}, &x, &err) != IA_OK)
                fail_msg("%s", err.message);
        }
        w = random_tensor(rng, c->wdtype, 4,
                          (int64_t[]){c->Cout, c->Cin / groups, c->Kh, c->Kw}, -1, 1);
        dst = ia_tensor_make(IA_DTYPE_F32, 4, (int64_t[]){c->N, c->Cout, hout, wout}, NULL);
    }
    b = random_tensor(rng, c->wdtype, 1, (int64_t[]){c->Cout}, -1, 1);
    ia_op op = {.type = rank == 1 ? IA_OP_CONV1D : IA_OP_CONV2D,
                .src = {&x, &w, c->bias ? &b : NULL},
                .dst = &dst};
    if (rank == 1) {
        op.p.conv1d.stride = c->sw;
        op.p.conv1d.padding = c->pw;
        op.p.conv1d.dilation = c->dw;
        op.p.conv1d.groups = c->groups;
    } else {
        op.p.conv2d.stride[0] = c->sh, op.p.conv2d.stride[1] = c->sw;
        op.p.conv2d.padding[0] = c->ph, op.p.conv2d.padding[1] = c->pw;
        op.p.conv2d.dilation[0] = c->dh, op.p.conv2d.dilation[1] = c->dw;
        op.p.conv2d.groups = c->groups;
    }
    char label[200], geom[120];
    if (rank == 1)
        snprintf(geom, sizeof geom, "L%lld k%lld s%d p%d d%d", (long long)c->W, (long long)c->Kw,
                 c->sw, c->pw, c->dw);
    else
        snprintf(geom, sizeof geom, "%lldx%lld k%lldx%lld s%d,%d p%d,%d d%d,%d", (long long)c->H,
                 (long long)c->W, (long long)c->Kh, (long long)c->Kw, c->sh, c->sw, c->ph, c->pw,
                 c->dh, c->dw);
    snprintf(label, sizeof label, "conv%dd N%lld Cin%lld Cout%lld %s g%d %s%s%s", rank,
             (long long)c->N, (long long)c->Cin, (long long)c->Cout, geom, c->groups,
             ia_dtype_name(c->wdtype), c->bias ? " bias" : "", c->strided_input ? " strided" : "");
    check_op_all_backends(&op, CONV_NMSE, label);
    ia_tensor_free(&x_store);
    ia_tensor_free(&w);
    ia_tensor_free(&b);
}

static void test_conv1d(void **state)
{
    (void)state;
    test_rng rng;
    rng_seed(&rng, 1);
    const conv_case cases[] = {
        /* Whisper's stem: k3 p1, then k3 s2 p1. */
        {.N = 1, .Cin = 13, .Cout = 24, .W = 57, .Kw = 3, .pw = 1, .bias = true},
        {.N = 2, .Cin = 24, .Cout = 24, .W = 57, .Kw = 3, .sw = 2, .pw = 1, .bias = true},
        /* wav2vec's feature encoder: k10 s5 on one channel, no bias. */
        {.N = 1, .Cin = 1, .Cout = 9, .W = 403, .Kw = 10, .sw = 5},
        /* Grouped, dilated, F16 weights; depthwise with a multiplier of 2. */
        {.N = 2, .Cin = 12, .Cout = 18, .W = 41, .Kw = 5, .pw = 4, .dw = 2, .groups = 3,
         .wdtype = IA_DTYPE_F16, .bias = true},
        {.N = 1, .Cin = 7, .Cout = 14, .W = 33, .Kw = 4, .sw = 3, .pw = 2, .groups = 7,
         .wdtype = IA_DTYPE_BF16, .bias = true},
        /* Kernel as wide as the padded input: one output. */
        {.N = 1, .Cin = 3, .Cout = 5, .W = 6, .Kw = 8, .pw = 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        run_conv(&rng, &cases[i], 1);
}

static void test_conv2d(void **state)
{
    (void)state;
    test_rng rng;
    rng_seed(&rng, 2);
    const conv_case cases[] = {
        /* ResNet-style 3x3 pad 1, and a strided 3x3 with odd sizes. */
        {.N = 1, .Cin = 8, .Cout = 16, .H = 13, .W = 17, .Kh = 3, .Kw = 3, .ph = 1, .pw = 1,
         .bias = true},
        {.N = 2, .Cin = 5, .Cout = 7, .H = 15, .W = 19, .Kh = 3, .Kw = 3, .sh = 2, .sw = 2,
         .ph = 1, .pw = 1, .bias = true, .strided_input = true},
        /* ViT patch embedding: kernel = stride = 8. */
        {.N = 1, .Cin = 3, .Cout = 20, .H = 32, .W = 40, .Kh = 8, .Kw = 8, .sh = 8, .sw = 8,
         .wdtype = IA_DTYPE_F16, .bias = true},
        /* Depthwise 3x3 (MobileNet), dilated, rectangular everything. */
        {.N = 1, .Cin = 9, .Cout = 9, .H = 11, .W = 70, .Kh = 3, .Kw = 3, .ph = 2, .pw = 2,
         .dh = 2, .dw = 2, .groups = 9, .bias = true},
        {.N = 1, .Cin = 6, .Cout = 10, .H = 9, .W = 12, .Kh = 2, .Kw = 5, .sh = 1, .sw = 3,
         .ph = 0, .pw = 3, .dh = 3, .dw = 1, .groups = 2, .wdtype = IA_DTYPE_BF16},
        /* 1x1 with more than one channel block (Cout > 64) and a wide row. */
        {.N = 1, .Cin = 16, .Cout = 70, .H = 2, .W = 300, .Kh = 1, .Kw = 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        run_conv(&rng, &cases[i], 2);
}

static void test_rejected(void **state)
{
    (void)state;
    test_rng rng;
    rng_seed(&rng, 4);
    ia_tensor x = random_tensor(&rng, IA_DTYPE_F32, 4, (int64_t[]){1, 6, 8, 8}, -1, 1);
    ia_tensor w = random_tensor(&rng, IA_DTYPE_F32, 4, (int64_t[]){4, 2, 3, 3}, -1, 1);
    ia_tensor dst = zero_tensor(IA_DTYPE_F32, 4, (int64_t[]){1, 4, 6, 6});
    ia_op op = {.type = IA_OP_CONV2D, .src = {&x, &w}, .dst = &dst};
    op.p.conv2d.groups = 4; /* 6 channels in 4 groups */
    check_op_rejected(&op, IA_ERR_INVALID, "channels not divisible by groups");
    op.p.conv2d.groups = 3; /* 6 / 3 = 2 input channels per group: fine */
    check_op_rejected(&op, IA_ERR_INVALID, "Cout 4 not divisible by 3 groups");
    op.p.conv2d.groups = 2; /* Cin / groups = 3, but the weight has 2 */
    check_op_rejected(&op, IA_ERR_INVALID, "weight's channels");

    ia_tensor w3 = random_tensor(&rng, IA_DTYPE_F32, 4, (int64_t[]){4, 3, 3, 3}, -1, 1);
    op.src[1] = &w3;
    ia_error err;
    assert_int_equal(ia_op_check(&op, &err), IA_OK);
    op.p.conv2d.padding[0] = 1; /* would make 8 rows, dst has 6 */
    check_op_rejected(&op, IA_ERR_INVALID, "output size mismatch");
    op.p.conv2d.padding[0] = 0;
    op.p.conv2d.stride[1] = -1;
    check_op_rejected(&op, IA_ERR_INVALID, "negative stride");
    op.p.conv2d.stride[1] = 0;
    ia_tensor bias = zero_tensor(IA_DTYPE_F32, 1, (int64_t[]){5});
    op.src[2] = &bias;
    check_op_rejected(&op, IA_ERR_INVALID, "bias of 5 for 4 outputs");
    op.src[2] = NULL;

    /* conv1d: a kernel longer than the padded input. */
    ia_tensor x1 = random_tensor(&rng, IA_DTYPE_F32, 3, (int64_t[]){1, 2, 4}, -1, 1);
    ia_tensor w1 = random_tensor(&rng, IA_DTYPE_F16, 3, (int64_t[]){3, 2, 7}, -1, 1);
    ia_tensor d1 = zero_tensor(IA_DTYPE_F32, 3, (int64_t[]){1, 3, 1});
    ia_op op1 = {.type = IA_OP_CONV1D, .src = {&x1, &w1}, .dst = &d1};
    check_op_rejected(&op1, IA_ERR_INVALID, "kernel longer than the input");
    op1.p.conv1d.padding = 2; /* 4 + 4 - 7 + 1 = 2 outputs, dst has 1 */
    check_op_rejected(&op1, IA_ERR_INVALID, "conv1d output size mismatch");
    assert_int_equal(ia_op_check(&op1, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "conv1d"));
    assert_non_null(strstr(err.message, "dst"));

    ia_tensor *all[] = {&x, &w, &dst, &w3, &bias, &x1, &w1, &d1};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        ia_tensor_free(all[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conv1d),
        cmocka_unit_test(test_conv2d),
        cmocka_unit_test(test_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
