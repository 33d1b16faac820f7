/* The safetensors reader: bad files are refused with the right status and a
 * message naming the file (and the tensor); good ones, hand-built (unaligned,
 * scalar, empty, sharded) or the model fixtures, read back what an
 * independent reader (Python's json and struct) sees. Bad files are written
 * to a temporary folder removed at the end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ipfs_accelerate/formats.h"

static char tmpdir[] = "/tmp/ia-test-safetensors-XXXXXX";

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

/* An 8-byte length field saying header_len, header_bytes of header, then
 * data_len bytes of data (0, 1, 2, ... so values are recognisable). */
static void write_raw(const char *name, uint64_t header_len, const char *header,
                      size_t header_bytes, size_t data_len)
{
    size_t total = 8 + header_bytes + data_len;
    unsigned char *buf = malloc(total);
    assert_non_null(buf);
    for (int k = 0; k < 8; k++)
        buf[k] = (unsigned char)(header_len >> (8 * k));
    memcpy(buf + 8, header, header_bytes);
    for (size_t i = 0; i < data_len; i++)
        buf[8 + header_bytes + i] = (unsigned char)i;
    char path[512];
    tmp_path(path, sizeof path, name);
    ia_error err;
    assert_int_equal(ia_file_write_all(path, buf, total, &err), IA_OK);
    free(buf);
}

static void write_st(const char *name, const char *header, size_t data_len)
{
    write_raw(name, strlen(header), header, strlen(header), data_len);
}

/* Writes a file whose data is given. */
static void write_st_data(const char *name, const char *header, const void *data, size_t len)
{
    size_t hl = strlen(header), total = 8 + hl + len;
    unsigned char *buf = malloc(total);
    assert_non_null(buf);
    for (int k = 0; k < 8; k++)
        buf[k] = (unsigned char)((uint64_t)hl >> (8 * k));
    memcpy(buf + 8, header, hl);
    if (len)
        memcpy(buf + 8 + hl, data, len);
    char path[512];
    tmp_path(path, sizeof path, name);
    ia_error err;
    assert_int_equal(ia_file_write_all(path, buf, total, &err), IA_OK);
    free(buf);
}

static void write_text(const char *name, const char *text)
{
    char path[512];
    tmp_path(path, sizeof path, name);
    ia_error err;
    assert_int_equal(ia_file_write_all(path, text, strlen(text), &err), IA_OK);
}

/* Opens NAME (in the temp folder) expecting status want and a message that
 * holds the file name `names` and each of up to two more fragments. */
static void expect_refused(const char *name, const char *names, ia_status want, const char *frag1,
                           const char *frag2)
{
    char path[512];
    tmp_path(path, sizeof path, name);
    ia_safetensors *st = NULL;
    ia_error err;
    ia_error_clear(&err);
    ia_status s = ia_safetensors_open(path, &st, &err);
    bool ok = s == want && err.status == want && strstr(err.message, names) &&
              (!frag1 || strstr(err.message, frag1)) && (!frag2 || strstr(err.message, frag2));
    if (!ok)
        print_error("%s: got %s: \"%s\"; wanted %s with '%s' '%s' '%s'\n", name,
                    ia_status_name(s), err.message, ia_status_name(want), names,
                    frag1 ? frag1 : "", frag2 ? frag2 : "");
    assert_true(ok);
    assert_null(st);
}

static ia_safetensors *open_ok(const char *name)
{
    char path[512];
    tmp_path(path, sizeof path, name);
    ia_safetensors *st = NULL;
    ia_error err;
    ia_error_clear(&err);
    ia_status s = ia_safetensors_open(path, &st, &err);
    if (s != IA_OK)
        print_error("%s: %s\n", name, err.message);
    assert_int_equal(s, IA_OK);
    assert_non_null(st);
    return st;
}

/* ------------------------------------------------------------- bad files */

static void test_bad_lengths(void **state)
{
    (void)state;
    ia_error err;
    char path[512];
    tmp_path(path, sizeof path, "empty.safetensors");
    assert_int_equal(ia_file_write_all(path, "", 0, &err), IA_OK);
    expect_refused("empty.safetensors", "empty.safetensors", IA_ERR_PARSE, "too short", NULL);

    tmp_path(path, sizeof path, "tiny.safetensors");
    assert_int_equal(ia_file_write_all(path, "\x10\0\0\0", 4, &err), IA_OK);
    expect_refused("tiny.safetensors", "tiny.safetensors", IA_ERR_PARSE, "4 bytes", "too short");

    /* 100 bytes announced, 20 present: the header was cut in the middle */
    write_raw("cut.safetensors", 100, "{\"w\": {\"dtype\": \"F3", 20, 0);
    expect_refused("cut.safetensors", "cut.safetensors", IA_ERR_PARSE, "100 bytes",
                   "only 20 bytes follow");

    write_raw("huge_length.safetensors", (uint64_t)1 << 62, "{}", 2, 0);
    expect_refused("huge_length.safetensors", "huge_length.safetensors", IA_ERR_PARSE,
                   "4611686018427387904", "not a safetensors file");

    write_raw("long_length.safetensors", 1000, "{}", 2, 40);
    expect_refused("long_length.safetensors", "long_length.safetensors", IA_ERR_PARSE,
                   "1000 bytes", "only 42 bytes follow");

    write_raw("zero_length.safetensors", 0, "", 0, 0);
    expect_refused("zero_length.safetensors", "zero_length.safetensors", IA_ERR_PARSE,
                   "not valid JSON", NULL);
}

