/*
 * JPEG decoding with libjpeg(-turbo), to 8-bit RGB.
 *
 * libjpeg reports fatal errors through error_exit, which must not return:
 * ours longjmps back to decode_under_setjmp's caller, which frees what the
 * struct jpeg_reader records (it lives in the caller's frame, so nothing the
 * jump skips is lost). Warnings come through emit_message; one of them
 * matters: when the data ends early libjpeg pads it with an end marker and
 * warns (JWRN_JPEG_EOF), and we turn that into a "truncated" error, as PIL
 * refuses truncated files.
 *
 * Decoding uses libjpeg's defaults (islow DCT, fancy upsampling), which are
 * PIL's, so on the same libjpeg the pixels are PIL's. Grayscale and YCbCr
 * come out as RGB from libjpeg; CMYK and YCCK come out as CMYK, which PIL
 * reads as inverted (Adobe's convention) and converts to RGB with
 * r = 255 - k - c * (255 - k) / 255 (rounded as PIL rounds): we do the same.
 *
 * One limit PIL does not have: a progressive file with more than
 * JPEG_MAX_SCANS scans is refused. Each scan is a pass over the whole
 * coefficient buffer and a scan header takes 10 bytes, so a small file
 * costs CPU out of all proportion (2048 x 2048 pixels and 3,000 scans in
 * 150 KB took 4.4 s under ASan, 0.4 s with the limit; at the pixel limit
 * each scan costs 64 times more); real encoders write about 10. The check
 * runs in libjpeg's progress monitor, which jpeg_start_decompress calls
 * between the rows of the scans it consumes, so no scan past the limit is
 * decoded.
 */
#include "image/image_internal.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jerror.h>
#include <jpeglib.h>

/* nvImageCodec's default (NVIMGCODEC_MAX_JPEG_SCANS), from the cure53
 * audit of libjpeg-turbo; libjpeg's own progressive scripts use 10. */
#define JPEG_MAX_SCANS 256

struct jpeg_reader {
    struct jpeg_error_mgr mgr; /* first: libjpeg hands us a pointer to it */
    jmp_buf jump;
    const char *name;
    bool truncated;
    char message[JMSG_LENGTH_MAX];
    struct jpeg_decompress_struct cinfo;
    struct jpeg_progress_mgr progress;
    bool too_many_scans;
    bool created;
    uint8_t *pixels; /* width x height x 3; ours until handed out */
    uint8_t *cmyk_row;
    ia_status status; /* of our own checks, when they fail */
};

static void on_error_exit(j_common_ptr c)
{
    struct jpeg_reader *r = (struct jpeg_reader *)c->err;
    c->err->format_message(c, r->message);
    longjmp(r->jump, 1);
}

static void on_emit_message(j_common_ptr c, int level)
{
    struct jpeg_reader *r = (struct jpeg_reader *)c->err;
    if (level >= 0)
        return; /* trace messages */
    if (c->err->msg_code == JWRN_JPEG_EOF)
        r->truncated = true;
    c->err->num_warnings++;
    if (ia_log_get_level() >= IA_LOG_DEBUG) {
        char buf[JMSG_LENGTH_MAX];
        c->err->format_message(c, buf);
        ia_log_debug("%s: libjpeg: %s", r->name, buf);
    }
}

static void on_progress(j_common_ptr c)
{
    struct jpeg_reader *r = (struct jpeg_reader *)c->err;
    j_decompress_ptr d = (j_decompress_ptr)c;
    if (d->input_scan_number > JPEG_MAX_SCANS) {
        r->too_many_scans = true;
        longjmp(r->jump, 1);
    }
}

/* PIL's rounding of a * b / 255. */
static inline int muldiv255(int a, int b)
{
    int t = a * b + 128;
    return ((t >> 8) + t) >> 8;
}

