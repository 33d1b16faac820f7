/* image: what the layer's files share (and its tests may use). */
#ifndef IA_IMAGE_INTERNAL_H
#define IA_IMAGE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ipfs_accelerate/image.h"

/* Checks width x height against the limits; the message names the file. */
ia_status ia_image_check_size(const char *name, long width, long height, ia_error *err);

/* The decoders, called by ia_image_decode once the signature is known. */
ia_status ia_image_decode_png(const char *name, const uint8_t *bytes, size_t len, ia_image *out,
                              ia_error *err);
ia_status ia_image_decode_jpeg(const char *name, const uint8_t *bytes, size_t len,
                               ia_image *out, ia_error *err);

#endif
