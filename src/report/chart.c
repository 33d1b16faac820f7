/* The SVG chart writer: the public entry (ia_chart_svg), the input checks,
 * the CSS, and what every kind shares: axes with nice, calendar or log
 * ticks, compact labels, text that is escaped, valid UTF-8 and cut to fit,
 * the root element and the legend. The marks themselves are drawn in
 * chart_kinds.c.
 *
 * Colours live in CSS classes (s0..s7 for series, q0..q6 for heatmap
 * shades) defined once by ia_chart_css() with custom properties, so one
 * @media block switches every chart on a page to the dark theme, and a
 * standalone .svg carries the same rules in its own <style>. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "chart_internal.h"

/* Okabe-Ito, ordered so neighbouring series contrast most; yellow and
 * black come last (black turns light grey in the dark theme). The
 * sequential scale is a single-hue blue ramp, from light to dark in the
 * light theme and from dark to light in the dark one, so "more" always
 * means "more contrast with the page". */
static const char chart_css[] =
    ".ia-chart{--ia-fg:#1f2328;--ia-muted:#59636e;--ia-grid:#d8dee4;--ia-bg:#ffffff;"
    "--ia-s0:#0072b2;--ia-s1:#e69f00;--ia-s2:#009e73;--ia-s3:#d55e00;--ia-s4:#cc79a7;"
    "--ia-s5:#56b4e9;--ia-s6:#f0e442;--ia-s7:#000000;"
    "--ia-q0:#deebf7;--ia-q1:#c6dbef;--ia-q2:#9ecae1;--ia-q3:#6baed6;--ia-q4:#4292c6;"
    "--ia-q5:#2171b5;--ia-q6:#084594;--ia-qnone:#eaeef2;--ia-qlo:#1f2328;--ia-qhi:#ffffff;"
    "--ia-fail:#cf222e;--ia-fail-ink:#ffffff;--ia-unsup:#d0d7de;--ia-hatch:#6e7781;"
    "--ia-change:#cf222e;--ia-better:#1a7f37;"
    "font-family:system-ui,sans-serif;font-size:11px;height:auto;max-width:100%}\n"
    "@media (prefers-color-scheme: dark){.ia-chart{--ia-fg:#e6edf3;--ia-muted:#9198a1;"
    "--ia-grid:#30363d;--ia-bg:#0d1117;--ia-s0:#3d9be0;--ia-s7:#d0d7de;"
    "--ia-q0:#0c2a4d;--ia-q1:#12406f;--ia-q2:#1a5690;--ia-q3:#2a6fb0;--ia-q4:#4a8fd0;"
    "--ia-q5:#7eb3e6;--ia-q6:#b9d8f5;--ia-qnone:#21262d;--ia-qlo:#e6edf3;--ia-qhi:#0d1117;"
    "--ia-fail:#da3633;--ia-fail-ink:#ffffff;--ia-unsup:#3d444d;--ia-hatch:#9198a1;"
    "--ia-change:#ff7b72;--ia-better:#3fb950}}\n"
    ".ia-chart text{fill:var(--ia-fg)}\n"
    ".ia-chart .ia-title{font-size:14px;font-weight:600}\n"
    ".ia-chart .ia-tick,.ia-chart .ia-nodata{fill:var(--ia-muted)}\n"
    ".ia-chart .ia-grid{stroke:var(--ia-grid);stroke-width:1}\n"
    ".ia-chart .ia-axis{stroke:var(--ia-muted);stroke-width:1}\n"
    ".ia-chart .s0{fill:var(--ia-s0);stroke:var(--ia-s0)}"
    ".ia-chart .s1{fill:var(--ia-s1);stroke:var(--ia-s1)}"
    ".ia-chart .s2{fill:var(--ia-s2);stroke:var(--ia-s2)}"
    ".ia-chart .s3{fill:var(--ia-s3);stroke:var(--ia-s3)}"
    ".ia-chart .s4{fill:var(--ia-s4);stroke:var(--ia-s4)}"
    ".ia-chart .s5{fill:var(--ia-s5);stroke:var(--ia-s5)}"
    ".ia-chart .s6{fill:var(--ia-s6);stroke:var(--ia-s6)}"
    ".ia-chart .s7{fill:var(--ia-s7);stroke:var(--ia-s7)}\n"
    ".ia-chart rect.ia-bar{stroke-width:0}"
    ".ia-chart rect.d1,.ia-chart rect.d2,.ia-chart rect.d3{fill-opacity:.55;"
    "stroke-width:1.5;stroke-dasharray:3 2}\n"
    ".ia-chart path.ia-line{fill:none;stroke-width:2;stroke-linejoin:round}"
    ".ia-chart path.d1{stroke-dasharray:6 3}.ia-chart path.d2{stroke-dasharray:2 2}"
    ".ia-chart path.d3{stroke-dasharray:8 3 2 3}\n"
    ".ia-chart circle.ia-point{stroke:var(--ia-bg);stroke-width:1}\n"
    ".ia-chart .ia-change{fill:var(--ia-change);stroke:var(--ia-bg);stroke-width:1}"
    ".ia-chart .ia-rule{stroke:var(--ia-change);stroke-width:1;stroke-dasharray:4 3}"
    ".ia-chart .ia-change.ia-better{fill:var(--ia-better)}"
    ".ia-chart .ia-rule.ia-better{stroke:var(--ia-better)}\n"
    ".ia-chart .q0{fill:var(--ia-q0)}.ia-chart .q1{fill:var(--ia-q1)}"
    ".ia-chart .q2{fill:var(--ia-q2)}.ia-chart .q3{fill:var(--ia-q3)}"
    ".ia-chart .q4{fill:var(--ia-q4)}.ia-chart .q5{fill:var(--ia-q5)}"
    ".ia-chart .q6{fill:var(--ia-q6)}.ia-chart .qnone{fill:var(--ia-qnone)}\n"
    ".ia-chart .ia-ok text.lo{fill:var(--ia-qlo)}.ia-chart .ia-ok text.hi{fill:var(--ia-qhi)}\n"
    ".ia-chart .ia-failed rect{fill:var(--ia-fail)}"
    ".ia-chart .ia-failed path{stroke:var(--ia-fail-ink);stroke-width:1.5;fill:none}"
    ".ia-chart .ia-failed text{fill:var(--ia-fail-ink);font-weight:600}\n"
    ".ia-chart .ia-unsupported rect.ia-base{fill:var(--ia-unsup)}"
    ".ia-chart .ia-hatch{stroke:var(--ia-hatch);stroke-width:1.5}\n"
    ".ia-chart .ia-not-measured rect{fill:none;stroke:var(--ia-muted);stroke-width:1;"
    "stroke-dasharray:3 2}.ia-chart .ia-not-measured text{fill:var(--ia-muted)}\n"
    ".ia-chart .ia-mark:hover{opacity:.75}\n";

