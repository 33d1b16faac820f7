/*
 * Resizing and cropping 8-bit RGB images exactly as transformers does them
 * through PIL.
 *
 * transformers resizes a uint8 image by handing it to PIL's Image.resize.
 * For every filter but nearest, PIL (libImaging/Resample.c) convolves each
 * axis separately with the filter stretched by the downscale factor, so a
 * reduction averages every source pixel it covers (antialiasing); the
 * horizontal pass runs first and each pass stores 8-bit results, so the
 * rounding between the passes is part of the answer. The coefficients are
 * normalised to sum to one, then turned into fixed point with 22 fraction
 * bits, the sums start at one half and are clipped to 0..255. We follow the
 * same arithmetic (with 64-bit sums, which agree wherever PIL's 32-bit sums
 * do not overflow, i.e. always) so our pixels equal PIL's bit for bit.
 *
 * Nearest is PIL's affine scaling: the source of output column x is
 * floor(x0), floor(x0 + s), ... with x0 = s / 2 and s = in / out, the
 * position accumulated by repeated addition as PIL does.
 */
#include "image/image_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FIXED_BITS 22 /* PIL's PRECISION_BITS: 32 - 8 - 2 */

struct filter {
    double (*fn)(double x);
    double support; /* half-width at scale 1 */
};

static double box_fn(double x)
{
    return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
}

static double bilinear_fn(double x)
{
    x = fabs(x);
    return x < 1.0 ? 1.0 - x : 0.0;
}

static double hamming_fn(double x)
{
    x = fabs(x);
    if (x == 0.0)
        return 1.0;
    if (x >= 1.0)
        return 0.0;
    x *= M_PI;
    /* PIL writes the window's constants as floats: 0.54f and 0.46f. */
    return sin(x) / x * (0.54f + 0.46f * cos(x));
}

/* Keys' cubic with a = -0.5. */
static double bicubic_fn(double x)
{
    const double a = -0.5;
    x = fabs(x);
    if (x < 1.0)
        return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    if (x < 2.0)
        return (((x - 5) * x + 8) * x - 4) * a;
    return 0.0;
}

static double sinc(double x)
{
    if (x == 0.0)
        return 1.0;
    x *= M_PI;
    return sin(x) / x;
}

static double lanczos_fn(double x)
{
    return -3.0 <= x && x < 3.0 ? sinc(x) * sinc(x / 3) : 0.0;
}

static const struct filter *filter_of(ia_image_resample r)
{
    static const struct filter box = {box_fn, 0.5}, bilinear = {bilinear_fn, 1.0},
                               hamming = {hamming_fn, 1.0}, bicubic = {bicubic_fn, 2.0},
                               lanczos = {lanczos_fn, 3.0};
    switch (r) {
    case IA_IMAGE_RESAMPLE_BOX: return &box;
    case IA_IMAGE_RESAMPLE_BILINEAR: return &bilinear;
    case IA_IMAGE_RESAMPLE_HAMMING: return &hamming;
    case IA_IMAGE_RESAMPLE_BICUBIC: return &bicubic;
    case IA_IMAGE_RESAMPLE_LANCZOS: return &lanczos;
    case IA_IMAGE_RESAMPLE_NEAREST: break;
    }
    return NULL;
}

const char *ia_image_resample_name(ia_image_resample r)
{
    switch (r) {
    case IA_IMAGE_RESAMPLE_NEAREST: return "nearest";
    case IA_IMAGE_RESAMPLE_LANCZOS: return "lanczos";
    case IA_IMAGE_RESAMPLE_BILINEAR: return "bilinear";
    case IA_IMAGE_RESAMPLE_BICUBIC: return "bicubic";
    case IA_IMAGE_RESAMPLE_BOX: return "box";
    case IA_IMAGE_RESAMPLE_HAMMING: return "hamming";
    }
    return NULL;
}

/* The taps of one axis: output i reads inputs first[i] .. first[i] +
 * count[i] - 1 with weights k[i * ksize + j] (fixed point). */
struct taps {
    int ksize;
    int *first, *count;
    int32_t *k;
};

static void taps_free(struct taps *t)
{
    free(t->first);
    free(t->count);
    free(t->k);
    t->first = t->count = NULL;
    t->k = NULL;
}

