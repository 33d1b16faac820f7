/*
 * Hugging Face image processors: preprocessor_config.json parsed over the
 * defaults of transformers' ViTImageProcessor or DeiTImageProcessor, then
 * applied in transformers' order (resize, center crop, rescale, normalize)
 * to give a model's pixel_values.
 *
 * The arithmetic copies transformers' numpy code: resize and crop work on
 * the 8-bit image (through PIL, see image_resize.c); rescale multiplies in
 * float64 and stores float32 (rescale() casts at its end); normalize
 * subtracts and divides in float32 with the mean and std cast to float32.
 * So for the same decoded image our pixel_values equal transformers'.
 */
#include "image/image_internal.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PROCESSOR_FILE "preprocessor_config.json"
#define PROCESSOR_MAX_BYTES (1 << 20)

enum family { FAMILY_OTHER, FAMILY_VIT, FAMILY_DEIT };

static enum family family_of_type(const char *type)
{
    static const char *const vit[] = {"ViTImageProcessor", "ViTImageProcessorFast",
                                      "ViTFeatureExtractor"};
    static const char *const deit[] = {"DeiTImageProcessor", "DeiTImageProcessorFast",
                                       "DeiTFeatureExtractor"};
    for (size_t i = 0; i < sizeof vit / sizeof *vit; i++)
        if (strcmp(type, vit[i]) == 0)
            return FAMILY_VIT;
    for (size_t i = 0; i < sizeof deit / sizeof *deit; i++)
        if (strcmp(type, deit[i]) == 0)
            return FAMILY_DEIT;
    return FAMILY_OTHER;
}

static enum family family_of_model(const char *model_type)
{
    if (model_type && strcmp(model_type, "deit") == 0)
        return FAMILY_DEIT;
    if (model_type && strcmp(model_type, "vit") == 0)
        return FAMILY_VIT;
    return FAMILY_OTHER;
}

static void set_defaults(ia_image_processor *p, enum family f)
{
    memset(p, 0, sizeof *p);
    p->do_resize = true;
    p->resample = IA_IMAGE_RESAMPLE_BILINEAR;
    p->size_height = p->size_width = 224;
    p->crop_height = p->crop_width = 224;
    p->do_rescale = true;
    p->rescale_factor = 1.0 / 255.0;
    p->do_normalize = true;
    p->do_convert_rgb = true;
    for (int c = 0; c < 3; c++)
        p->image_mean[c] = p->image_std[c] = 0.5f; /* IMAGENET_STANDARD_MEAN / _STD */
    if (f == FAMILY_DEIT) {
        static const float mean[3] = {0.485f, 0.456f, 0.406f}; /* IMAGENET_DEFAULT_MEAN */
        static const float std[3] = {0.229f, 0.224f, 0.225f};  /* IMAGENET_DEFAULT_STD */
        p->size_height = p->size_width = 256;
        p->resample = IA_IMAGE_RESAMPLE_BICUBIC;
        p->do_center_crop = true;
        memcpy(p->image_mean, mean, sizeof mean);
        memcpy(p->image_std, std, sizeof std);
    }
}

void ia_image_processor_defaults(ia_image_processor *p, const char *model_type)
{
    set_defaults(p, family_of_model(model_type) == FAMILY_DEIT ? FAMILY_DEIT : FAMILY_VIT);
}

static const char *json_type_name(const cJSON *v)
{
    if (cJSON_IsBool(v))
        return "a boolean";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsObject(v))
        return "an object";
    return "null";
}

/* The value of key, or NULL when absent or null (transformers' "use the
 * default"). */
static const cJSON *get(const cJSON *root, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key);
    return v && !cJSON_IsNull(v) ? v : NULL;
}

static ia_status get_bool(const char *name, const cJSON *root, const char *key, bool *out,
                          ia_error *err)
{
    const cJSON *v = get(root, key);
    if (!v)
        return IA_OK;
    if (!cJSON_IsBool(v))
        return ia_error_set(err, IA_ERR_PARSE, "%s: %s must be true or false (got %s)", name,
                            key, json_type_name(v));
    *out = cJSON_IsTrue(v);
    return IA_OK;
}

/* A size in pixels: an integral number from 1 to IA_IMAGE_MAX_SIDE. */
static ia_status size_value(const char *name, const char *key, const cJSON *v, int *out,
                            ia_error *err)
{
    if (!cJSON_IsNumber(v))
        return ia_error_set(err, IA_ERR_PARSE, "%s: %s must be a number (got %s)", name, key,
                            json_type_name(v));
    double d = v->valuedouble;
    if (!(d >= 1 && d <= IA_IMAGE_MAX_SIDE) || d != floor(d))
        return ia_error_set(err, IA_ERR_PARSE,
                            "%s: %s must be a whole number of pixels from 1 to %d (got %g)", name,
                            key, IA_IMAGE_MAX_SIDE, d);
    *out = (int)d;
    return IA_OK;
}

