/* txt-spec.c - read the "Defined TXT keys:" part of an IANA registry note.
 *
 * The registry's notes are free text written by hundreds of registrants.
 * The reader below accepts the styles that really occur (see the table in
 * txt_spec_parse()) and says TXT_SPEC_UNSPECIFIED for everything else:
 * a wrong "keys" answer makes the validator report keys as undefined, a
 * wrong "unspecified" answer only loses a notice, so doubt goes that way.
 */
#include "config.h"

#include <string.h>

#include "registry/txt-spec.h"

#define TXT_MARKER "defined txt keys"
#define KEY_MAX_LEN 48   /* longest real key is ~25 ("raymarine-mfd-rrc-version") */
#define KEY_MAX_WORDS 3  /* "RMC Client Version", "iTSh Version" */

/* ---- the key index ------------------------------------------------------
 *
 * An open-addressing hash of key positions, keyed by the ASCII-lowercased
 * key and whether it is a family.  The parser uses it to drop repeated
 * keys as it reads them (a 60,000-key note loads in linear time), and the
 * finished TxtSpec keeps one for txt_spec_defines().  A family is found by
 * its prefix: the key's prefix hashes come for free while hashing it, and
 * only the prefix lengths some family has are probed. */

/* Families are stored only with prefixes of at most KEY_MAX_LEN bytes
 * (add_key()), so one bit per length says which lengths to probe. */
G_STATIC_ASSERT(KEY_MAX_LEN < 64);

#define FNV_BASIS 2166136261u
#define FNV_PRIME 16777619u

typedef struct {
	guint32 key1;           /* position in keys + 1; 0: empty slot */
	guint32 hash;
} IndexSlot;

struct _TxtSpecIndex {
	guint mask;             /* number of slots - 1 (a power of two) */
	guint used;
	guint64 family_lens;    /* bit p: some family has a p-byte prefix */
	IndexSlot slots[];
};

static inline guchar
ascii_lower(guchar c)
{
	return (c >= 'A' && c <= 'Z') ? c | 0x20 : c;
}

static inline guint32
hash_step(guint32 h, guchar c)
{
	return (h ^ ascii_lower(c)) * FNV_PRIME;
}

static guint32
txt_spec_key_hash(const char *s, gsize len)
{
	guint32 h = FNV_BASIS;

	for (gsize i = 0; i < len; i++)
		h = hash_step(h, (guchar) s[i]);
	return h;
}

/* ASCII case-insensitive comparison of n bytes; unlike
 * g_ascii_strncasecmp() it does not stop at a NUL (network bytes). */
static gboolean
bytes_caseeq(const char *a, const char *b, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (ascii_lower((guchar) a[i]) != ascii_lower((guchar) b[i]))
			return FALSE;
	return TRUE;
}

/* An empty index with room for capacity keys at a load of at most 1/2. */
static TxtSpecIndex *
index_new(guint capacity)
{
	guint n = 8;
	TxtSpecIndex *ix;

	while (n < capacity && n < G_MAXUINT / 4)
		n <<= 1;
	n <<= 1;
	ix = g_malloc0(sizeof(*ix) + n * sizeof(IndexSlot));
	ix->mask = n - 1;
	return ix;
}

/* Position in keys of the key (or family prefix) s, or -1. */
static gint
index_find(const TxtSpecIndex *ix, const TxtSpecKey *keys, const char *s, gsize len,
           guint32 hash, gboolean family)
{
	for (guint i = hash & ix->mask;; i = (i + 1) & ix->mask) {
		const IndexSlot *sl = &ix->slots[i];
		const TxtSpecKey *k;

		if (sl->key1 == 0)
			return -1;
		if (sl->hash != hash)
			continue;
		k = &keys[sl->key1 - 1];
		if (k->is_family == family && strlen(k->key) == len && bytes_caseeq(k->key, s, len))
			return (gint) (sl->key1 - 1);
	}
}