typedef struct bad_case {
    const char *name;
    const char *header;
    size_t data_len;
    ia_status want;
    const char *frag1, *frag2;
} bad_case;

static const bad_case bad_cases[] = {
    {"invalid_json.safetensors", "{\"w\": {\"dtype\": \"F32\",", 0, IA_ERR_PARSE,
     "not valid JSON", NULL},
    {"not_object.safetensors", "[1, 2, 3]", 0, IA_ERR_PARSE, "an array, not a JSON object", NULL},
    {"trailing_text.safetensors", "{} x", 0, IA_ERR_PARSE, "text after", NULL},
    {"control_byte.safetensors", "{\"w\x01\": 1}", 0, IA_ERR_PARSE, "control byte 0x01", NULL},
    {"bad_utf8.safetensors", "{\"w\xff\": 1}", 0, IA_ERR_PARSE, "UTF-8", NULL},
    {"nul_escape.safetensors",
     "{\"a\\u0000b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, IA_ERR_PARSE,
     "\\u0000", NULL},
    {"entry_not_object.safetensors", "{\"w\": 5}", 0, IA_ERR_PARSE, "tensor 'w' is a number",
     NULL},
    {"missing_dtype.safetensors", "{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4,
     IA_ERR_PARSE, "tensor 'w' has no dtype", NULL},
    {"dtype_twice.safetensors",
     "{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4,
     IA_ERR_PARSE, "tensor 'w' has 'dtype' twice", NULL},
    {"dtype_f8.safetensors", "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}",
     2, IA_ERR_UNSUPPORTED, "tensor 'w'", "'F8_E4M3'"},
    {"dtype_u16.safetensors", "{\"w\":{\"dtype\":\"U16\",\"shape\":[2],\"data_offsets\":[0,4]}}",
     4, IA_ERR_UNSUPPORTED, "tensor 'w'", "'U16', which this engine does not support"},
    {"dtype_garbage.safetensors",
     "{\"w\":{\"dtype\":\"F33\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, IA_ERR_PARSE,
     "tensor 'w'", "'F33', which is not a safetensors dtype"},
    {"dtype_number.safetensors", "{\"w\":{\"dtype\":5,\"shape\":[2],\"data_offsets\":[0,8]}}", 8,
     IA_ERR_PARSE, "tensor 'w'", "dtype that is a number"},
    {"shape_negative.safetensors",
     "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1,2],\"data_offsets\":[0,8]}}", 8, IA_ERR_PARSE,
     "tensor 'w': shape[0]", "is -1, not a non-negative integer"},
    {"shape_fraction.safetensors",
     "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,1.5],\"data_offsets\":[0,12]}}", 12, IA_ERR_PARSE,
     "tensor 'w': shape[1]", "is 1.5"},
    {"shape_float_spelling.safetensors",
     "{\"w\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", 8, IA_ERR_PARSE,
     "tensor 'w': shape[0]", "is 2.0"},
    {"shape_exponent.safetensors",
     "{\"w\":{\"dtype\":\"U8\",\"shape\":[1e1],\"data_offsets\":[0,10]}}", 10, IA_ERR_PARSE,
     "tensor 'w': shape[0]", "is 1e1"},
    {"shape_string.safetensors",
     "{\"w\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}", 8, IA_ERR_PARSE,
     "tensor 'w': shape[0]", "is a string"},
    {"shape_not_array.safetensors",
     "{\"w\":{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}}",
     8, IA_ERR_PARSE, "tensor 'w'", "shape that is a number"},
    {"shape_above_int64.safetensors",
     "{\"w\":{\"dtype\":\"U8\",\"shape\":[0,9223372036854775808],\"data_offsets\":[0,0]}}", 0,
     IA_ERR_PARSE, "tensor 'w': shape[1]", "larger than 9223372036854775807"},
    {"shape_above_2_64.safetensors",
     "{\"w\":{\"dtype\":\"U8\",\"shape\":[18446744073709551616],\"data_offsets\":[0,0]}}", 0,
     IA_ERR_PARSE, "tensor 'w': shape[0]", "too large for 64 bits"},
    {"shape_overflow.safetensors",
     "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,0]}}", 0,
     IA_ERR_PARSE, "tensor 'w'", "more elements than 64 bits can count"},
    {"bytes_overflow.safetensors",
     "{\"w\":{\"dtype\":\"F64\",\"shape\":[4611686018427387904],\"data_offsets\":[0,0]}}", 0,
     IA_ERR_PARSE, "tensor 'w'", "more bytes than 64 bits can count"},
    {"size_mismatch.safetensors",
     "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", 20, IA_ERR_PARSE,
     "tensor 'w' is F32 [2, 3], 24 bytes", "span 20 bytes"},
    {"offsets_three.safetensors",
     "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 8, IA_ERR_PARSE,
     "tensor 'w'", "expected [begin, end]"},
    {"offsets_negative.safetensors",
     "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 4, IA_ERR_PARSE,
     "tensor 'w': data_offsets[0]", "is -4"},
    {"offsets_reversed.safetensors",
     "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", 8, IA_ERR_PARSE,
     "tensor 'w'", "end before they begin"},
    {"offsets_huge.safetensors",
     "{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[18446744073709551615,"
     "18446744073709551616]}}",
     0, IA_ERR_PARSE, "tensor 'w': data_offsets[1]", "too large"},
    {"past_end.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}",
     8, IA_ERR_PARSE, "tensor 'w' ends at byte 16", "holds only 8 bytes"},
    {"overlap.safetensors",
     "{\"w\":{\"dtype\":\"F32\",\"shape\":[32],\"data_offsets\":[0,128]},"
     "\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[120,128]}}",
     128, IA_ERR_PARSE,
     "tensor 'x' starts at byte 120, but the previous tensor 'w' ends at 128 (overlap)", NULL},
    {"same_range.safetensors",
     "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
     "\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
     8, IA_ERR_PARSE, "tensor 'x' starts at byte 0, but the previous tensor 'w' ends at 8",
     "(overlap)"},
    {"gap.safetensors",
     "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
     "\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[16,24]}}",
     24, IA_ERR_PARSE, "tensor 'x' starts at byte 16, but the previous tensor 'w' ends at 8",
     "gap of 8 bytes"},
    {"gap_at_start.safetensors",
     "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}",
     16, IA_ERR_PARSE, "tensor 'w' starts at byte 8, but the data section starts at 0", NULL},
    {"trailing_data.safetensors",
     "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
     12, IA_ERR_PARSE, "last tensor 'w' ends at byte 8", "4 bytes belong to no tensor"},
    {"no_tensors_with_data.safetensors", "{}", 4, IA_ERR_PARSE, "lists no tensors",
     "4 bytes of data"},
    {"duplicate.safetensors",
     "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
     "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
     8, IA_ERR_PARSE, "tensor 'w' appears twice", NULL},
    {"five_dims.safetensors",
     "{\"v\":{\"dtype\":\"F32\",\"shape\":[1,1,1,1,2],\"data_offsets\":[0,8]}}", 8,
     IA_ERR_UNSUPPORTED, "tensor 'v' has 5 dimensions", "at most 4"},
    {"meta_number.safetensors",
     "{\"__metadata__\":{\"format\":\"pt\",\"step\":5},"
     "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
     4, IA_ERR_PARSE, "__metadata__ value 'step' is a number", "must be strings"},
    {"meta_not_object.safetensors",
     "{\"__metadata__\":\"pt\",\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4,
     IA_ERR_PARSE, "__metadata__ is a string", NULL},
    {"meta_twice.safetensors", "{\"__metadata__\":{},\"__metadata__\":{}}", 0, IA_ERR_PARSE,
     "__metadata__ appears twice", NULL},
    {"meta_key_twice.safetensors", "{\"__metadata__\":{\"a\":\"1\",\"a\":\"2\"}}", 0, IA_ERR_PARSE,
     "__metadata__ key 'a' appears twice", NULL},
};

