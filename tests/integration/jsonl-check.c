/*
 * jsonl-check FILE [COUNT]: every line of FILE ("-" = stdin) must be exactly
 * one JSON object by json-c's strict parser, and with COUNT there must be
 * that many lines.  An independent parser checks the hand-written encoder.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

static int
check_line(const char *line, size_t len, unsigned long lineno)
{
	struct json_tokener *tok;
	struct json_object *obj;
	enum json_tokener_error err;
	int ok = 0;

	if ((tok = json_tokener_new()) == NULL)
		return 0;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	obj = json_tokener_parse_ex(tok, line, (int)len);
	err = json_tokener_get_error(tok);
	if (obj == NULL || err != json_tokener_success)
		fprintf(stderr, "line %lu: not JSON: %s\n", lineno,
		    json_tokener_error_desc(err));
	else if (json_tokener_get_parse_end(tok) != len)
		fprintf(stderr, "line %lu: trailing bytes after the object\n",
		    lineno);
	else if (!json_object_is_type(obj, json_type_object))
		fprintf(stderr, "line %lu: not an object\n", lineno);
	else
		ok = 1;
	json_object_put(obj);
	json_tokener_free(tok);
	return ok;
}

int
main(int argc, char **argv)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long lines = 0, bad = 0;
	long want = -1;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: jsonl-check FILE [COUNT]\n");
		return 2;
	}
	if (argc == 3)
		want = strtol(argv[2], NULL, 10);
	f = strcmp(argv[1], "-") == 0 ? stdin : fopen(argv[1], "r");
	if (f == NULL) {
		perror(argv[1]);
		return 2;
	}
	while ((n = getline(&line, &cap, f)) != -1) {
		lines++;
		if (n == 0 || line[n - 1] != '\n') {
			fprintf(stderr, "line %lu: no newline at the end\n",
			    lines);
			bad++;
			continue;
		}
		if (!check_line(line, (size_t)n - 1, lines))
			bad++;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	if (want >= 0 && (unsigned long)want != lines) {
		fprintf(stderr, "%lu lines, expected %ld\n", lines, want);
		return 1;
	}
	printf("%lu lines, %lu bad\n", lines, bad);
	return bad == 0 ? 0 : 1;
}
