/*
 * PNG decoding with libpng, to 8-bit RGB.
 *
 * libpng reports errors by longjmp from deep inside its calls. The decoding
 * runs in decode_under_setjmp, and everything it allocates is recorded in a
 * struct png_reader that lives in the caller's frame: after a jump the
 * caller frees what is recorded there, so a corrupt file neither crashes nor
 * leaks, and no local variable of the function that called setjmp is read
 * after the jump (C leaves those indeterminate).
 *
 * Conversions are libpng's own: palettes and low-depth grayscale expand to
 * 8 bits (scaled to 0..255), 16-bit samples keep their high byte (as PIL
 * unpacks 16-bit RGB), grayscale is replicated to RGB. Alpha (an alpha
 * channel or tRNS) is dropped without compositing, which is what PIL's
 * convert("RGB") does. No gamma or colour-profile correction is applied,
 * as PIL applies none.
 */
#include "image/image_internal.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct png_reader {
    const char *name;
    const uint8_t *bytes;
    size_t len, pos;
    bool truncated;
    char message[200]; /* libpng's last error */
    png_structp png;
    png_infop info;
    uint8_t *pixels; /* width x height x channels; ours until handed out */
    png_bytep *rows;
    png_uint_32 width, height;
    int channels;
    ia_status status; /* of our own checks, when they fail */
};

static void on_error(png_structp png, png_const_charp msg)
{
    struct png_reader *r = png_get_error_ptr(png);
    snprintf(r->message, sizeof r->message, "%s", msg);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
    struct png_reader *r = png_get_error_ptr(png);
    ia_log_debug("%s: libpng: %s", r->name, msg);
}

static void on_read(png_structp png, png_bytep dst, size_t n)
{
    struct png_reader *r = png_get_io_ptr(png);
    if (n > r->len - r->pos) {
        r->truncated = true;
        png_error(png, "unexpected end of data");
    }
    memcpy(dst, r->bytes + r->pos, n);
    r->pos += n;
}

/* Returns 0 when decoded, 1 when our own check failed (r->status, err), -1
 * when libpng jumped out (r->message says why). */
static int decode_under_setjmp(struct png_reader *r, ia_error *err)
{
    if (setjmp(png_jmpbuf(r->png)))
        return -1;
    png_set_read_fn(r->png, r, on_read);
    /* Our own limits are lower and give a better message. */
    png_set_user_limits(r->png, 0x7fffffff, 0x7fffffff);
    png_read_info(r->png, r->info);

    png_uint_32 w, h;
    int depth, color, interlace;
    png_get_IHDR(r->png, r->info, &w, &h, &depth, &color, &interlace, NULL, NULL);
    r->status = ia_image_check_size(r->name, (long)w, (long)h, err);
    if (r->status != IA_OK)
        return 1;
    if (color == PNG_COLOR_TYPE_PALETTE)
        png_set_palette_to_rgb(r->png);
    if (color == PNG_COLOR_TYPE_GRAY && depth < 8)
        png_set_expand_gray_1_2_4_to_8(r->png);
    if (depth == 16)
        png_set_strip_16(r->png);
    if (color == PNG_COLOR_TYPE_GRAY || color == PNG_COLOR_TYPE_GRAY_ALPHA)
        png_set_gray_to_rgb(r->png);
    png_set_interlace_handling(r->png);
    png_read_update_info(r->png, r->info);

    /* Alpha, from a channel or from tRNS, may survive the transformations:
     * it is dropped below, so the channel count is 3 or 4. */
    int channels = png_get_channels(r->png, r->info);
    if (png_get_bit_depth(r->png, r->info) != 8 || (channels != 3 && channels != 4) ||
        png_get_rowbytes(r->png, r->info) != (size_t)w * (size_t)channels) {
        r->status = ia_error_set(err, IA_ERR_INTERNAL,
                                 "%s: libpng gave %d channels of %d bits, not 8-bit RGB or RGBA",
                                 r->name, channels, png_get_bit_depth(r->png, r->info));
        return 1;
    }
    r->width = w;
    r->height = h;
    r->channels = channels;
    r->pixels = malloc((size_t)w * h * (size_t)channels);
    r->rows = malloc(h * sizeof *r->rows);
    if (!r->pixels || !r->rows) {
        r->status = ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory for a %u x %u image",
                                 r->name, (unsigned)w, (unsigned)h);
        return 1;
    }
    for (png_uint_32 y = 0; y < h; y++)
        r->rows[y] = r->pixels + (size_t)y * w * (size_t)channels;
    png_read_image(r->png, r->rows);
    /* The chunks after the image (png_read_end) carry nothing we use; PIL
     * does not read them either, so a file whose IEND is missing still loads. */
    return 0;
}

ia_status ia_image_decode_png(const char *name, const uint8_t *bytes, size_t len, ia_image *out,
                              ia_error *err)
{
    struct png_reader r = {.name = name, .bytes = bytes, .len = len};
    r.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &r, on_error, on_warning);
    if (r.png)
        r.info = png_create_info_struct(r.png);
    if (!r.png || !r.info) {
        png_destroy_read_struct(r.png ? &r.png : NULL, NULL, NULL);
        return ia_error_set(err, IA_ERR_INTERNAL, "%s: libpng could not start (version %s)",
                            name, png_get_libpng_ver(NULL));
    }
    int rc = decode_under_setjmp(&r, err);
    png_destroy_read_struct(&r.png, &r.info, NULL);
    free(r.rows);
    ia_status st = IA_OK;
    if (rc < 0 && r.truncated)
        st = ia_error_set(err, IA_ERR_PARSE,
                          "%s: truncated PNG (the data ends after %zu bytes, before the image "
                          "is complete)",
                          name, len);
    else if (rc < 0)
        st = ia_error_set(err, IA_ERR_PARSE, "%s: corrupt PNG data (libpng: %s)", name,
                          r.message);
    else if (rc > 0)
        st = r.status;
    if (st != IA_OK) {
        free(r.pixels);
        return st;
    }
    if (r.channels == 4) {
        /* Drop alpha in place: each write lands at or before its read. */
        size_t n = (size_t)r.width * r.height;
        for (size_t i = 0; i < n; i++)
            memmove(r.pixels + i * 3, r.pixels + i * 4, 3);
        uint8_t *shrunk = realloc(r.pixels, n * 3);
        if (shrunk)
            r.pixels = shrunk;
    }
    out->width = (int)r.width;
    out->height = (int)r.height;
    out->data = r.pixels;
    return IA_OK;
}