/* Add keys[pos]; the caller keeps the load at most 1/2. */
static void
index_insert(TxtSpecIndex *ix, const TxtSpecKey *keys, guint pos)
{
	const TxtSpecKey *k = &keys[pos];
	gsize len = strlen(k->key);
	guint32 hash = txt_spec_key_hash(k->key, len);
	guint i = hash & ix->mask;

	while (ix->slots[i].key1 != 0)
		i = (i + 1) & ix->mask;
	ix->slots[i].key1 = pos + 1;
	ix->slots[i].hash = hash;
	ix->used++;
	if (k->is_family)
		ix->family_lens |= G_GUINT64_CONSTANT(1) << len;
}

static TxtSpecIndex *
index_build(const TxtSpecKey *keys, guint n, guint capacity)
{
	TxtSpecIndex *ix = index_new(MAX(n, capacity));

	for (guint i = 0; i < n; i++)
		index_insert(ix, keys, i);
	return ix;
}

/* ---- reading notes ------------------------------------------------------ */

/* The keys found so far, plus whether something made the note unreadable. */
typedef struct {
	GArray *keys;      /* TxtSpecKey */
	TxtSpecIndex *index; /* over keys, for add_key()'s "seen already?" */
	gboolean bad;      /* a piece could not be read as a key: unspecified */
	guint max_words;   /* words a key may have in a comma list */
} KeyList;

static void
key_list_init(KeyList *kl, guint max_words)
{
	kl->keys = g_array_new(FALSE, FALSE, sizeof(TxtSpecKey));
	kl->index = NULL;
	kl->bad = FALSE;
	kl->max_words = max_words;
}

/* The keys positions changed (read_comma_list() dropped some). */
static void
key_list_reindex(KeyList *kl)
{
	g_free(kl->index);
	kl->index = index_build((TxtSpecKey *) (void *) kl->keys->data, kl->keys->len, 0);
}

static gboolean
is_open_bracket(char c)
{
	return c == '<' || c == '(' || c == '[' || c == '{';
}

static char
closing_bracket(char c)
{
	switch (c) {
	case '<': return '>';
	case '(': return ')';
	case '[': return ']';
	default:  return '}';
	}
}

/* Position just after the bracket group or quoted string that starts at
 * s[i] (or i + 1 if s[i] starts none).  An unclosed group runs to the end
 * of the text, so a stray '<' cannot make the splitter read past it. */
static gsize
skip_group(const char *s, gsize len, gsize i)
{
	char open = s[i], close;
	guint depth = 0;

	if (open == '"' || open == '\'') {
		const char *q = memchr(s + i + 1, open, len - i - 1);
		return q != NULL ? (gsize) (q - s) + 1 : len;
	}
	if (!is_open_bracket(open))
		return i + 1;
	close = closing_bracket(open);
	for (; i < len; i++) {
		if (s[i] == open)
			depth++;
		else if (s[i] == close && --depth == 0)
			return i + 1;
	}
	return len;
}

/* Does s (len bytes) contain c outside brackets and quotes? */
static gboolean
has_toplevel(const char *s, gsize len, const char *chars)
{
	gsize i = 0;

	while (i < len) {
		if (strchr(chars, s[i]) != NULL && s[i] != '\0')
			return TRUE;
		i = skip_group(s, len, i);
	}
	return FALSE;
}

