/* The SVG chart writer (src/report/chart.c, chart_kinds.c): every kind on
 * small data, checked by a small well-formedness checker written here
 * (tags balanced and nested, attributes quoted, only the five escapes);
 * the count of data marks and hover titles; gaps for missing values; nice
 * ticks; empty, one-point, all-equal and huge inputs; thinning of long
 * series; and bad input refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipfs_accelerate/report.h"
#include "report/chart_internal.h"

/* ------------------------------------------------ a tiny XML checker */

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_' || c == ':' || c == '.';
}

/* At p, an '&' must start one of the five escapes; returns its length or 0. */
static size_t entity_len(const char *p)
{
    static const char *const ok[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
    for (size_t i = 0; i < 5; i++)
        if (strncmp(p, ok[i], strlen(ok[i])) == 0)
            return strlen(ok[i]);
    return 0;
}

/* Returns NULL when s is one well-formed element (with text and
 * children), else what is wrong and where. */
static const char *xml_check(const char *s, char *why, size_t cap)
{
    char stack[64][48];
    size_t depth = 0, roots = 0;
    const char *p = s;
#define FAIL(msg)                                                                  \
    do {                                                                           \
        snprintf(why, cap, "%s at offset %td: %.60s", msg, p - s, p);              \
        return why;                                                                \
    } while (0)
    while (*p) {
        if (*p == '&') {
            size_t n = entity_len(p);
            if (!n)
                FAIL("bare or unknown entity");
            p += n;
            continue;
        }
        if (*p != '<') {
            if (depth == 0 && *p != '\n' && *p != ' ')
                FAIL("text outside the root");
            p++;
            continue;
        }
        if (p[1] == '/') {
            const char *q = p + 2;
            size_t n = 0;
            while (name_char(q[n]))
                n++;
            if (depth == 0 || strlen(stack[depth - 1]) != n ||
                strncmp(stack[depth - 1], q, n) != 0)
                FAIL("closing tag does not match the open one");
            if (q[n] != '>')
                FAIL("bad closing tag");
            depth--;
            p = q + n + 1;
            continue;
        }
        const char *q = p + 1;
        size_t n = 0;
        while (name_char(q[n]))
            n++;
        if (n == 0 || n >= sizeof stack[0])
            FAIL("bad tag name");
        if (depth == 0)
            roots++;
        if (depth >= 64)
            FAIL("too deep");
        memcpy(stack[depth], q, n);
        stack[depth][n] = 0;
        q += n;
        for (;;) {
            while (*q == ' ' || *q == '\n')
                q++;
            if (q[0] == '/' && q[1] == '>') {
                q += 2;
                break;
            }
            if (q[0] == '>') {
                q++;
                depth++;
                break;
            }
            size_t an = 0;
            while (name_char(q[an]))
                an++;
            if (an == 0 || q[an] != '=' || q[an + 1] != '"') {
                p = q;
                FAIL("attribute not name=\"value\"");
            }
            q += an + 2;
            while (*q && *q != '"') {
                if (*q == '<') {
                    p = q;
                    FAIL("'<' inside an attribute");
                }
                if (*q == '&') {
                    size_t en = entity_len(q);
                    if (!en) {
                        p = q;
                        FAIL("bad entity in an attribute");
                    }
                    q += en;
                } else
                    q++;
            }
            if (*q != '"')
                FAIL("unterminated attribute");
            q++;
        }
        p = q;
    }
    if (depth != 0)
        FAIL("elements left open");
    if (roots != 1)
        FAIL("not exactly one root element");
#undef FAIL
    return NULL;
}

static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static size_t marks(const char *svg)
{
    return count(svg, "class=\"ia-mark");
}

/* Renders, checks well-formedness and returns the text (the caller frees). */
static char *render(const ia_chart *c)
{
    ia_strbuf b = {0};
    ia_error err = {0};
    ia_status rc = ia_chart_svg(c, &b, &err);
    if (rc != IA_OK)
        fail_msg("ia_chart_svg: %s", err.message);
    char *svg = ia_strbuf_take(&b);
    assert_non_null(svg);
    char why[200];
    const char *bad = xml_check(svg, why, sizeof why);
    if (bad)
        fail_msg("not well-formed: %s\n%s", bad, svg);
    assert_null(strstr(svg, "nan"));
    assert_null(strstr(svg, "inf"));
    return svg;
}

/* ---------------------------------------------------------------- data */

static const char *const hardware[] = {"cpu", "cuda", "rocm"};

static void test_bars_small(void **state)
{
    (void)state;
    double a[] = {12.34, 3.5, 7}, b2[] = {20, 1.25, 9};
    ia_chart_series s[] = {{.name = "bert-base", .y = a, .count = 3},
                           {.name = "gpt2", .y = b2, .count = 3}};
    ia_chart c = {.kind = IA_CHART_BARS, .id = "lat", .title = "Latency by hardware",
                  .x_label = "hardware", .y_label = "latency p50 (ms)", .unit = "ms",
                  .categories = hardware, .category_count = 3, .series = s, .series_count = 2};
    char *svg = render(&c);
    assert_int_equal(marks(svg), 6);
    /* The root's title and one per bar. */
    assert_int_equal(count(svg, "<title>"), 7);
    assert_non_null(strstr(svg, "<title>bert-base / cpu: 12.3 ms</title>"));
    assert_non_null(strstr(svg, "class=\"ia-chart\" id=\"lat\" role=\"img\" viewBox=\"0 0 720.0 "));
    assert_non_null(strstr(svg, "width=\"100%\""));
    assert_non_null(strstr(svg, "ia-legend"));
    assert_non_null(strstr(svg, "latency p50 (ms)"));
    assert_null(strstr(svg, "xmlns"));
    assert_null(strstr(svg, "<style>"));
    /* Ticks 0, 5, ... 20 on a 1-2-5 step. */
    assert_non_null(strstr(svg, ">20</text>"));
    assert_non_null(strstr(svg, ">0</text>"));
    free(svg);

    c.standalone = true;
    svg = render(&c);
    assert_non_null(strstr(svg, "xmlns=\"http://www.w3.org/2000/svg\""));
    assert_non_null(strstr(svg, "<style>"));
    assert_non_null(strstr(svg, "prefers-color-scheme: dark"));
    assert_int_equal(marks(svg), 6);
    free(svg);
}

static void test_bars_nan_is_gap(void **state)
{
    (void)state;
    double a[] = {12, NAN, 7}, b2[] = {20, 1, 9};
    ia_chart_series s[] = {{.name = "a", .y = a, .count = 3}, {.name = "b", .y = b2, .count = 3}};
    ia_chart c = {.kind = IA_CHART_BARS, .id = "gap", .categories = hardware,
                  .category_count = 3, .series = s, .series_count = 2};
    char *svg = render(&c);
    assert_int_equal(marks(svg), 5);
    assert_null(strstr(svg, "a / cuda"));
    free(svg);
    /* Log scale: values <= 0 are gaps too, and ticks are powers of ten. */
    double l1[] = {3, 0, 20000}, l2[] = {-5, 300, 0.5};
    s[0].y = l1;
    s[1].y = l2;
    c.log_y = true;
    svg = render(&c);
    assert_int_equal(marks(svg), 4);
    assert_non_null(strstr(svg, ">0.1</text>"));
    assert_non_null(strstr(svg, ">1</text>"));
    assert_non_null(strstr(svg, ">100</text>"));
    assert_non_null(strstr(svg, ">10k</text>"));
    assert_non_null(strstr(svg, ">100k</text>"));
    free(svg);
}

static void test_escaping(void **state)
{
    (void)state;
    const char *cats[] = {"<&>\"'", NULL};
    double a[] = {1.5, 2};
    const char *notes[] = {"note <b>", NULL};
    ia_chart_series s[] = {{.name = "s<1>&", .y = a, .count = 2, .notes = notes}};
    ia_chart c = {.kind = IA_CHART_BARS, .id = "esc", .title = "A & B <c>",
                  .y_label = "\"q\" 'x'", .unit = "<u>", .categories = cats,
                  .category_count = 2, .series = s, .series_count = 1};
    char *svg = render(&c);
    assert_non_null(strstr(svg, "&lt;&amp;&gt;&quot;&#39;"));
    assert_non_null(strstr(svg, "A &amp; B &lt;c&gt;"));
    assert_non_null(strstr(svg, "s&lt;1&gt;&amp; / &lt;&amp;&gt;&quot;&#39;: 1.50 &lt;u&gt;\nnote &lt;b&gt;"));
    assert_null(strstr(svg, "<b>"));
    assert_int_equal(marks(svg), 2);
    free(svg);

    /* Bytes that are not UTF-8 become U+FFFD; control characters too. */
    const char *bad[] = {"ok\xff\xfe", "a\x01z"};
    c.categories = bad;
    svg = render(&c);
    assert_non_null(strstr(svg, "ok\xEF\xBF\xBD\xEF\xBF\xBD"));
    assert_non_null(strstr(svg, "a\xEF\xBF\xBDz"));
    free(svg);
}

static char *path_d(const char *svg, size_t which)
{
    const char *p = svg;
    for (size_t i = 0; i <= which; i++) {
        p = strstr(p, "ia-line");
        assert_non_null(p);
        p++;
    }
    p = strstr(p, " d=\"");
    assert_non_null(p);
    p += 4;
    const char *end = strchr(p, '"');
    char *d = malloc((size_t)(end - p) + 1);
    memcpy(d, p, (size_t)(end - p));
    d[end - p] = 0;
    return d;
}

/* The smallest y among the path's "x y" pairs. */
static double path_min_y(const char *d)
{
    double min = INFINITY;
    const char *p = d;
    while (*p) {
        if (*p == 'M' || *p == 'L') {
            double x = 0, y = 0;
            if (sscanf(p + 1, "%lf %lf", &x, &y) == 2 && y < min)
                min = y;
        }
        p++;
    }
    return min;
}

static void test_lines(void **state)
{
    (void)state;
    double x[] = {1, 2, 4, 8, 16}, y1[] = {100, 180, 300, 420, 500},
           y2[] = {80, 150, NAN, 300, 310};
    const char *notes[] = {NULL, NULL, NULL, "warm cache", NULL};
    ia_chart_series s[] = {{.name = "cpu", .x = x, .y = y1, .count = 5},
                           {.name = "cuda", .x = x, .y = y2, .count = 5, .notes = notes}};
    ia_chart c = {.kind = IA_CHART_LINES, .id = "thr", .title = "Throughput",
                  .x_label = "batch size", .y_label = "throughput (items/s)", .unit = "items/s",
                  .series = s, .series_count = 2};
    char *svg = render(&c);
    /* Two paths and nine points (the NaN is neither a point nor a 0). */
    assert_int_equal(count(svg, "ia-mark ia-line"), 2);
    assert_int_equal(count(svg, "ia-mark ia-point"), 9);
    assert_int_equal(marks(svg), 11);
    assert_int_equal(count(svg, "<title>"), 12);
    char *d1 = path_d(svg, 0), *d2 = path_d(svg, 1);
    assert_int_equal(count(d1, "M"), 1);
    assert_int_equal(count(d1, "L"), 4);
    /* The gap breaks the line: two pieces of two points. */
    assert_int_equal(count(d2, "M"), 2);
    assert_int_equal(count(d2, "L"), 2);
    free(d1);
    free(d2);
    assert_non_null(strstr(svg, "cuda / batch size 8: 300 items/s\nwarm cache"));
    /* y ticks 0..500 by 100, x ticks by 5 or 10. */
    assert_non_null(strstr(svg, ">500</text>"));
    assert_non_null(strstr(svg, ">100</text>"));
    free(svg);
}

static void test_time_series(void **state)
{
    (void)state;
    /* 2026-11-27 00:00 UTC and every day after. */
    double t0 = 1795737600;
    double x[5], y[] = {10, 11, 10.5, 15.4, 15.2};
    for (size_t i = 0; i < 5; i++)
        x[i] = t0 + 86400.0 * (double)i;
    bool marked[] = {false, false, false, true, false};
    ia_chart_series s = {.name = "bert / cpu / b1", .x = x, .y = y, .count = 5,
                         .marked = marked};
    ia_chart c = {.kind = IA_CHART_TIME, .id = "hist-1", .title = "History",
                  .x_label = "time (UTC)", .y_label = "latency (ms)", .unit = "ms",
                  .series = &s, .series_count = 1};
    char *svg = render(&c);
    assert_int_equal(count(svg, "ia-mark ia-change"), 1);
    assert_int_equal(count(svg, "ia-mark ia-point"), 4);
    assert_int_equal(count(svg, "class=\"ia-rule\""), 1);
    assert_int_equal(marks(svg), 6);
    /* Four days: ticks on days, labelled by date. */
    assert_non_null(strstr(svg, ">2026-11-28</text>"));
    assert_null(strstr(svg, ">11-28 00:00</text>"));
    assert_non_null(strstr(svg, "bert / cpu / b1 / 2026-11-30 00:00 UTC: 15.4 ms\nchange marked here"));
    /* One legend-less series: no legend. */
    assert_null(strstr(svg, "ia-legend"));
    assert_null(strstr(svg, "ia-better"));
    free(svg);

    /* A marked improvement is drawn in the "better" colour, marker and rule. */
    bool improved[] = {false, false, false, true, false};
    s.improved = improved;
    svg = render(&c);
    assert_int_equal(count(svg, "ia-mark ia-change ia-better"), 1);
    assert_int_equal(count(svg, "class=\"ia-rule ia-better\""), 1);
    free(svg);
    s.improved = NULL;

    /* Six hours: ticks on hours, labelled "11-27 14:00". */
    for (size_t i = 0; i < 5; i++)
        x[i] = t0 + 14 * 3600.0 + 1.5 * 3600.0 * (double)i;
    svg = render(&c);
    assert_non_null(strstr(svg, ">11-27 15:00</text>"));
    free(svg);

    /* Ten months: ticks on the first of months. */
    for (size_t i = 0; i < 5; i++)
        x[i] = t0 + 75 * 86400.0 * (double)i;
    svg = render(&c);
    assert_non_null(strstr(svg, ">2027-01-01</text>"));
    free(svg);
}

static void test_heatmap_states(void **state)
{
    (void)state;
    const char *rows[] = {"bert-base-uncased", "gpt2"};
    const char *cols[] = {"cpu", "cuda", "rocm", "openvino"};
    ia_chart_cell cells[8] = {
        {IA_CELL_OK, 12.3, "12.3 ms", NULL},
        {IA_CELL_FAILED, NAN, "failed", "failed: out of memory"},
        {IA_CELL_UNSUPPORTED, NAN, NULL, NULL},
        {IA_CELL_NOT_MEASURED, NAN, NULL, NULL},
        {IA_CELL_OK, 3.1, NULL, NULL},
        {IA_CELL_OK, NAN, "ok", NULL},
        {IA_CELL_NOT_MEASURED, NAN, NULL, NULL},
        {IA_CELL_OK, 45, "45 ms", NULL},
    };
    ia_chart c = {.kind = IA_CHART_HEATMAP, .id = "matrix", .title = "Compatibility",
                  .unit = "ms", .categories = cols, .category_count = 4, .rows = rows,
                  .row_count = 2, .cells = cells};
    char *svg = render(&c);
    assert_int_equal(marks(svg), 8);
    assert_int_equal(count(svg, "ia-mark ia-cell ia-ok\""), 4);
    assert_int_equal(count(svg, "ia-mark ia-cell ia-failed\""), 1);
    assert_int_equal(count(svg, "ia-mark ia-cell ia-unsupported\""), 1);
    assert_int_equal(count(svg, "ia-mark ia-cell ia-not-measured\""), 2);
    /* Distinct by shape too: the hatch, the cross. */
    assert_non_null(strstr(svg, "<pattern id=\"matrix-hatch\""));
    assert_non_null(strstr(svg, "fill=\"url(#matrix-hatch)\""));
    assert_non_null(strstr(svg, "gpt2 / cpu: 3.10 ms"));
    assert_non_null(strstr(svg, "bert-base-uncased / cuda: failed: out of memory"));
    assert_non_null(strstr(svg, "bert-base-uncased / rocm: unsupported"));
    /* The lowest shade and the highest, and the unshaded OK cell. */
    assert_non_null(strstr(svg, "gpt2 / cpu: 3.10 ms</title><rect class=\"q0\""));
    assert_non_null(strstr(svg, "gpt2 / openvino: 45 ms</title><rect class=\"q6\""));
    assert_non_null(strstr(svg, "gpt2 / cuda: ok</title><rect class=\"qnone\""));
    assert_int_equal(count(svg, "<title>"), 9);
    free(svg);
}

static void test_heatmap_large(void **state)
{
    (void)state;
    enum { R = 50, C = 8 };
    char names[R][64];
    const char *rows[R];
    ia_chart_cell cells[R * C];
    for (size_t r = 0; r < R; r++) {
        snprintf(names[r], sizeof names[r], "organisation/model-number-%zu-with-long-name", r);
        rows[r] = names[r];
        for (size_t j = 0; j < C; j++)
            cells[r * C + j] = (ia_chart_cell){(ia_chart_cell_state)((r + j) % 4),
                                               (double)(r * C + j), NULL, NULL};
    }
    const char *cols[C] = {"cpu", "cuda", "rocm", "openvino", "qnn", "mps", "webgpu",
                           "a-very-long-hardware-name"};
    ia_chart c = {.kind = IA_CHART_HEATMAP, .id = "big", .categories = cols,
                  .category_count = C, .rows = rows, .row_count = R, .cells = cells};
    char *svg = render(&c);
    assert_int_equal(marks(svg), R * C);
    double w = 0, h = 0;
    const char *vb = strstr(svg, "viewBox=\"0 0 ");
    assert_non_null(vb);
    assert_int_equal(sscanf(vb, "viewBox=\"0 0 %lf %lf", &w, &h), 2);
    /* Fits a page: rows of 22 units, the usual width. */
    assert_true(w <= 720.0);
    assert_true(h < R * 22 + 250);
    /* Long row names are cut, with the whole name as their hover. */
    assert_non_null(strstr(svg, "\xE2\x80\xA6<title>organisation/model-number-7-with-long-name</title>"));
    free(svg);
}

static void test_nice_ticks(void **state)
{
    (void)state;
    double t[32];
    size_t n = ia_chart_nice_ticks(0, 100, 6, t);
    assert_int_equal(n, 6);
    for (size_t i = 0; i < n; i++)
        assert_true(t[i] == 20.0 * (double)i);
    n = ia_chart_nice_ticks(0.1, 0.6, 6, t);
    assert_int_equal(n, 6);
    /* The same doubles as the literals: no 0.30000000000000004. */
    assert_true(t[0] == 0.1 && t[1] == 0.2 && t[2] == 0.3 && t[3] == 0.4 && t[5] == 0.6);
    n = ia_chart_nice_ticks(3, 97, 7, t);
    assert_true(n <= 7 && n >= 2);
    assert_true(t[0] <= 3 && t[n - 1] >= 97);
    /* Each step is 1, 2 or 5 times a power of ten. */
    double step = t[1] - t[0];
    double m = step / pow(10, floor(log10(step)));
    assert_true(fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 5) < 1e-9);
    /* Reversed, equal, negative, huge and tiny ranges. */
    n = ia_chart_nice_ticks(100, 0, 6, t);
    assert_int_equal(n, 6);
    assert_true(t[0] == 0 && t[5] == 100);
    n = ia_chart_nice_ticks(5, 5, 7, t);
    assert_true(n >= 2 && t[0] < 5 && t[n - 1] > 5);
    n = ia_chart_nice_ticks(-37, 12, 7, t);
    assert_true(n >= 2 && n <= 7 && t[0] <= -37 && t[n - 1] >= 12);
    n = ia_chart_nice_ticks(-1e308, 1e308, 7, t);
    assert_true(n >= 2 && n <= 7 && isfinite(t[0]) && isfinite(t[n - 1]));
    n = ia_chart_nice_ticks(1e-300, 5e-300, 7, t);
    assert_true(n >= 2 && n <= 7 && t[n - 1] >= 5e-300);
    assert_int_equal(ia_chart_nice_ticks(NAN, 1, 7, t), 0);
    assert_int_equal(ia_chart_nice_ticks(0, 1, 0, t), 0);
    assert_int_equal(ia_chart_nice_ticks(0, INFINITY, 7, t), 0);
}