const char *ia_chart_css(void)
{
    return chart_css;
}

/* ------------------------------------------------------------ numbers */

void ia_chart_coord(ia_strbuf *b, double v)
{
    /* Rounded first so that -0.04 does not print as "-0.0". */
    double r = isfinite(v) ? round(v * 10.0) / 10.0 : 0.0;
    if (r == 0)
        r = 0;
    ia_strbuf_printf(b, "%.1f", r);
}

/* 10^e exactly where it can be: dividing by a positive power of ten gives
 * the double nearest to, say, 0.3, where multiplying by 0.1 does not. */
static double scaled(double k, int e)
{
    if (e >= 0)
        return k * pow(10.0, e);
    if (e >= -300)
        return k / pow(10.0, -e);
    return k * pow(10.0, e);
}

static void strip_zeros(char *s)
{
    char *dot = strchr(s, '.');
    if (!dot)
        return;
    char *end = s + strlen(s);
    while (end > dot + 1 && end[-1] == '0')
        *--end = 0;
    if (end == dot + 1)
        *dot = 0;
}

void ia_chart_fmt_tick(double v, double step, char out[32])
{
    static const struct {
        double scale;
        const char *suffix;
    } units[] = {{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}};
    if (!isfinite(v)) {
        snprintf(out, 32, "%s", "");
        return;
    }
    if (v == 0) {
        snprintf(out, 32, "0");
        return;
    }
    double a = fabs(v);
    if (a >= 1e15 || a < 1e-4) {
        snprintf(out, 32, "%.2g", v);
        return;
    }
    double scale = 1;
    const char *suffix = "";
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (a >= units[i].scale) {
            scale = units[i].scale;
            suffix = units[i].suffix;
            break;
        }
    double x = v / scale;
    double s = step > 0 && isfinite(step) ? step / scale : fabs(x) / 100;
    int dec = s < 1 ? (int)ceil(-log10(s) - 1e-9) : 0;
    if (dec < 0)
        dec = 0;
    /* The step's decimals are enough for ticks on that step; a value off
     * the step (a log tick, a heatmap bound) gets the few more it needs. */
    while (dec < 6 && fabs(round(x * pow(10.0, dec)) / pow(10.0, dec) - x) > 1e-9 * fabs(x))
        dec++;
    char num[32];
    snprintf(num, sizeof num, "%.*f", dec, x);
    strip_zeros(num);
    if (strcmp(num, "-0") == 0)
        snprintf(num, sizeof num, "0");
    snprintf(out, 32, "%s%s", num, suffix);
}

