/* What safetensors_header.c (one file's header) and safetensors.c (the
 * reader, folders and shard indexes, the public API) share. An ia_safetensors is
 * filled file by file (ia_safetensors_add_file), then sealed by
 * ia_safetensors_finish, which builds the name index: nothing may be added
 * after that, because the index points into the entry array. */
#ifndef IA_FORMATS_SAFETENSORS_INTERNAL_H
#define IA_FORMATS_SAFETENSORS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ipfs_accelerate/formats.h"

typedef struct ia_safetensors_file {
    char *path;           /* as given: messages and entry->file show it */
    void *map;            /* NULL when only a header was parsed from memory */
    size_t map_len;
    const uint8_t *data;  /* the data section (NULL without a mapping) */
    uint64_t data_len;
} ia_safetensors_file;

typedef struct ia_safetensors_item {
    ia_safetensors_entry pub; /* what entry_at and find hand out */
    size_t file;              /* index into files */
} ia_safetensors_item;

/* How much of a tensor name a message shows, so the rest still fits. */
#define IA_SAFETENSORS_NAME_SHOWN 160

/* Index metadata comes from no shard: it gets this file number. */
#define IA_SAFETENSORS_NO_FILE ((size_t)-1)

typedef struct ia_safetensors_meta {
    char *key, *value;
    size_t file; /* a key twice in one file is refused; across files the first wins */
    size_t seq;  /* insertion order, so "the first" is well defined after sorting */
} ia_safetensors_meta;

struct ia_safetensors {
    char *path; /* what was opened (a file, an index or a folder) */
    ia_safetensors_file *files;
    size_t nfiles, files_cap;
    ia_safetensors_item *entries; /* file order, then data order within a file */
    size_t count, entries_cap;
    const ia_safetensors_item **by_name; /* built by ia_safetensors_finish */
    ia_safetensors_meta *meta;           /* sorted by key once finished */
    size_t nmeta, meta_cap;
};

/* An empty reader; NULL when out of memory. */
ia_safetensors *ia_safetensors_create(const char *path);
/* safetensors_header.c: validates the header of files[file], held in bytes
 * (the length field and the JSON at least), with file_size bounding the data
 * section; appends the file's tensors (in data order) and metadata. */
ia_status ia_safetensors_parse_file_header(ia_safetensors *st, size_t file, const uint8_t *bytes,
                                           size_t len, uint64_t file_size, ia_error *err);

/* Maps a .safetensors file and validates its header. */
ia_status ia_safetensors_add_file(ia_safetensors *st, const char *path, ia_error *err);
ia_status ia_safetensors_add_meta(ia_safetensors *st, size_t file, const char *key,
                                  const char *value, ia_error *err);
/* Sorts the name index and metadata, refusing names found in two files. */
ia_status ia_safetensors_finish(ia_safetensors *st, ia_error *err);
const ia_safetensors_item *ia_safetensors_lookup(const ia_safetensors *st, const char *name);


#endif