static bool taps_compute(int in_size, int out_size, const struct filter *f, struct taps *t)
{
    double scale = (double)in_size / out_size;
    double filterscale = scale < 1.0 ? 1.0 : scale;
    double support = f->support * filterscale;
    t->ksize = (int)ceil(support) * 2 + 1;
    t->first = malloc((size_t)out_size * sizeof *t->first);
    t->count = malloc((size_t)out_size * sizeof *t->count);
    t->k = calloc((size_t)out_size * (size_t)t->ksize, sizeof *t->k);
    double *w = malloc((size_t)t->ksize * sizeof *w);
    if (!t->first || !t->count || !t->k || !w) {
        free(w);
        taps_free(t);
        return false;
    }
    for (int i = 0; i < out_size; i++) {
        double center = (i + 0.5) * scale;
        double ss = 1.0 / filterscale;
        /* PIL rounds the window's ends by truncating value + 0.5. */
        int lo = (int)(center - support + 0.5);
        if (lo < 0)
            lo = 0;
        int hi = (int)(center + support + 0.5);
        if (hi > in_size)
            hi = in_size;
        int n = hi - lo;
        double sum = 0.0;
        for (int j = 0; j < n; j++) {
            w[j] = f->fn((j + lo - center + 0.5) * ss);
            sum += w[j];
        }
        for (int j = 0; j < n; j++) {
            double v = sum != 0.0 ? w[j] / sum : w[j];
            double scaled = v * (1 << FIXED_BITS);
            t->k[(size_t)i * (size_t)t->ksize + (size_t)j] =
                (int32_t)(v < 0 ? -0.5 + scaled : 0.5 + scaled);
        }
        t->first[i] = lo;
        t->count[i] = n;
    }
    free(w);
    return true;
}

static inline uint8_t clip8(int64_t v)
{
    if (v < 0)
        return 0;
    v >>= FIXED_BITS;
    return (uint8_t)(v > 255 ? 255 : v);
}

/* One pass over one axis. The image is seen as `lines` lines of `len`
 * pixels, consecutive pixels `step` pixels apart and lines `line_step`
 * pixels apart, so the same code serves rows and columns. */
static void resample_axis(const uint8_t *src, uint8_t *dst, int lines, size_t src_step,
                          size_t src_line, size_t dst_step, size_t dst_line, int out_len,
                          const struct taps *t)
{
    for (int l = 0; l < lines; l++) {
        const uint8_t *in = src + (size_t)l * src_line * 3;
        uint8_t *out = dst + (size_t)l * dst_line * 3;
        for (int i = 0; i < out_len; i++) {
            const int32_t *k = t->k + (size_t)i * (size_t)t->ksize;
            int64_t s0 = 1 << (FIXED_BITS - 1), s1 = s0, s2 = s0;
            for (int j = 0; j < t->count[i]; j++) {
                const uint8_t *p = in + (size_t)(t->first[i] + j) * src_step * 3;
                s0 += (int64_t)p[0] * k[j];
                s1 += (int64_t)p[1] * k[j];
                s2 += (int64_t)p[2] * k[j];
            }
            uint8_t *q = out + (size_t)i * dst_step * 3;
            q[0] = clip8(s0);
            q[1] = clip8(s1);
            q[2] = clip8(s2);
        }
    }
}

static bool resize_nearest(const ia_image *src, ia_image *dst)
{
    double sx = (double)src->width / dst->width, sy = (double)src->height / dst->height;
    int *xin = malloc((size_t)dst->width * sizeof *xin);
    if (!xin)
        return false;
    double xo = sx * 0.5;
    for (int x = 0; x < dst->width; x++, xo += sx)
        xin[x] = xo < 0.0 ? -1 : (int)xo;
    double yo = sy * 0.5;
    for (int y = 0; y < dst->height; y++, yo += sy) {
        int yi = yo < 0.0 ? -1 : (int)yo;
        if (yi < 0 || yi >= src->height)
            continue; /* PIL fills what falls outside with black */
        const uint8_t *in = src->data + (size_t)yi * (size_t)src->width * 3;
        uint8_t *out = dst->data + (size_t)y * (size_t)dst->width * 3;
        for (int x = 0; x < dst->width; x++)
            if (xin[x] >= 0 && xin[x] < src->width)
                memcpy(out + (size_t)x * 3, in + (size_t)xin[x] * 3, 3);
    }
    free(xin);
    return true;
}

