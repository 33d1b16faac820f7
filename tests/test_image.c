/* The image layer: PNG and JPEG files written here with libpng and libjpeg
 * themselves load back (PNG exactly, JPEG within its loss), in every PNG
 * colour type; broken files are refused with a message naming the file and
 * the problem; resizing, cropping and the whole image processor give the
 * values worked out by hand from PIL's and transformers' formulas (the
 * derivations are in the comments; PIL 9.4 agrees with every one). Files go
 * to a temporary folder removed at the end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jpeglib.h>
#include <png.h>

#include "ipfs_accelerate/image.h"

static char tmpdir[] = "/tmp/ia-test-image-XXXXXX";

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static int group_setup(void **state)
{
    (void)state;
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    return nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void tmp_path(char *buf, size_t size, const char *name)
{
    int n = snprintf(buf, size, "%s/%s", tmpdir, name);
    assert_true(n > 0 && (size_t)n < size);
}

static void write_bytes(const char *name, const void *data, size_t len)
{
    char path[512];
    tmp_path(path, sizeof path, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static uint8_t *read_bytes(const char *name, size_t *len)
{
    char path[512];
    tmp_path(path, sizeof path, name);
    char *data = NULL;
    ia_error err;
    assert_int_equal(ia_file_read_all(path, 1 << 24, &data, len, &err), IA_OK);
    return (uint8_t *)data;
}

/* ------------------------------------------------------------ writers */

struct png_spec {
    int width, height, color, depth;
    bool interlace;
    const uint8_t *rows; /* packed rows as the PNG stores them (big-endian 16-bit) */
    const png_color *palette;
    int palette_len;
    const uint8_t *trns; /* palette alpha */
    int trns_len;
    bool write_image; /* false: stop after the header (for absurd sizes) */
};

static void write_png(const char *name, const struct png_spec *s)
{
    char path[512];
    tmp_path(path, sizeof path, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    assert_non_null(info);
    if (setjmp(png_jmpbuf(png)))
        fail_msg("libpng could not write %s", name);
    png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)s->width, (png_uint_32)s->height, s->depth, s->color,
                 s->interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (s->palette)
        png_set_PLTE(png, info, s->palette, s->palette_len);
    if (s->trns)
        png_set_tRNS(png, info, s->trns, s->trns_len, NULL);
    png_write_info(png, info);
    if (s->write_image) {
        size_t rowbytes = png_get_rowbytes(png, info);
        png_bytep *rows = malloc((size_t)s->height * sizeof *rows);
        assert_non_null(rows);
        for (int y = 0; y < s->height; y++)
            rows[y] = (png_bytep)s->rows + (size_t)y * rowbytes;
        png_write_image(png, rows);
        png_write_end(png, info);
        free(rows);
    } else {
        /* An empty IDAT: enough for the reader to reach its size check. */
        png_write_chunk(png, (png_const_bytep) "IDAT", NULL, 0);
    }
    png_destroy_write_struct(&png, &info);
    fclose(f);
}

static void write_jpeg(const char *name, int width, int height, int components,
                       J_COLOR_SPACE space, const uint8_t *pixels, int quality)
{
    char path[512];
    tmp_path(path, sizeof path, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr jerr;
    c.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&c);
    jpeg_stdio_dest(&c, f);
    c.image_width = (JDIMENSION)width;
    c.image_height = (JDIMENSION)height;
    c.input_components = components;
    c.in_color_space = space;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, quality, TRUE);
    jpeg_start_compress(&c, TRUE);
    while (c.next_scanline < c.image_height) {
        JSAMPROW row = (JSAMPROW)pixels + (size_t)c.next_scanline * (size_t)width * components;
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    fclose(f);
}

static void load_ok(const char *name, ia_image *img)
{
    char path[512];
    tmp_path(path, sizeof path, name);
    ia_error err;
    ia_status st = ia_image_load(path, img, &err);
    if (st != IA_OK)
        fail_msg("%s: %s", name, err.message);
}

/* Loads name and expects status and every fragment (NULL-terminated) in the
 * message, the file's name among them, and an empty image. */
static void load_fails(const char *name, ia_status status, ...)
{
    char path[512];
    tmp_path(path, sizeof path, name);
    ia_image img = {7, 7, (uint8_t *)"x"};
    ia_error err;
    ia_status st = ia_image_load(path, &img, &err);
    if (st != status)
        fail_msg("%s: status %d, expected %d (%s)", name, st, status, err.message);
    assert_null(img.data);
    assert_int_equal(img.width, 0);
    if (!strstr(err.message, path))
        fail_msg("message does not name the file: %s", err.message);
    va_list ap;
    va_start(ap, status);
    for (const char *frag; (frag = va_arg(ap, const char *));)
        if (!strstr(err.message, frag))
            fail_msg("message lacks \"%s\": %s", frag, err.message);
    va_end(ap);
}

static void expect_pixels(const ia_image *img, int w, int h, const uint8_t *want)
{
    assert_int_equal(img->width, w);
    assert_int_equal(img->height, h);
    for (int i = 0; i < w * h * 3; i++)
        if (img->data[i] != want[i])
            fail_msg("pixel %d channel %d: got %d, expected %d", i / 3, i % 3, img->data[i],
                     want[i]);
}

/* A gray image (R = G = B) from w x h values. */
static void gray_image(ia_image *img, int w, int h, const uint8_t *v)
{
    ia_error err;
    assert_int_equal(ia_image_create(img, w, h, &err), IA_OK);
    for (int i = 0; i < w * h; i++)
        img->data[i * 3] = img->data[i * 3 + 1] = img->data[i * 3 + 2] = v[i];
}

