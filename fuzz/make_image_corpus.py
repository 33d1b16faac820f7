#!/usr/bin/python3
"""Regenerates the seed corpus of fuzz_image (fuzz/corpus/image/).

Each seed is fuzz_image's input: a mode byte, then the data (fuzz/fuzz_image.c
says what the bits mean). Decode seeds (mode 0x00) are tiny PNGs and JPEGs
written by PIL in the layouts the decoders must handle; processor seeds
(mode bit 0 set) are preprocessor_config.json texts. The seeds are
committed; this script is only for making them again, with /usr/bin/python3
and PIL (Debian's python3-pil). Every seed stays under 2 KB but one:
crash-progressive-scans, a JPEG with 266 scans (each scan header takes 10
bytes), over image_jpeg.c's limit of 256, which decoded one pass over the
image per scan before that limit existed.
"""
import io
import json
import os
import struct
import sys
import zlib

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus", "image")

DECODE = b"\x00"


def processor_mode(model_type=0, size=1, batch=False):
    """Mode byte: bit 0 set, bits 1-2 model_type (0 NULL, 1 vit, 2 deit,
    3 beit), bits 3-4 the fixed image's size, bit 5 a batch of two."""
    return bytes([1 | model_type << 1 | size << 3 | (0x20 if batch else 0)])


def pattern(mode, size):
    """A small picture with edges and gradients, so the codecs have work."""
    w, h = size
    img = Image.new("RGB", size)
    px = img.load()
    for y in range(h):
        for x in range(w):
            px[x, y] = ((x * 255) // max(w - 1, 1), (y * 255) // max(h - 1, 1),
                        255 if (x // 3 + y // 3) % 2 else 0)
    if mode == "RGB":
        return img
    if mode == "P":
        return img.quantize(colors=8)
    if mode == "RGBA":
        img = img.convert("RGBA")
        img.putalpha(Image.linear_gradient("L").resize(size))
        return img
    return img.convert(mode)


def encode(img, fmt, **kw):
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


# Adam7's passes: first column, first row, column step, row step.
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
         (0, 1, 1, 2)]


def raw_png(width, height, color_type, depth, pixel, interlace=False):
    """A PNG written by hand, for what PIL does not write (Adam7 interlacing,
    16-bit RGBA): pixel(x, y) gives one pixel's bytes, rows use filter 0."""
    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body +
                struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    raw = bytearray()
    for x0, y0, dx, dy in (ADAM7 if interlace else [(0, 0, 1, 1)]):
        xs = range(x0, width, dx)
        if not xs:
            continue  # an empty pass has no rows at all, not even filter bytes
        for y in range(y0, height, dy):
            raw += b"\x00" + b"".join(pixel(x, y) for x in xs)
    ihdr = struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, 1 if interlace else 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
            chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b""))


def png16(size):
    """A 16-bit grayscale PNG (PIL's mode I;16)."""
    w, h = size
    img = Image.new("I;16", size)
    img.putdata([(x * 4099 + y * 977) & 0xFFFF for y in range(h) for x in range(w)])
    return encode(img, "PNG")


