/* Reading tokenizer.json values with errors that give the JSON path of the
 * problem, so a person can find it in a file of megabytes. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tokenizer/tokenizer_internal.h"

void tk_path_key(char out[TK_PATH_MAX], const char *parent, const char *key)
{
    if (!parent || !*parent)
        snprintf(out, TK_PATH_MAX, "%s", key);
    else
        snprintf(out, TK_PATH_MAX, "%s.%s", parent, key);
}

void tk_path_index(char out[TK_PATH_MAX], const char *parent, size_t i)
{
    snprintf(out, TK_PATH_MAX, "%s[%zu]", parent, i);
}

ia_status tk_json_fail(const tk_load *ld, ia_status st, const char *path, const char *fmt, ...)
{
    char msg[IA_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (path && *path)
        return ia_error_set(ld->err, st, "%s: at %s: %s", ld->file, path, msg);
    return ia_error_set(ld->err, st, "%s: %s", ld->file, msg);
}

const char *tk_json_kind(const cJSON *v)
{
    if (!v)
        return "nothing";
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsBool(v))
        return "a boolean";
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsObject(v))
        return "an object";
    if (cJSON_IsNull(v))
        return "null";
    return "an unknown value";
}

/* The value under key, or NULL when absent or null; fails on a missing
 * required one. */
static ia_status lookup(const tk_load *ld, const cJSON *obj, const char *path, const char *key,
                        bool required, const cJSON **out)
{
    *out = NULL;
    if (!cJSON_IsObject(obj))
        return tk_json_fail(ld, IA_ERR_PARSE, path, "expected an object, found %s",
                            tk_json_kind(obj));
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v || cJSON_IsNull(v)) {
        if (required)
            return tk_json_fail(ld, IA_ERR_PARSE, path, "missing '%s'", key);
        return IA_OK;
    }
    *out = v;
    return IA_OK;
}

static ia_status wrong_type(const tk_load *ld, const char *path, const char *key,
                            const char *want, const cJSON *v)
{
    char p[TK_PATH_MAX];
    tk_path_key(p, path, key);
    return tk_json_fail(ld, IA_ERR_PARSE, p, "expected %s, found %s", want, tk_json_kind(v));
}

ia_status tk_json_string(const tk_load *ld, const cJSON *obj, const char *path, const char *key,
                         bool required, const char *def, const char **out)
{
    const cJSON *v;
    ia_status st = lookup(ld, obj, path, key, required, &v);
    if (st != IA_OK)
        return st;
    if (!v) {
        *out = def;
        return IA_OK;
    }
    if (!cJSON_IsString(v))
        return wrong_type(ld, path, key, "a string", v);
    *out = v->valuestring;
    return IA_OK;
}

ia_status tk_json_bool(const tk_load *ld, const cJSON *obj, const char *path, const char *key,
                       bool required, bool def, bool *out)
{
    const cJSON *v;
    ia_status st = lookup(ld, obj, path, key, required, &v);
    if (st != IA_OK)
        return st;
    if (!v) {
        *out = def;
        return IA_OK;
    }
    if (!cJSON_IsBool(v))
        return wrong_type(ld, path, key, "a boolean", v);
    *out = cJSON_IsTrue(v);
    return IA_OK;
}

ia_status tk_json_int(const tk_load *ld, const cJSON *obj, const char *path, const char *key,
                      bool required, int64_t def, int64_t min, int64_t max, int64_t *out)
{
    const cJSON *v;
    ia_status st = lookup(ld, obj, path, key, required, &v);
    if (st != IA_OK)
        return st;
    if (!v) {
        *out = def;
        return IA_OK;
    }
    if (!cJSON_IsNumber(v))
        return wrong_type(ld, path, key, "an integer", v);
    double d = v->valuedouble;
    char p[TK_PATH_MAX];
    tk_path_key(p, path, key);
    if (!isfinite(d) || d != floor(d))
        return tk_json_fail(ld, IA_ERR_PARSE, p, "expected an integer, found %g", d);
    if (d < (double)min || d > (double)max)
        return tk_json_fail(ld, IA_ERR_INVALID, p, "%g is outside [%lld, %lld]", d,
                            (long long)min, (long long)max);
    *out = (int64_t)d;
    return IA_OK;
}

ia_status tk_json_number(const tk_load *ld, const cJSON *obj, const char *path, const char *key,
                         bool required, double def, double *out)
{
    const cJSON *v;
    ia_status st = lookup(ld, obj, path, key, required, &v);
    if (st != IA_OK)
        return st;
    if (!v) {
        *out = def;
        return IA_OK;
    }
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
        return wrong_type(ld, path, key, "a finite number", v);
    *out = v->valuedouble;
    return IA_OK;
}

ia_status tk_json_array(const tk_load *ld, const cJSON *obj, const char *path, const char *key,
                        bool required, const cJSON **out)
{
    ia_status st = lookup(ld, obj, path, key, required, out);
    if (st == IA_OK && *out && !cJSON_IsArray(*out))
        return wrong_type(ld, path, key, "an array", *out);
    return st;
}

ia_status tk_json_object(const tk_load *ld, const cJSON *obj, const char *path, const char *key,
                         bool required, const cJSON **out)
{
    ia_status st = lookup(ld, obj, path, key, required, out);
    if (st == IA_OK && *out && !cJSON_IsObject(*out))
        return wrong_type(ld, path, key, "an object", *out);
    return st;
}

ia_status tk_json_component_type(const tk_load *ld, const cJSON *v, const char *path,
                                 const char **type)
{
    if (!cJSON_IsObject(v))
        return tk_json_fail(ld, IA_ERR_PARSE, path, "expected an object, found %s",
                            tk_json_kind(v));
    return tk_json_string(ld, v, path, "type", true, NULL, type);
}

ia_status tk_json_unknown_type(const tk_load *ld, const char *path, const char *what,
                               const char *type, const char *supported)
{
    char p[TK_PATH_MAX];
    tk_path_key(p, path, "type");
    return tk_json_fail(ld, IA_ERR_UNSUPPORTED, p, "%s type '%s' is not supported (supported: %s)",
                        what, type, supported);
}