static void test_bad_headers(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        const bad_case *c = &bad_cases[i];
        write_st(c->name, c->header, c->data_len);
        expect_refused(c->name, c->name, c->want, c->frag1, c->frag2);
    }
}

static void test_not_found(void **state)
{
    (void)state;
    expect_refused("no_such.safetensors", "no_such.safetensors", IA_ERR_NOT_FOUND, NULL, NULL);
    char path[512];
    tmp_path(path, sizeof path, "empty_folder");
    ia_error err;
    assert_int_equal(ia_dir_create_all(path, &err), IA_OK);
    expect_refused("empty_folder", "empty_folder", IA_ERR_NOT_FOUND,
                   "neither model.safetensors nor model.safetensors.index.json", NULL);
}

/* ----------------------------------------------------------- good files */

static void test_unaligned_f16(void **state)
{
    (void)state;
    /* 1.0, -2.0, 0.5 in F16; the header is padded to an odd length, so the
     * data starts at an odd offset and the F16 values are not 2-byte aligned. */
    const uint16_t h[3] = {0x3C00, 0xC000, 0x3800};
    unsigned char data[6];
    memcpy(data, h, sizeof data); /* little-endian host, as the format */
    char header[96] = "{\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]}}";
    while (strlen(header) % 8 != 5)
        strcat(header, " ");
    write_st_data("unaligned.safetensors", header, data, sizeof data);
    ia_safetensors *st = open_ok("unaligned.safetensors");
    assert_int_equal(ia_safetensors_count(st), 1);
    ia_tensor t;
    ia_error err;
    assert_int_equal(ia_safetensors_tensor(st, "h", &t, &err), IA_OK);
    assert_int_equal(t.dtype, IA_DTYPE_F16);
    assert_int_equal(t.ndim, 1);
    assert_int_equal(t.shape[0], 3);
    assert_int_equal((uintptr_t)t.data % 2, 1);
    const float want[3] = {1.0f, -2.0f, 0.5f};
    for (int i = 0; i < 3; i++) {
        uint16_t v;
        memcpy(&v, (const unsigned char *)t.data + 2 * i, sizeof v);
        assert_true(ia_f16_to_f32(v) == want[i]);
    }
    ia_safetensors_close(st);
}