void ia_chart_fmt_value(ia_strbuf *b, double v, const char *unit)
{
    char num[32];
    double a = fabs(v);
    if (isfinite(v) && (a >= 1e6 || (a < 1e-3 && a > 0)))
        snprintf(num, sizeof num, "%.3g", v);
    else
        ia_report_fmt_num(v, num);
    ia_strbuf_puts(b, num);
    if (unit && *unit && isfinite(v)) {
        ia_strbuf_puts(b, " ");
        ia_strbuf_puts(b, unit);
    }
}

/* Days since 1970-01-01 from a proleptic Gregorian date and back, in plain
 * integer arithmetic (eras of 400 years), so calendar ticks and labels do
 * not depend on the C library's time zone or time_t range. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* Beyond this many seconds from 1970 (about 31,000 years) times are shown
 * as plain numbers: nobody benchmarked then. */
#define TIME_LIMIT 1e12

typedef struct civil_time {
    int64_t year;
    int month, day, hour, minute;
} civil_time;

static civil_time civil_from_seconds(double seconds)
{
    int64_t s = (int64_t)floor(seconds);
    int64_t days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
    int64_t rest = s - days * 86400;
    civil_time t;
    civil_from_days(days, &t.year, &t.month, &t.day);
    t.hour = (int)(rest / 3600);
    t.minute = (int)(rest % 3600 / 60);
    return t;
}

void ia_chart_fmt_time(ia_strbuf *b, double seconds)
{
    if (!isfinite(seconds) || fabs(seconds) > TIME_LIMIT) {
        ia_chart_fmt_value(b, seconds, "s");
        return;
    }
    civil_time t = civil_from_seconds(seconds);
    ia_strbuf_printf(b, "%04lld-%02d-%02d %02d:%02d UTC", (long long)t.year, t.month, t.day,
                     t.hour, t.minute);
}

/* ---------------------------------------------------------------- text */

/* The length of the valid UTF-8 character at p (1 to 4), or 0 when the
 * bytes there are not one (overlong forms and surrogates included). */
static size_t utf8_char(const unsigned char *p)
{
    unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;
        if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return n;
}

size_t ia_chart_text_len(const char *s)
{
    size_t count = 0;
    if (!s)
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; count++) {
        size_t n = utf8_char(p);
        p += n ? n : 1;
    }
    return count;
}

bool ia_chart_text(ia_strbuf *b, const char *s, size_t max_chars)
{
    if (!s)
        return false;
    size_t total = ia_chart_text_len(s);
    bool cut = max_chars > 0 && total > max_chars;
    size_t keep = cut ? max_chars - 1 : total;
    ia_strbuf clean = {0};
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < keep && *p; i++) {
        size_t n = utf8_char(p);
        if (n)
            ia_strbuf_append(&clean, (const char *)p, n);
        else
            ia_strbuf_puts(&clean, "\xEF\xBF\xBD");
        p += n ? n : 1;
    }
    if (cut)
        ia_strbuf_puts(&clean, "\xE2\x80\xA6");
    if (clean.failed)
        b->failed = true;
    else
        ia_report_put_xml(b, clean.data ? clean.data : "");
    ia_strbuf_free(&clean);
    return cut;
}

void ia_chart_title_element(ia_strbuf *b, const char *text)
{
    ia_strbuf_puts(b, "<title>");
    ia_chart_text(b, text, 0);
    ia_strbuf_puts(b, "</title>");
}

