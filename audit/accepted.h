/* accepted.h - the site's accepted findings: what an admin knows about
 * and does not want to hear again (dnssd-audit.conf(5), FINDINGS.md).
 *
 * One rule per line, white-space separated:
 *
 *     CODE TYPE INSTANCE [HOST]
 *
 * CODE is a finding code or "*".  A field may be double-quoted; inside the
 * quotes the log line's escaping is kept as written (\" and \\ do not end
 * the field), so the instance="..." value of a log line can be pasted as
 * it is.  TYPE, INSTANCE and HOST are patterns ("*" any run, "?" one
 * character) matched against the ESCAPED form of the finding's type,
 * instance name and host (format/escape.h), the form the log line shows;
 * TYPE compares case-insensitively.  Without HOST any host matches; while
 * the host is unknown (not resolved yet) a HOST rule matches too, so that
 * the findings judged before resolution are not logged for a host the
 * rule accepts (one that turns out to be another host's is reported once
 * the host is known).
 * "#" outside quotes starts a comment; blank lines are skipped.
 */
#pragma once

#include <glib.h>
#include "validator/finding.h"

#define ACCEPTED_MAX_FILE_SIZE (4u << 20)

typedef struct _AcceptedRules AcceptedRules;

/* Parse text (len bytes, the contents of file, used in messages).  NULL
 * with error "FILE:LINE: what is wrong" on the first bad line. */
AcceptedRules *accepted_rules_parse(const char *file, const char *text, gsize len,
                                    GError **error);
/* Read and parse a file (site-file.h: regular file, at most
 * ACCEPTED_MAX_FILE_SIZE).  must_exist FALSE: a missing file is no rules. */
AcceptedRules *accepted_rules_load(const char *path, gboolean must_exist,
                                   GError **error);
void accepted_rules_free(AcceptedRules *rules);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AcceptedRules, accepted_rules_free)

guint accepted_rules_size(const AcceptedRules *rules);
const char *accepted_rules_path(const AcceptedRules *rules); /* NULL: none */

/* Does a rule accept this finding?  type_esc, instance_esc and host_esc
 * (NULL: unknown) are escaped (escape.h).  rules may be NULL (none). */
gboolean accepted_rules_match(const AcceptedRules *rules, FindingCode code,
                              const char *type_esc, const char *instance_esc,
                              const char *host_esc);

/* Append to out the rule that accepts exactly this finding, quoted so
 * that accepted_rules_parse() reads it back, ending in "\n". */
void accepted_rule_append(GString *out, FindingCode code, const char *type_esc,
                          const char *instance_esc, const char *host_esc);