def seeds():
    s = {}
    # PNG: the colour types and depths libpng's transformations cover.
    s["png-gray"] = DECODE + encode(pattern("L", (9, 7)), "PNG")
    s["png-gray-1bit"] = DECODE + encode(pattern("1", (11, 5)), "PNG")
    s["png-palette"] = DECODE + encode(pattern("P", (10, 6)), "PNG")
    s["png-rgb"] = DECODE + encode(pattern("RGB", (8, 8)), "PNG")
    s["png-rgba"] = DECODE + encode(pattern("RGBA", (7, 9)), "PNG")
    s["png-gray16"] = DECODE + png16((6, 5))
    s["png-interlaced"] = DECODE + raw_png(
        11, 10, 2, 8, lambda x, y: bytes([x * 23 & 255, y * 25 & 255, (x ^ y) * 16 & 255]),
        interlace=True)
    s["png-rgba16"] = DECODE + raw_png(
        5, 4, 6, 16, lambda x, y: struct.pack(">4H", x * 13000, y * 16000, (x + y) * 7000,
                                              65535 - x * 9000))
    # JPEG: baseline 4:2:0, progressive, grayscale, CMYK (Adobe inverted).
    s["jpeg-baseline"] = DECODE + encode(pattern("RGB", (16, 16)), "JPEG", quality=50)
    s["jpeg-progressive"] = DECODE + encode(pattern("RGB", (16, 8)), "JPEG", quality=40,
                                            progressive=True)
    s["jpeg-gray"] = DECODE + encode(pattern("L", (12, 9)), "JPEG", quality=60)
    s["jpeg-cmyk"] = DECODE + encode(pattern("CMYK", (8, 8)), "JPEG", quality=40)
    # Cut in the middle of the entropy-coded data: must be refused as truncated.
    png = encode(pattern("RGB", (8, 8)), "PNG")
    s["png-truncated"] = DECODE + png[:len(png) * 2 // 3]
    jpg = encode(pattern("RGB", (16, 16)), "JPEG", quality=50)
    s["jpeg-truncated"] = DECODE + jpg[:len(jpg) * 3 // 4]

    # An 8 x 8 progressive gray JPEG whose own scans are followed by 260
    # repeats of a bare DC scan header (libjpeg warns of the bogus
    # progression and goes on): refused for its scan count.
    small = encode(Image.new("L", (8, 8), 100), "JPEG", quality=50, progressive=True)
    sof = small.index(b"\xff\xc2")
    component = small[sof + 10:sof + 11]
    dc_scan = b"\xff\xda\x00\x08\x01" + component + b"\x00\x00\x00\x00"
    s["crash-progressive-scans"] = DECODE + small[:-2] + dc_scan * 260 + b"\xff\xd9"

    def config(name, obj, **mode):
        s[name] = processor_mode(**mode) + json.dumps(obj, indent=2).encode()

    # google/vit-base-patch16-224's preprocessor_config.json.
    config("config-vit", {
        "do_normalize": True, "do_resize": True,
        "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5],
        "image_processor_type": "ViTImageProcessor", "resample": 2,
        "size": {"height": 224, "width": 224}}, model_type=1)
    # facebook/deit-base-distilled-patch16-224's (the old feature extractor).
    config("config-deit", {
        "crop_size": 224, "do_center_crop": True, "do_normalize": True, "do_resize": True,
        "feature_extractor_type": "DeiTFeatureExtractor",
        "image_mean": [0.485, 0.456, 0.406], "image_std": [0.229, 0.224, 0.225],
        "resample": 3, "size": 256}, model_type=2, size=3)
    # Nulls mean "the default"; a batch of two sizes that a fixed size evens out.
    config("config-nulls", {
        "do_resize": None, "size": None, "crop_size": None, "image_mean": None,
        "image_std": 0.25, "resample": None, "rescale_factor": None,
        "do_center_crop": True}, model_type=3, size=2, batch=True)
    # shortest_edge with a crop, on an image taller than wide.
    config("config-shortest-edge", {
        "image_processor_type": "BeitImageProcessor", "size": {"shortest_edge": 16},
        "do_center_crop": True, "crop_size": {"height": 12, "width": 10}, "resample": 0},
        size=2)
    # Errors: a resample PIL does not have, a size out of range.
    config("config-bad-resample", {"image_processor_type": "ViTImageProcessor",
                                   "resample": 7}, model_type=1)
    config("config-bad-size", {"size": {"height": 0, "width": 40000}, "do_resize": True})
    return s


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, data in sorted(seeds().items()):
        if len(data) >= 2048 and not name.startswith("crash-"):
            sys.exit(f"{name}: {len(data)} bytes, over the 2 KB a seed may take")
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        print(f"{len(data):5d} {name}")


if __name__ == "__main__":
    main()