static void test_tick_labels(void **state)
{
    (void)state;
    char s[32];
    ia_chart_fmt_tick(1500, 500, s);
    assert_string_equal(s, "1.5k");
    ia_chart_fmt_tick(2e6, 1e6, s);
    assert_string_equal(s, "2M");
    ia_chart_fmt_tick(0.25, 0.05, s);
    assert_string_equal(s, "0.25");
    ia_chart_fmt_tick(0.1 + 0.2, 0.1, s);
    assert_string_equal(s, "0.3");
    ia_chart_fmt_tick(0, 20, s);
    assert_string_equal(s, "0");
    ia_chart_fmt_tick(-40, 20, s);
    assert_string_equal(s, "-40");
    ia_chart_fmt_tick(0.001, 0.001, s);
    assert_string_equal(s, "0.001");
    ia_chart_fmt_tick(3e9, 1e9, s);
    assert_string_equal(s, "3G");
}

static void test_empty_and_one_point(void **state)
{
    (void)state;
    ia_chart c = {.kind = IA_CHART_BARS, .id = "e", .title = "Nothing"};
    char *svg = render(&c);
    assert_non_null(strstr(svg, "class=\"ia-chart ia-empty\""));
    assert_non_null(strstr(svg, ">no data</text>"));
    assert_int_equal(marks(svg), 0);
    free(svg);

    double nan1[] = {NAN, NAN};
    double x2[] = {1, 2};
    ia_chart_series s = {.name = "all missing", .x = x2, .y = nan1, .count = 2};
    c = (ia_chart){.kind = IA_CHART_LINES, .id = "e2", .series = &s, .series_count = 1};
    svg = render(&c);
    assert_non_null(strstr(svg, "ia-empty"));
    free(svg);

    c = (ia_chart){.kind = IA_CHART_HEATMAP, .id = "e3"};
    svg = render(&c);
    assert_non_null(strstr(svg, "ia-empty"));
    free(svg);

    double one_x[] = {8}, one_y[] = {42};
    s = (ia_chart_series){.name = "one", .x = one_x, .y = one_y, .count = 1};
    c = (ia_chart){.kind = IA_CHART_LINES, .id = "one", .series = &s, .series_count = 1};
    svg = render(&c);
    assert_null(strstr(svg, "ia-empty"));
    assert_int_equal(marks(svg), 1);
    assert_int_equal(count(svg, "ia-point"), 1);
    free(svg);

    double when[] = {1795737600};
    s.x = when;
    c.kind = IA_CHART_TIME;
    svg = render(&c);
    assert_int_equal(marks(svg), 1);
    assert_non_null(strstr(svg, "11-27 00:00"));
    free(svg);

    const char *cat[] = {"only"};
    s = (ia_chart_series){.name = "one", .y = one_y, .count = 1};
    c = (ia_chart){.kind = IA_CHART_BARS, .id = "onebar", .categories = cat,
                   .category_count = 1, .series = &s, .series_count = 1};
    svg = render(&c);
    assert_int_equal(marks(svg), 1);
    free(svg);
}