void ia_chart_series_class(ia_strbuf *b, size_t i)
{
    ia_strbuf_printf(b, "s%zu", i % IA_CHART_COLOURS);
    if (i >= IA_CHART_COLOURS)
        ia_strbuf_printf(b, " d%zu", (i / IA_CHART_COLOURS - 1) % 3 + 1);
}

/* ---------------------------------------------------------------- ticks */

size_t ia_chart_nice_ticks(double lo, double hi, size_t max_ticks, double *ticks)
{
    if (!ticks || max_ticks == 0 || !isfinite(lo) || !isfinite(hi))
        return 0;
    if (lo > hi) {
        double t = lo;
        lo = hi;
        hi = t;
    }
    if (max_ticks == 1) {
        ticks[0] = lo;
        return 1;
    }
    if (lo == hi) {
        double d = lo == 0 ? 1 : fabs(lo) * 0.1;
        lo -= d;
        hi += d;
    }
    /* Halves first: hi - lo overflows for -1e308..1e308. */
    double raw = hi / (double)(max_ticks - 1) - lo / (double)(max_ticks - 1);
    if (raw > 0 && isfinite(raw)) {
        static const double mult[] = {1, 2, 5};
        int e = (int)floor(log10(raw));
        for (int k = 0; k < 3 * 4; k++) {
            int ee = e + k / 3;
            double m = mult[k % 3];
            double step = scaled(m, ee);
            if (!(step > 0) || !isfinite(step))
                break;
            /* A step far below the values' own precision cannot be counted
             * in doubles: fall back to the two ends. */
            if (fabs(lo) / step > 1e15 || fabs(hi) / step > 1e15)
                break;
            double first = floor(lo / step), last = ceil(hi / step);
            if (last - first + 1 > (double)max_ticks)
                continue;
            size_t n = (size_t)(last - first) + 1;
            for (size_t i = 0; i < n; i++) {
                double v = scaled((first + (double)i) * m, ee);
                ticks[i] = v == 0 ? 0 : v;
            }
            return n;
        }
    }
    ticks[0] = lo;
    ticks[1] = hi;
    return 2;
}

void ia_chart_axis_linear(ia_chart_axis *a, double lo, double hi)
{
    size_t cap = IA_CHART_MAX_TICKS;
    memset(a, 0, sizeof *a);
    a->tick_count = ia_chart_nice_ticks(lo, hi, cap, a->ticks);
    if (a->tick_count < 2) {
        a->ticks[0] = lo;
        a->ticks[1] = hi > lo ? hi : lo + 1;
        a->tick_count = 2;
    }
    a->lo = a->ticks[0];
    a->hi = a->ticks[a->tick_count - 1];
    double step = a->ticks[1] - a->ticks[0];
    for (size_t i = 0; i < a->tick_count; i++)
        ia_chart_fmt_tick(a->ticks[i], step, a->labels[i]);
}

void ia_chart_axis_log(ia_chart_axis *a, double lo, double hi)
{
    memset(a, 0, sizeof *a);
    a->log = true;
    int e0 = (int)floor(log10(lo)), e1 = (int)ceil(log10(hi));
    if (e1 <= e0)
        e1 = e0 + 1;
    /* Every k-th decade when there are more than the axis can label. */
    int k = (e1 - e0 + IA_CHART_MAX_TICKS - 2) / (IA_CHART_MAX_TICKS - 1);
    if (k < 1)
        k = 1;
    /* One or two decades would leave two or three ticks: 2 and 5 times
     * each power of ten are added (still a 1-2-5 sequence). */
    bool fill = e1 - e0 <= 2;
    int e = e0;
    for (; a->tick_count + 3 <= IA_CHART_TICKS_CAP; e += k) {
        static const double mult[] = {1, 2, 5};
        for (size_t m = 0; m < (fill && e < e1 ? 3 : 1); m++) {
            double v = scaled(mult[m], e);
            a->ticks[a->tick_count] = v;
            ia_chart_fmt_tick(v, v, a->labels[a->tick_count]);
            a->tick_count++;
        }
        if (e >= e1)
            break;
    }
    a->lo = e0;
    a->hi = e;
}