/* A scalar, empty tensors, keys out of data order, an unknown key holding
 * numbers (ignored, but it shifts the number tokens), a name with escapes,
 * a size above 2^53 (read exactly), and metadata. */
static const char mixed_header[] =
    "{\"z\":{\"dtype\":\"I64\",\"shape\":[0],\"data_offsets\":[12,12]},"
    "\"__metadata__\":{\"format\":\"pt\",\"note\":\"caf\\u00e9\"},"
    "\"q\\\"\\\\\\u00e9\":{\"extra\":[1.5,-2,{\"n\":1e9}],\"dtype\":\"U8\","
    "\"shape\":[0,9007199254740993],\"data_offsets\":[12,12]},"
    "\"s\":{\"data_offsets\":[0,4],\"shape\":[],\"dtype\":\"F32\"},"
    "\"m\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[4,12]}}";

static void check_mixed(const ia_safetensors *st, bool mapped)
{
    assert_int_equal(ia_safetensors_count(st), 4);
    /* data order: s [0,4), m [4,12), then the empty ones at 12 by name */
    const char *order[4] = {"s", "m", "q\"\\\xc3\xa9", "z"};
    for (size_t i = 0; i < 4; i++) {
        const ia_safetensors_entry *e = ia_safetensors_entry_at(st, i);
        assert_non_null(e);
        assert_string_equal(e->name, order[i]);
        assert_ptr_equal(ia_safetensors_find(st, order[i]), e);
    }
    assert_null(ia_safetensors_entry_at(st, 4));
    assert_null(ia_safetensors_find(st, "nope"));

    const ia_safetensors_entry *s = ia_safetensors_find(st, "s");
    assert_int_equal(s->ndim, 0);
    assert_int_equal(s->nbytes, 4);
    const ia_safetensors_entry *q = ia_safetensors_entry_at(st, 2);
    assert_int_equal(q->dtype, IA_DTYPE_U8);
    assert_int_equal(q->ndim, 2);
    assert_int_equal(q->shape[0], 0);
    assert_int_equal(q->shape[1], INT64_C(9007199254740993));
    assert_int_equal(q->nbytes, 0);
    assert_int_equal(q->offset, 12);

    assert_string_equal(ia_safetensors_metadata(st, "format"), "pt");
    assert_string_equal(ia_safetensors_metadata(st, "note"), "caf\xc3\xa9");
    assert_null(ia_safetensors_metadata(st, "missing"));

    ia_tensor t;
    ia_error err;
    ia_error_clear(&err);
    if (!mapped) {
        assert_int_equal(ia_safetensors_tensor(st, "s", &t, &err), IA_ERR_INVALID);
        assert_non_null(strstr(err.message, "mixed.safetensors"));
        assert_non_null(strstr(err.message, "'s'"));
        return;
    }
    assert_int_equal(ia_safetensors_tensor(st, "s", &t, &err), IA_OK);
    assert_int_equal(t.ndim, 0);
    assert_int_equal(ia_tensor_numel(&t), 1);
    float sv;
    memcpy(&sv, t.data, sizeof sv);
    assert_true(sv == 2.5f);
    assert_int_equal(ia_safetensors_tensor(st, "m", &t, &err), IA_OK);
    int32_t mv[2];
    memcpy(mv, t.data, sizeof mv);
    assert_int_equal(mv[0], -7);
    assert_int_equal(mv[1], 123456);
    assert_int_equal(ia_safetensors_tensor(st, "z", &t, &err), IA_OK);
    assert_int_equal(t.ndim, 1);
    assert_int_equal(ia_tensor_numel(&t), 0);

    assert_int_equal(ia_safetensors_tensor(st, "absent", &t, &err), IA_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "mixed.safetensors"));
    assert_non_null(strstr(err.message, "'absent'"));
}