/* size / crop_size: a number (a square, as ViT's and DeiT's get_size_dict
 * read it), {"height", "width"}, or (when shortest is given)
 * {"shortest_edge"}. */
static ia_status get_size(const char *name, const cJSON *root, const char *key, int *height,
                          int *width, int *shortest, ia_error *err)
{
    const cJSON *v = get(root, key);
    if (!v)
        return IA_OK;
    char sub[64];
    ia_status st;
    if (cJSON_IsNumber(v)) {
        if ((st = size_value(name, key, v, height, err)) != IA_OK)
            return st;
        *width = *height;
        if (shortest)
            *shortest = 0;
        return IA_OK;
    }
    if (!cJSON_IsObject(v))
        return ia_error_set(err, IA_ERR_PARSE,
                            "%s: %s must be a number or an object with height and width (got "
                            "%s)",
                            name, key, json_type_name(v));
    const cJSON *h = get(v, "height"), *w = get(v, "width"), *se = get(v, "shortest_edge");
    if (h && w && !se) {
        snprintf(sub, sizeof sub, "%s.height", key);
        if ((st = size_value(name, sub, h, height, err)) != IA_OK)
            return st;
        snprintf(sub, sizeof sub, "%s.width", key);
        if ((st = size_value(name, sub, w, width, err)) != IA_OK)
            return st;
        if (shortest)
            *shortest = 0;
        return IA_OK;
    }
    if (se && shortest && !h && !w) {
        if (get(v, "longest_edge"))
            return ia_error_set(err, IA_ERR_UNSUPPORTED,
                                "%s: %s.longest_edge is not supported (only shortest_edge, or "
                                "height and width)",
                                name, key);
        snprintf(sub, sizeof sub, "%s.shortest_edge", key);
        return size_value(name, sub, se, shortest, err);
    }
    return ia_error_set(err, IA_ERR_PARSE, "%s: %s must have height and width%s", name, key,
                        shortest ? ", or shortest_edge alone" : "");
}

/* image_mean / image_std: a number for all channels, or three numbers. */
static ia_status get_triple(const char *name, const cJSON *root, const char *key, float out[3],
                            ia_error *err)
{
    const cJSON *v = get(root, key);
    if (!v)
        return IA_OK;
    if (cJSON_IsNumber(v)) {
        out[0] = out[1] = out[2] = (float)v->valuedouble;
        return IA_OK;
    }
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 3)
        return ia_error_set(err, IA_ERR_PARSE,
                            "%s: %s must be a number or an array of 3 numbers (got %s%s)", name,
                            key, json_type_name(v), cJSON_IsArray(v) ? " of another length" : "");
    for (int c = 0; c < 3; c++) {
        const cJSON *e = cJSON_GetArrayItem(v, c);
        if (!cJSON_IsNumber(e))
            return ia_error_set(err, IA_ERR_PARSE, "%s: %s[%d] must be a number (got %s)", name,
                                key, c, json_type_name(e));
        /* numpy casts the float64 list to the image's float32. */
        out[c] = (float)e->valuedouble;
    }
    return IA_OK;
}

