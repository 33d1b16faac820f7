/* The shell of every HTML page: one self-contained file (no network, no
 * CDN, system fonts), light and dark themes from prefers-color-scheme,
 * readable on a phone (wide tables scroll inside their box, charts scale),
 * and tables that sort on a click through a few lines of inline script. */
#include <math.h>
#include <stdio.h>
#include <time.h>

#include "report_internal.h"

static const char page_css[] =
    ":root{--bg:#fff;--fg:#1b1f24;--muted:#59636e;--line:#d1d9e0;--panel:#f6f8fa;"
    "--accent:#0969da;--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;color-scheme:light dark}"
    "@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;"
    "--line:#3d444d;--panel:#151b23;--accent:#4493f8;--ok:#3fb950;--bad:#f85149;"
    "--warn:#d29922}}"
    "*{box-sizing:border-box}"
    "body{margin:0 auto;max-width:1100px;padding:16px;background:var(--bg);color:var(--fg);"
    "font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}"
    "header{border-bottom:1px solid var(--line);margin-bottom:16px}"
    "h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin:1.6em 0 .5em}"
    "h3{font-size:1.05em;margin:1.2em 0 .4em}"
    ".sub,.note,footer{color:var(--muted)}.note{font-size:.9em}"
    "footer{border-top:1px solid var(--line);margin-top:32px;padding-top:8px;font-size:.85em}"
    ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;"
    "margin:12px 0}"
    ".card{background:var(--panel);border:1px solid var(--line);border-radius:8px;"
    "padding:10px 12px}.card b{display:block;font-size:1.5em}.card span{color:var(--muted);"
    "font-size:.85em}"
    ".scroll{overflow-x:auto;margin:8px 0;-webkit-overflow-scrolling:touch}"
    "table{border-collapse:collapse;font-size:.9em;min-width:50%}"
    "caption{text-align:left;font-weight:600;padding:4px 0}"
    "th,td{padding:4px 8px;border-bottom:1px solid var(--line);text-align:left;"
    "white-space:nowrap}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}"
    "th{background:var(--panel);position:sticky;top:0}"
    "table.ia-sortable th{cursor:pointer;user-select:none}"
    "table.ia-sortable th[aria-sort=ascending]::after{content:' \\25B2'}"
    "table.ia-sortable th[aria-sort=descending]::after{content:' \\25BC'}"
    ".tag{display:inline-block;border-radius:4px;padding:0 5px;font-size:.8em;"
    "border:1px solid currentColor}"
    ".tag.sim{color:var(--warn)}.tag.syn{color:var(--accent)}.tag.bad{color:var(--bad)}"
    ".tag.ok{color:var(--ok)}"
    ".chart{margin:8px 0 16px;max-width:760px}"
    "details{margin:6px 0}summary{cursor:pointer}"
    "a{color:var(--accent)}"
    "@media (max-width:600px){body{padding:10px;font-size:14px}h1{font-size:1.3em}}";

/* Sorts a table.ia-sortable by the clicked column: numbers by data-v (the
 * raw value; empty sorts last), text by locale; a second click reverses. */
static const char sort_js[] =
    "document.addEventListener('click',function(e){"
    "var th=e.target.closest('table.ia-sortable th');if(!th)return;"
    "var table=th.closest('table'),body=table.tBodies[0];if(!body)return;"
    "var col=Array.prototype.indexOf.call(th.parentNode.children,th);"
    "var num=th.dataset.type==='number';"
    "var dir=th.getAttribute('aria-sort')==='ascending'?-1:1;"
    "Array.prototype.forEach.call(th.parentNode.children,function(h){"
    "h.removeAttribute('aria-sort')});"
    "th.setAttribute('aria-sort',dir>0?'ascending':'descending');"
    "var key=function(r){var c=r.children[col];if(!c)return null;"
    "if(num){var v=c.dataset.v;return v===undefined||v===''?null:parseFloat(v)}"
    "return c.textContent};"
    "var rows=Array.prototype.slice.call(body.rows);"
    "rows.sort(function(a,b){var x=key(a),y=key(b);"
    "if(x===null||y===null)return x===null?(y===null?0:1):-1;"
    "return dir*(num?x-y:String(x).localeCompare(String(y)))});"
    "rows.forEach(function(r){body.appendChild(r)})});";

