/*
 * Image files: the entry points that read a file or a buffer, tell PNG from
 * JPEG by their signatures (never by the file name), and the limits every
 * decoder checks before it allocates pixels.
 */
#include "image/image_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const uint8_t PNG_SIGNATURE[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
static const uint8_t JPEG_SIGNATURE[3] = {0xff, 0xd8, 0xff};

ia_status ia_image_check_size(const char *name, long width, long height, ia_error *err)
{
    if (width <= 0 || height <= 0)
        return ia_error_set(err, IA_ERR_PARSE, "%s: the image has no pixels (%ld x %ld)", name,
                            width, height);
    if (width > IA_IMAGE_MAX_SIDE || height > IA_IMAGE_MAX_SIDE ||
        width * height > IA_IMAGE_MAX_PIXELS)
        return ia_error_set(err, IA_ERR_INVALID,
                            "%s: absurd image dimensions %ld x %ld (the limit is %d pixels a "
                            "side and %ld pixels in all)",
                            name, width, height, IA_IMAGE_MAX_SIDE, IA_IMAGE_MAX_PIXELS);
    return IA_OK;
}

ia_status ia_image_create(ia_image *out, int width, int height, ia_error *err)
{
    out->width = out->height = 0;
    out->data = NULL;
    ia_status st = ia_image_check_size("new image", width, height, err);
    if (st != IA_OK)
        return st;
    out->data = calloc((size_t)width * (size_t)height, 3);
    if (!out->data)
        return ia_error_set(err, IA_ERR_NOMEM, "out of memory for a %d x %d image", width,
                            height);
    out->width = width;
    out->height = height;
    return IA_OK;
}

void ia_image_free(ia_image *img)
{
    if (!img)
        return;
    free(img->data);
    img->data = NULL;
    img->width = img->height = 0;
}

/* True when the first len bytes (len < n) are the start of sig: a file cut
 * inside its signature is truncated, not "not an image". */
static bool is_prefix(const uint8_t *bytes, size_t len, const uint8_t *sig, size_t n)
{
    return len < n && memcmp(bytes, sig, len) == 0;
}

/* Formats people will try, named so the message says what to do. */
static const char *other_format(const uint8_t *b, size_t len)
{
    if (len >= 6 && (memcmp(b, "GIF87a", 6) == 0 || memcmp(b, "GIF89a", 6) == 0))
        return "GIF";
    if (len >= 12 && memcmp(b, "RIFF", 4) == 0 && memcmp(b + 8, "WEBP", 4) == 0)
        return "WebP";
    if (len >= 2 && b[0] == 'B' && b[1] == 'M')
        return "BMP";
    if (len >= 4 && (memcmp(b, "II*\0", 4) == 0 || memcmp(b, "MM\0*", 4) == 0))
        return "TIFF";
    return NULL;
}

ia_status ia_image_decode(const char *name, const void *data, size_t len, ia_image *out,
                          ia_error *err)
{
    const uint8_t *bytes = data;
    out->width = out->height = 0;
    out->data = NULL;
    if (!name)
        name = "image";
    if (len == 0)
        return ia_error_set(err, IA_ERR_PARSE, "%s: not an image (the file is empty)", name);
    if (len >= sizeof PNG_SIGNATURE && memcmp(bytes, PNG_SIGNATURE, sizeof PNG_SIGNATURE) == 0)
        return ia_image_decode_png(name, bytes, len, out, err);
    if (len >= sizeof JPEG_SIGNATURE &&
        memcmp(bytes, JPEG_SIGNATURE, sizeof JPEG_SIGNATURE) == 0)
        return ia_image_decode_jpeg(name, bytes, len, out, err);
    if (is_prefix(bytes, len, PNG_SIGNATURE, sizeof PNG_SIGNATURE) ||
        is_prefix(bytes, len, JPEG_SIGNATURE, sizeof JPEG_SIGNATURE))
        return ia_error_set(err, IA_ERR_PARSE, "%s: truncated image (%zu bytes, cut inside the "
                            "signature)", name, len);
    const char *other = other_format(bytes, len);
    if (other)
        return ia_error_set(err, IA_ERR_UNSUPPORTED,
                            "%s: %s images are not supported (only PNG and JPEG); convert it "
                            "first", name, other);
    unsigned char head[4] = {0};
    memcpy(head, bytes, len < 4 ? len : 4);
    return ia_error_set(err, IA_ERR_PARSE,
                        "%s: not an image (neither PNG nor JPEG: it starts with bytes "
                        "%02x %02x %02x %02x)",
                        name, head[0], head[1], head[2], head[3]);
}

ia_status ia_image_load(const char *path, ia_image *out, ia_error *err)
{
    out->width = out->height = 0;
    out->data = NULL;
    char *bytes = NULL;
    size_t len = 0;
    ia_status st = ia_file_read_all(path, (size_t)IA_IMAGE_MAX_FILE_BYTES, &bytes, &len, err);
    if (st != IA_OK)
        return st;
    st = ia_image_decode(path, bytes, len, out, err);
    free(bytes);
    return st;
}