static ia_status parse_object(const char *name, const cJSON *root, const char *model_type,
                              ia_image_processor *p, ia_error *err)
{
    const char *type = "";
    for (int i = 0; i < 2; i++) {
        const char *key = i == 0 ? "image_processor_type" : "feature_extractor_type";
        const cJSON *v = get(root, key);
        if (!v)
            continue;
        if (!cJSON_IsString(v))
            return ia_error_set(err, IA_ERR_PARSE, "%s: %s must be a string (got %s)", name,
                                key, json_type_name(v));
        type = v->valuestring;
        break;
    }
    enum family f = family_of_type(type);
    /* A processor we do not know by name keeps its own keys (crop
     * included); only a ViT processor, named or implied, ignores crops. */
    bool no_crop = f == FAMILY_VIT || (!type[0] && family_of_model(model_type) == FAMILY_VIT);
    if (!type[0])
        f = family_of_model(model_type);
    set_defaults(p, f);
    snprintf(p->type, sizeof p->type, "%s", type);

    ia_status st;
    if ((st = get_bool(name, root, "do_resize", &p->do_resize, err)) != IA_OK ||
        (st = get_size(name, root, "size", &p->size_height, &p->size_width,
                       &p->size_shortest_edge, err)) != IA_OK ||
        (st = get_bool(name, root, "do_rescale", &p->do_rescale, err)) != IA_OK ||
        (st = get_bool(name, root, "do_normalize", &p->do_normalize, err)) != IA_OK ||
        (st = get_triple(name, root, "image_mean", p->image_mean, err)) != IA_OK ||
        (st = get_triple(name, root, "image_std", p->image_std, err)) != IA_OK ||
        (st = get_bool(name, root, "do_convert_rgb", &p->do_convert_rgb, err)) != IA_OK)
        return st;
    /* ViTImageProcessor has no crop step: transformers ignores these keys. */
    if (!no_crop &&
        ((st = get_bool(name, root, "do_center_crop", &p->do_center_crop, err)) != IA_OK ||
         (st = get_size(name, root, "crop_size", &p->crop_height, &p->crop_width, NULL, err)) !=
             IA_OK))
        return st;

    const cJSON *v = get(root, "resample");
    if (v) {
        if (!cJSON_IsNumber(v))
            return ia_error_set(err, IA_ERR_PARSE, "%s: resample must be a number (got %s)",
                                name, json_type_name(v));
        double d = v->valuedouble;
        if (d != floor(d) || d < 0 || d > 5 ||
            !ia_image_resample_name((ia_image_resample)(int)d))
            return ia_error_set(err, IA_ERR_UNSUPPORTED,
                                "%s: resample %g is not a supported PIL filter (0 nearest, "
                                "1 lanczos, 2 bilinear, 3 bicubic, 4 box, 5 hamming)",
                                name, d);
        p->resample = (ia_image_resample)(int)d;
    }
    v = get(root, "rescale_factor");
    if (v) {
        if (!cJSON_IsNumber(v))
            return ia_error_set(err, IA_ERR_PARSE,
                                "%s: rescale_factor must be a number (got %s)", name,
                                json_type_name(v));
        if (!isfinite(v->valuedouble) || v->valuedouble <= 0)
            return ia_error_set(err, IA_ERR_PARSE,
                                "%s: rescale_factor must be positive (got %g)", name,
                                v->valuedouble);
        p->rescale_factor = v->valuedouble;
    }
    for (int c = 0; c < 3; c++)
        if (p->do_normalize && (p->image_std[c] == 0.0f || !isfinite(p->image_std[c]) ||
                                !isfinite(p->image_mean[c])))
            return ia_error_set(err, IA_ERR_PARSE,
                                "%s: image_std[%d] is %g: normalizing would divide by zero or "
                                "use a non-finite value",
                                name, c, (double)p->image_std[c]);
    return IA_OK;
}

ia_status ia_image_processor_parse(const char *name, const char *json, size_t len,
                                   const char *model_type, ia_image_processor *out,
                                   ia_error *err)
{
    if (!name)
        name = PROCESSOR_FILE;
    ia_image_processor_defaults(out, model_type);
    cJSON *root = cJSON_ParseWithLength(json, len);
    if (!root)
        return ia_error_set(err, IA_ERR_PARSE, "%s: not valid JSON", name);
    ia_status st;
    if (!cJSON_IsObject(root))
        st = ia_error_set(err, IA_ERR_PARSE, "%s: must hold a JSON object (got %s)", name,
                          json_type_name(root));
    else
        st = parse_object(name, root, model_type, out, err);
    cJSON_Delete(root);
    if (st != IA_OK)
        ia_image_processor_defaults(out, model_type);
    return st;
}

ia_status ia_image_processor_load(const char *path, const char *model_type,
                                  ia_image_processor *out, ia_error *err)
{
    ia_image_processor_defaults(out, model_type);
    struct stat sb;
    char file[4096];
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        int n = snprintf(file, sizeof file, "%s/%s", path, PROCESSOR_FILE);
        if (n < 0 || (size_t)n >= sizeof file)
            return ia_error_set(err, IA_ERR_INVALID, "%s: path too long", path);
        if (stat(file, &sb) != 0)
            return ia_error_set(err, IA_ERR_NOT_FOUND, "%s: no %s in this folder", path,
                                PROCESSOR_FILE);
    } else {
        snprintf(file, sizeof file, "%s", path);
    }
    char *text = NULL;
    size_t len = 0;
    ia_status st = ia_file_read_all(file, PROCESSOR_MAX_BYTES, &text, &len, err);
    if (st != IA_OK)
        return st;
    st = ia_image_processor_parse(file, text, len, model_type, out, err);
    free(text);
    return st;
}