static void
trim(const char **s, gsize *len)
{
	while (*len > 0 && g_ascii_isspace(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && g_ascii_isspace((*s)[*len - 1]))
		(*len)--;
}

/* Trim, then drop a bullet ("- txtvers") or an enumeration ("a. ssid=")
 * in front of a key. */
static void
strip_bullet(const char **s, gsize *len)
{
	trim(s, len);
	if (*len >= 2 && (*s)[0] == '-' && (*s)[1] == ' ') {
		*s += 2;
		*len -= 2;
	} else if (*len >= 3 && g_ascii_isalpha((*s)[0]) && (*s)[1] == '.' && (*s)[2] == ' ') {
		*s += 3;
		*len -= 3;
	}
	trim(s, len);
}

/* A plausible TXT key: printable ASCII without the punctuation that marks
 * prose or values, at least one letter, short, and (only where the list is
 * comma-separated, max_words > 1) a few words at most. */
static gboolean
plausible_key(const char *s, gsize len, guint max_words)
{
	guint words = 1;
	gboolean letter = FALSE;

	if (len == 0 || len > KEY_MAX_LEN)
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		char c = s[i];

		if (c == ' ') {
			if (i > 0 && s[i - 1] == ' ')
				return FALSE;
			words++;
			continue;
		}
		if (c < 0x21 || c > 0x7e || strchr("=<>()[]{}\"'`,;:|", c) != NULL)
			return FALSE;
		if (g_ascii_isalpha(c))
			letter = TRUE;
	}
	return letter && words <= max_words && s[len - 1] != '.';
}

/* Append a key unless the list has it already (one hash probe).  A
 * family's prefix longer than a key may be makes the note unreadable. */
static void
add_key(KeyList *kl, const char *s, gsize len, gboolean family)
{
	TxtSpecKey k;

	if (family && len > KEY_MAX_LEN) {
		kl->bad = TRUE;
		return;
	}
	if (kl->index != NULL &&
	    index_find(kl->index, (TxtSpecKey *) (void *) kl->keys->data, s, len,
	               txt_spec_key_hash(s, len), family) >= 0)
		return;
	k.key = g_strndup(s, len);
	k.key_display = family ? g_strdup_printf("%s<n>", k.key) : g_strdup(k.key);
	k.is_family = family;
	g_array_append_val(kl->keys, k);
	if (kl->index == NULL || kl->index->used * 2 >= kl->index->mask) {
		g_free(kl->index);
		kl->index = index_build((TxtSpecKey *) (void *) kl->keys->data, kl->keys->len,
		                        kl->keys->len * 2);
	} else {
		index_insert(kl->index, (TxtSpecKey *) (void *) kl->keys->data, kl->keys->len - 1);
	}
}

/* "dkX": a lowercase prefix and a capital X stands for a numbered family. */
static gboolean
is_x_family(const char *s, gsize len)
{
	if (len < 2 || s[len - 1] != 'X')
		return FALSE;
	for (gsize i = 0; i + 1 < len; i++)
		if (!g_ascii_islower(s[i]))
			return FALSE;
	return TRUE;
}

/* Length of the prefix of a numbered key "c12" (the part before the
 * trailing digits), or 0 if s does not end in digits after a letter. */
static gsize
numbered_prefix_len(const char *s, gsize len)
{
	gsize p = len;

	while (p > 0 && g_ascii_isdigit(s[p - 1]))
		p--;
	return (p > 0 && p < len && g_ascii_isalpha(s[p - 1])) ? p : 0;
}

/* One item that should be a single key, optionally with "=value" or a
 * parenthesised remark: "txtvers=1", "SN (serial number)", "Machine ID". */
static void
read_item(KeyList *kl, const char *s, gsize len, guint max_words)
{
	gsize i = 0;

	strip_bullet(&s, &len);
	/* Cut at the first '=' or top-level '(': the rest is value or remark. */
	while (i < len && s[i] != '=' && s[i] != '(')
		i = (s[i] == '<' || s[i] == '"' || s[i] == '\'') ? len : i + 1;
	if (i < len)
		len = i;
	trim(&s, &len);
	if (len == 0)
		return;
	if (is_x_family(s, len))
		add_key(kl, s, len - 1, TRUE);
	else if (plausible_key(s, len, max_words))
		add_key(kl, s, len, FALSE);
	else
		kl->bad = TRUE;
}

