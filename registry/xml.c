/* xml.c - see xml.h. */
#include "config.h"

#include "registry/xml.h"

#ifdef LIBXML2_SONAME
#include <dlfcn.h>

static RegistryXml table;
static char *failure;

/* Resolve one symbol into table.field; FALSE (and failure set) if absent. */
#define LOAD(handle, field) \
	(((*(void **) &table.field) = dlsym(handle, "xml" #field)) != NULL || \
	 (failure = g_strdup_printf("cannot load libxml2 (%s): no symbol xml%s", \
	                            LIBXML2_SONAME, #field), FALSE))

static gpointer
load(gpointer unused)
{
	/* Never closed: libxml2 keeps process-wide state. */
	void *h = dlopen(LIBXML2_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (h == NULL) {
		const char *e = dlerror();

		failure = g_strdup_printf("cannot load libxml2: %s", e != NULL ? e : LIBXML2_SONAME);
		return NULL;
	}
	if (LOAD(h, ByteConsumed) && LOAD(h, CreateIOParserCtxt) && LOAD(h, CtxtUseOptions) &&
	    LOAD(h, DictLookup) && LOAD(h, FreeDoc) && LOAD(h, FreeParserCtxt) &&
	    LOAD(h, ParseDocument) && LOAD(h, SAX2GetLineNumber) &&
	    LOAD(h, SetGenericErrorFunc) && LOAD(h, StopParser))
		return &table;
	return NULL;
}

const RegistryXml *
registry_xml(const char **why)
{
	static GOnce once = G_ONCE_INIT;
	const RegistryXml *x = g_once(&once, load, NULL);

	if (x == NULL)
		*why = failure;
	return x;
}

#else /* !LIBXML2_SONAME: linked */

static const RegistryXml table = {
	.ByteConsumed = xmlByteConsumed,
	.CreateIOParserCtxt = xmlCreateIOParserCtxt,
	.CtxtUseOptions = xmlCtxtUseOptions,
	.DictLookup = xmlDictLookup,
	.FreeDoc = xmlFreeDoc,
	.FreeParserCtxt = xmlFreeParserCtxt,
	.ParseDocument = xmlParseDocument,
	.SAX2GetLineNumber = xmlSAX2GetLineNumber,
	.SetGenericErrorFunc = xmlSetGenericErrorFunc,
	.StopParser = xmlStopParser,
};

const RegistryXml *
registry_xml(const char **why)
{
	return &table;
}

#endif