static size_t y_tick_labels(const char *svg)
{
    const char *g = strstr(svg, "<g class=\"ia-y\">");
    assert_non_null(g);
    const char *end = strstr(g, "</g>");
    size_t n = 0;
    for (const char *p = strstr(g, "class=\"ia-tick\""); p && p < end;
         p = strstr(p + 1, "class=\"ia-tick\""))
        n++;
    return n;
}

static void test_all_equal_and_magnitudes(void **state)
{
    (void)state;
    double x[] = {1, 2, 3}, y[] = {5, 5, 5};
    ia_chart_series s = {.name = "flat", .x = x, .y = y, .count = 3};
    ia_chart c = {.kind = IA_CHART_LINES, .id = "flat", .series = &s, .series_count = 1};
    char *svg = render(&c);
    assert_true(y_tick_labels(svg) >= 2);
    assert_int_equal(marks(svg), 4);
    free(svg);

    double zeros[] = {0, 0, 0};
    s.y = zeros;
    svg = render(&c);
    assert_true(y_tick_labels(svg) >= 2);
    free(svg);

    const char *cats[] = {"a", "b", "c"};
    double huge[] = {1e300, -1e308, 1e-300};
    ia_chart_series hs = {.name = "huge", .y = huge, .count = 3};
    c = (ia_chart){.kind = IA_CHART_BARS, .id = "huge", .categories = cats, .category_count = 3,
                   .series = &hs, .series_count = 1};
    svg = render(&c);
    assert_int_equal(marks(svg), 3);
    free(svg);
    double mixed[] = {1e-300, 1e300, 5};
    hs.y = mixed;
    c.log_y = true;
    svg = render(&c);
    assert_int_equal(marks(svg), 3);
    assert_true(y_tick_labels(svg) <= 8);
    free(svg);
    double hx[] = {-1e308, 0, 1e308}, tiny[] = {1e-310, 2e-310, 3e-310};
    ia_chart_series ls = {.name = "wide", .x = hx, .y = tiny, .count = 3};
    c = (ia_chart){.kind = IA_CHART_LINES, .id = "wide", .series = &ls, .series_count = 1};
    svg = render(&c);
    assert_int_equal(marks(svg), 4);
    free(svg);
    /* A time axis far outside any calendar falls back to numbers. */
    c.kind = IA_CHART_TIME;
    svg = render(&c);
    assert_int_equal(marks(svg), 4);
    free(svg);
}

