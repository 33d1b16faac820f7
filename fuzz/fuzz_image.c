/* Fuzz target: the image layer's parsers of outside input.
 *
 * Byte 0 of the input picks the mode, the rest is the data:
 *   bit 0 clear: decode (ia_image_decode) the data as an image file, PNG or
 *     JPEG told by its signature. An accepted image must keep its promises:
 *     both sides from 1 to IA_IMAGE_MAX_SIDE, at most IA_IMAGE_MAX_PIXELS,
 *     data non-NULL and width * height * 3 bytes readable (all touched, so
 *     ASan sees a short buffer). A refusal must leave the image empty and
 *     give an IA_ERR_* other than INTERNAL (that one would mean libpng or
 *     libjpeg broke a promise) with a message that starts with the input's name.
 *     Images that declare more than 2^22 pixels but stay within the limits
 *     are skipped, being legal but slow.
 *   bit 0 set: parse the data as preprocessor_config.json
 *     (ia_image_processor_parse), bits 1-2 naming the model_type (NULL,
 *     "vit", "deit", "beit"). A refusal must name the input and leave the
 *     defaults; an accepted config must hold values apply can use, and is
 *     applied to a small fixed image (bits 3-4 pick one of four sizes; bit 5
 *     adds a second image of another size, a batch): pixel_values must be F32
 *     [n, 3, H, W] with H x W what ia_image_processor_output_size says,
 *     or an IA_ERR_INVALID refusal exactly when the batch's images come out
 *     in different sizes or an output or resize step passes the limits.
 *     Applies whose output or resize step is over 2^18 pixels are legal
 *     but skipped to keep runs fast.
 * Nothing may crash, leak or trip UBSan. How to run it: docs/fuzzing.md. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipfs_accelerate/image.h"

#define IMAGE_NAME "fuzz-image"
#define CONFIG_NAME "fuzz/preprocessor_config.json"
/* Past this many pixels an accepted processor is not applied: legal, slow. */
#define APPLY_MAX_PIXELS (1L << 18)
/* Past this many pixels a declared image is not decoded: legal, slow. */
#define DECODE_MAX_PIXELS (1L << 22)

static void fuzz_die(const char *what, const ia_error *err)
{
    fprintf(stderr, "fuzz_image: %s%s%s\n", what, err ? ": " : "", err ? err->message : "");
    abort();
}

/* A refusal must be one of ours, not INTERNAL, and start with NAME ": ". */
static void check_refusal(ia_status s, const ia_error *err, const char *name)
{
    size_t n = strlen(name);
    if (s <= IA_OK || s >= IA_ERR_INTERNAL || err->status != s ||
        !memchr(err->message, '\0', sizeof err->message) ||
        strncmp(err->message, name, n) != 0 || strncmp(err->message + n, ": ", 2) != 0)
        fuzz_die("bad refusal", err);
}

static uint32_t be16(const uint8_t *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
    return be16(p) << 16 | be16(p + 2);
}

/* The dimensions a PNG's IHDR or a JPEG's first SOF declares, when this
 * simple look finds them (libjpeg is more lenient; what slips past is only
 * slow, not wrong). */
static bool declared_size(const uint8_t *d, size_t len, uint32_t *w, uint32_t *h)
{
    if (len >= 24 && d[0] == 0x89 && d[1] == 'P' && memcmp(d + 12, "IHDR", 4) == 0) {
        *w = be32(d + 16);
        *h = be32(d + 20);
        return true;
    }
    if (len < 4 || d[0] != 0xff || d[1] != 0xd8)
        return false;
    size_t pos = 2;
    while (pos + 4 <= len) {
        if (d[pos] != 0xff)
            return false;
        uint8_t m = d[pos + 1];
        if (m == 0xff || (m >= 0xd0 && m <= 0xd7) || m == 0x01) {
            pos += m == 0xff ? 1 : 2; /* fill byte, or a marker without a length */
            continue;
        }
        if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc) {
            if (pos + 9 > len)
                return false;
            *h = be16(d + pos + 5);
            *w = be16(d + pos + 7);
            return true;
        }
        if (m == 0xda || m == 0xd9)
            return false;
        pos += 2 + be16(d + pos + 2);
    }
    return false;
}