typedef struct time_step {
    double seconds; /* fixed steps, aligned on the epoch (weeks on Mondays) */
    int months;     /* calendar steps, on the first of a month */
} time_step;

static const time_step time_steps[] = {
    {60, 0},         {300, 0},        {900, 0},         {1800, 0},  {3600, 0},
    {3 * 3600, 0},   {6 * 3600, 0},   {12 * 3600, 0},   {86400, 0}, {2 * 86400, 0},
    {7 * 86400, 0},  {0, 1},          {0, 3},           {0, 6},     {0, 12},
    {0, 24},         {0, 60},         {0, 120},         {0, 600},   {0, 1200},
    {0, 6000},       {0, 12000},      {0, 60000},       {0, 120000},
};

/* The ticks of step s within [lo, hi]; stops counting past cap. */
static size_t time_ticks(time_step s, double lo, double hi, double *ticks, size_t cap)
{
    size_t n = 0;
    if (s.months == 0) {
        /* 1970-01-05 was a Monday. */
        double offset = s.seconds == 7 * 86400 ? 4 * 86400 : 0;
        double first = ceil((lo - offset) / s.seconds) * s.seconds + offset;
        for (double t = first; t <= hi && n <= cap; t += s.seconds)
            ticks[n++] = t;
        return n;
    }
    civil_time c = civil_from_seconds(lo);
    int64_t index = c.year * 12 + (c.month - 1);
    int64_t rem = index % s.months;
    if (rem < 0)
        rem += s.months;
    index -= rem;
    for (; n <= cap; index += s.months) {
        int64_t y = index >= 0 ? index / 12 : -((-index + 11) / 12);
        int m = (int)(index - y * 12) + 1;
        double t = (double)days_from_civil(y, m, 1) * 86400.0;
        if (t > hi)
            break;
        if (t >= lo)
            ticks[n++] = t;
    }
    return n;
}

void ia_chart_axis_time(ia_chart_axis *a, double lo, double hi)
{
    if (fabs(lo) > TIME_LIMIT || fabs(hi) > TIME_LIMIT) {
        ia_chart_axis_linear(a, lo, hi);
        return;
    }
    memset(a, 0, sizeof *a);
    a->lo = lo;
    a->hi = hi;
    size_t cap = IA_CHART_MAX_TICKS;
    for (size_t i = 0; i < sizeof time_steps / sizeof time_steps[0]; i++) {
        time_step s = time_steps[i];
        size_t n = time_ticks(s, lo, hi, a->ticks, cap);
        if (n > cap)
            continue;
        a->tick_count = n;
        bool with_time = s.months == 0 && s.seconds < 86400;
        for (size_t j = 0; j < n; j++) {
            civil_time c = civil_from_seconds(a->ticks[j]);
            if (with_time)
                snprintf(a->labels[j], 32, "%02d-%02d %02d:%02d", c.month, c.day, c.hour,
                         c.minute);
            else
                snprintf(a->labels[j], 32, "%04lld-%02d-%02d", (long long)c.year, c.month,
                         c.day);
        }
        return;
    }
    ia_chart_axis_linear(a, lo, hi);
}

double ia_chart_axis_frac(const ia_chart_axis *a, double v)
{
    if (a->log)
        return (log10(v) - a->lo) / (a->hi - a->lo);
    /* In halves, like the ticks, so huge domains do not overflow. */
    double span = a->hi * 0.5 - a->lo * 0.5;
    if (!(span > 0))
        return 0.5;
    return (v * 0.5 - a->lo * 0.5) / span;
}

/* ---------------------------------------------------------------- axes */