static void mixed_bytes(unsigned char *out, size_t *len)
{
    size_t hl = strlen(mixed_header);
    for (int k = 0; k < 8; k++)
        out[k] = (unsigned char)((uint64_t)hl >> (8 * k));
    memcpy(out + 8, mixed_header, hl);
    float s = 2.5f;
    int32_t m[2] = {-7, 123456};
    memcpy(out + 8 + hl, &s, 4);
    memcpy(out + 8 + hl + 4, m, 8);
    *len = 8 + hl + 12;
}

static void test_mixed_file(void **state)
{
    (void)state;
    unsigned char buf[1024];
    size_t len;
    mixed_bytes(buf, &len);
    char path[512];
    tmp_path(path, sizeof path, "mixed.safetensors");
    ia_error err;
    assert_int_equal(ia_file_write_all(path, buf, len, &err), IA_OK);
    ia_safetensors *st = open_ok("mixed.safetensors");
    check_mixed(st, true);
    ia_safetensors_close(st);
}

static void test_parse_header_from_memory(void **state)
{
    (void)state;
    unsigned char buf[1024];
    size_t len;
    mixed_bytes(buf, &len);
    ia_safetensors *st = NULL;
    ia_error err;
    assert_int_equal(ia_safetensors_parse_header("mixed.safetensors", buf, len, len, &st, &err),
                     IA_OK);
    check_mixed(st, false);
    ia_safetensors_close(st);

    /* the header alone, with the file's size bounding the data */
    size_t header_only = len - 12;
    assert_int_equal(
        ia_safetensors_parse_header("mixed.safetensors", buf, header_only, len, &st, &err), IA_OK);
    check_mixed(st, false);
    ia_safetensors_close(st);

    /* fewer bytes than the header: refused, not read past */
    assert_int_equal(
        ia_safetensors_parse_header("mixed.safetensors", buf, header_only - 1, len, &st, &err),
        IA_ERR_PARSE);
    assert_null(st);
    assert_non_null(strstr(err.message, "mixed.safetensors"));
}

static void test_empty_file(void **state)
{
    (void)state;
    write_st("no_tensors.safetensors", "{\"__metadata__\":{\"format\":\"pt\"}}", 0);
    ia_safetensors *st = open_ok("no_tensors.safetensors");
    assert_int_equal(ia_safetensors_count(st), 0);
    assert_null(ia_safetensors_entry_at(st, 0));
    assert_null(ia_safetensors_find(st, "w"));
    assert_string_equal(ia_safetensors_metadata(st, "format"), "pt");
    ia_safetensors_close(st);
}

/* --------------------------------------------------------------- shards */

#define SHARD1 "model-00001-of-00002.safetensors"
#define SHARD2 "model-00002-of-00002.safetensors"
#define ALL_THREE "{\"a\": \"" SHARD1 "\", \"b\": \"" SHARD1 "\", \"c\": \"" SHARD2 "\"}"

static void write_two_shards(const char *dir)
{
    char name[256];
    float a[2] = {1.5f, -3.0f}, b[1] = {42.0f};
    unsigned char d1[12];
    memcpy(d1, a, 8);
    memcpy(d1 + 8, b, 4);
    snprintf(name, sizeof name, "%s/" SHARD1, dir);
    write_st_data(name,
                  "{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]},"
                  "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
                  d1, sizeof d1);
    int64_t c[1] = {-9};
    snprintf(name, sizeof name, "%s/" SHARD2, dir);
    write_st_data(name,
                  "{\"__metadata__\":{\"format\":\"pt\"},"
                  "\"c\":{\"dtype\":\"I64\",\"shape\":[1,1],\"data_offsets\":[0,8]}}",
                  c, sizeof c);
}

static void write_index(const char *dir, const char *weight_map)
{
    char name[256], text[1024];
    snprintf(name, sizeof name, "%s/model.safetensors.index.json", dir);
    snprintf(text, sizeof text,
             "{\"metadata\": {\"total_size\": 20, \"origin\": \"test\"}, \"weight_map\": %s}",
             weight_map);
    write_text(name, text);
}

