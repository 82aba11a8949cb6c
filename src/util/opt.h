/*
 * opt.h - a table-driven option parser.
 *
 * Long options (--name, --name=value, --name value), short ones (-x, -x value,
 * -xvalue) and positional arguments in any order; "--" ends options.
 */
#ifndef STRATA_OPT_H
#define STRATA_OPT_H

#include <stdbool.h>

struct opt_spec {
	const char *name;
	char        short_name;
	bool        has_arg;
	int         id; /* > 0 */
};

#define OPT_END 0
#define OPT_POSITIONAL (-100)
#define OPT_ERROR (-101) /* error record set, exit code 2 */

struct opt_iter {
	int         argc;
	char      **argv;
	int         i;
	bool        only_positional;
	const char *arg;  /* the option's value, or the positional */
	const char *word; /* the option as written, for messages */
};

void opt_init(struct opt_iter *, int argc, char **argv);
/* Next option id, OPT_POSITIONAL, OPT_END, or OPT_ERROR. */
int opt_next(struct opt_iter *, const struct opt_spec *);
/* Does argv[i] name an option of `specs` that takes a value? */
const struct opt_spec *opt_lookup(const struct opt_spec *, const char *word,
    const char **inline_value);

#endif