/* Expects a gray result: every channel equal to want. */
static void expect_gray(const ia_image *img, int w, int h, const uint8_t *want)
{
    uint8_t *rgb = malloc((size_t)w * h * 3);
    assert_non_null(rgb);
    for (int i = 0; i < w * h; i++)
        rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = want[i];
    expect_pixels(img, w, h, rgb);
    free(rgb);
}

/* --------------------------------------------------------------- PNG */

static void test_png_rgb(void **state)
{
    (void)state;
    uint8_t px[5 * 3 * 3];
    for (int i = 0; i < 45; i++)
        px[i] = (uint8_t)(i * 37 + 11);
    write_png("rgb.png", &(struct png_spec){5, 3, PNG_COLOR_TYPE_RGB, 8, .rows = px,
                                            .write_image = true});
    write_png("rgb_interlaced.png", &(struct png_spec){5, 3, PNG_COLOR_TYPE_RGB, 8, true, px,
                                                       .write_image = true});
    ia_image img;
    load_ok("rgb.png", &img);
    expect_pixels(&img, 5, 3, px);
    ia_image_free(&img);
    assert_null(img.data);
    ia_image_free(&img); /* twice is harmless */
    load_ok("rgb_interlaced.png", &img);
    expect_pixels(&img, 5, 3, px);
    ia_image_free(&img);

    /* The same bytes from memory. */
    size_t len;
    uint8_t *bytes = read_bytes("rgb.png", &len);
    ia_error err;
    assert_int_equal(ia_image_decode("upload", bytes, len, &img, &err), IA_OK);
    expect_pixels(&img, 5, 3, px);
    ia_image_free(&img);
    free(bytes);
}

static void test_png_gray(void **state)
{
    (void)state;
    ia_image img;
    /* 8-bit gray is replicated to R = G = B. */
    const uint8_t g8[4] = {0, 1, 128, 255};
    write_png("gray8.png", &(struct png_spec){4, 1, PNG_COLOR_TYPE_GRAY, 8, .rows = g8,
                                              .write_image = true});
    load_ok("gray8.png", &img);
    expect_gray(&img, 4, 1, g8);
    ia_image_free(&img);

    /* 1-bit: bits 1 0 1 1 0 (then padding) scale to 255 or 0. */
    const uint8_t g1[1] = {0xb0};
    write_png("gray1.png", &(struct png_spec){5, 1, PNG_COLOR_TYPE_GRAY, 1, .rows = g1,
                                              .write_image = true});
    load_ok("gray1.png", &img);
    expect_gray(&img, 5, 1, (const uint8_t[]){255, 0, 255, 255, 0});
    ia_image_free(&img);

    /* 2-bit: 0 1 2 3 scale by 255 / 3 = 85. */
    const uint8_t g2[1] = {0x1b};
    write_png("gray2.png", &(struct png_spec){4, 1, PNG_COLOR_TYPE_GRAY, 2, .rows = g2,
                                              .write_image = true});
    load_ok("gray2.png", &img);
    expect_gray(&img, 4, 1, (const uint8_t[]){0, 85, 170, 255});
    ia_image_free(&img);

    /* 16-bit keeps the high byte: 0x1234 -> 0x12, 0xff00 -> 0xff, 0x00ff -> 0. */
    const uint8_t g16[6] = {0x12, 0x34, 0xff, 0x00, 0x00, 0xff};
    write_png("gray16.png", &(struct png_spec){3, 1, PNG_COLOR_TYPE_GRAY, 16, .rows = g16,
                                               .write_image = true});
    load_ok("gray16.png", &img);
    expect_gray(&img, 3, 1, (const uint8_t[]){0x12, 0xff, 0x00});
    ia_image_free(&img);

    /* Gray + alpha: the alpha is dropped, not composited. */
    const uint8_t ga[4] = {200, 0, 50, 255};
    write_png("gray_alpha.png", &(struct png_spec){2, 1, PNG_COLOR_TYPE_GRAY_ALPHA, 8,
                                                   .rows = ga, .write_image = true});
    load_ok("gray_alpha.png", &img);
    expect_gray(&img, 2, 1, (const uint8_t[]){200, 50});
    ia_image_free(&img);
}

static void test_png_palette_alpha_16bit(void **state)
{
    (void)state;
    ia_image img;
    /* A 2-bit palette with transparency: indices 3 2 1 0 give the palette's
     * colours; the tRNS alphas are dropped. */
    const png_color pal[4] = {{10, 20, 30}, {40, 50, 60}, {70, 80, 90}, {250, 251, 252}};
    const uint8_t trns[4] = {0, 128, 255, 7};
    const uint8_t idx[1] = {0xe4}; /* 11 10 01 00 */
    write_png("palette.png", &(struct png_spec){4, 1, PNG_COLOR_TYPE_PALETTE, 2, .rows = idx,
                                                .palette = pal, .palette_len = 4, .trns = trns,
                                                .trns_len = 4, .write_image = true});
    load_ok("palette.png", &img);
    expect_pixels(&img, 4, 1,
                  (const uint8_t[]){250, 251, 252, 70, 80, 90, 40, 50, 60, 10, 20, 30});
    ia_image_free(&img);

    /* RGBA: a fully transparent pixel keeps its colour, as PIL's
     * convert("RGB") keeps it. */
    const uint8_t rgba[8] = {10, 20, 30, 0, 200, 100, 50, 255};
    write_png("rgba.png", &(struct png_spec){2, 1, PNG_COLOR_TYPE_RGBA, 8, .rows = rgba,
                                             .write_image = true});
    load_ok("rgba.png", &img);
    expect_pixels(&img, 2, 1, (const uint8_t[]){10, 20, 30, 200, 100, 50});
    ia_image_free(&img);

    /* 16-bit RGB and RGBA: the high byte of each big-endian sample. */
    const uint8_t rgb16[6] = {0xab, 0xcd, 0x01, 0xff, 0xfe, 0x00};
    write_png("rgb16.png", &(struct png_spec){1, 1, PNG_COLOR_TYPE_RGB, 16, .rows = rgb16,
                                              .write_image = true});
    load_ok("rgb16.png", &img);
    expect_pixels(&img, 1, 1, (const uint8_t[]){0xab, 0x01, 0xfe});
    ia_image_free(&img);
    const uint8_t rgba16[8] = {0x80, 0x7f, 0x00, 0x01, 0xff, 0xff, 0x00, 0x00};
    write_png("rgba16.png", &(struct png_spec){1, 1, PNG_COLOR_TYPE_RGBA, 16, .rows = rgba16,
                                               .write_image = true});
    load_ok("rgba16.png", &img);
    expect_pixels(&img, 1, 1, (const uint8_t[]){0x80, 0x00, 0xff});
    ia_image_free(&img);
}