void ia_html_begin(ia_strbuf *b, const char *title, const char *subtitle, size_t chart_count)
{
    ia_strbuf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<meta name=\"color-scheme\" content=\"light dark\">\n<title>");
    ia_report_put_xml(b, title);
    ia_strbuf_puts(b, "</title>\n<style>");
    ia_strbuf_puts(b, page_css);
    ia_strbuf_puts(b, "\n");
    ia_strbuf_puts(b, ia_chart_css());
    ia_strbuf_puts(b, "</style>\n<script>");
    ia_strbuf_puts(b, sort_js);
    ia_strbuf_printf(b, "</script>\n</head>\n<body data-charts=\"%zu\">\n<header><h1>",
                     chart_count);
    ia_report_put_xml(b, title);
    ia_strbuf_puts(b, "</h1>");
    if (subtitle) {
        ia_strbuf_puts(b, "<p class=\"sub\">");
        ia_report_put_xml(b, subtitle);
        ia_strbuf_puts(b, "</p>");
    }
    ia_strbuf_puts(b, "</header>\n<main>\n");
}

void ia_html_end(ia_strbuf *b, int64_t generated_at_us)
{
    char when[32];
    const ia_build_info *bi = ia_build_info_get();
    ia_strbuf_puts(b, "</main>\n<footer>Generated by ipfs-accelerate ");
    ia_report_put_xml(b, bi->version);
    ia_strbuf_puts(b, " on ");
    ia_report_put_xml(b, ia_report_fmt_time(generated_at_us, when));
    ia_strbuf_puts(b, ". Every figure was read from the results store; none was predicted."
                      "</footer>\n</body>\n</html>\n");
}

void ia_html_table_begin(ia_strbuf *b, const char *caption, const char *const *headers,
                         const bool *numeric, size_t columns)
{
    ia_strbuf_puts(b, "<div class=\"scroll\"><table class=\"ia-sortable\">");
    if (caption) {
        ia_strbuf_puts(b, "<caption>");
        ia_report_put_xml(b, caption);
        ia_strbuf_puts(b, "</caption>");
    }
    ia_strbuf_puts(b, "<thead><tr>");
    for (size_t i = 0; i < columns; i++) {
        ia_strbuf_printf(b, "<th data-type=\"%s\">", numeric && numeric[i] ? "number" : "text");
        ia_report_put_xml(b, headers[i]);
        ia_strbuf_puts(b, "</th>");
    }
    ia_strbuf_puts(b, "</tr></thead>\n<tbody>\n");
}

void ia_html_row_begin(ia_strbuf *b)
{
    ia_strbuf_puts(b, "<tr>");
}

void ia_html_text_cell(ia_strbuf *b, const char *text)
{
    ia_strbuf_puts(b, "<td>");
    ia_report_put_xml(b, text);
    ia_strbuf_puts(b, "</td>");
}

void ia_html_num_cell(ia_strbuf *b, double v, const char *unit)
{
    char num[32];
    if (isnan(v)) {
        ia_strbuf_puts(b, "<td class=\"n\" data-v=\"\">n/a</td>");
        return;
    }
    ia_strbuf_printf(b, "<td class=\"n\" data-v=\"%.17g\">%s", v, ia_report_fmt_num(v, num));
    if (unit && *unit) {
        ia_strbuf_puts(b, " ");
        ia_report_put_xml(b, unit);
    }
    ia_strbuf_puts(b, "</td>");
}

void ia_html_row_end(ia_strbuf *b)
{
    ia_strbuf_puts(b, "</tr>\n");
}

void ia_html_table_end(ia_strbuf *b)
{
    ia_strbuf_puts(b, "</tbody></table></div>\n");
}