/* Is the item an ellipsis ("...", "..", a Unicode ellipsis)? */
static gboolean
is_ellipsis(const char *s, gsize len)
{
	trim(&s, &len);
	return (len >= 2 && strspn(s, ".") == len) ||
	       (len == 3 && memcmp(s, "\xe2\x80\xa6", 3) == 0);
}

/* A comma/semicolon separated list: "sys, dkX", "txtvers, Version, iTSh
 * Version, Machine ID", "c0, c1, ..., cn", "c0, c1, c2, ..., where the
 * number of c_n attributes is variable".  Keys may contain spaces. */
static void
read_comma_list(KeyList *kl, const char *s, gsize len)
{
	GPtrArray *items = g_ptr_array_new();
	GArray *lens = g_array_new(FALSE, FALSE, sizeof(gsize));
	gsize start = 0, i = 0;
	gsize fam_len = 0;
	const char *fam = NULL;

	while (i <= len) {
		if (i == len || s[i] == ',' || s[i] == ';') {
			const char *it = s + start;
			gsize il = i - start;

			trim(&it, &il);
			if (il > 0) {
				g_ptr_array_add(items, (gpointer) it);
				g_array_append_val(lens, il);
			}
			start = ++i;
			continue;
		}
		i = skip_group(s, len, i);
	}

	for (guint n = 0; n < items->len; n++) {
		const char *it = items->pdata[n];
		gsize il = g_array_index(lens, gsize, n);

		if (is_ellipsis(it, il) && n > 0) {
			/* The item before names the family: "c2" -> prefix "c". */
			const char *prev = items->pdata[n - 1];
			gsize pl = numbered_prefix_len(prev, g_array_index(lens, gsize, n - 1));

			if (pl == 0) {
				kl->bad = TRUE;
				break;
			}
			fam = prev;
			fam_len = pl;
			add_key(kl, fam, fam_len, TRUE);
			continue;
		}
		if (fam != NULL && il > fam_len && g_ascii_strncasecmp(it, fam, fam_len) == 0 &&
		    (il == fam_len + 1 || strchr(" \t", it[fam_len + 1]) != NULL))
			continue;           /* "cn", the end of the family */
		if (fam != NULL && g_str_has_prefix(it, "where "))
			continue;           /* the family's explanation */
		read_item(kl, it, il, kl->max_words);
		if (kl->bad)
			break;
	}

	/* With a family, its numbered members ("c0", "c1") are redundant:
	 * drop them in one pass, keeping the others in order. */
	if (fam != NULL) {
		guint kept = 0;

		for (guint k = 0; k < kl->keys->len; k++) {
			TxtSpecKey *key = &g_array_index(kl->keys, TxtSpecKey, k);
			gsize kl_len = strlen(key->key);

			if (!key->is_family && numbered_prefix_len(key->key, kl_len) == fam_len &&
			    g_ascii_strncasecmp(key->key, fam, fam_len) == 0) {
				g_free(key->key);
				g_free(key->key_display);
				continue;
			}
			g_array_index(kl->keys, TxtSpecKey, kept++) = *key;
		}
		if (kept < kl->keys->len) {
			g_array_set_size(kl->keys, kept);
			key_list_reindex(kl);
		}
	}
	g_ptr_array_unref(items);
	g_array_unref(lens);
}

/* Is the token a capitalised English word ("Test", "Controller")? */
static gboolean
is_title_word(const char *s, gsize len)
{
	if (len < 2 || !g_ascii_isupper(s[0]))
		return FALSE;
	for (gsize i = 1; i < len; i++)
		if (!g_ascii_islower(s[i]))
			return FALSE;
	return TRUE;
}

/* A single line without commas: "txtvers protovers path",
 * "u=<username> p=<password> path=<path to document> (Same as ...)",
 * "model=value (string)", "sys".  Words joined by '=' are key=value pairs;
 * if there is any, the other words are remarks. */