void ia_chart_draw_y_axis(ia_strbuf *b, const ia_chart_plot *p, const ia_chart_axis *a,
                          const char *label)
{
    ia_strbuf_puts(b, "<g class=\"ia-y\">");
    for (size_t i = 0; i < a->tick_count; i++) {
        double v = a->ticks[i];
        double y = p->top + p->height * (1 - ia_chart_axis_frac(a, v));
        ia_strbuf_puts(b, "<line class=\"ia-grid\" x1=\"");
        ia_chart_coord(b, p->left);
        ia_strbuf_puts(b, "\" x2=\"");
        ia_chart_coord(b, p->left + p->width);
        ia_strbuf_puts(b, "\" y1=\"");
        ia_chart_coord(b, y);
        ia_strbuf_puts(b, "\" y2=\"");
        ia_chart_coord(b, y);
        ia_strbuf_puts(b, "\"/><text class=\"ia-tick\" text-anchor=\"end\" x=\"");
        ia_chart_coord(b, p->left - 6);
        ia_strbuf_puts(b, "\" y=\"");
        ia_chart_coord(b, y + 4);
        ia_strbuf_puts(b, "\">");
        ia_chart_text(b, a->labels[i], 0);
        ia_strbuf_puts(b, "</text>");
    }
    if (label && *label) {
        ia_strbuf_puts(b, "<text class=\"ia-axis-label\" text-anchor=\"middle\" "
                          "transform=\"translate(14 ");
        ia_chart_coord(b, p->top + p->height / 2);
        ia_strbuf_puts(b, ") rotate(-90)\">");
        /* The label runs along the plot's height. */
        size_t fit = (size_t)(p->height / IA_CHART_CHAR_W);
        bool cut = ia_chart_text(b, label, fit);
        if (cut)
            ia_chart_title_element(b, label);
        ia_strbuf_puts(b, "</text>");
    }
    ia_strbuf_puts(b, "</g>\n");
}

void ia_chart_draw_x_axis(ia_strbuf *b, const ia_chart_plot *p, const ia_chart_axis *a)
{
    double bottom = p->top + p->height;
    ia_strbuf_puts(b, "<g class=\"ia-x\"><line class=\"ia-axis\" x1=\"");
    ia_chart_coord(b, p->left);
    ia_strbuf_puts(b, "\" x2=\"");
    ia_chart_coord(b, p->left + p->width);
    ia_strbuf_puts(b, "\" y1=\"");
    ia_chart_coord(b, bottom);
    ia_strbuf_puts(b, "\" y2=\"");
    ia_chart_coord(b, bottom);
    ia_strbuf_puts(b, "\"/>");
    for (size_t i = 0; i < a->tick_count; i++) {
        double f = ia_chart_axis_frac(a, a->ticks[i]);
        if (f < -1e-9 || f > 1 + 1e-9)
            continue;
        double x = p->left + p->width * f;
        ia_strbuf_puts(b, "<line class=\"ia-axis\" x1=\"");
        ia_chart_coord(b, x);
        ia_strbuf_puts(b, "\" x2=\"");
        ia_chart_coord(b, x);
        ia_strbuf_puts(b, "\" y1=\"");
        ia_chart_coord(b, bottom);
        ia_strbuf_puts(b, "\" y2=\"");
        ia_chart_coord(b, bottom + 4);
        /* A label at the plot's right end would run past the margin: it
         * ends at its tick instead of centring on it. */
        ia_strbuf_puts(b, f > 0.95 ? "\"/><text class=\"ia-tick\" text-anchor=\"end\" x=\""
                                   : "\"/><text class=\"ia-tick\" text-anchor=\"middle\" x=\"");
        ia_chart_coord(b, x);
        ia_strbuf_puts(b, "\" y=\"");
        ia_chart_coord(b, bottom + 16);
        ia_strbuf_puts(b, "\">");
        ia_chart_text(b, a->labels[i], 0);
        ia_strbuf_puts(b, "</text>");
    }
    ia_strbuf_puts(b, "</g>\n");
}

void ia_chart_draw_x_label(ia_strbuf *b, const ia_chart_plot *p, double y, const char *label)
{
    if (!label || !*label)
        return;
    ia_strbuf_puts(b, "<text class=\"ia-axis-label\" text-anchor=\"middle\" x=\"");
    ia_chart_coord(b, p->left + p->width / 2);
    ia_strbuf_puts(b, "\" y=\"");
    ia_chart_coord(b, y);
    ia_strbuf_puts(b, "\">");
    bool cut = ia_chart_text(b, label, (size_t)(p->width / IA_CHART_CHAR_W));
    if (cut)
        ia_chart_title_element(b, label);
    ia_strbuf_puts(b, "</text>\n");
}

/* ------------------------------------------------------------ the root */

double ia_chart_top(const ia_chart *c)
{
    return c->title && *c->title ? 34 : 12;
}