static void test_sharded(void **state)
{
    (void)state;
    write_two_shards("sharded");
    write_index("sharded", "{\"c\": \"" SHARD2 "\", \"a\": \"" SHARD1 "\", \"b\": \"" SHARD1 "\"}");
    const char *ways[] = {"sharded", "sharded/", "sharded/model.safetensors.index.json"};
    for (size_t w = 0; w < 3; w++) {
        ia_safetensors *st = open_ok(ways[w]);
        assert_int_equal(ia_safetensors_count(st), 3);
        const char *order[3] = {"a", "b", "c"};
        const char *files[3] = {SHARD1, SHARD1, SHARD2};
        for (size_t i = 0; i < 3; i++) {
            const ia_safetensors_entry *e = ia_safetensors_entry_at(st, i);
            assert_string_equal(e->name, order[i]);
            assert_non_null(strstr(e->file, files[i]));
            assert_ptr_equal(ia_safetensors_find(st, order[i]), e);
        }
        ia_tensor t;
        ia_error err;
        assert_int_equal(ia_safetensors_tensor(st, "a", &t, &err), IA_OK);
        float f[2];
        memcpy(f, t.data, sizeof f);
        assert_true(f[0] == 1.5f && f[1] == -3.0f);
        assert_int_equal(ia_safetensors_tensor(st, "b", &t, &err), IA_OK);
        memcpy(f, t.data, 4);
        assert_true(f[0] == 42.0f);
        assert_int_equal(ia_safetensors_tensor(st, "c", &t, &err), IA_OK);
        int64_t c;
        memcpy(&c, t.data, sizeof c);
        assert_int_equal(c, -9);
        assert_int_equal(t.ndim, 2);
        assert_string_equal(ia_safetensors_metadata(st, "format"), "pt");
        assert_string_equal(ia_safetensors_metadata(st, "origin"), "test");
        assert_null(ia_safetensors_metadata(st, "total_size")); /* a number, not metadata */
        ia_safetensors_close(st);
    }
}