static void
read_space_list(KeyList *kl, const char *s, gsize len)
{
	gboolean assignments = has_toplevel(s, len, "=");
	guint title_words = 0, n_tokens = 0;
	gboolean seen_pair = FALSE;
	gsize i = 0;

	while (i < len) {
		gsize start, tl;

		while (i < len && g_ascii_isspace(s[i]))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && !g_ascii_isspace(s[i]))
			i = skip_group(s, len, i);
		tl = i - start;
		n_tokens++;
		if (assignments) {
			const char *eq = memchr(s + start, '=', tl);

			/* '"path=/pks/"', "(examples: ...)": a quoted example */
			if (strchr("\"'([", s[start]) != NULL)
				continue;

			if (eq == NULL) {
				/* "fix supported=..." is one key with a space */
				if (!seen_pair) {
					kl->bad = TRUE;
					return;
				}
				continue;
			}
			if (eq == s + start || !plausible_key(s + start, eq - (s + start), 1)) {
				kl->bad = TRUE;
				return;
			}
			add_key(kl, s + start, eq - (s + start), FALSE);
			seen_pair = TRUE;
			continue;
		}
		if (is_title_word(s + start, tl))
			title_words++;
		read_item(kl, s + start, tl, 1);
		if (kl->bad)
			return;
	}
	/* "TEST-OK Test Controller Card TCCxxxx" is a title, not a key list. */
	if (!assignments && n_tokens > 1 && title_words >= 2)
		kl->bad = TRUE;
}

/* Read s with reader into a scratch list and keep its keys only if all of
 * s could be read; returns whether it could.  Lets a line be tried as a
 * list without a remark leaving half a list behind.  Keys are single
 * words here: "or coaps+tcp" in a line of prose is not a key. */
static gboolean
read_sublist(KeyList *kl, void (*reader)(KeyList *, const char *, gsize),
             const char *s, gsize len)
{
	KeyList sub;
	gboolean ok;

	key_list_init(&sub, 1);

	reader(&sub, s, len);
	ok = !sub.bad;
	for (guint i = 0; i < sub.keys->len; i++) {
		TxtSpecKey *k = &g_array_index(sub.keys, TxtSpecKey, i);

		if (ok)
			add_key(kl, k->key, strlen(k->key), k->is_family);
		g_free(k->key);
		g_free(k->key_display);
	}
	g_array_unref(sub.keys);
	g_free(sub.index);
	return ok;
}

/* One line of a multi-line list.  Lines are either key=value lines (maybe
 * several pairs or a comma list), "key   description" tables, "key: text",
 * bare keys, or remarks, which are skipped. */
static void
txt_spec_read_line(KeyList *kl, const char *s, gsize len)
{
	gsize w = 0;

	trim(&s, &len);
	if (len == 0 || s[0] == '(')
		return;
	strip_bullet(&s, &len);
	/* A comma list on the line; prose with a comma fails and is a remark. */
	if (has_toplevel(s, len, ",;") && read_sublist(kl, read_comma_list, s, len))
		return;
	if (has_toplevel(s, len, "=")) {
		const char *eq = memchr(s, '=', len);
		gsize kl_len = eq - s;

		/* several pairs on one line ("u=<u> p=<p>"), else one pair
		 * with a remark ("fix supported=APPLICATIONVERSION[...]") */
		if (!read_sublist(kl, read_space_list, s, len) && plausible_key(s, kl_len, 2))
			add_key(kl, s, kl_len, FALSE);
		return;
	}
	while (w < len && !g_ascii_isspace(s[w]))
		w++;
	if (w == len) {
		if (plausible_key(s, len, 1))
			add_key(kl, s, len, FALSE);
		return;
	}
	/* A table, "username     The login username", or a definition,
	 * "td: Absolute pathname ...". */
	if (w + 1 < len && s[w + 1] == ' ' && plausible_key(s, w, 1))
		add_key(kl, s, w, FALSE);
	else if (w > 1 && s[w - 1] == ':' && g_ascii_isupper(s[w + 1]) &&
	         plausible_key(s, w - 1, 1))
		add_key(kl, s, w - 1, FALSE);
}