/* -------------------------------------------------------------- JPEG */

static int max_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
    int m = 0;
    for (size_t i = 0; i < n; i++) {
        int d = abs((int)a[i] - (int)b[i]);
        m = d > m ? d : m;
    }
    return m;
}

static void test_jpeg(void **state)
{
    (void)state;
    /* A smooth 16 x 16 gradient at quality 95 comes back within a few
     * levels (JPEG is lossy; the bound is loose on purpose, a decoding
     * mistake is off by far more). */
    enum { W = 16, H = 16 };
    uint8_t rgb[W * H * 3], gray[W * H];
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            uint8_t *p = rgb + (y * W + x) * 3;
            p[0] = (uint8_t)(x * 16);
            p[1] = (uint8_t)(y * 16);
            p[2] = (uint8_t)(128 + (x - y) * 4);
            gray[y * W + x] = (uint8_t)((x + y) * 8);
        }
    write_jpeg("rgb.jpg", W, H, 3, JCS_RGB, rgb, 95);
    ia_image img;
    load_ok("rgb.jpg", &img);
    assert_int_equal(img.width, W);
    assert_int_equal(img.height, H);
    int d = max_diff(img.data, rgb, sizeof rgb);
    if (d > 10)
        fail_msg("JPEG pixels differ by %d", d);

    /* From memory: the same pixels as from the file. */
    size_t len;
    uint8_t *bytes = read_bytes("rgb.jpg", &len);
    ia_image mem;
    ia_error err;
    assert_int_equal(ia_image_decode("upload", bytes, len, &mem, &err), IA_OK);
    assert_memory_equal(mem.data, img.data, sizeof rgb);
    ia_image_free(&mem);
    ia_image_free(&img);
    free(bytes);

    /* Grayscale: R = G = B, close to the source. */
    write_jpeg("gray.jpg", W, H, 1, JCS_GRAYSCALE, gray, 95);
    load_ok("gray.jpg", &img);
    uint8_t want[W * H * 3];
    for (int i = 0; i < W * H; i++) {
        assert_int_equal(img.data[i * 3], img.data[i * 3 + 1]);
        assert_int_equal(img.data[i * 3], img.data[i * 3 + 2]);
        want[i * 3] = want[i * 3 + 1] = want[i * 3 + 2] = gray[i];
    }
    d = max_diff(img.data, want, sizeof want);
    if (d > 10)
        fail_msg("gray JPEG pixels differ by %d", d);
    ia_image_free(&img);

    /* CMYK, stored inverted as Adobe does: stored (255, 0, 255, 255) means
     * ink c = 0, m = 255, y = 0, k = 0, and PIL's conversion r = (255 - k)
     * - c * (255 - k) / 255 gives r = 255, g = 255 - 255 = 0, b = 255:
     * magenta. */
    uint8_t cmyk[8 * 8 * 4];
    for (int i = 0; i < 64; i++) {
        cmyk[i * 4] = 255;
        cmyk[i * 4 + 1] = 0;
        cmyk[i * 4 + 2] = 255;
        cmyk[i * 4 + 3] = 255;
    }
    write_jpeg("cmyk.jpg", 8, 8, 4, JCS_CMYK, cmyk, 95);
    load_ok("cmyk.jpg", &img);
    for (int i = 0; i < 64; i++)
        want[i * 3] = 255, want[i * 3 + 1] = 0, want[i * 3 + 2] = 255;
    d = max_diff(img.data, want, 64 * 3);
    if (d > 3)
        fail_msg("CMYK JPEG pixels differ by %d", d);
    ia_image_free(&img);
}

/* ------------------------------------------------------------ errors */