void ia_chart_begin(ia_strbuf *b, const ia_chart *c, double width, double height, bool empty)
{
    ia_strbuf_puts(b, "<svg");
    if (c->standalone)
        ia_strbuf_puts(b, " xmlns=\"http://www.w3.org/2000/svg\"");
    ia_strbuf_printf(b, " class=\"ia-chart%s\" id=\"", empty ? " ia-empty" : "");
    ia_chart_text(b, c->id, 0);
    ia_strbuf_puts(b, "\" role=\"img\" viewBox=\"0 0 ");
    ia_chart_coord(b, width);
    ia_strbuf_puts(b, " ");
    ia_chart_coord(b, height);
    ia_strbuf_puts(b, "\" width=\"100%\">\n");
    ia_chart_title_element(b, c->title && *c->title ? c->title : c->id);
    ia_strbuf_puts(b, "\n");
    if (c->standalone) {
        ia_strbuf_puts(b, "<style>\n");
        ia_strbuf_puts(b, chart_css);
        ia_strbuf_puts(b, "</style>\n");
    }
    if (c->title && *c->title) {
        ia_strbuf_puts(b, "<text class=\"ia-title\" text-anchor=\"middle\" x=\"");
        ia_chart_coord(b, width / 2);
        ia_strbuf_puts(b, "\" y=\"20\">");
        /* 14px bold glyphs are about 8.4 units wide. */
        ia_chart_text(b, c->title, (size_t)((width - 24) / 8.4));
        ia_strbuf_puts(b, "</text>\n");
    }
}

void ia_chart_end(ia_strbuf *b)
{
    ia_strbuf_puts(b, "</svg>\n");
}

void ia_chart_write_empty(ia_strbuf *b, const ia_chart *c)
{
    double h = ia_chart_top(c) + 80;
    ia_chart_begin(b, c, IA_CHART_WIDTH, h, true);
    ia_strbuf_puts(b, "<text class=\"ia-nodata\" text-anchor=\"middle\" x=\"");
    ia_chart_coord(b, IA_CHART_WIDTH / 2);
    ia_strbuf_puts(b, "\" y=\"");
    ia_chart_coord(b, ia_chart_top(c) + 44);
    ia_strbuf_puts(b, "\">no data</text>\n");
    ia_chart_end(b);
}

/* ---------------------------------------------------------------- legend */

/* Legend names longer than this are cut (the full name is the hover). */
#define LEGEND_CHARS 24

double ia_chart_legend(ia_strbuf *b, const ia_chart *c, double x, double y, double width)
{
    if (c->series_count < 2)
        return 0;
    double cx = x, cy = y;
    double rows = 1;
    if (b)
        ia_strbuf_puts(b, "<g class=\"ia-legend\">");
    for (size_t i = 0; i < c->series_count; i++) {
        const char *name = c->series[i].name ? c->series[i].name : "";
        size_t len = ia_chart_text_len(name);
        if (len > LEGEND_CHARS)
            len = LEGEND_CHARS;
        double item = 16 + (double)len * IA_CHART_CHAR_W + 14;
        if (cx > x && cx + item > x + width) {
            cx = x;
            cy += IA_CHART_LINE_H;
            rows++;
        }
        if (b) {
            ia_strbuf_puts(b, "<g>");
            if (ia_chart_text_len(name) > LEGEND_CHARS)
                ia_chart_title_element(b, name);
            ia_strbuf_puts(b, "<rect class=\"ia-swatch ");
            ia_chart_series_class(b, i);
            ia_strbuf_puts(b, "\" x=\"");
            ia_chart_coord(b, cx);
            ia_strbuf_puts(b, "\" y=\"");
            ia_chart_coord(b, cy);
            ia_strbuf_puts(b, "\" width=\"12\" height=\"12\"/><text x=\"");
            ia_chart_coord(b, cx + 16);
            ia_strbuf_puts(b, "\" y=\"");
            ia_chart_coord(b, cy + 10);
            ia_strbuf_puts(b, "\">");
            ia_chart_text(b, name, LEGEND_CHARS);
            ia_strbuf_puts(b, "</text></g>");
        }
        cx += item;
    }
    if (b)
        ia_strbuf_puts(b, "</g>\n");
    return rows * IA_CHART_LINE_H;
}

/* ---------------------------------------------------------------- entry */

static bool id_ok(const char *id)
{
    if (!id || !*id)
        return false;
    for (const char *p = id; *p; p++) {
        char ch = *p;
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
        if (!ok)
            return false;
    }
    return true;
}

