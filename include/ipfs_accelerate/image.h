/*
 * image: pictures in, pixel_values out. Decodes PNG and JPEG files (or
 * buffers) to 8-bit RGB, and runs a Hugging Face image processor
 * (preprocessor_config.json: resize, center crop, rescale, normalize) to
 * produce a model's pixel_values, with the numbers transformers gets from
 * PIL and numpy: resizing follows PIL's Image.resize on 8-bit images
 * (antialiased separable filters, rounded to 8 bits after each pass).
 * docs/images.md gives the exact semantics.
 *
 * Memory: an ia_image owns its pixels (ia_image_free); every function that
 * fills an ia_image allocates it, and on failure leaves it empty
 * (data NULL), so freeing it is always safe. An ia_image_processor is a
 * plain value. The pixel_values tensor of ia_image_processor_apply is
 * allocated with ia_tensor_alloc and freed by the caller (ia_tensor_free).
 * Nothing here keeps global state: every function may run on any thread.
 */
#ifndef IPFS_ACCELERATE_IMAGE_H
#define IPFS_ACCELERATE_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipfs_accelerate/core.h"
#include "ipfs_accelerate/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Limits on decoded images, checked before any pixel is allocated: a
 * 20-byte header must not make us allocate gigabytes. */
#define IA_IMAGE_MAX_SIDE 32768
#define IA_IMAGE_MAX_PIXELS (1L << 28)
/* Encoded files larger than this are refused before reading. */
#define IA_IMAGE_MAX_FILE_BYTES (1L << 30)

/* 8-bit RGB, rows top to bottom, pixels left to right, 3 bytes each
 * (HWC), rows packed: pixel (x, y) channel c is data[(y * width + x) * 3 + c]. */
typedef struct ia_image {
    int width, height;
    uint8_t *data;
} ia_image;

/* Reads and decodes PATH (PNG or JPEG, told by its content, not its name).
 * Grayscale becomes R=G=B; palettes are expanded; alpha is dropped without
 * compositing (as PIL's convert("RGB") does); 16-bit samples keep their
 * high byte; CMYK JPEGs are converted as PIL does. Errors name the file and
 * the problem: not an image (a format we do not read), truncated, absurd
 * dimensions (over IA_IMAGE_MAX_SIDE a side or IA_IMAGE_MAX_PIXELS in all),
 * corrupt data (with the decoder's own message), a progressive JPEG of more
 * than 256 scans (each a pass over the whole image: a CPU exhaustion). */
ia_status ia_image_load(const char *path, ia_image *out, ia_error *err);
/* The same for LEN bytes in memory; NAME (a file name, a URL, "request
 * body") is only used in messages. */
ia_status ia_image_decode(const char *name, const void *bytes, size_t len, ia_image *out,
                          ia_error *err);
/* A black width x height image (sizes checked against the limits). */
ia_status ia_image_create(ia_image *out, int width, int height, ia_error *err);
void ia_image_free(ia_image *img);

/* PIL's resampling filters, numbered as PIL numbers them (the "resample"
 * of preprocessor_config.json). */
typedef enum ia_image_resample {
    IA_IMAGE_RESAMPLE_NEAREST = 0,
    IA_IMAGE_RESAMPLE_LANCZOS = 1,
    IA_IMAGE_RESAMPLE_BILINEAR = 2,
    IA_IMAGE_RESAMPLE_BICUBIC = 3,
    IA_IMAGE_RESAMPLE_BOX = 4,
    IA_IMAGE_RESAMPLE_HAMMING = 5
} ia_image_resample;

/* "nearest", "lanczos", "bilinear", "bicubic", "box", "hamming"; NULL for
 * another value. */
const char *ia_image_resample_name(ia_image_resample r);

/* Resizes src to width x height as PIL's Image.resize((width, height),
 * resample) does on an RGB image, to the bit: nearest picks pixel
 * floor((x + 0.5) * in / out) (the position summed step by step, as PIL
 * sums it); the other filters are separable convolutions whose support
 * widens by the downscale factor (antialiasing), horizontal pass first,
 * each pass rounded and clipped to 8 bits. Same size: a copy. */
ia_status ia_image_resize(const ia_image *src, int width, int height, ia_image_resample r,
                          ia_image *out, ia_error *err);

/* Crops the centred width x height window as transformers' center_crop
 * does: top = floor((h - height) / 2), left likewise; where the window
 * passes the image's edge (a crop larger than the image) it is padded with
 * black. */
ia_status ia_image_center_crop(const ia_image *src, int width, int height, ia_image *out,
                               ia_error *err);

/* ------------------------------------------------------ image processor */

/* The steps of a Hugging Face image processor (ViTImageProcessor,
 * DeiTImageProcessor and their older *FeatureExtractor names), applied in
 * transformers' order: convert to RGB, resize, center crop, rescale,
 * normalize. */
typedef struct ia_image_processor {
    char type[64]; /* image_processor_type / feature_extractor_type, "" if absent */
    bool do_resize;
    /* Resize target: height x width, or (when size_shortest_edge > 0) the
     * short side to size_shortest_edge, the long side in proportion
     * (truncated), as transformers' get_resize_output_image_size does. */
    int size_height, size_width;
    int size_shortest_edge;
    ia_image_resample resample;
    bool do_center_crop;
    int crop_height, crop_width;
    bool do_rescale;
    double rescale_factor; /* 1/255 usually */
    bool do_normalize;
    float image_mean[3], image_std[3];
    bool do_convert_rgb; /* informative: decoded images are always RGB */
} ia_image_processor;

/* The defaults of transformers' processor for MODEL_TYPE: "deit" gets
 * DeiTImageProcessor's (bicubic to 256 x 256, center crop 224 x 224,
 * ImageNet mean and std); anything else (NULL, "vit", ...) ViTImageProcessor's
 * (bilinear to 224 x 224, no crop, mean and std 0.5). Both rescale by 1/255. */
void ia_image_processor_defaults(ia_image_processor *p, const char *model_type);

/* Parses preprocessor_config.json text over the defaults: those of the
 * processor its image_processor_type (or feature_extractor_type) names when
 * we know it, else those of MODEL_TYPE. Keys we do not use are ignored; a
 * known key of the wrong type, an unsupported resample code, a size that is
 * not positive or over IA_IMAGE_MAX_SIDE are errors naming NAME and the key.
 * JSON null means "the default", as in transformers. As transformers does,
 * ViTImageProcessor ignores the crop keys (it never crops). */
ia_status ia_image_processor_parse(const char *name, const char *json, size_t len,
                                   const char *model_type, ia_image_processor *out,
                                   ia_error *err);
/* Reads PATH (preprocessor_config.json, or a model folder holding one) and
 * parses it as above. A folder without the file is IA_ERR_NOT_FOUND. */
ia_status ia_image_processor_load(const char *path, const char *model_type,
                                  ia_image_processor *out, ia_error *err);

/* The height and width pixel_values will have for an input of in_height x
 * in_width. */
void ia_image_processor_output_size(const ia_image_processor *p, int in_height, int in_width,
                                    int *out_height, int *out_width);

/* Runs the processor on N images (N >= 1) and allocates *pixel_values:
 * F32 [N, 3, H, W] (channels first), in transformers' arithmetic: rescale
 * in double then rounded to float, normalize (x - mean) / std in float.
 * Images whose outputs differ in size (no resize nor crop to fix it) are an
 * error naming the image. */
ia_status ia_image_processor_apply(const ia_image_processor *p, const ia_image *images,
                                   size_t n, ia_tensor *pixel_values, ia_error *err);

#ifdef __cplusplus
}
#endif

#endif