static void test_bad_files(void **state)
{
    (void)state;
    load_fails("missing.png", IA_ERR_NOT_FOUND, (char *)NULL);
    write_bytes("empty.png", "", 0);
    load_fails("empty.png", IA_ERR_PARSE, "not an image", "empty", (char *)NULL);
    write_bytes("text.png", "hello, world\n", 13);
    load_fails("text.png", IA_ERR_PARSE, "not an image", "68 65 6c 6c", (char *)NULL);
    write_bytes("anim.gif", "GIF89a\x01\x00\x01\x00", 10);
    load_fails("anim.gif", IA_ERR_UNSUPPORTED, "GIF", "only PNG and JPEG", (char *)NULL);
    write_bytes("sig.png", "\x89PN", 3);
    load_fails("sig.png", IA_ERR_PARSE, "truncated", (char *)NULL);

    /* PNG cut in the middle; PNG with a byte of its image data changed (zlib
     * or the chunk's CRC catches it). */
    uint8_t px[16 * 16 * 3];
    for (size_t i = 0; i < sizeof px; i++)
        px[i] = (uint8_t)(i * 7);
    write_png("good.png", &(struct png_spec){16, 16, PNG_COLOR_TYPE_RGB, 8, .rows = px,
                                             .write_image = true});
    size_t len;
    uint8_t *bytes = read_bytes("good.png", &len);
    write_bytes("cut.png", bytes, len / 2);
    load_fails("cut.png", IA_ERR_PARSE, "truncated PNG", (char *)NULL);
    uint8_t *idat = memmem(bytes, len, "IDAT", 4);
    assert_non_null(idat);
    idat[10] ^= 0x55;
    write_bytes("corrupt.png", bytes, len);
    load_fails("corrupt.png", IA_ERR_PARSE, "corrupt PNG data", "libpng", (char *)NULL);
    free(bytes);

    /* Absurd sizes, refused from the header before any pixel is allocated:
     * a side over 32768, and 20000 x 20000 = 4e8 pixels over 2^28. */
    write_png("wide.png",
              &(struct png_spec){40000, 1, PNG_COLOR_TYPE_RGB, 8, .write_image = false});
    load_fails("wide.png", IA_ERR_INVALID, "absurd image dimensions 40000 x 1", (char *)NULL);
    write_png("huge.png",
              &(struct png_spec){20000, 20000, PNG_COLOR_TYPE_GRAY, 8, .write_image = false});
    load_fails("huge.png", IA_ERR_INVALID, "absurd image dimensions 20000 x 20000",
               (char *)NULL);

    /* JPEG: cut in half; its frame header's size set to 20000 x 20000;
     * its sample precision set to 13 bits, which no decoder takes. */
    write_jpeg("good.jpg", 16, 16, 3, JCS_RGB, px, 90);
    bytes = read_bytes("good.jpg", &len);
    write_bytes("cut.jpg", bytes, len / 2);
    load_fails("cut.jpg", IA_ERR_PARSE, "truncated JPEG", (char *)NULL);
    uint8_t *sof = memmem(bytes, len, "\xff\xc0", 2);
    assert_non_null(sof);
    /* SOF0: marker, length (2), precision (1), height (2), width (2). */
    uint8_t saved[5];
    memcpy(saved, sof + 4, 5);
    memcpy(sof + 5, "\x4e\x20\x4e\x20", 4);
    write_bytes("huge.jpg", bytes, len);
    load_fails("huge.jpg", IA_ERR_INVALID, "absurd image dimensions 20000 x 20000",
               (char *)NULL);
    memcpy(sof + 4, saved, 5);
    sof[4] = 13;
    write_bytes("precision.jpg", bytes, len);
    load_fails("precision.jpg", IA_ERR_PARSE, "corrupt JPEG data", "libjpeg", (char *)NULL);
    free(bytes);
}

/* ------------------------------------------------------------ resize */

static void resize_ok(const ia_image *src, int w, int h, ia_image_resample r, ia_image *out)
{
    ia_error err;
    ia_status st = ia_image_resize(src, w, h, r, out, &err);
    if (st != IA_OK)
        fail_msg("resize: %s", err.message);
}

/* 4 x 4 -> 2 x 2 bilinear. Per axis the scale is 2, so the triangle's
 * support widens from 1 to 2. Output 0: centre (0 + 0.5) * 2 = 1, window
 * [int(1 - 2 + 0.5), int(1 + 2 + 0.5)) = [0, 3), weights
 * tri((x - 1 + 0.5) / 2) = 0.75, 0.75, 0.25, normalised 3/7, 3/7, 1/7.
 * Output 1: centre 3, window [1, 4), weights 1/7, 3/7, 3/7.
 * Image v(x, y) = 60x + 20y; rows first (rounded to 8 bits):
 *   row y: (3*20y + 3*(60+20y) + (120+20y)) / 7 = 20y + 42.86 -> 43 63 83 103
 *          ((60+20y) + 3*(120+20y) + 3*(180+20y)) / 7 = 20y + 137.14
 *          -> 137 157 177 197
 * then columns: (3*43 + 3*63 + 83) / 7 = 57.29 -> 57, (63 + 3*83 + 3*103) / 7
 * = 88.71 -> 89; (3*137 + 3*157 + 177) / 7 = 151.29 -> 151, (157 + 3*177 +
 * 3*197) / 7 = 182.71 -> 183. */
static void test_resize_bilinear(void **state)
{
    (void)state;
    uint8_t v[16];
    for (int y = 0; y < 4; y++)
        for (int x = 0; x < 4; x++)
            v[y * 4 + x] = (uint8_t)(60 * x + 20 * y);
    ia_image src, out;
    gray_image(&src, 4, 4, v);
    resize_ok(&src, 2, 2, IA_IMAGE_RESAMPLE_BILINEAR, &out);
    expect_gray(&out, 2, 2, (const uint8_t[]){57, 151, 89, 183});
    ia_image_free(&out);
    ia_image_free(&src);

    /* 2 x 2 -> 4 x 4 bilinear (upscaling: support stays 1). Centres 0.25,
     * 0.75, 1.25, 1.75: output 0 reads only pixel 0 (window [0, 1)), output
     * 1 weighs 0.75 p0 + 0.25 p1, output 2 0.25 p0 + 0.75 p1, output 3 p1.
     * Rows of [[0, 100], [200, 40]]: 0 25 75 100 / 200 160 80 40; columns:
     * 25, 160 -> 25, 58.75 -> 59, 126.25 -> 126, 160; 75, 80 -> 75, 76.25 ->
     * 76, 78.75 -> 79, 80; 100, 40 -> 100, 85, 55, 40. */
    gray_image(&src, 2, 2, (const uint8_t[]){0, 100, 200, 40});
    resize_ok(&src, 4, 4, IA_IMAGE_RESAMPLE_BILINEAR, &out);
    expect_gray(&out, 4, 4,
                (const uint8_t[]){0, 25, 75, 100, 50, 59, 76, 85, 150, 126, 79, 55, 200, 160,
                                  80, 40});
    ia_image_free(&out);

    ia_image_free(&src);

    /* The rounding between the passes counts. 2 x 2 -> 3 x 3 bilinear:
     * centres 1/3, 1, 5/3; outputs 0 and 2 read one pixel each, output 1
     * averages both. Rows of [[0, 100], [201, 40]]: 0 50 100 / 201 120.5 40,
     * and 120.5 is stored as 121. The middle column then gives (50 + 121) / 2
     * = 85.5 -> 86, where unrounded arithmetic would give (50 + 120.5) / 2 =
     * 85.25 -> 85. The others: (0 + 201) / 2 = 100.5 -> 101, (100 + 40) / 2
     * = 70. */
    gray_image(&src, 2, 2, (const uint8_t[]){0, 100, 201, 40});
    resize_ok(&src, 3, 3, IA_IMAGE_RESAMPLE_BILINEAR, &out);
    expect_gray(&out, 3, 3, (const uint8_t[]){0, 50, 100, 101, 86, 70, 201, 121, 40});
    ia_image_free(&out);

    /* Same size: a copy, as PIL returns. */
    resize_ok(&src, 2, 2, IA_IMAGE_RESAMPLE_BICUBIC, &out);
    expect_gray(&out, 2, 2, (const uint8_t[]){0, 100, 201, 40});
    ia_image_free(&out);
    ia_image_free(&src);
}

