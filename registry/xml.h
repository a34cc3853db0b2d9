/* xml.h - the few libxml2 functions the registry loader calls.
 *
 * With LIBXML2_SONAME defined (configure found the library's file name),
 * libxml2 is dlopen()ed the first time a registry is loaded, not at
 * process start: libxml2 brings ICU and the C++ runtime, about a
 * millisecond and a half of start-up, and `dnssd-audit scan` talks to
 * avahi-daemon first and parses the registry later, in a thread, while
 * it waits for the network.  Without it the functions are linked as
 * usual.  Either way the calls are type-checked against libxml2's own
 * headers.
 */
#pragma once

#include <glib.h>
#include <libxml/parser.h>
#include <libxml/SAX2.h>

typedef struct {
	__typeof__(xmlByteConsumed) *ByteConsumed;
	__typeof__(xmlCreateIOParserCtxt) *CreateIOParserCtxt;
	__typeof__(xmlCtxtUseOptions) *CtxtUseOptions;
	__typeof__(xmlDictLookup) *DictLookup;
	__typeof__(xmlFreeDoc) *FreeDoc;
	__typeof__(xmlFreeParserCtxt) *FreeParserCtxt;
	__typeof__(xmlParseDocument) *ParseDocument;
	__typeof__(xmlSAX2GetLineNumber) *SAX2GetLineNumber;
	__typeof__(xmlSetGenericErrorFunc) *SetGenericErrorFunc;
	__typeof__(xmlStopParser) *StopParser;
} RegistryXml;

/* The functions, loaded once (thread-safe).  NULL with *why set to one
 * line (owned by this module) if libxml2 cannot be loaded. */
const RegistryXml *registry_xml(const char **why);
