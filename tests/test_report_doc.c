/* The report layer's plumbing: escaping in each output language, how
 * numbers and times are printed, the text buffer, and a document written in
 * the three formats (the same table, long tables grouped or cut). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report/report_internal.h"

static char *xml(const char *s)
{
    ia_strbuf b = {0};
    ia_report_put_xml(&b, s);
    return ia_strbuf_take(&b);
}

static void test_escaping(void **state)
{
    (void)state;
    char *x = xml("a<b>&\"c'\x01");
    assert_string_equal(x, "a&lt;b&gt;&amp;&quot;c&#39;\xEF\xBF\xBD");
    free(x);

    ia_strbuf b = {0};
    ia_strbuf_put_json(&b, "q\"\\\n\x02");
    ia_strbuf_put_json(&b, NULL);
    char *j = ia_strbuf_take(&b);
    assert_string_equal(j, "\"q\\\"\\\\\\n\\u0002\"null");
    free(j);

    ia_report_put_md(&b, "a|b_c*\n[x]");
    char *m = ia_strbuf_take(&b);
    assert_string_equal(m, "a\\|b\\_c\\* \\[x\\]");
    free(m);

    ia_store_put_literal(&b, "it's");
    char *q = ia_strbuf_take(&b);
    assert_string_equal(q, "'it''s'");
    free(q);
}

static void test_numbers_and_times(void **state)
{
    (void)state;
    char n[32];
    assert_string_equal(ia_report_fmt_num(8, n), "8");
    assert_string_equal(ia_report_fmt_num(12.345, n), "12.3");
    assert_string_equal(ia_report_fmt_num(2.1, n), "2.10");
    assert_string_equal(ia_report_fmt_num(0.04512, n), "0.0451");
    assert_string_equal(ia_report_fmt_num(1234.5, n), "1234");
    assert_string_equal(ia_report_fmt_num(NAN, n), "n/a");
    char t[32];
    assert_string_equal(ia_report_fmt_time(1795000000LL * 1000000, t), "2026-11-18 11:06 UTC");
}

static void test_strbuf(void **state)
{
    (void)state;
    ia_strbuf b = {0};
    for (int i = 0; i < 1000; i++)
        ia_strbuf_printf(&b, "%d,", i);
    assert_false(b.failed);
    assert_true(strncmp(b.data, "0,1,2,", 6) == 0);
    assert_int_equal(b.data[b.len - 1], ',');
    char *s = ia_strbuf_take(&b);
    assert_null(b.data);
    free(s);
    char *empty = ia_strbuf_take(&b);
    assert_string_equal(empty, "");
    free(empty);
}

static void build(ia_doc *d, size_t rows)
{
    static const ia_doc_column cols[] = {
        {"model", "model", NULL, false},
        {"latency_ms_p50", "p50", "ms", true},
    };
    ia_doc_init(d, "Title <x>", "sub");
    ia_doc_fact(d, "results", "results", "%zu", rows);
    ia_doc_heading(d, 2, "Latest");
    ia_doc_table *t = ia_doc_table_begin(d, "latest", "caption", cols, 2);
    t->grouped = true;
    for (size_t i = 0; i < rows; i++) {
        char name[32];
        snprintf(name, sizeof name, "model-%zu", i / 10);
        ia_doc_cell_text(d, t, name);
        ia_doc_cell_num(d, t, i % 7 == 0 ? NAN : (double)i);
    }
    ia_doc_note(d, "a note");
}

static void test_document_formats(void **state)
{
    (void)state;
    ia_doc d;
    build(&d, 3);
    ia_error err;
    ia_strbuf html = {0}, md = {0}, json = {0};
    assert_int_equal(ia_doc_write_html(&d, 0, &html, &err), IA_OK);
    assert_int_equal(ia_doc_write_markdown(&d, 0, NULL, NULL, &md, &err), IA_OK);
    assert_int_equal(ia_doc_write_json(&d, "summary", 0, &json, &err), IA_OK);
    assert_non_null(strstr(html.data, "<title>Title &lt;x&gt;</title>"));
    assert_non_null(strstr(html.data, "<body data-charts=\"0\">"));
    assert_non_null(strstr(html.data, "data-v=\"1\">1 ms</td>"));
    assert_non_null(strstr(html.data, "data-v=\"\">n/a</td>"));
    assert_non_null(strstr(md.data, "| model | p50 (ms) |\n| --- | ---: |\n| model-0 | n/a |"));
    cJSON *doc = cJSON_Parse(json.data);
    assert_non_null(doc);
    const cJSON *rows = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "tables"),
                                                                "latest"),
                                            "rows");
    assert_int_equal(cJSON_GetArraySize(rows), 3);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(rows, 0), "latency_ms_p50")));
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(rows, 2), "latency_ms_p50")->valueint, 2);
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "facts"), "results")->valueint, 3);
    cJSON_Delete(doc);
    ia_strbuf_free(&html);
    ia_strbuf_free(&md);
    ia_strbuf_free(&json);
    ia_doc_free(&d);
}

static void test_long_tables(void **state)
{
    (void)state;
    ia_doc d;
    build(&d, 450);
    ia_error err;
    ia_strbuf html = {0}, md = {0};
    assert_int_equal(ia_doc_write_html(&d, 0, &html, &err), IA_OK);
    assert_int_equal(ia_doc_write_markdown(&d, 0, NULL, NULL, &md, &err), IA_OK);
    /* 45 models of 10 rows: one collapsed group each. */
    size_t groups = 0;
    for (const char *p = html.data; (p = strstr(p, "<details>")); p++)
        groups++;
    assert_int_equal(groups, 45);
    assert_non_null(strstr(html.data, "model-44 (10)"));
    assert_non_null(strstr(md.data, "250 more rows are not shown"));
    ia_strbuf_free(&html);
    ia_strbuf_free(&md);
    ia_doc_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_numbers_and_times),
        cmocka_unit_test(test_strbuf),
        cmocka_unit_test(test_document_formats),
        cmocka_unit_test(test_long_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