/* 3 x 5 (width 3, height 5) -> 2 x 2 bicubic (Keys, a = -0.5).
 * Horizontal: scale 1.5, support 2 * 1.5 = 3. Output 0: centre 0.75, window
 * [0, 3), filter arguments (x - 0.25) / 1.5 = -1/6, 1/2, 7/6, cubic values
 * 15/16, 9/16, -25/432, i.e. 405, 243, -25 over 432, normalised over 623.
 * Output 1 mirrors it: -25, 243, 405 over 623.
 * Red varies along x only ({10, 200, 60} in every row), so the vertical
 * pass keeps it: (405*10 + 243*200 - 25*60) / 623 = 82.10 -> 82 and
 * (-25*10 + 243*200 + 405*60) / 623 = 116.61 -> 117.
 * Vertical: scale 2.5, support 5. Output 0: centre 1.25, window [0, 5),
 * arguments (y - 0.75) / 2.5 = -0.3, 0.1, 0.5, 0.9, 1.3, cubic values
 * 0.8155, 0.9765, 0.5625, 0.0685, -0.0735 (sum 2.3495); output 1 mirrors.
 * Green varies along y only ({0, 40, 80, 160, 240}): (0.9765*40 + 0.5625*80
 * + 0.0685*160 - 0.0735*240) / 2.3495 = 32.94 -> 33 and (-0.0735*0 +
 * 0.0685*40 + 0.5625*80 + 0.9765*160 + 0.8155*240) / 2.3495 = 170.12 -> 170.
 * Blue is 0 and stays 0. */
static void test_resize_bicubic(void **state)
{
    (void)state;
    ia_image src, out;
    ia_error err;
    assert_int_equal(ia_image_create(&src, 3, 5, &err), IA_OK);
    const uint8_t red[3] = {10, 200, 60}, green[5] = {0, 40, 80, 160, 240};
    for (int y = 0; y < 5; y++)
        for (int x = 0; x < 3; x++) {
            src.data[(y * 3 + x) * 3] = red[x];
            src.data[(y * 3 + x) * 3 + 1] = green[y];
        }
    resize_ok(&src, 2, 2, IA_IMAGE_RESAMPLE_BICUBIC, &out);
    expect_pixels(&out, 2, 2, (const uint8_t[]){82, 33, 0, 117, 33, 0, 82, 170, 0, 117, 170, 0});
    ia_image_free(&out);
    ia_image_free(&src);

    /* 4 x 1 -> 8 x 1 bicubic on a step 0 0 255 255: the cubic's negative
     * lobes overshoot and PIL clips. Output 2: centre 1.25, window [0, 3),
     * arguments -0.75, 0.25, 1.25: 0.2265625, 0.8671875, -0.0703125 (sum
     * 1.0234375), so 255 * -0.0703125 / 1.0234375 = -17.5 -> 0. Output 3:
     * centre 1.75, window [0, 4), arguments -1.25, -0.25, 0.75, 1.75:
     * -0.0703125, 0.8671875, 0.2265625, -0.0234375 (sum 1), so 255 *
     * (0.2265625 - 0.0234375) = 51.80 -> 52. Outputs 4 and 5 mirror 3 and
     * 2: 255 - 51.80 -> 203, and 272.5 -> 255. The ends read only equal
     * pixels. */
    gray_image(&src, 4, 1, (const uint8_t[]){0, 0, 255, 255});
    resize_ok(&src, 8, 1, IA_IMAGE_RESAMPLE_BICUBIC, &out);
    expect_gray(&out, 8, 1, (const uint8_t[]){0, 0, 0, 52, 203, 255, 255, 255});
    ia_image_free(&out);
    ia_image_free(&src);
}

/* Nearest: output x reads floor((x + 0.5) * in / out), the position summed
 * step by step as PIL sums it. */
