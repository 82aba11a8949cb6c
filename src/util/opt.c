/*
 * opt.c - option parsing.
 */
#include "opt.h"

#include <string.h>

#include "error.h"

void
opt_init(struct opt_iter *it, int argc, char **argv)
{
	memset(it, 0, sizeof(*it));
	it->argc = argc;
	it->argv = argv;
}

const struct opt_spec *
opt_lookup(const struct opt_spec *specs, const char *word,
    const char **inline_value)
{
	const struct opt_spec *s;

	*inline_value = NULL;
	if (word[0] != '-' || word[1] == '\0')
		return NULL;
	if (word[1] == '-') {
		const char *name = word + 2, *eq = strchr(name, '=');
		size_t      len = eq ? (size_t)(eq - name) : strlen(name);

		for (s = specs; s->id; s++)
			if (s->name && strlen(s->name) == len &&
			    strncmp(s->name, name, len) == 0) {
				if (eq)
					*inline_value = eq + 1;
				return s;
			}
		return NULL;
	}
	for (s = specs; s->id; s++)
		if (s->short_name && s->short_name == word[1]) {
			if (word[2] != '\0')
				*inline_value = word + 2;
			return s;
		}
	return NULL;
}

int
opt_next(struct opt_iter *it, const struct opt_spec *specs)
{
	const struct opt_spec *s;
	const char            *word, *value;

	if (it->i >= it->argc)
		return OPT_END;
	word = it->argv[it->i++];
	it->word = word;
	it->arg = NULL;
	if (!it->only_positional && strcmp(word, "--") == 0) {
		it->only_positional = true;
		return opt_next(it, specs);
	}
	if (it->only_positional || word[0] != '-' || word[1] == '\0' ||
	    (word[1] >= '0' && word[1] <= '9')) {
		it->arg = word;
		return OPT_POSITIONAL;
	}
	s = opt_lookup(specs, word, &value);
	if (s == NULL) {
		err_set(EXIT_USAGE, "unknown option '%s'", word);
		return OPT_ERROR;
	}
	if (!s->has_arg) {
		if (value != NULL) {
			err_set(EXIT_USAGE, "option '%s' takes no value", word);
			return OPT_ERROR;
		}
		return s->id;
	}
	if (value == NULL) {
		if (it->i >= it->argc) {
			err_set(EXIT_USAGE, "option '%s' needs a value", word);
			return OPT_ERROR;
		}
		value = it->argv[it->i++];
	}
	it->arg = value;
	return s->id;
}