static void fuzz_decode(const uint8_t *data, size_t size)
{
    /* Images within the limits but over DECODE_MAX_PIXELS are legal and
     * slow (a 600-byte JPEG can declare 2^28 pixels and decodes them):
     * skipped, as libjpeg-turbo's own fuzzers skip them. Past the limits
     * they are tried: the refusal must come before any allocation. */
    uint32_t w, h;
    if (declared_size(data, size, &w, &h) && w <= IA_IMAGE_MAX_SIDE &&
        h <= IA_IMAGE_MAX_SIDE && (uint64_t)w * h > DECODE_MAX_PIXELS &&
        (uint64_t)w * h <= IA_IMAGE_MAX_PIXELS)
        return;
    ia_image img = {.width = -1, .height = -1, .data = (uint8_t *)1};
    ia_error err;
    ia_error_clear(&err);
    ia_status s = ia_image_decode(IMAGE_NAME, data, size, &img, &err);
    if (s != IA_OK) {
        if (img.data || img.width || img.height)
            fuzz_die("a refused image is not empty", &err);
        check_refusal(s, &err, IMAGE_NAME);
        return;
    }
    if (!img.data || img.width < 1 || img.height < 1 || img.width > IA_IMAGE_MAX_SIDE ||
        img.height > IA_IMAGE_MAX_SIDE || (long)img.width * img.height > IA_IMAGE_MAX_PIXELS)
        fuzz_die("an accepted image breaks the limits", NULL);
    size_t n = (size_t)img.width * (size_t)img.height * 3;
    unsigned sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += img.data[i];
    /* Keeps the loop: the compiler may not drop reads whose sum is used. */
    if (sum == 0xffffffffu)
        fprintf(stderr, "%u\n", sum);
    ia_image_free(&img);
}

static bool same_processor(const ia_image_processor *a, const ia_image_processor *b)
{
    return strcmp(a->type, b->type) == 0 && a->do_resize == b->do_resize &&
           a->size_height == b->size_height && a->size_width == b->size_width &&
           a->size_shortest_edge == b->size_shortest_edge && a->resample == b->resample &&
           a->do_center_crop == b->do_center_crop && a->crop_height == b->crop_height &&
           a->crop_width == b->crop_width && a->do_rescale == b->do_rescale &&
           a->rescale_factor == b->rescale_factor && a->do_normalize == b->do_normalize &&
           memcmp(a->image_mean, b->image_mean, sizeof a->image_mean) == 0 &&
           memcmp(a->image_std, b->image_std, sizeof a->image_std) == 0 &&
           a->do_convert_rgb == b->do_convert_rgb;
}

/* The values parse promises apply can use. */
static void check_parsed(const ia_image_processor *p)
{
    if (!memchr(p->type, '\0', sizeof p->type) || !ia_image_resample_name(p->resample) ||
        p->size_height < 1 || p->size_height > IA_IMAGE_MAX_SIDE || p->size_width < 1 ||
        p->size_width > IA_IMAGE_MAX_SIDE || p->size_shortest_edge < 0 ||
        p->size_shortest_edge > IA_IMAGE_MAX_SIDE || p->crop_height < 1 ||
        p->crop_height > IA_IMAGE_MAX_SIDE || p->crop_width < 1 ||
        p->crop_width > IA_IMAGE_MAX_SIDE || !(p->rescale_factor > 0) ||
        p->rescale_factor > 1e308)
        fuzz_die("an accepted processor holds a value out of its domain", NULL);
    for (int c = 0; c < 3; c++)
        if (p->do_normalize && (p->image_std[c] == 0.0f || p->image_std[c] != p->image_std[c]))
            fuzz_die("an accepted processor divides by zero or NaN", NULL);
}

/* A small image whose pixels differ, so resampling has work to do. */
static void make_image(ia_image *img, int width, int height)
{
    ia_error err;
    if (ia_image_create(img, width, height, &err) != IA_OK)
        fuzz_die("ia_image_create", &err);
    for (size_t i = 0; i < (size_t)width * (size_t)height * 3; i++)
        img->data[i] = (uint8_t)(i * 37 + 11);
}