static ia_status check(const ia_chart *c, ia_error *err)
{
    if (!c)
        return ia_error_set(err, IA_ERR_INVALID, "chart: no chart given");
    if (!c->id || !*c->id)
        return ia_error_set(err, IA_ERR_INVALID,
                            "chart \"%s\": the id is missing (each chart needs one, unique in "
                            "its page)",
                            c->title ? c->title : "");
    if (!id_ok(c->id))
        return ia_error_set(err, IA_ERR_INVALID,
                            "chart \"%s\": the id may hold only letters, digits, '-' and '_'",
                            c->id);
    switch (c->kind) {
    case IA_CHART_BARS:
    case IA_CHART_LINES:
    case IA_CHART_TIME:
        if (c->series_count > 0 && !c->series)
            return ia_error_set(err, IA_ERR_INVALID,
                                "chart %s: series_count is %zu but series is NULL", c->id,
                                c->series_count);
        for (size_t i = 0; i < c->series_count; i++) {
            const ia_chart_series *s = &c->series[i];
            const char *name = s->name ? s->name : "";
            if (c->kind == IA_CHART_BARS && s->count != c->category_count)
                return ia_error_set(err, IA_ERR_INVALID,
                                    "chart %s: series %zu (\"%s\") has %zu values for %zu "
                                    "categories",
                                    c->id, i, name, s->count, c->category_count);
            if (s->count > 0 && !s->y)
                return ia_error_set(err, IA_ERR_INVALID,
                                    "chart %s: series %zu (\"%s\") has %zu points but no y "
                                    "values",
                                    c->id, i, name, s->count);
            if (c->kind != IA_CHART_BARS && s->count > 0 && !s->x)
                return ia_error_set(err, IA_ERR_INVALID,
                                    "chart %s: series %zu (\"%s\") has %zu points but no x "
                                    "values",
                                    c->id, i, name, s->count);
        }
        return IA_OK;
    case IA_CHART_HEATMAP: {
        size_t cols = c->category_count, rows = c->row_count;
        if (cols > 0 && rows > SIZE_MAX / cols)
            return ia_error_set(err, IA_ERR_INVALID, "chart %s: %zu x %zu cells is too many",
                                c->id, rows, cols);
        if (rows * cols > 0 && !c->cells)
            return ia_error_set(err, IA_ERR_INVALID,
                                "chart %s: %zu rows x %zu columns but cells is NULL", c->id,
                                rows, cols);
        for (size_t i = 0; i < rows * cols; i++) {
            ia_chart_cell_state st = c->cells[i].state;
            if (st != IA_CELL_OK && st != IA_CELL_FAILED && st != IA_CELL_UNSUPPORTED &&
                st != IA_CELL_NOT_MEASURED)
                return ia_error_set(err, IA_ERR_INVALID,
                                    "chart %s: cell %zu (row %zu, column %zu) has unknown "
                                    "state %d",
                                    c->id, i, i / cols, i % cols, (int)st);
        }
        return IA_OK;
    }
    }
    return ia_error_set(err, IA_ERR_INVALID, "chart %s: unknown kind %d", c->id, (int)c->kind);
}

ia_status ia_chart_svg(const ia_chart *chart, ia_strbuf *out, ia_error *err)
{
    if (!out)
        return ia_error_set(err, IA_ERR_INVALID, "chart: no output buffer given");
    ia_status rc = check(chart, err);
    if (rc != IA_OK)
        return rc;
    size_t before = out->len;
    switch (chart->kind) {
    case IA_CHART_BARS: rc = ia_chart_draw_bars(chart, out, err); break;
    case IA_CHART_LINES:
    case IA_CHART_TIME: rc = ia_chart_draw_lines(chart, out, err); break;
    case IA_CHART_HEATMAP: rc = ia_chart_draw_heatmap(chart, out, err); break;
    }
    if (rc == IA_OK && out->failed)
        rc = ia_error_set(err, IA_ERR_NOMEM, "chart %s: out of memory writing the svg",
                          chart->id);
    /* A chart is appended whole or not at all. */
    if (rc != IA_OK && !out->failed && out->data) {
        out->len = before;
        out->data[before] = 0;
    }
    return rc;
}