/* A list written one key per line: several lines, unless the first one
 * ends in a comma (a comma list that wraps), or several lines of
 * key=value pairs. */
static gboolean
is_line_list(const char *s, gsize len)
{
	guint lines = 0, pairs = 0;
	gboolean continued = FALSE;
	const char *p = s, *end = s + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		const char *l = p;
		gsize ll = (nl != NULL ? nl : end) - p;

		trim(&l, &ll);
		if (ll > 0) {
			lines++;
			if (has_toplevel(l, ll, "="))
				pairs++;
			if (lines == 1 && (l[ll - 1] == ',' || l[ll - 1] == ';'))
				continued = TRUE;
		}
		p = nl != NULL ? nl + 1 : end;
	}
	return lines >= 2 && (pairs >= 2 || !continued);
}

/* Phrases that make a note unreadable as a key list however it continues:
 * proprietary keys (so any key may appear), references to documents,
 * unfinished registrations. */
static gboolean
says_unspecified(const char *lower)
{
	static const char *const phrases[] = {
		"proprietary", "not publicly", "others", "tbd", "http:", "https:",
		"www.", ".pdf", ".html", "varies", "depends", "specification",
		"defined in", "will be", "inherited", "see ", "see:", "rely upon",
		"if any", "contact ",
	};

	if (g_str_has_prefix(lower, "see"))
		return TRUE;
	for (gsize i = 0; i < G_N_ELEMENTS(phrases); i++)
		if (strstr(lower, phrases[i]) != NULL)
			return TRUE;
	return FALSE;
}

/* says_unspecified() on the text outside "<...>" placeholders, which
 * describe values ("protovers=<version of proprietary protocol>"). */
static gboolean
says_unspecified_outside_values(const char *lower)
{
	g_autofree char *plain = g_strdup(lower);
	gsize len = strlen(plain), i = 0;

	while (i < len) {
		gsize next = skip_group(plain, len, i);

		if (plain[i] == '<')
			memset(plain + i, ' ', next - i);
		i = next;
	}
	return says_unspecified(plain);
}

/* Does the text say there are no keys?  "None", "NONE", "None.", "None at
 * present", "None. RFID reader ...", "there is no TXT keys defined". */
static gboolean
says_none(const char *lower)
{
	if (g_str_has_prefix(lower, "none"))
		return !g_ascii_isalnum(lower[4]) && lower[4] != '_' && lower[4] != '-';
	return g_str_has_prefix(lower, "there is no") || g_str_has_prefix(lower, "there are no") ||
	       g_str_has_prefix(lower, "no txt keys") || g_str_has_prefix(lower, "no keys");
}

/* Does an example start at s[i]: "eg ", "e.g.", "for example" (to the
 * end of the line: 1) or "Example:", "Examples:" (a block of examples,
 * to the end of the note: 2)?  Only at the start of a word; 0 if not. */
static int
example_at(const char *s, gsize len, gsize i)
{
	const char *p = s + i;
	gsize n = len - i;

	if (i > 0 && (g_ascii_isalnum(s[i - 1]) || strchr("_-.", s[i - 1]) != NULL))
		return 0;
	if (n >= 4 && g_ascii_strncasecmp(p, "e.g.", 4) == 0)
		return 1;
	if (n >= 3 && g_ascii_strncasecmp(p, "eg", 2) == 0 && p[2] != '\0' &&
	    strchr(" .:", p[2]) != NULL)
		return 1;
	if (n >= 11 && g_ascii_strncasecmp(p, "for example", 11) == 0 &&
	    (n == 11 || !g_ascii_isalnum(p[11])))
		return 1;
	if ((n >= 8 && g_ascii_strncasecmp(p, "example:", 8) == 0) ||
	    (n >= 9 && g_ascii_strncasecmp(p, "examples:", 9) == 0))
		return 2;
	return 0;
}

