/* A store's answer (ia_store_table) on stdout in the formats commands
 * share: table (aligned, numbers to the right), markdown, csv, json (one
 * object per line) and html. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ipfs_accelerate/store.h"

static void put_csv(const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
}

static void put_html(const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", stdout); break;
        case '>': fputs("&gt;", stdout); break;
        case '&': fputs("&amp;", stdout); break;
        case '"': fputs("&quot;", stdout); break;
        default: putchar(*s);
        }
    }
}

static void put_markdown(const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|')
            putchar('\\');
        putchar(*s == '\n' ? ' ' : *s);
    }
}

void ia_cli_print_table(const ia_store_table *t, const char *format)
{
    const char *const *cells = (const char *const *)t->cells;
    if (strcmp(format, "csv") == 0) {
        for (size_t c = 0; c < t->columns; c++) {
            if (c)
                putchar(',');
            put_csv(t->names[c]);
        }
        putchar('\n');
        for (size_t r = 0; r < t->rows; r++) {
            for (size_t c = 0; c < t->columns; c++) {
                if (c)
                    putchar(',');
                put_csv(cells[r * t->columns + c]);
            }
            putchar('\n');
        }
    } else if (strcmp(format, "json") == 0) {
        for (size_t r = 0; r < t->rows; r++) {
            putchar('{');
            for (size_t c = 0; c < t->columns; c++) {
                const char *v = cells[r * t->columns + c];
                if (c)
                    putchar(',');
                ia_cli_put_json_string(t->names[c], strlen(t->names[c]));
                putchar(':');
                if (!v)
                    fputs("null", stdout);
                else if (t->numeric[c] && strcmp(v, "nan") != 0 && strcmp(v, "inf") != 0 &&
                         strcmp(v, "-inf") != 0)
                    fputs(v, stdout);
                else if (t->numeric[c])
                    fputs("null", stdout);
                else
                    ia_cli_put_json_string(v, strlen(v));
            }
            puts("}");
        }
    } else if (strcmp(format, "html") == 0) {
        fputs("<table>\n<thead><tr>", stdout);
        for (size_t c = 0; c < t->columns; c++) {
            fputs("<th>", stdout);
            put_html(t->names[c]);
            fputs("</th>", stdout);
        }
        fputs("</tr></thead>\n<tbody>\n", stdout);
        for (size_t r = 0; r < t->rows; r++) {
            fputs("<tr>", stdout);
            for (size_t c = 0; c < t->columns; c++) {
                fputs(t->numeric[c] ? "<td class=\"num\">" : "<td>", stdout);
                put_html(cells[r * t->columns + c]);
                fputs("</td>", stdout);
            }
            fputs("</tr>\n", stdout);
        }
        fputs("</tbody>\n</table>\n", stdout);
    } else if (strcmp(format, "markdown") == 0) {
        for (size_t c = 0; c < t->columns; c++) {
            fputs("| ", stdout);
            put_markdown(t->names[c]);
            putchar(' ');
        }
        puts("|");
        for (size_t c = 0; c < t->columns; c++)
            fputs(t->numeric[c] ? "| ---: " : "| --- ", stdout);
        puts("|");
        for (size_t r = 0; r < t->rows; r++) {
            for (size_t c = 0; c < t->columns; c++) {
                const char *v = cells[r * t->columns + c];
                fputs("| ", stdout);
                put_markdown(v ? v : "NULL");
                putchar(' ');
            }
            puts("|");
        }
    } else { /* table: aligned columns, numbers to the right */
        size_t *w = calloc(t->columns ? t->columns : 1, sizeof *w);
        if (!w)
            return;
        for (size_t c = 0; c < t->columns; c++) {
            w[c] = strlen(t->names[c]);
            for (size_t r = 0; r < t->rows; r++) {
                const char *v = cells[r * t->columns + c];
                size_t n = strlen(v ? v : "NULL");
                if (n > w[c])
                    w[c] = n;
            }
        }
        for (size_t c = 0; c < t->columns; c++) {
            bool last = c + 1 == t->columns;
            if (t->numeric[c])
                printf("%*s", (int)w[c], t->names[c]);
            else
                printf("%-*s", last ? 0 : (int)w[c], t->names[c]);
            if (!last)
                fputs("  ", stdout);
        }
        putchar('\n');
        for (size_t r = 0; r < t->rows; r++) {
            for (size_t c = 0; c < t->columns; c++) {
                const char *v = cells[r * t->columns + c];
                bool last = c + 1 == t->columns;
                if (t->numeric[c])
                    printf("%*s", (int)w[c], v ? v : "NULL");
                else
                    printf("%-*s", last ? 0 : (int)w[c], v ? v : "NULL");
                if (!last)
                    fputs("  ", stdout);
            }
            putchar('\n');
        }
        free(w);
    }
}