static void test_resize_nearest(void **state)
{
    (void)state;
    uint8_t v[16];
    for (int i = 0; i < 16; i++)
        v[i] = (uint8_t)(i * 10);
    ia_image src, out;
    /* 4 -> 2: positions 1 and 3 on each axis. */
    gray_image(&src, 4, 4, v);
    resize_ok(&src, 2, 2, IA_IMAGE_RESAMPLE_NEAREST, &out);
    expect_gray(&out, 2, 2, (const uint8_t[]){50, 70, 130, 150});
    ia_image_free(&out);
    ia_image_free(&src);

    /* 2 -> 7: the step is 2/7; output 3 is exactly at 3.5 * 2/7 = 1 in real
     * numbers, but 1/7 + 3 * 2/7 summed in doubles falls just under 1, so
     * PIL (and we) read pixel 0 there. */
    gray_image(&src, 2, 1, (const uint8_t[]){10, 20});
    resize_ok(&src, 7, 1, IA_IMAGE_RESAMPLE_NEAREST, &out);
    expect_gray(&out, 7, 1, (const uint8_t[]){10, 10, 10, 10, 20, 20, 20});
    ia_image_free(&out);

    /* Bad requests. */
    ia_error err;
    assert_int_equal(ia_image_resize(&src, 0, 3, IA_IMAGE_RESAMPLE_NEAREST, &out, &err),
                     IA_ERR_PARSE);
    assert_non_null(strstr(err.message, "resize target"));
    assert_int_equal(ia_image_resize(&src, 40000, 3, IA_IMAGE_RESAMPLE_NEAREST, &out, &err),
                     IA_ERR_INVALID);
    assert_int_equal(ia_image_resize(&src, 3, 3, (ia_image_resample)9, &out, &err),
                     IA_ERR_UNSUPPORTED);
    assert_non_null(strstr(err.message, "filter 9"));
    assert_null(out.data);
    ia_image_free(&src);
    assert_null(ia_image_resample_name((ia_image_resample)6));
    assert_string_equal(ia_image_resample_name(IA_IMAGE_RESAMPLE_BICUBIC), "bicubic");
}

/* transformers' center_crop: top = (h - crop_h) // 2 (floor), left alike;
 * a crop larger than the image pads with zeros around it. */
static void test_center_crop(void **state)
{
    (void)state;
    uint8_t v[16];
    for (int i = 0; i < 16; i++)
        v[i] = (uint8_t)(i + 1);
    ia_image src, out;
    ia_error err;
    gray_image(&src, 4, 4, v);
    /* 4 -> 2: top = left = 1. */
    assert_int_equal(ia_image_center_crop(&src, 2, 2, &out, &err), IA_OK);
    expect_gray(&out, 2, 2, (const uint8_t[]){6, 7, 10, 11});
    ia_image_free(&out);
    /* 4 wide -> 1 wide, 4 high -> 3 high: left = 3 // 2 = 1, top = 1 // 2 = 0. */
    assert_int_equal(ia_image_center_crop(&src, 1, 3, &out, &err), IA_OK);
    expect_gray(&out, 1, 3, (const uint8_t[]){2, 6, 10});
    ia_image_free(&out);
    ia_image_free(&src);

    /* 2 x 2 -> 3 x 3: top = left = (2 - 3) // 2 = -1, so the first row and
     * column are padding (zeros) and the image sits below and right. */
    gray_image(&src, 2, 2, (const uint8_t[]){1, 2, 3, 4});
    assert_int_equal(ia_image_center_crop(&src, 3, 3, &out, &err), IA_OK);
    expect_gray(&out, 3, 3, (const uint8_t[]){0, 0, 0, 0, 1, 2, 0, 3, 4});
    ia_image_free(&out);
    /* 2 x 2 -> 5 x 1: left = (2 - 5) // 2 = -2, top = (2 - 1) // 2 = 0. */
    assert_int_equal(ia_image_center_crop(&src, 5, 1, &out, &err), IA_OK);
    expect_gray(&out, 5, 1, (const uint8_t[]){0, 0, 1, 2, 0});
    ia_image_free(&out);
    assert_int_equal(ia_image_center_crop(&src, 0, 1, &out, &err), IA_ERR_PARSE);
    ia_image_free(&src);
}

/* --------------------------------------------------------- processor */

static ia_status parse(const char *json, const char *model_type, ia_image_processor *p,
                       ia_error *err)
{
    return ia_image_processor_parse("preprocessor_config.json", json, strlen(json), model_type,
                                    p, err);
}

static void parse_fails(const char *json, ia_status status, const char *fragment)
{
    ia_image_processor p;
    ia_error err;
    ia_status st = parse(json, "vit", &p, &err);
    if (st != status)
        fail_msg("%s: status %d, expected %d (%s)", json, st, status, err.message);
    if (!strstr(err.message, "preprocessor_config.json") || !strstr(err.message, fragment))
        fail_msg("%s: message lacks the file or \"%s\": %s", json, fragment, err.message);
}