/* Drop the examples from a note's list (s is *len bytes, changed in
 * place): an example shows a key in use, it is not one more key.
 * "topics=<topic>, eg topic=/info" is the one key topics; "hash=<40 hex>
 * salt=<40 hex>  Example: hash=5e75... salt=f016..." has two.  Examples
 * inside brackets or quotes ("<...; e.g., manufacturer, model>") are
 * values and stay; so do words that merely contain "eg" ("regex"). */
static void
strip_examples(char *s, gsize *len)
{
	gsize i = 0;

	while (i < *len) {
		int kind = example_at(s, *len, i);

		if (kind == 2) {
			*len = i;
			break;
		}
		if (kind == 1) {
			while (i < *len && s[i] != '\n')
				s[i++] = ' ';
			continue;
		}
		i = skip_group(s, *len, i);
	}
	s[*len] = '\0';
}

/*
 * How each style found in the registry (2022-11 and 2024-03 releases) is
 * read:
 *   "None", "none", "NONE", "None.", "None at present", "None. <remark>",
 *   "there is no TXT keys defined ..."                        -> none
 *   "None" followed by key=value lines (contradicts itself)    -> unspecified
 *   "sys, dkX", "txtvers, Version, iTSh Version, Machine ID"   -> keys (comma list;
 *       keys may hold spaces; "dkX" is the family dk<n>)
 *   "c0, c1, ..., cn", "c0, c1, c2, ..., where the number ..."  -> keys, family c<n>
 *   "txtvers=1 protovers=x", "u=<username> p=<password>"       -> keys (pairs)
 *   one key=value, "key   text" or "key: text" per line       -> keys, remarks skipped
 *   "txtvers protovers path", a single word ("heythings")      -> keys
 *   "Proprietary", "txtvers and proprietary keys", "txtvers +
 *   Proprietary", "(others not publicly documented)", any URL,
 *   "See ...", "TBD", "Varies", document names, prose, "0",
 *   "_payload._tcp.local", an empty note                       -> unspecified
 * Examples are dropped first: "eg ...", "e.g. ...", "for example ..." to
 * the end of their line, "Example:" / "Examples:" to the end of the note
 * ("topics=<...>, eg topic=/info" is the key topics).
 */
void
txt_spec_parse(const char *note, TxtSpec *out)
{
	g_autofree char *lower = NULL, *text = NULL, *low = NULL;
	const char *mark, *body;
	gsize len;
	KeyList kl;

	memset(out, 0, sizeof(*out));
	/* Most notes have no marker: avoid lowercasing them. */
	if (note == NULL || (strstr(note, "TXT") == NULL && strstr(note, "txt") == NULL &&
	                     strstr(note, "Txt") == NULL))
		return;
	lower = g_ascii_strdown(note, -1);
	mark = strstr(lower, TXT_MARKER);
	if (mark == NULL)
		return;
	out->kind = TXT_SPEC_UNSPECIFIED;

	/* Everything after "Defined TXT keys" and its colon is the list. */
	body = note + (mark - lower) + strlen(TXT_MARKER);
	while (*body == ':' || g_ascii_isspace(*body))
		body++;
	len = strlen(body);
	trim(&body, &len);
	text = g_strndup(body, len);
	strip_examples(text, &len);
	body = text;
	trim(&body, &len);
	if (len == 0)
		return;
	low = g_ascii_strdown(body, (gssize) len);
	mark = low;

	if (says_none(mark)) {
		/* Unless keys follow "None", which makes the note contradict itself. */
		if (memchr(body, '=', len) == NULL)
			out->kind = TXT_SPEC_NONE;
		return;
	}
	if (says_unspecified_outside_values(mark))
		return;
	/* Service types and domain names are not keys. */
	if (body[0] == '_' && memchr(body, '.', len) != NULL)
		return;

	key_list_init(&kl, KEY_MAX_WORDS);
	if (is_line_list(body, len)) {
		const char *p = body, *end = body + len;

		while (p < end) {
			const char *nl = memchr(p, '\n', end - p);
			txt_spec_read_line(&kl, p, (nl != NULL ? nl : end) - p);
			p = nl != NULL ? nl + 1 : end;
		}
	} else if (has_toplevel(body, len, ",;")) {
		read_comma_list(&kl, body, len);
	} else {
		read_space_list(&kl, body, len);
	}

	g_clear_pointer(&kl.index, g_free);
	if (kl.bad || kl.keys->len == 0) {
		TxtSpec tmp = { .kind = TXT_SPEC_KEYS, .n_keys = kl.keys->len,
		                .keys = (TxtSpecKey *) (void *) g_array_free(kl.keys, FALSE) };
		txt_spec_clear(&tmp);
		return;
	}
	out->kind = TXT_SPEC_KEYS;
	out->n_keys = kl.keys->len;
	out->keys = (TxtSpecKey *) (void *) g_array_free(kl.keys, FALSE);
	out->index = index_build(out->keys, out->n_keys, 0);
}

