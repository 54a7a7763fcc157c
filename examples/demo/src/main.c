/* main.c - plog: summarise a packet log.
 * usage: prog [LOGFILE]   (reads stdin without an argument) */
#include <stdio.h>
#include <string.h>
#include "analysis.h"

static struct analysis state;

/* Discard the rest of an over-long line. */
static void skip_line(FILE *in)
{
    int c;

    while ((c = getc(in)) != EOF && c != '\n')
        ;
}

int main(int argc, char **argv)
{
    FILE *in = stdin;
    char line[PLOG_LINE_MAX];
    unsigned lineno = 0;

    if (argc > 1 && (in = fopen(argv[1], "r")) == NULL) {
        perror(argv[1]);
        return 2;
    }
    ana_init(&state);
    while (fgets(line, sizeof line, in)) {
        struct record r;
        enum rec_err e;

        lineno++;
        e = record_parse(line, &r);
        if (e == REC_LONG)
            skip_line(in);
        if (e == REC_EMPTY)
            continue;
        if (e != REC_OK) {
            errlog_note(lineno, e);
            continue;
        }
        ana_add(&state, &r);
    }
    if (in != stdin)
        fclose(in);
    report_print(&state);
    if (state.frames_bad) {
        fprintf(stderr, "plog: %u frame(s) failed self-check\n", state.frames_bad);
        return 1;
    }
    return 0;
}