static void test_processor_parse(void **state)
{
    (void)state;
    ia_image_processor p;
    ia_error err;

    /* Defaults: ViTImageProcessor and DeiTImageProcessor. */
    ia_image_processor_defaults(&p, "vit");
    assert_true(p.do_resize && p.do_rescale && p.do_normalize && !p.do_center_crop);
    assert_int_equal(p.size_height, 224);
    assert_int_equal(p.resample, IA_IMAGE_RESAMPLE_BILINEAR);
    assert_true(p.image_mean[0] == 0.5f && p.image_std[2] == 0.5f);
    assert_true(p.rescale_factor == 1.0 / 255.0);
    ia_image_processor_defaults(&p, "deit");
    assert_int_equal(p.size_width, 256);
    assert_int_equal(p.resample, IA_IMAGE_RESAMPLE_BICUBIC);
    assert_true(p.do_center_crop);
    assert_int_equal(p.crop_height, 224);
    assert_true(p.image_mean[1] == 0.456f && p.image_std[0] == 0.229f);

    /* google/vit-base-patch16-224's file (legacy: size a number). */
    assert_int_equal(parse("{\"do_normalize\": true, \"do_resize\": true, "
                           "\"feature_extractor_type\": \"ViTFeatureExtractor\", "
                           "\"image_mean\": [0.5, 0.5, 0.5], \"image_std\": [0.5, 0.5, 0.5], "
                           "\"resample\": 2, \"size\": 384}",
                           NULL, &p, &err),
                     IA_OK);
    assert_string_equal(p.type, "ViTFeatureExtractor");
    assert_int_equal(p.size_height, 384);
    assert_int_equal(p.size_width, 384);
    assert_int_equal(p.size_shortest_edge, 0);

    /* A DeiT file, named by type, whatever the model type says. */
    assert_int_equal(parse("{\"image_processor_type\": \"DeiTImageProcessor\", \"size\": "
                           "{\"height\": 200, \"width\": 100}, \"crop_size\": 96, "
                           "\"resample\": 0, \"do_rescale\": null, \"unknown_key\": [1, 2]}",
                           "vit", &p, &err),
                     IA_OK);
    assert_int_equal(p.size_height, 200);
    assert_int_equal(p.size_width, 100);
    assert_true(p.do_center_crop); /* DeiT's default */
    assert_int_equal(p.crop_height, 96);
    assert_int_equal(p.crop_width, 96);
    assert_int_equal(p.resample, IA_IMAGE_RESAMPLE_NEAREST);
    assert_true(p.do_rescale); /* null: the default */
    assert_true(p.image_mean[2] == 0.406f);

    /* ViTImageProcessor never crops, so transformers ignores crop keys. */
    assert_int_equal(parse("{\"image_processor_type\": \"ViTImageProcessor\", "
                           "\"do_center_crop\": true, \"crop_size\": 5}",
                           "vit", &p, &err),
                     IA_OK);
    assert_false(p.do_center_crop);
    /* Another processor keeps them. */
    assert_int_equal(parse("{\"image_processor_type\": \"OtherImageProcessor\", "
                           "\"do_center_crop\": true, \"crop_size\": {\"height\": 5, "
                           "\"width\": 6}, \"size\": {\"shortest_edge\": 7}, "
                           "\"image_mean\": 0.25, \"rescale_factor\": 0.5}",
                           "vit", &p, &err),
                     IA_OK);
    assert_true(p.do_center_crop);
    assert_int_equal(p.crop_width, 6);
    assert_int_equal(p.size_shortest_edge, 7);
    assert_true(p.image_mean[0] == 0.25f && p.image_mean[2] == 0.25f);
    assert_true(p.rescale_factor == 0.5);

    /* Wrong types name the key and the file. */
    parse_fails("{\"do_resize\": \"yes\"}", IA_ERR_PARSE, "do_resize must be true or false");
    parse_fails("{\"size\": \"224\"}", IA_ERR_PARSE, "size must be a number or an object");
    parse_fails("{\"size\": {\"height\": 10}}", IA_ERR_PARSE, "size must have height and width");
    parse_fails("{\"size\": {\"height\": 10, \"width\": 2.5}}", IA_ERR_PARSE, "size.width");
    parse_fails("{\"size\": {\"height\": 0, \"width\": 2}}", IA_ERR_PARSE, "size.height");
    parse_fails("{\"size\": {\"shortest_edge\": 8, \"longest_edge\": 9}}", IA_ERR_UNSUPPORTED,
                "longest_edge");
    parse_fails("{\"resample\": 7}", IA_ERR_UNSUPPORTED, "resample 7 is not a supported");
    parse_fails("{\"resample\": \"bilinear\"}", IA_ERR_PARSE, "resample must be a number");
    parse_fails("{\"image_mean\": [0.5, 0.5]}", IA_ERR_PARSE, "image_mean must be");
    parse_fails("{\"image_std\": [0.5, \"x\", 0.5]}", IA_ERR_PARSE, "image_std[1]");
    parse_fails("{\"image_std\": [0.5, 0, 0.5]}", IA_ERR_PARSE, "image_std[1] is 0");
    parse_fails("{\"rescale_factor\": true}", IA_ERR_PARSE, "rescale_factor must be a number");
    parse_fails("{\"image_processor_type\": 3}", IA_ERR_PARSE, "image_processor_type");
    parse_fails("[1]", IA_ERR_PARSE, "must hold a JSON object");
    parse_fails("{\"size\": ", IA_ERR_PARSE, "not valid JSON");
    parse_fails("{\"image_processor_type\": \"DeiTImageProcessor\", \"crop_size\": []}",
                IA_ERR_PARSE, "crop_size must be");

    /* Output sizes; shortest_edge keeps the aspect ratio, truncating:
     * 4 wide x 2 high, short side 2 -> 3, long side int(3 * 4 / 2) = 6;
     * 3 wide x 7 high to 5: int(5 * 7 / 3) = int(11.67) = 11. */
    ia_image_processor q;
    ia_image_processor_defaults(&q, NULL);
    q.size_shortest_edge = 3;
    int h, w;
    ia_image_processor_output_size(&q, 2, 4, &h, &w);
    assert_int_equal(h, 3);
    assert_int_equal(w, 6);
    q.size_shortest_edge = 5;
    ia_image_processor_output_size(&q, 7, 3, &h, &w);
    assert_int_equal(h, 11);
    assert_int_equal(w, 5);
    q.do_center_crop = true;
    q.crop_height = 4;
    q.crop_width = 2;
    ia_image_processor_output_size(&q, 7, 3, &h, &w);
    assert_int_equal(h, 4);
    assert_int_equal(w, 2);
}

static void test_processor_load(void **state)
{
    (void)state;
    char dir[512], file[512];
    tmp_path(dir, sizeof dir, "model");
    assert_int_equal(mkdir(dir, 0755), 0);
    ia_image_processor p;
    ia_error err;
    assert_int_equal(ia_image_processor_load(dir, "deit", &p, &err), IA_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "no preprocessor_config.json"));
    const char *json = "{\"do_resize\": false, \"do_center_crop\": 1}";
    write_bytes("model/preprocessor_config.json", json, strlen(json));
    assert_int_equal(ia_image_processor_load(dir, "deit", &p, &err), IA_ERR_PARSE);
    tmp_path(file, sizeof file, "model/preprocessor_config.json");
    assert_non_null(strstr(err.message, file));
    assert_non_null(strstr(err.message, "do_center_crop must be true or false"));
    json = "{\"do_resize\": false}";
    write_bytes("model/preprocessor_config.json", json, strlen(json));
    assert_int_equal(ia_image_processor_load(dir, "deit", &p, &err), IA_OK);
    assert_false(p.do_resize);
    assert_true(p.do_center_crop); /* DeiT's default, from the model type */
    assert_int_equal(ia_image_processor_load(file, "vit", &p, &err), IA_OK);
    assert_false(p.do_center_crop);
}