static void cmyk_to_rgb(const uint8_t *in, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++, in += 4, out += 3) {
        /* libjpeg returns the stored (Adobe-inverted) values; PIL inverts
         * them into ink amounts c = 255 - stored, then r = (255 - k) -
         * c * (255 - k) / 255, where 255 - k is the stored k itself. */
        int nk = in[3];
        for (int ch = 0; ch < 3; ch++) {
            int v = nk - muldiv255(255 - in[ch], nk);
            out[ch] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
}

/* Returns 0 when decoded, 1 when our own check failed (r->status, err),
 * -1 when libjpeg gave up (r->message). */
static int decode_under_setjmp(struct jpeg_reader *r, const uint8_t *bytes, size_t len,
                               ia_error *err)
{
    struct jpeg_decompress_struct *ci = &r->cinfo;
    if (setjmp(r->jump))
        return -1;
    jpeg_create_decompress(ci);
    r->created = true;
    r->progress.progress_monitor = on_progress;
    ci->progress = &r->progress;
    jpeg_mem_src(ci, bytes, (unsigned long)len);
    jpeg_read_header(ci, TRUE);
    r->status = ia_image_check_size(r->name, (long)ci->image_width, (long)ci->image_height, err);
    if (r->status != IA_OK)
        return 1;
    bool cmyk = ci->jpeg_color_space == JCS_CMYK || ci->jpeg_color_space == JCS_YCCK;
    ci->out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
    jpeg_start_decompress(ci);
    int want = cmyk ? 4 : 3;
    if (ci->output_components != want || ci->output_width != ci->image_width ||
        ci->output_height != ci->image_height) {
        r->status = ia_error_set(err, IA_ERR_INTERNAL,
                                 "%s: libjpeg gave %d components of %u x %u, not %d of %u x %u",
                                 r->name, ci->output_components, ci->output_width,
                                 ci->output_height, want, ci->image_width, ci->image_height);
        return 1;
    }
    size_t w = ci->output_width, h = ci->output_height;
    r->pixels = malloc(w * h * 3);
    if (cmyk)
        r->cmyk_row = malloc(w * 4);
    if (!r->pixels || (cmyk && !r->cmyk_row)) {
        r->status = ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory for a %zu x %zu image",
                                 r->name, w, h);
        return 1;
    }
    while (ci->output_scanline < ci->output_height) {
        uint8_t *row = r->pixels + (size_t)ci->output_scanline * w * 3;
        JSAMPROW dst = cmyk ? r->cmyk_row : row;
        if (jpeg_read_scanlines(ci, &dst, 1) != 1)
            break; /* only a suspending source returns 0; the memory source never does */
        if (cmyk)
            cmyk_to_rgb(r->cmyk_row, row, w);
    }
    jpeg_finish_decompress(ci);
    return 0;
}

ia_status ia_image_decode_jpeg(const char *name, const uint8_t *bytes, size_t len,
                               ia_image *out, ia_error *err)
{
    struct jpeg_reader r;
    memset(&r, 0, sizeof r);
    r.name = name;
    r.cinfo.err = jpeg_std_error(&r.mgr);
    r.mgr.error_exit = on_error_exit;
    r.mgr.emit_message = on_emit_message;
    int rc = decode_under_setjmp(&r, bytes, len, err);
    bool complete = rc == 0 && r.cinfo.output_scanline == r.cinfo.output_height;
    int width = (int)r.cinfo.output_width, height = (int)r.cinfo.output_height;
    if (r.created)
        jpeg_destroy_decompress(&r.cinfo);
    free(r.cmyk_row);
    ia_status st = IA_OK;
    if (rc > 0)
        st = r.status;
    else if (r.too_many_scans)
        st = ia_error_set(err, IA_ERR_INVALID,
                          "%s: absurd JPEG: more than %d scans (encoders write about 10; each "
                          "scan is a pass over the whole image)",
                          name, JPEG_MAX_SCANS);
    else if (r.truncated || (rc == 0 && !complete))
        st = ia_error_set(err, IA_ERR_PARSE,
                          "%s: truncated JPEG (the data ends after %zu bytes, before the image "
                          "is complete)",
                          name, len);
    else if (rc < 0)
        st = ia_error_set(err, IA_ERR_PARSE, "%s: corrupt JPEG data (libjpeg: %s)", name,
                          r.message);
    if (st != IA_OK) {
        free(r.pixels);
        return st;
    }
    out->width = width;
    out->height = height;
    out->data = r.pixels;
    return IA_OK;
}