void
txt_spec_clear(TxtSpec *spec)
{
	for (guint i = 0; i < spec->n_keys; i++) {
		g_free(spec->keys[i].key);
		g_free(spec->keys[i].key_display);
	}
	g_free(spec->keys);
	g_free(spec->index);
	memset(spec, 0, sizeof(*spec));
}

static gboolean
is_family_char(char c)
{
	return g_ascii_isalnum(c) || c == '_';
}

/* The scan txt_spec_defines() falls back to for a spec without index
 * (one not made by txt_spec_parse()). */
static gboolean
defines_by_scan(const TxtSpec *spec, const char *key, gsize len)
{
	for (guint i = 0; i < spec->n_keys; i++) {
		const TxtSpecKey *k = &spec->keys[i];
		gsize kl = strlen(k->key), j;

		if (!k->is_family) {
			if (kl == len && bytes_caseeq(k->key, key, len))
				return TRUE;
			continue;
		}
		if (len <= kl || !bytes_caseeq(k->key, key, kl))
			continue;
		for (j = kl; j < len && is_family_char(key[j]); j++)
			;
		if (j == len)
			return TRUE;
	}
	return FALSE;
}

/* Plain keys match whole and case-insensitively; a family matches its
 * prefix followed by one or more [0-9A-Za-z_].  One pass over key: the
 * hash of each prefix is the running hash, so a family costs a probe for
 * each prefix length some family has, and only where the rest of the key
 * is all family characters. */
gboolean
txt_spec_defines(const TxtSpec *spec, const char *key, gsize len)
{
	const TxtSpecIndex *ix;
	guint32 h = FNV_BASIS;
	gsize tail;

	if (spec == NULL || spec->kind != TXT_SPEC_KEYS)
		return FALSE;
	ix = spec->index;
	if (ix == NULL)
		return defines_by_scan(spec, key, len);
	/* key[tail..len) is the longest run of family characters at its end. */
	for (tail = len; tail > 0 && is_family_char(key[tail - 1]); tail--)
		;
	for (gsize p = 0; p < len; p++) {
		if (p >= tail && p < 64 && (ix->family_lens >> p & 1) &&
		    index_find(ix, spec->keys, key, p, h, TRUE) >= 0)
			return TRUE;
		h = hash_step(h, (guchar) key[p]);
	}
	return index_find(ix, spec->keys, key, len, h, FALSE) >= 0;
}

const char *
txt_spec_kind_name(TxtSpecKind kind)
{
	switch (kind) {
	case TXT_SPEC_ABSENT:      return "absent";
	case TXT_SPEC_NONE:        return "none";
	case TXT_SPEC_KEYS:        return "keys";
	case TXT_SPEC_UNSPECIFIED: return "unspecified";
	}
	return "unknown";
}