static bool within_limits(int h, int w)
{
    return h >= 1 && w >= 1 && h <= IA_IMAGE_MAX_SIDE && w <= IA_IMAGE_MAX_SIDE &&
           (long)h * w <= IA_IMAGE_MAX_PIXELS;
}

static void fuzz_processor(uint8_t mode, const uint8_t *data, size_t size)
{
    static const char *const model_types[] = {NULL, "vit", "deit", "beit"};
    static const int sizes[4][2] = {{1, 1}, {5, 7}, {13, 4}, {24, 32}}; /* height, width */
    const char *model_type = model_types[(mode >> 1) & 3];
    ia_image_processor p, defaults;
    ia_image_processor_defaults(&defaults, model_type);
    ia_error err;
    ia_error_clear(&err);
    ia_status s = ia_image_processor_parse(CONFIG_NAME, (const char *)data, size, model_type,
                                           &p, &err);
    if (s != IA_OK) {
        check_refusal(s, &err, CONFIG_NAME);
        if (!same_processor(&p, &defaults))
            fuzz_die("a refused config did not leave the defaults", &err);
        return;
    }
    check_parsed(&p);

    int n = mode & 0x20 ? 2 : 1;
    ia_image images[2] = {{0}, {0}};
    int out_h[2], out_w[2];
    /* apply must succeed when every image comes out in one size within the
     * limits and every resize step stays within them too. */
    bool same = true, fits = true, mid_big = false;
    for (int i = 0; i < n; i++) {
        const int *hw = sizes[((mode >> 3) + i) & 3];
        ia_image_processor_output_size(&p, hw[0], hw[1], &out_h[i], &out_w[i]);
        ia_image_processor resize_only = p;
        resize_only.do_center_crop = false;
        int rh, rw;
        ia_image_processor_output_size(&resize_only, hw[0], hw[1], &rh, &rw);
        if (!within_limits(out_h[i], out_w[i]) || !within_limits(rh, rw))
            fits = false;
        if ((long)rh * rw > APPLY_MAX_PIXELS)
            mid_big = true;
        if (i > 0 && (out_h[i] != out_h[0] || out_w[i] != out_w[0]))
            same = false;
    }
    /* Legal but slow: a big output tensor, or big resizes that will
     * succeed. Refusals (different sizes, an output or a resize past the
     * limits) come before those allocations, so they are cheap and tried. */
    bool out_big = within_limits(out_h[0], out_w[0]) &&
                   (long)out_h[0] * out_w[0] > APPLY_MAX_PIXELS;
    if (same && (out_big || (fits && mid_big)))
        return;
    for (int i = 0; i < n; i++)
        make_image(&images[i], sizes[((mode >> 3) + i) & 3][1], sizes[((mode >> 3) + i) & 3][0]);

    ia_tensor t;
    s = ia_image_processor_apply(&p, images, (size_t)n, &t, &err);
    if (s != IA_OK) {
        /* The only refusals allowed: a batch of different sizes, an output
         * or a resize step past the limits. */
        if (t.data || s != IA_ERR_INVALID || (same && fits))
            fuzz_die("apply refused a valid processor", &err);
    } else {
        if (!same || !fits)
            fuzz_die("apply accepted what it must refuse", NULL);
        if (t.dtype != IA_DTYPE_F32 || t.ndim != 4 || t.shape[0] != n || t.shape[1] != 3 ||
            t.shape[2] != out_h[0] || t.shape[3] != out_w[0] || !t.data)
            fuzz_die("pixel_values' shape is not ia_image_processor_output_size's", NULL);
        const float *v = t.data;
        size_t count = (size_t)n * 3 * (size_t)out_h[0] * (size_t)out_w[0];
        float sum = 0;
        for (size_t i = 0; i < count; i++)
            sum += v[i];
        if (sum == 1.5e38f)
            fprintf(stderr, "%g\n", (double)sum);
        ia_tensor_free(&t);
    }
    for (int i = 0; i < n; i++)
        ia_image_free(&images[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    if (data[0] & 1)
        fuzz_processor(data[0], data + 1, size - 1);
    else
        fuzz_decode(data + 1, size - 1);
    return 0;
}
