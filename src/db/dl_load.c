/*
 * dl_load.c - open a shared library and fill its pointer table (dl_load.h).
 */
#include "dl_load.h"

#include <dlfcn.h>
#include <string.h>

#include "../core/error.h"

int
dl_load(struct dl_library *lib)
{
	size_t i;
	void *h, *sym;

	if (lib->loaded)
		return 0;
	if ((h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL)) == NULL)
		return err_set(EXIT_DB, "PostgreSQL needs %s, which could not "
		    "be loaded: %s (Debian: apt-get install %s)", lib->soname,
		    dlerror(), lib->package);
	for (i = 0; i < lib->n; i++) {
		if ((sym = dlsym(h, lib->symbols[i].name)) == NULL)
			return err_set(EXIT_DB, "%s lacks %s (strata needs %s): "
			    "%s", lib->soname, lib->symbols[i].name, lib->need,
			    dlerror());
		/* dlsym gives void *; copy it into the typed pointer. */
		memcpy((char *)lib->table + lib->symbols[i].offset, &sym,
		    sizeof(sym));
	}
	lib->loaded = true;
	return 0;
}