static void test_sharded_bad(void **state)
{
    (void)state;
    /* shard 2 absent */
    write_two_shards("shard_missing");
    char path[512];
    tmp_path(path, sizeof path, "shard_missing/" SHARD2);
    assert_int_equal(remove(path), 0);
    write_index("shard_missing", ALL_THREE);
    expect_refused("shard_missing", SHARD2, IA_ERR_NOT_FOUND, "missing shard", "tensor 'c'");

    write_two_shards("shard_slash");
    write_index("shard_slash", "{\"a\": \"" SHARD1 "\", \"b\": \"" SHARD1
                               "\", \"c\": \"../shard_missing/" SHARD2 "\"}");
    expect_refused("shard_slash", "model.safetensors.index.json", IA_ERR_PARSE, "tensor 'c'",
                   "not a plain file name");
    write_index("shard_slash", "{\"a\": \"" SHARD1 "\", \"b\": \"" SHARD1 "\", \"c\": \"..\"}");
    expect_refused("shard_slash", "model.safetensors.index.json", IA_ERR_PARSE, "tensor 'c'",
                   "not a plain file name");

    write_two_shards("shard_lacks");
    write_index("shard_lacks", "{\"a\": \"" SHARD1 "\", \"b\": \"" SHARD1 "\", \"c\": \"" SHARD2
                               "\", \"d\": \"" SHARD1 "\"}");
    expect_refused("shard_lacks", SHARD1, IA_ERR_PARSE, "tensor 'd' is listed in",
                   "missing from the shard");

    write_two_shards("shard_unlisted");
    write_index("shard_unlisted", "{\"a\": \"" SHARD1 "\", \"c\": \"" SHARD2 "\"}");
    expect_refused("shard_unlisted", SHARD1, IA_ERR_PARSE, "tensor 'b'",
                   "not in the weight_map");

    write_two_shards("shard_wrong");
    write_index("shard_wrong",
                "{\"a\": \"" SHARD1 "\", \"b\": \"" SHARD2 "\", \"c\": \"" SHARD2 "\"}");
    expect_refused("shard_wrong", "model.safetensors.index.json", IA_ERR_PARSE, "tensor 'b'",
                   SHARD1);

    /* the same tensor in both shards */
    write_two_shards("shard_both");
    char name[256];
    snprintf(name, sizeof name, "shard_both/" SHARD2);
    write_st(name, "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4);
    write_index("shard_both",
                "{\"a\": \"" SHARD1 "\", \"b\": \"" SHARD1 "\", \"x\": \"" SHARD2 "\"}");
    expect_refused("shard_both", "model.safetensors.index.json", IA_ERR_PARSE,
                   "tensor 'a' is in both", SHARD2);

    /* a bad shard is named, with its tensor */
    write_two_shards("shard_bad");
    snprintf(name, sizeof name, "shard_bad/" SHARD2);
    write_st(name, "{\"c\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8);
    write_index("shard_bad", ALL_THREE);
    expect_refused("shard_bad", SHARD2, IA_ERR_PARSE, "tensor 'c' is F32 [3]", NULL);

    write_two_shards("shard_nomap");
    snprintf(name, sizeof name, "shard_nomap/model.safetensors.index.json");
    write_text(name, "{\"metadata\": {}}");
    expect_refused("shard_nomap", "model.safetensors.index.json", IA_ERR_PARSE,
                   "there is no weight_map", NULL);
    write_text(name, "{\"weight_map\": {}}");
    expect_refused("shard_nomap", "model.safetensors.index.json", IA_ERR_PARSE, "lists no tensors",
                   NULL);
    write_text(name, "{\"weight_map\": {\"a\": 3}}");
    expect_refused("shard_nomap", "model.safetensors.index.json", IA_ERR_PARSE, "tensor 'a'",
                   "not a string");
    write_text(name, "{\"weight_map\": ");
    expect_refused("shard_nomap", "model.safetensors.index.json", IA_ERR_PARSE, "not valid JSON",
                   NULL);
}

/* A folder holding model.safetensors takes it, index or not. */
static void test_folder_single(void **state)
{
    (void)state;
    write_st("single/model.safetensors",
             "{\"w\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[0,3]}}", 3);
    ia_safetensors *st = open_ok("single");
    assert_int_equal(ia_safetensors_count(st), 1);
    assert_non_null(strstr(ia_safetensors_entry_at(st, 0)->file, "single/model.safetensors"));
    ia_tensor t;
    ia_error err;
    assert_int_equal(ia_safetensors_tensor(st, "w", &t, &err), IA_OK);
    assert_int_equal(((const unsigned char *)t.data)[2], 2);
    ia_safetensors_close(st);
}

/* ------------------------------------------- the fixtures, read twice */

/* For the file in argv[1]: the tensor count, the names of tensors of more
 * than 4 dimensions, then for the first 3 in data order: name, dtype, shape
 * and up to 4 values (F32 as repr, which round-trips exactly). */
static const char python_reader[] =
    "import json, struct, sys\n"
    "b = open(sys.argv[1], 'rb').read()\n"
    "n = struct.unpack('<Q', b[:8])[0]\n"
    "h = json.loads(b[8:8 + n].decode('utf-8'))\n"
    "h.pop('__metadata__', None)\n"
    "items = sorted(h.items(), key=lambda kv: (kv[1]['data_offsets'], kv[0]))\n"
    "print('count', len(items))\n"
    "print('big', *[k for k, v in items if len(v['shape']) > 4])\n"
    "fmt = {'F32': ('<f', 4), 'F64': ('<d', 8), 'I64': ('<q', 8), 'I32': ('<i', 4),\n"
    "       'I16': ('<h', 2), 'I8': ('<b', 1), 'U8': ('<B', 1), 'BOOL': ('<B', 1),\n"
    "       'F16': ('<H', 2), 'BF16': ('<H', 2)}\n"
    "for k, v in items[:3]:\n"
    "    f, size = fmt[v['dtype']]\n"
    "    s, e = v['data_offsets']\n"
    "    count = min(4, (e - s) // size)\n"
    "    vals = [struct.unpack_from(f, b, 8 + n + s + i * size)[0] for i in range(count)]\n"
    "    print('t', k, v['dtype'], len(v['shape']), *v['shape'], count, *map(repr, vals))\n";

static void compare_with_python(const char *path, const char *script)
{
    assert_null(strchr(path, '\''));
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "python3 '%s' '%s'", script, path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    static char out[1 << 16];
    size_t len = fread(out, 1, sizeof out - 1, p);
    out[len] = '\0';
    assert_int_equal(pclose(p), 0);

    ia_safetensors *st = NULL;
    ia_error err;
    ia_error_clear(&err);
    ia_status s = ia_safetensors_open(path, &st, &err);

    size_t compared = 0, count = 0;
    char *save = NULL;
    for (char *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *ws = NULL;
        char *tag = strtok_r(line, " ", &ws);
        assert_non_null(tag);
        if (strcmp(tag, "count") == 0) {
            count = strtoul(strtok_r(NULL, " ", &ws), NULL, 10);
            continue;
        }
        if (strcmp(tag, "big") == 0) {
            char *big = strtok_r(NULL, " ", &ws);
            if (!big)
                continue;
            /* More than IA_TENSOR_MAX_DIMS: refused by name, as documented. */
            if (s != IA_ERR_UNSUPPORTED || !strstr(err.message, big) || !strstr(err.message, path))
                print_error("%s: expected a refusal naming '%s', got %s: %s\n", path, big,
                            ia_status_name(s), err.message);
            assert_int_equal(s, IA_ERR_UNSUPPORTED);
            assert_null(st);
            print_message("  %s: refused as expected: %s\n", path, err.message);
            return;
        }
        if (s != IA_OK)
            print_error("%s: %s\n", path, err.message);
        assert_int_equal(s, IA_OK);
        assert_int_equal(ia_safetensors_count(st), count);
        const char *name = strtok_r(NULL, " ", &ws);
        const char *dtype = strtok_r(NULL, " ", &ws);
        assert_non_null(name);
        assert_non_null(dtype);
        const ia_safetensors_entry *e = ia_safetensors_entry_at(st, compared);
        assert_non_null(e);
        assert_string_equal(e->name, name);
        assert_string_equal(ia_dtype_name(e->dtype), dtype);
        int ndim = atoi(strtok_r(NULL, " ", &ws));
        assert_int_equal(e->ndim, ndim);
        for (int d = 0; d < ndim; d++)
            assert_int_equal(e->shape[d], strtoll(strtok_r(NULL, " ", &ws), NULL, 10));
        int nvals = atoi(strtok_r(NULL, " ", &ws));
        ia_tensor t;
        assert_int_equal(ia_safetensors_tensor(st, name, &t, &err), IA_OK);
        for (int i = 0; i < nvals; i++) {
            const char *v = strtok_r(NULL, " ", &ws);
            assert_non_null(v);
            const unsigned char *at = (const unsigned char *)t.data + i * ia_dtype_size(e->dtype);
            if (e->dtype == IA_DTYPE_F32) {
                float got, want = (float)strtod(v, NULL);
                memcpy(&got, at, sizeof got);
                assert_true(got == want || (isnan(got) && isnan(want)));
            } else if (e->dtype == IA_DTYPE_I64) {
                int64_t got;
                memcpy(&got, at, sizeof got);
                assert_int_equal(got, strtoll(v, NULL, 10));
            } else {
                fail_msg("%s: no comparison written for dtype %s", path, dtype);
            }
        }
        compared++;
    }
    assert_int_equal(s, IA_OK);
    assert_true(compared == count || compared == 3);
    ia_safetensors_close(st);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ia_safetensors_write, read back by our own reader: names, dtypes, shapes
 * and bytes survive, in order; a non-contiguous tensor is refused. */
static void test_write_round_trip(void **state)
{
    (void)state;
    char path[512];
    tmp_path(path, sizeof path, "written.safetensors");
    float f[6] = {1.5f, -2, 3, 4, 5, 6.25f};
    int64_t ids[3] = {7, -1, 1LL << 40};
    const int64_t fs[2] = {2, 3}, is[1] = {3};
    ia_tensor t[2] = {ia_tensor_make(IA_DTYPE_F32, 2, fs, f), ia_tensor_make(IA_DTYPE_I64, 1, is, ids)};
    const char *names[2] = {"output.logits", "output.generated_ids"};
    ia_error err = {0};
    const char *meta[] = {"format", "pt", "weights", "synthetic", NULL};
    assert_int_equal(ia_safetensors_write(path, names, t, 2, meta, &err), IA_OK);
    ia_safetensors *st = NULL;
    assert_int_equal(ia_safetensors_open(path, &st, &err), IA_OK);
    assert_int_equal(ia_safetensors_count(st), 2);
    assert_string_equal(ia_safetensors_metadata(st, "weights"), "synthetic");
    ia_tensor r;
    assert_int_equal(ia_safetensors_tensor(st, "output.logits", &r, &err), IA_OK);
    assert_int_equal(r.dtype, IA_DTYPE_F32);
    assert_true(ia_tensor_same_shape(&r, &t[0]));
    assert_memory_equal(r.data, f, sizeof f);
    assert_int_equal(ia_safetensors_tensor(st, "output.generated_ids", &r, &err), IA_OK);
    assert_int_equal(r.dtype, IA_DTYPE_I64);
    assert_memory_equal(r.data, ids, sizeof ids);
    ia_safetensors_close(st);

    ia_tensor view;
    assert_int_equal(ia_tensor_view_permute(&t[0], (const int[]){1, 0}, &view, &err), IA_OK);
    assert_int_equal(ia_safetensors_write(path, names, &view, 1, NULL, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "not contiguous"));
}

static void test_fixtures_match_python(void **state)
{
    (void)state;
    const char *fixtures = getenv("IA_FIXTURES");
    if (!fixtures)
        fixtures = "tests/fixtures";
    char script[512], models[512];
    tmp_path(script, sizeof script, "read_safetensors.py");
    write_text("read_safetensors.py", python_reader);
    snprintf(models, sizeof models, "%s/models", fixtures);
    DIR *d = opendir(models);
    assert_non_null(d);
    char *names[256];
    size_t n = 0;
    for (struct dirent *de; (de = readdir(d)) && n < 256;) {
        if (de->d_name[0] != '.')
            names[n++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    size_t files = 0;
    for (size_t i = 0; i < n; i++) {
        const char *which[2] = {"model.safetensors", "reference.safetensors"};
        for (int w = 0; w < 2; w++) {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s/%s", models, names[i], which[w]);
            struct stat sb;
            if (stat(path, &sb) != 0)
                continue;
            compare_with_python(path, script);
            files++;
        }
        free(names[i]);
    }
    print_message("  compared %zu fixture files with Python's reading\n", files);
    assert_true(files >= 40);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_lengths),
        cmocka_unit_test(test_bad_headers),
        cmocka_unit_test(test_not_found),
        cmocka_unit_test(test_unaligned_f16),
        cmocka_unit_test(test_mixed_file),
        cmocka_unit_test(test_parse_header_from_memory),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_sharded),
        cmocka_unit_test(test_sharded_bad),
        cmocka_unit_test(test_folder_single),
        cmocka_unit_test(test_write_round_trip),
        cmocka_unit_test(test_fixtures_match_python),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
