/* validator.h - judge one advertisement against the rules of FINDINGS.md
 * and the registry.  Pure: no I/O, no logging, no Avahi.  The only memory
 * allocated per call is the findings appended to out.
 */
#pragma once

#include "registry/registry.h"
#include "validator/advertisement.h"
#include "validator/finding.h"

/* Appends every finding for ad to out, in a stable order (type, registry,
 * subtypes, instance, TXT, resolution).  reg may be NULL (no registry
 * rules).  catalogue (the known service types, registry_load_catalogue();
 * may be NULL) never makes a name registered: it turns unregistered into
 * unregistered-known, and where it lists TXT keys (or None) for the name
 * and transport, those drive the TXT-key rules instead of the registry's
 * note.  Returns the number of findings appended. */
guint validator_check(const Advertisement *ad, const Registry *reg,
                      const Registry *catalogue, FindingList *out);

/* Split "_svc._tcp" into service name (without '_') and transport label
 * ("tcp"/"udp"); FALSE if type is not exactly two such labels. */
gboolean validator_split_type(const char *type, const char **service, gsize *service_len,
                              const char **proto);
