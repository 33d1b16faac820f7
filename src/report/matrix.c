/* The compatibility matrix: what the store says about each model (or model
 * family) on each hardware, in one of four states.
 *
 * A cell's evidence is the latest results of its configurations (OK, with
 * the lowest latency) and the latest compatibility row (FAILED or
 * UNSUPPORTED when its status is not 'ok'); when both exist the newer one
 * wins, so a fixed failure turns OK once it is measured again and a model
 * that started failing shows the failure. Without evidence the registry and
 * this build decide between UNSUPPORTED and NOT_MEASURED: a model type we do
 * not run natively, or hardware this build has no backend for and nobody
 * measured, cannot be "not measured yet" in any useful sense.
 *
 * Filters are applied here, not in SQL, so user text never reaches a query.
 */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipfs_accelerate/models.h"
#include "report_internal.h"

/* What the store holds about one (model, hardware). */
typedef struct evidence {
    const char *model, *hardware; /* borrowed from the query tables */
    bool has_results;
    double best_ms;
    int64_t best_batch, results_us;
    bool all_simulated;
    const char *status, *error_type, *error_message; /* latest non-ok compat row */
    int64_t compat_us;
} evidence;

/* A growing list of distinct names (borrowed). */
typedef struct name_list {
    const char **v;
    size_t n, cap;
} name_list;

static bool name_list_add(name_list *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return true;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        const char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return false;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = s;
    return true;
}

/* qsort wants a non-NULL base even for no elements. */
static void name_list_sort(name_list *l, int (*cmp)(const void *, const void *))
{
    if (l->n > 1)
        qsort(l->v, l->n, sizeof *l->v, cmp);
}