static void expect_floats(const float *got, const float *want, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fabsf(got[i] - want[i]) > 1e-5f)
            fail_msg("value %zu: got %.7f, expected %.7f", i, (double)got[i], (double)want[i]);
}

static void test_processor_apply(void **state)
{
    (void)state;
    ia_error err;
    ia_image_processor p;
    ia_tensor t;

    /* DeiT's steps on a 6 x 6 image, with nearest so the resize is easy to
     * follow: 6 -> 3 picks columns and rows 1, 3, 5; the 2 x 2 center crop of
     * 3 x 3 starts at (3 - 2) // 2 = 0, so the result holds source pixels
     * (1,1) (3,1) / (1,3) (3,3). With R = 10x + 40y, G = 200 - 30y, B = 5xy
     * those are R 50 70 / 130 150, G 170 170 / 110 110, B 5 15 / 15 45.
     * Then (v / 255 - mean) / std with ImageNet's mean (0.485, 0.456, 0.406)
     * and std (0.229, 0.224, 0.225): e.g. (50 / 255 - 0.485) / 0.229 =
     * -1.261666. */
    assert_int_equal(parse("{\"image_processor_type\": \"DeiTImageProcessor\", \"size\": 3, "
                           "\"crop_size\": 2, \"resample\": 0}",
                           NULL, &p, &err),
                     IA_OK);
    ia_image img;
    assert_int_equal(ia_image_create(&img, 6, 6, &err), IA_OK);
    for (int y = 0; y < 6; y++)
        for (int x = 0; x < 6; x++) {
            uint8_t *px = img.data + (y * 6 + x) * 3;
            px[0] = (uint8_t)(10 * x + 40 * y);
            px[1] = (uint8_t)(200 - 30 * y);
            px[2] = (uint8_t)(5 * x * y);
        }
    assert_int_equal(ia_image_processor_apply(&p, &img, 1, &t, &err), IA_OK);
    assert_int_equal(t.dtype, IA_DTYPE_F32);
    assert_int_equal(t.ndim, 4);
    assert_true(t.shape[0] == 1 && t.shape[1] == 3 && t.shape[2] == 2 && t.shape[3] == 2);
    const float deit[12] = {-1.261666f, -0.919171f, 0.108314f,  0.450809f,
                            0.940476f,  0.940476f,  -0.109944f, -0.109944f,
                            -1.717298f, -1.543007f, -1.543007f, -1.020131f};
    expect_floats(t.data, deit, 12);
    ia_tensor_free(&t);

    /* ViT's steps on the 4 x 4 of test_resize_bilinear (2 x 2 result 57 151
     * / 89 183): (v / 255 - 0.5) / 0.5 = -0.552941, 0.184314, -0.301961,
     * 0.435294 in every channel. Two images in a batch, the second 8 x 2
     * (resized to 2 x 2 as well). */
    ia_image_processor_defaults(&p, "vit");
    p.size_height = p.size_width = 2;
    ia_image two[2];
    uint8_t v[16];
    for (int y = 0; y < 4; y++)
        for (int x = 0; x < 4; x++)
            v[y * 4 + x] = (uint8_t)(60 * x + 20 * y);
    gray_image(&two[0], 4, 4, v);
    gray_image(&two[1], 8, 2, v);
    assert_int_equal(ia_image_processor_apply(&p, two, 2, &t, &err), IA_OK);
    assert_true(t.shape[0] == 2 && t.shape[2] == 2 && t.shape[3] == 2);
    const float vit[4] = {-0.552941f, 0.184314f, -0.301961f, 0.435294f};
    for (int c = 0; c < 3; c++)
        expect_floats((const float *)t.data + c * 4, vit, 4);
    ia_tensor_free(&t);

    /* Without resize the two sizes cannot share a batch. */
    p.do_resize = false;
    assert_int_equal(ia_image_processor_apply(&p, two, 2, &t, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "image 1 comes out 8 x 2"));
    assert_null(t.data);

    /* No rescale: normalize the raw values: (57 - 100) / 50 ... with mean 100
     * and std 50 on the unresized 4 x 4, first row 0 60 120 180 -> -2, -0.8,
     * 0.4, 1.6. */
    p.do_rescale = false;
    for (int c = 0; c < 3; c++)
        p.image_mean[c] = 100.0f, p.image_std[c] = 50.0f;
    assert_int_equal(ia_image_processor_apply(&p, two, 1, &t, &err), IA_OK);
    assert_int_equal(t.shape[3], 4);
    expect_floats(t.data, (const float[]){-2.0f, -0.8f, 0.4f, 1.6f}, 4);
    ia_tensor_free(&t);
    assert_int_equal(ia_image_processor_apply(&p, two, 0, &t, &err), IA_ERR_INVALID);

    ia_image_free(&two[0]);
    ia_image_free(&two[1]);
    ia_image_free(&img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png_rgb),
        cmocka_unit_test(test_png_gray),
        cmocka_unit_test(test_png_palette_alpha_16bit),
        cmocka_unit_test(test_jpeg),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_resize_bilinear),
        cmocka_unit_test(test_resize_bicubic),
        cmocka_unit_test(test_resize_nearest),
        cmocka_unit_test(test_center_crop),
        cmocka_unit_test(test_processor_parse),
        cmocka_unit_test(test_processor_load),
        cmocka_unit_test(test_processor_apply),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