static void test_thinning_bounds_size(void **state)
{
    (void)state;
    enum { N = 10000 };
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
    bool *marked = malloc(N * sizeof *marked);
    for (size_t i = 0; i < N; i++) {
        x[i] = 1795737600 + 60.0 * (double)i;
        y[i] = 10 + sin((double)i / 50) + (i % 997 == 0 ? 30 : 0);
        marked[i] = i % 3 == 0;
    }
    y[5000] = NAN;
    ia_chart_series s = {.name = "long", .x = x, .y = y, .count = N};
    ia_chart c = {.kind = IA_CHART_LINES, .id = "long", .series = &s, .series_count = 1};
    char *svg = render(&c);
    assert_true(strlen(svg) < 64 * 1024);
    assert_int_equal(marks(svg), 1);
    /* The spikes (about 41 on an axis to 50) survive thinning as the
     * highest point of their column: y = 34 + 220 * (1 - 41/50) = 73.6. */
    assert_non_null(strstr(svg, ">50</text>"));
    char *d = path_d(svg, 0);
    assert_int_equal(count(d, "M"), 2);
    assert_true(path_min_y(d) < 80);
    free(d);
    free(svg);

    /* Change markers are bounded too: one per pixel column. */
    s.marked = marked;
    c.kind = IA_CHART_TIME;
    svg = render(&c);
    assert_true(strlen(svg) < 256 * 1024);
    size_t changes = count(svg, "ia-mark ia-change");
    assert_true(changes > 100 && changes <= 660);
    free(svg);
    free(x);
    free(y);
    free(marked);
}