ia_status ia_image_resize(const ia_image *src, int width, int height, ia_image_resample r,
                          ia_image *out, ia_error *err)
{
    out->width = out->height = 0;
    out->data = NULL;
    if (!src->data || src->width <= 0 || src->height <= 0)
        return ia_error_set(err, IA_ERR_INVALID, "resize: the source image is empty");
    const struct filter *f = filter_of(r);
    if (!f && r != IA_IMAGE_RESAMPLE_NEAREST)
        return ia_error_set(err, IA_ERR_UNSUPPORTED,
                            "resize: resampling filter %d is not one of PIL's (0 nearest, "
                            "1 lanczos, 2 bilinear, 3 bicubic, 4 box, 5 hamming)",
                            (int)r);
    ia_status st = ia_image_check_size("resize target", width, height, err);
    if (st == IA_OK)
        st = ia_image_create(out, width, height, err);
    if (st != IA_OK)
        return st;
    size_t w0 = (size_t)src->width, h0 = (size_t)src->height;
    if (width == src->width && height == src->height) {
        memcpy(out->data, src->data, w0 * h0 * 3);
        return IA_OK;
    }
    if (!f) {
        if (!resize_nearest(src, out)) {
            ia_image_free(out);
            return ia_error_set(err, IA_ERR_NOMEM, "resize: out of memory");
        }
        return IA_OK;
    }

    /* Horizontal pass into tmp (width x h0), then vertical into out; a
     * pass whose size does not change is skipped, as PIL skips it. */
    struct taps th = {0}, tv = {0};
    uint8_t *tmp = NULL;
    bool ok = true;
    const uint8_t *mid = src->data;
    if ((size_t)width != w0) {
        ok = taps_compute(src->width, width, f, &th);
        tmp = ok ? malloc((size_t)width * h0 * 3) : NULL;
        ok = ok && tmp;
        if (ok) {
            resample_axis(src->data, tmp, (int)h0, 1, w0, 1, (size_t)width, width, &th);
            mid = tmp;
        }
    }
    if (ok && (size_t)height != h0) {
        ok = taps_compute(src->height, height, f, &tv);
        if (ok)
            resample_axis(mid, out->data, width, (size_t)width, 1, (size_t)width, 1, height,
                          &tv);
    } else if (ok) {
        memcpy(out->data, mid, (size_t)width * h0 * 3);
    }
    taps_free(&th);
    taps_free(&tv);
    free(tmp);
    if (!ok) {
        ia_image_free(out);
        return ia_error_set(err, IA_ERR_NOMEM, "resize to %d x %d: out of memory", width,
                            height);
    }
    return IA_OK;
}

/* Python's floor division by 2. */
static int floor_half(int v)
{
    return v >= 0 ? v / 2 : -((-v + 1) / 2);
}

ia_status ia_image_center_crop(const ia_image *src, int width, int height, ia_image *out,
                               ia_error *err)
{
    out->width = out->height = 0;
    out->data = NULL;
    if (!src->data || src->width <= 0 || src->height <= 0)
        return ia_error_set(err, IA_ERR_INVALID, "center crop: the source image is empty");
    ia_status st = ia_image_check_size("center crop target", width, height, err);
    if (st == IA_OK)
        st = ia_image_create(out, width, height, err);
    if (st != IA_OK)
        return st;
    /* transformers pads a too-small image with zeros, centred with the
     * padding's odd pixel on top/left, then crops: per axis this is
     * source = out + floor((in - crop) / 2), black where that is outside. */
    int top = floor_half(src->height - height), left = floor_half(src->width - width);
    int x0 = left < 0 ? -left : 0;
    int x1 = src->width - left < width ? src->width - left : width;
    for (int y = 0; y < height; y++) {
        int sy = y + top;
        if (sy < 0 || sy >= src->height || x1 <= x0)
            continue;
        memcpy(out->data + ((size_t)y * (size_t)width + (size_t)x0) * 3,
               src->data + ((size_t)sy * (size_t)src->width + (size_t)(x0 + left)) * 3,
               (size_t)(x1 - x0) * 3);
    }
    return IA_OK;
}