/* The size the resize step gives an in_height x in_width image. */
static void resize_target(const ia_image_processor *p, int in_height, int in_width, int *height,
                          int *width)
{
    if (p->size_shortest_edge <= 0) {
        *height = p->size_height;
        *width = p->size_width;
        return;
    }
    /* transformers' get_resize_output_image_size(default_to_square=False):
     * int(short_target * long / short), a true division truncated. */
    int h = in_height, w = in_width;
    int s = w <= h ? w : h, l = w <= h ? h : w;
    double exact = (double)((int64_t)p->size_shortest_edge * l) / s;
    /* Past the limit any value will do: the resize refuses it by name. */
    int nl = exact > IA_IMAGE_MAX_SIDE ? IA_IMAGE_MAX_SIDE + 1 : (int)exact;
    *height = w <= h ? nl : p->size_shortest_edge;
    *width = w <= h ? p->size_shortest_edge : nl;
}

void ia_image_processor_output_size(const ia_image_processor *p, int in_height, int in_width,
                                    int *out_height, int *out_width)
{
    *out_height = in_height;
    *out_width = in_width;
    if (p->do_resize)
        resize_target(p, in_height, in_width, out_height, out_width);
    if (p->do_center_crop) {
        *out_height = p->crop_height;
        *out_width = p->crop_width;
    }
}

/* Resize and crop one image, as 8-bit pixels. *owned holds what was
 * allocated (freed by the caller); *result points at the image to use. */
static ia_status geometry(const ia_image_processor *p, const ia_image *img, ia_image *owned,
                          const ia_image **result, ia_error *err)
{
    ia_image a = {0}, b = {0};
    const ia_image *cur = img;
    ia_status st;
    if (p->do_resize) {
        int h, w;
        resize_target(p, img->height, img->width, &h, &w);
        if ((st = ia_image_resize(img, w, h, p->resample, &a, err)) != IA_OK)
            return st;
        cur = &a;
    }
    if (p->do_center_crop) {
        st = ia_image_center_crop(cur, p->crop_width, p->crop_height, &b, err);
        ia_image_free(&a);
        if (st != IA_OK)
            return st;
        *owned = b;
    } else {
        *owned = a;
    }
    *result = owned->data ? owned : cur;
    return IA_OK;
}

ia_status ia_image_processor_apply(const ia_image_processor *p, const ia_image *images,
                                   size_t n, ia_tensor *pixel_values, ia_error *err)
{
    memset(pixel_values, 0, sizeof *pixel_values);
    if (n == 0)
        return ia_error_set(err, IA_ERR_INVALID, "image processor: no images given");
    if (n > INT32_MAX)
        return ia_error_set(err, IA_ERR_INVALID, "image processor: too many images (%zu)", n);
    for (size_t i = 0; i < n; i++)
        if (!images[i].data || images[i].width <= 0 || images[i].height <= 0)
            return ia_error_set(err, IA_ERR_INVALID, "image processor: image %zu is empty", i);
    int H, W;
    ia_image_processor_output_size(p, images[0].height, images[0].width, &H, &W);
    for (size_t i = 1; i < n; i++) {
        int h, w;
        ia_image_processor_output_size(p, images[i].height, images[i].width, &h, &w);
        if (h != H || w != W)
            return ia_error_set(err, IA_ERR_INVALID,
                                "image processor: image %zu comes out %d x %d but image 0 "
                                "comes out %d x %d; a batch needs one size (resize or crop "
                                "to a fixed size)",
                                i, w, h, W, H);
    }
    ia_status st = ia_image_check_size("image processor output", W, H, err);
    if (st != IA_OK)
        return st;
    st = ia_tensor_alloc(pixel_values, IA_DTYPE_F32, 4, (int64_t[]){(int64_t)n, 3, H, W}, err);
    if (st != IA_OK)
        return st;
    float *dst = pixel_values->data;
    size_t plane = (size_t)H * (size_t)W;
    float mean[3], std[3];
    for (int c = 0; c < 3; c++) {
        mean[c] = p->image_mean[c];
        std[c] = p->image_std[c];
    }
    for (size_t i = 0; i < n; i++) {
        ia_image owned = {0};
        const ia_image *img = NULL;
        if ((st = geometry(p, &images[i], &owned, &img, err)) != IA_OK) {
            ia_tensor_free(pixel_values);
            return st;
        }
        if (img->width != W || img->height != H) {
            ia_image_free(&owned);
            ia_tensor_free(pixel_values);
            return ia_error_set(err, IA_ERR_INTERNAL,
                                "image processor: image %zu came out %d x %d, not %d x %d", i,
                                img->width, img->height, W, H);
        }
        float *out = dst + i * 3 * plane;
        for (size_t j = 0; j < plane; j++) {
            for (int c = 0; c < 3; c++) {
                uint8_t u = img->data[j * 3 + (size_t)c];
                float v = p->do_rescale ? (float)((double)u * p->rescale_factor) : (float)u;
                if (p->do_normalize)
                    v = (v - mean[c]) / std[c];
                out[(size_t)c * plane + j] = v;
            }
        }
        ia_image_free(&owned);
    }
    return IA_OK;
}