static void test_many_series_and_long_names(void **state)
{
    (void)state;
    enum { S = 11 };
    double v[S][2];
    char names[S][64];
    ia_chart_series s[S];
    for (size_t i = 0; i < S; i++) {
        v[i][0] = (double)i;
        v[i][1] = (double)i + 1;
        snprintf(names[i], sizeof names[i], "series %zu", i);
        s[i] = (ia_chart_series){.name = names[i], .y = v[i], .count = 2};
    }
    s[3].name = "an extremely long series name that no legend can hold";
    s[4].name = NULL;
    const char *cats[] = {"x", NULL};
    ia_chart c = {.kind = IA_CHART_BARS, .id = "many", .categories = cats, .category_count = 2,
                  .series = s, .series_count = S};
    char *svg = render(&c);
    /* A zero is a value (a bar of height 0), not a gap. */
    assert_int_equal(marks(svg), 2 * S);
    assert_non_null(strstr(svg, "class=\"ia-mark ia-bar s1 d1\""));
    assert_non_null(strstr(svg, "class=\"ia-mark ia-bar s2 d1\""));
    assert_non_null(strstr(svg, "<title>an extremely long series name that no legend can hold</title>"));
    assert_non_null(strstr(svg, "an extremely long serie\xE2\x80\xA6</text>"));
    free(svg);

    /* Many categories with long names: labels turned, some skipped. */
    enum { K = 120 };
    double vals[K];
    char cnames[K][48];
    const char *cp[K];
    for (size_t i = 0; i < K; i++) {
        vals[i] = (double)(i % 17) + 1;
        snprintf(cnames[i], sizeof cnames[i], "category-with-a-long-name-%zu", i);
        cp[i] = cnames[i];
    }
    ia_chart_series one = {.name = "v", .y = vals, .count = K};
    c = (ia_chart){.kind = IA_CHART_BARS, .id = "cats", .categories = cp, .category_count = K,
                   .series = &one, .series_count = 1};
    svg = render(&c);
    assert_int_equal(marks(svg), K);
    assert_non_null(strstr(svg, "rotate(-40)"));
    assert_true(count(svg, "rotate(-40)") < K);
    free(svg);
}