static size_t name_list_index(const name_list *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return i;
    return (size_t)-1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "unknown" last: it is what is left, not a family. */
static int cmp_family(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    bool xu = strcmp(x, "unknown") == 0, yu = strcmp(y, "unknown") == 0;
    if (xu != yu)
        return xu ? 1 : -1;
    return strcmp(x, y);
}

static const char *cell_at(const ia_store_table *t, size_t row, size_t col)
{
    return t->cells[row * t->columns + col];
}

static double num_or_nan(const char *s)
{
    return s ? strtod(s, NULL) : NAN;
}

static int64_t int_or(const char *s, int64_t fallback)
{
    return s ? strtoll(s, NULL, 10) : fallback;
}

static bool in_backends(const char *hardware)
{
    const char *list = ia_build_info_get()->backends;
    size_t n = strlen(hardware);
    for (const char *p = list; p && *p;) {
        while (*p == ' ')
            p++;
        size_t len = strcspn(p, " ");
        if (len == n && len && strncmp(p, hardware, n) == 0)
            return true;
        p += len;
    }
    return false;
}

/* The model type a stored model is known to have: the store's, else its
 * preset's config.json. Never a guess from the name: a guess may call a
 * model unsupported that is not. Returns NULL when unknown. */
static const ia_model_type_info *known_type(const char *name, const char *model_type)
{
    if (model_type && *model_type)
        return ia_model_type_find(model_type);
    const ia_model_preset *p = ia_model_preset_find(name);
    if (!p || !p->config_json)
        return NULL;
    cJSON *cfg = cJSON_Parse(p->config_json);
    const cJSON *mt = cJSON_GetObjectItemCaseSensitive(cfg, "model_type");
    const ia_model_type_info *t = cJSON_IsString(mt) ? ia_model_type_find(mt->valuestring) : NULL;
    cJSON_Delete(cfg);
    return t;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static char *printf_dup(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *printf_dup(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s) {
        va_start(ap, fmt);
        vsnprintf(s, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return s;
}

/* The cell of one model on one hardware. Returns false on out of memory. */
static bool model_cell(const evidence *e, const ia_model_type_info *type, const char *hardware,
                       bool measured_on_hardware, ia_matrix_cell *cell)
{
    *cell = (ia_matrix_cell){.state = IA_CELL_NOT_MEASURED, .best_latency_ms = NAN,
                             .best_batch_size = -1, .models = 1};
    bool failure = e && e->status;
    bool ok = e && e->has_results;
    if (failure && ok)
        failure = e->compat_us > e->results_us;
    if (ok && !failure) {
        cell->state = IA_CELL_OK;
        cell->best_latency_ms = e->best_ms;
        cell->best_batch_size = e->best_batch;
        cell->simulated = e->all_simulated;
        cell->ok_models = 1;
        return true;
    }
    if (failure) {
        const char *msg = e->error_message ? e->error_message : e->error_type;
        if (strcmp(e->status, "unsupported") == 0) {
            cell->state = IA_CELL_UNSUPPORTED;
            cell->reason = dup_or_null(msg);
            return !msg || cell->reason;
        }
        cell->state = IA_CELL_FAILED;
        cell->reason = msg ? printf_dup("%s: %s", e->status, msg) : strdup(e->status);
        return cell->reason != NULL;
    }
    if (type && type->status != IA_MODEL_NATIVE) {
        cell->state = IA_CELL_UNSUPPORTED;
        cell->reason =
            type->status == IA_MODEL_PLANNED
                ? printf_dup("model type %s is planned, not yet run by this engine",
                             type->model_type)
                : printf_dup("model type %s is not supported by this engine", type->model_type);
        return cell->reason != NULL;
    }
    if (!in_backends(hardware) && !measured_on_hardware) {
        cell->state = IA_CELL_UNSUPPORTED;
        cell->reason = printf_dup("this build has no %s backend", hardware);
        return cell->reason != NULL;
    }
    return true;
}

/* A family's cell from its models' cells: OK when any model is, then
 * FAILED when any failed, then UNSUPPORTED when all are. */
static bool family_cell(const ia_matrix_cell *const *members, size_t count, ia_matrix_cell *cell)
{
    *cell = (ia_matrix_cell){.state = IA_CELL_NOT_MEASURED, .best_latency_ms = NAN,
                             .best_batch_size = -1, .models = count};
    size_t failed = 0, unsupported = 0;
    const char *first_failed = NULL, *first_unsupported = NULL;
    bool all_simulated = true;
    for (size_t i = 0; i < count; i++) {
        const ia_matrix_cell *m = members[i];
        if (m->state == IA_CELL_OK) {
            cell->ok_models++;
            all_simulated = all_simulated && m->simulated;
            if (isnan(cell->best_latency_ms) ||
                (!isnan(m->best_latency_ms) && m->best_latency_ms < cell->best_latency_ms)) {
                cell->best_latency_ms = m->best_latency_ms;
                cell->best_batch_size = m->best_batch_size;
            }
        } else if (m->state == IA_CELL_FAILED) {
            if (failed++ == 0)
                first_failed = m->reason ? m->reason : "failed";
        } else if (m->state == IA_CELL_UNSUPPORTED) {
            if (unsupported++ == 0)
                first_unsupported = m->reason;
        }
    }
    if (cell->ok_models) {
        cell->state = IA_CELL_OK;
        cell->simulated = all_simulated;
        return true;
    }
    const char *first = NULL;
    size_t more = 0;
    if (failed) {
        cell->state = IA_CELL_FAILED;
        first = first_failed;
        more = failed - 1;
    } else if (count && unsupported == count) {
        cell->state = IA_CELL_UNSUPPORTED;
        first = first_unsupported;
        more = 0; /* every member is: the first reason stands for the family */
    } else {
        return true;
    }
    if (!first)
        return true;
    cell->reason = more ? printf_dup("%s (+%zu more)", first, more) : strdup(first);
    return cell->reason != NULL;
}

void ia_matrix_free(ia_matrix *m)
{
    if (!m)
        return;
    for (size_t r = 0; r < m->rows; r++)
        free(m->row_names ? m->row_names[r] : NULL);
    for (size_t c = 0; c < m->columns; c++)
        free(m->column_names ? m->column_names[c] : NULL);
    for (size_t i = 0; m->cells && i < m->rows * m->columns; i++)
        free(m->cells[i].reason);
    free(m->row_names);
    free(m->column_names);
    free(m->cells);
    free(m);
}

/* The store's evidence, one query each. */
static const char results_sql[] =
    "SELECT l.model, l.hardware,"
    " min(coalesce(l.latency_ms_p50, r.latency_ms_mean)) AS best_ms,"
    " arg_min(l.batch_size, coalesce(l.latency_ms_p50, r.latency_ms_mean)) AS best_batch,"
    " CASE WHEN bool_and(coalesce(l.is_simulated, false)) THEN 1 ELSE 0 END AS simulated,"
    " epoch_us(max(l.created_at)) AS newest"
    " FROM latest_performance l JOIN performance_results r USING (result_id)"
    " GROUP BY l.model, l.hardware";
static const char compat_sql[] =
    "SELECT model, hardware, status, error_type, error_message, epoch_us(last_checked)"
    " FROM compatibility_matrix";
static const char models_sql[] = "SELECT model_name, model_type FROM models";

typedef struct build_state {
    ia_store_table *results, *compat, *models;
    evidence *ev;
    size_t ev_count;
    name_list row_models, hardware, measured_hw;
    char *backends; /* the build's list, split in place: hardware points into it */
} build_state;

static evidence *find_evidence(build_state *s, const char *model, const char *hardware,
                               bool add)
{
    for (size_t i = 0; i < s->ev_count; i++)
        if (strcmp(s->ev[i].model, model) == 0 && strcmp(s->ev[i].hardware, hardware) == 0)
            return &s->ev[i];
    if (!add)
        return NULL;
    evidence *e = &s->ev[s->ev_count++]; /* ev holds a slot per query row */
    *e = (evidence){.model = model, .hardware = hardware, .best_ms = NAN, .best_batch = -1};
    return e;
}

static bool keep_model(const char *model, const char *filter)
{
    return !filter || !*filter || strstr(model, filter) != NULL;
}

static const char *stored_type(const build_state *s, const char *model)
{
    for (size_t r = 0; r < s->models->rows; r++)
        if (cell_at(s->models, r, 0) && strcmp(cell_at(s->models, r, 0), model) == 0)
            return cell_at(s->models, r, 1);
    return NULL;
}

static ia_status gather(ia_store *store, const char *model_filter, build_state *s,
                        ia_error *err)
{
    ia_status st = ia_store_query(store, results_sql, &s->results, err);
    if (st == IA_OK)
        st = ia_store_query(store, compat_sql, &s->compat, err);
    if (st == IA_OK)
        st = ia_store_query(store, models_sql, &s->models, err);
    if (st != IA_OK)
        return st;
    s->ev = calloc(s->results->rows + s->compat->rows + 1, sizeof *s->ev);
    if (!s->ev)
        return ia_error_set(err, IA_ERR_NOMEM, "matrix: out of memory");
    bool mem = true;
    for (size_t r = 0; r < s->results->rows; r++) {
        const char *model = cell_at(s->results, r, 0), *hw = cell_at(s->results, r, 1);
        if (!model || !hw)
            continue;
        mem = mem && name_list_add(&s->measured_hw, hw) && name_list_add(&s->hardware, hw);
        if (!keep_model(model, model_filter))
            continue;
        mem = mem && name_list_add(&s->row_models, model);
        evidence *e = find_evidence(s, model, hw, true);
        e->has_results = true;
        e->best_ms = num_or_nan(cell_at(s->results, r, 2));
        e->best_batch = int_or(cell_at(s->results, r, 3), -1);
        e->all_simulated = int_or(cell_at(s->results, r, 4), 0) != 0;
        e->results_us = int_or(cell_at(s->results, r, 5), 0);
    }
    for (size_t r = 0; r < s->compat->rows; r++) {
        const char *model = cell_at(s->compat, r, 0), *hw = cell_at(s->compat, r, 1);
        const char *status = cell_at(s->compat, r, 2);
        if (!model || !hw)
            continue;
        mem = mem && name_list_add(&s->hardware, hw);
        if (!keep_model(model, model_filter))
            continue;
        mem = mem && name_list_add(&s->row_models, model);
        if (!status || strcmp(status, "ok") == 0)
            continue; /* the newest check says it runs: no failure stands */
        evidence *e = find_evidence(s, model, hw, true);
        e->status = status;
        e->error_type = cell_at(s->compat, r, 3);
        e->error_message = cell_at(s->compat, r, 4);
        e->compat_us = int_or(cell_at(s->compat, r, 5), 0);
    }
    /* The build's backends are columns even before anything ran on them. */
    const char *backends = ia_build_info_get()->backends;
    s->backends = strdup(backends ? backends : "");
    mem = mem && s->backends;
    char *save = NULL;
    for (char *tok = s->backends ? strtok_r(s->backends, " ", &save) : NULL; mem && tok;
         tok = strtok_r(NULL, " ", &save))
        mem = name_list_add(&s->hardware, tok);
    if (!mem)
        return ia_error_set(err, IA_ERR_NOMEM, "matrix: out of memory");
    return IA_OK;
}

static void build_state_free(build_state *s)
{
    ia_store_table_free(s->results);
    ia_store_table_free(s->compat);
    ia_store_table_free(s->models);
    free(s->ev);
    free(s->row_models.v);
    free(s->hardware.v);
    free(s->measured_hw.v);
    free(s->backends);
}

/* Allocates the matrix's arrays and copies the row and column names. */
static ia_matrix *matrix_alloc(ia_matrix_by by, const char *const *rows, size_t row_count,
                               const char *const *cols, size_t col_count)
{
    ia_matrix *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->by = by;
    m->row_names = calloc(row_count + 1, sizeof *m->row_names);
    m->column_names = calloc(col_count + 1, sizeof *m->column_names);
    m->cells = calloc(row_count * col_count + 1, sizeof *m->cells);
    if (!m->row_names || !m->column_names || !m->cells) {
        ia_matrix_free(m);
        return NULL;
    }
    m->rows = row_count;
    m->columns = col_count;
    bool mem = true;
    for (size_t r = 0; r < row_count; r++)
        mem = mem && (m->row_names[r] = strdup(rows[r])) != NULL;
    for (size_t c = 0; c < col_count; c++)
        mem = mem && (m->column_names[c] = strdup(cols[c])) != NULL;
    if (!mem) {
        ia_matrix_free(m);
        return NULL;
    }
    return m;
}

/* The family matrix from the model matrix; family_of[r] is row r's family. */
static ia_status fill_families(const ia_matrix *by_model, const char *const *family_of,
                               ia_matrix **out, ia_error *err)
{
    size_t n = by_model->rows, cols = by_model->columns;
    name_list families = {0};
    const ia_matrix_cell **members = calloc(n + 1, sizeof *members);
    ia_matrix *m = NULL;
    bool mem = members != NULL;
    for (size_t r = 0; mem && r < n; r++)
        mem = name_list_add(&families, family_of[r]);
    if (mem) {
        name_list_sort(&families, cmp_family);
        m = matrix_alloc(IA_MATRIX_BY_FAMILY, families.v, families.n,
                         (const char *const *)by_model->column_names, cols);
        mem = m != NULL;
    }
    for (size_t f = 0; mem && f < families.n; f++) {
        for (size_t c = 0; mem && c < cols; c++) {
            size_t count = 0;
            for (size_t r = 0; r < n; r++)
                if (strcmp(family_of[r], families.v[f]) == 0)
                    members[count++] = &by_model->cells[r * cols + c];
            mem = family_cell(members, count, &m->cells[f * cols + c]);
        }
    }
    free(members);
    free(families.v);
    if (!mem) {
        ia_matrix_free(m);
        return ia_error_set(err, IA_ERR_NOMEM, "matrix: out of memory");
    }
    *out = m;
    return IA_OK;
}

ia_status ia_matrix_build(ia_store *store, ia_matrix_by by, const char *model_filter,
                          const char *hardware, ia_matrix **out, ia_error *err)
{
    *out = NULL;
    if (!store)
        return ia_error_set(err, IA_ERR_INVALID, "matrix: no store");
    build_state s = {0};
    ia_status st = gather(store, model_filter, &s, err);
    if (st != IA_OK) {
        build_state_free(&s);
        return st;
    }
    name_list cols = {0};
    bool mem = true;
    if (hardware && *hardware)
        mem = name_list_add(&cols, hardware);
    else
        for (size_t i = 0; i < s.hardware.n; i++)
            mem = mem && name_list_add(&cols, s.hardware.v[i]);
    name_list_sort(&cols, ia_report_cmp_hardware);
    name_list_sort(&s.row_models, cmp_str);

    ia_matrix *m = mem ? matrix_alloc(IA_MATRIX_BY_MODEL, s.row_models.v, s.row_models.n,
                                      cols.v, cols.n)
                       : NULL;
    mem = m != NULL;
    const char **family_of = calloc(s.row_models.n + 1, sizeof *family_of);
    mem = mem && family_of;
    for (size_t r = 0; mem && r < m->rows; r++) {
        const char *model = m->row_names[r];
        const char *type_name = stored_type(&s, model);
        const ia_model_type_info *type = known_type(model, type_name);
        family_of[r] = ia_report_model_family(model, type_name, NULL);
        for (size_t c = 0; mem && c < m->columns; c++) {
            const char *hw = m->column_names[c];
            bool measured = name_list_index(&s.measured_hw, hw) != (size_t)-1;
            mem = model_cell(find_evidence(&s, model, hw, false), type, hw, measured,
                             &m->cells[r * m->columns + c]);
        }
    }
    if (!mem) {
        st = ia_error_set(err, IA_ERR_NOMEM, "matrix: out of memory");
    } else if (by == IA_MATRIX_BY_FAMILY) {
        ia_matrix *families = NULL;
        st = fill_families(m, family_of, &families, err);
        ia_matrix_free(m);
        m = families;
    }
    free(family_of);
    free(cols.v);
    build_state_free(&s);
    if (st != IA_OK) {
        ia_matrix_free(m);
        return st;
    }
    *out = m;
    return IA_OK;
}