/* A small fixed-seed generator, so a failure replays. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint32_t rng(void)
{
    rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(rng_state >> 33);
}

static double awkward_value(void)
{
    static const double pool[] = {0, -0.0, 1, -1, 1e308, -1e308, 1e-320, 5e-324, 0.1, 1e15};
    switch (rng() % 4) {
    case 0: return pool[rng() % (sizeof pool / sizeof pool[0])];
    case 1: return rng() % 2 ? NAN : (rng() % 2 ? INFINITY : -INFINITY);
    case 2: return 1795737600 + (double)(rng() % 100000) * 60;
    default: return ((double)rng() / 4294967296.0 - 0.3) * pow(10, (double)(rng() % 12) - 4);
    }
}

static void test_awkward_inputs(void **state)
{
    (void)state;
    static const char *const names[] = {NULL, "", "<&>\"'", "\xff\xc0\x80", "\xe2\x82",
                                        "a very long name that goes on and on and on and on",
                                        "\xe6\xa8\xa1\xe5\x9e\x8b", "x"};
    enum { MAXN = 40 };
    for (int round = 0; round < 300; round++) {
        size_t ns = rng() % 4, nc = rng() % 6, nr = rng() % 5;
        double xs[4][MAXN], ys[4][MAXN];
        bool mk[4][MAXN];
        const char *notes[MAXN];
        const char *cats[6], *rows[5];
        ia_chart_series s[4];
        ia_chart_cell cells[30];
        for (size_t i = 0; i < MAXN; i++)
            notes[i] = names[rng() % 8];
        for (size_t i = 0; i < 6; i++)
            cats[i] = names[rng() % 8];
        for (size_t i = 0; i < 5; i++)
            rows[i] = names[rng() % 8];
        ia_chart_kind kind = (ia_chart_kind)(rng() % 4);
        for (size_t k = 0; k < ns; k++) {
            size_t n = kind == IA_CHART_BARS ? nc : rng() % MAXN;
            for (size_t i = 0; i < MAXN; i++) {
                xs[k][i] = awkward_value();
                ys[k][i] = awkward_value();
                mk[k][i] = rng() % 3 == 0;
            }
            s[k] = (ia_chart_series){.name = names[rng() % 8], .x = xs[k], .y = ys[k],
                                     .count = n, .marked = rng() % 2 ? mk[k] : NULL,
                                     .notes = rng() % 2 ? notes : NULL};
        }
        for (size_t i = 0; i < 30; i++)
            cells[i] = (ia_chart_cell){(ia_chart_cell_state)(rng() % 4), awkward_value(),
                                       names[rng() % 8], names[rng() % 8]};
        ia_chart c = {.kind = kind, .id = "awk", .title = names[rng() % 8],
                      .x_label = names[rng() % 8], .y_label = names[rng() % 8],
                      .unit = names[rng() % 8], .log_y = rng() % 2, .categories = cats,
                      .category_count = nc, .series = s, .series_count = ns, .rows = rows,
                      .row_count = nr, .cells = cells, .standalone = rng() % 2};
        char *svg = render(&c);
        free(svg);
    }
}

static void test_deterministic(void **state)
{
    (void)state;
    double x[] = {1, 2, 4}, y[] = {3.14159, 2.71828, 1.41421};
    ia_chart_series s = {.name = "d", .x = x, .y = y, .count = 3};
    ia_chart c = {.kind = IA_CHART_LINES, .id = "det", .title = "t", .series = &s,
                  .series_count = 1, .standalone = true};
    char *a = render(&c), *b2 = render(&c);
    assert_string_equal(a, b2);
    free(a);
    free(b2);
}

static void test_bad_input(void **state)
{
    (void)state;
    ia_strbuf b = {0};
    ia_error err = {0};
    double v[] = {1, 2};
    const char *cats[] = {"a", "b", "c"};
    ia_chart_series s = {.name = "short", .y = v, .count = 2};
    ia_chart c = {.kind = IA_CHART_BARS, .id = "bad", .categories = cats, .category_count = 3,
                  .series = &s, .series_count = 1};
    assert_int_equal(ia_chart_svg(&c, &b, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "2 values for 3 categories"));
    assert_int_equal(b.len, 0);

    c.category_count = 2;
    c.id = NULL;
    assert_int_equal(ia_chart_svg(&c, &b, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "id"));
    c.id = "";
    assert_int_equal(ia_chart_svg(&c, &b, &err), IA_ERR_INVALID);
    c.id = "has space\"";
    assert_int_equal(ia_chart_svg(&c, &b, &err), IA_ERR_INVALID);
    c.id = "ok";
    c.series = NULL;
    assert_int_equal(ia_chart_svg(&c, &b, &err), IA_ERR_INVALID);
    assert_int_equal(ia_chart_svg(NULL, &b, &err), IA_ERR_INVALID);
    assert_int_equal(ia_chart_svg(&c, NULL, &err), IA_ERR_INVALID);

    ia_chart_series nox = {.name = "l", .y = v, .count = 2};
    ia_chart l = {.kind = IA_CHART_LINES, .id = "l", .series = &nox, .series_count = 1};
    assert_int_equal(ia_chart_svg(&l, &b, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "no x"));

    ia_chart h = {.kind = IA_CHART_HEATMAP, .id = "h", .categories = cats, .category_count = 2,
                  .row_count = 3};
    assert_int_equal(ia_chart_svg(&h, &b, &err), IA_ERR_INVALID);
    ia_chart_cell cells[2] = {{IA_CELL_OK, 1, NULL, NULL}, {(ia_chart_cell_state)9, 1, NULL, NULL}};
    h.row_count = 1;
    h.cells = cells;
    assert_int_equal(ia_chart_svg(&h, &b, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "state"));

    ia_chart k = {.kind = (ia_chart_kind)42, .id = "k"};
    assert_int_equal(ia_chart_svg(&k, &b, &err), IA_ERR_INVALID);
    assert_int_equal(b.len, 0);
    ia_strbuf_free(&b);
}

static void test_css(void **state)
{
    (void)state;
    const char *css = ia_chart_css();
    assert_non_null(strstr(css, "@media (prefers-color-scheme: dark)"));
    assert_non_null(strstr(css, "font-family:system-ui,sans-serif"));
    for (int i = 0; i < 8; i++) {
        char cls[16];
        snprintf(cls, sizeof cls, ".s%d{", i);
        assert_non_null(strstr(css, cls));
    }
    assert_null(strstr(css, "url("));
    assert_null(strstr(css, "@import"));
    assert_null(strchr(css, '<'));
    assert_null(strchr(css, '&'));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bars_small),
        cmocka_unit_test(test_bars_nan_is_gap),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_time_series),
        cmocka_unit_test(test_heatmap_states),
        cmocka_unit_test(test_heatmap_large),
        cmocka_unit_test(test_nice_ticks),
        cmocka_unit_test(test_tick_labels),
        cmocka_unit_test(test_empty_and_one_point),
        cmocka_unit_test(test_all_equal_and_magnitudes),
        cmocka_unit_test(test_thinning_bounds_size),
        cmocka_unit_test(test_many_series_and_long_names),
        cmocka_unit_test(test_awkward_inputs),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_css),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
