/* draft.c - the new-customer flow (DOMAIN.md §4): details and subscriptions into a
 * draft, a review that lists every problem, then submit all or nothing, or cancel. */
#include "api/api.h"
#include "core/multipartner.h"
#include "crypto/crypto.h"
#include "ops.h"

#include <ctype.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NFIELDS (TG_FIELD_TENANT + 1)
#define MAX_QUANTITY 1000000
#define DOMAIN_SUFFIX ".onmicrosoft.com"

typedef struct line {
    char *offer;
    int quantity;
} line;

typedef enum { DRAFT_OPEN, DRAFT_SUBMITTED, DRAFT_CANCELLED } draft_state;

struct tg_draft {
    tg_session *session;
    draft_state state;
    char *values[NFIELDS];
    line *lines;
    size_t nlines;
};

typedef struct problem {
    tg_field field;
    char *message;
} problem;

struct tg_problems {
    problem *items;
    size_t len;
};

struct tg_receipt {
    char *customer_id, *admin_user;
    char *password; /* guarded memory; NULL once shown */
    bool shown;
    char **subs;
    size_t nsubs;
};

static const char *field_names[NFIELDS] = {
    [TG_FIELD_COMPANY_NAME] = "company name", [TG_FIELD_DOMAIN_PREFIX] = "domain prefix",
    [TG_FIELD_EMAIL] = "email", [TG_FIELD_CULTURE] = "culture", [TG_FIELD_LANGUAGE] = "language",
    [TG_FIELD_ADDRESS_LINE1] = "address line 1", [TG_FIELD_ADDRESS_LINE2] = "address line 2",
    [TG_FIELD_CITY] = "city", [TG_FIELD_STATE] = "state", [TG_FIELD_POSTAL_CODE] = "postal code",
    [TG_FIELD_COUNTRY] = "country", [TG_FIELD_FIRST_NAME] = "first name",
    [TG_FIELD_LAST_NAME] = "last name", [TG_FIELD_PHONE] = "phone number",
    [TG_FIELD_RESELLER] = "indirect reseller", [TG_FIELD_TENANT] = "existing tenant",
};

/* ---- the draft ---- */

int tg_draft_new(tg_draft **out, tg_session *s)
{
    TG__ARG(out);
    *out = NULL;
    TG__ARG(s);
    tg__actor a;
    int rc = tg__enter(s, false, &a);
    if (rc) return rc;
    rc = tg__decide(&s->graph->t, &a, TG_ACT_CUSTOMER_CREATE, NULL);
    tg__leave(s);
    if (rc) return rc;
    tg_draft *d = calloc(1, sizeof(*d));
    if (!d) return tg__nomem();
    d->session = s;
    *out = d;
    return TG_OK;
}

static int check_open(const tg_draft *d)
{
    if (d->state == DRAFT_SUBMITTED) return tg__err(TG_ESTATE, "the draft was already submitted");
    if (d->state == DRAFT_CANCELLED) return tg__err(TG_ESTATE, "the draft was cancelled");
    return TG_OK;
}

int tg_draft_set(tg_draft *d, tg_field field, const char *value)
{
    TG__ARG(d);
    int rc = check_open(d);
    if (rc) return rc;
    if (field < TG_FIELD_COMPANY_NAME || field > TG_FIELD_TENANT)
        return tg__err(TG_EINVAL, "unknown draft field %d", (int)field);
    char *copy = NULL;
    if (value && *value) {
        if ((rc = tg__check_text(value, field_names[field]))) return rc;
        if (!(copy = tg__strdup(value))) return tg__nomem();
    }
    free(d->values[field]);
    d->values[field] = copy;
    return TG_OK;
}

const char *tg_draft_get(const tg_draft *d, tg_field field)
{
    if (!d || field < TG_FIELD_COMPANY_NAME || field > TG_FIELD_TENANT) return NULL;
    return d->values[field];
}

int tg_draft_add_subscription(tg_draft *d, const char *offer_id, int quantity)
{
    TG__ARG(d);
    int rc = check_open(d);
    if (rc || (rc = tg__check_text(offer_id, "offer id"))) return rc;
    if (strlen(offer_id) > 128) return tg__err(TG_EINVAL, "offer id is longer than 128 bytes");
    if (quantity < 1 || quantity > MAX_QUANTITY)
        return tg__err(TG_EINVAL, "license count %d: must be between 1 and %d", quantity,
                       MAX_QUANTITY);
    line *p = realloc(d->lines, (d->nlines + 1) * sizeof(*p));
    if (!p) return tg__nomem();
    d->lines = p;
    if (!(p[d->nlines].offer = tg__strdup(offer_id))) return tg__nomem();
    p[d->nlines++].quantity = quantity;
    return TG_OK;
}

static void draft_clear(tg_draft *d)
{
    for (int i = 0; i < NFIELDS; i++) {
        free(d->values[i]);
        d->values[i] = NULL;
    }
    for (size_t i = 0; i < d->nlines; i++) free(d->lines[i].offer);
    free(d->lines);
    d->lines = NULL;
    d->nlines = 0;
}

int tg_draft_cancel(tg_draft *d)
{
    TG__ARG(d);
    int rc = check_open(d);
    if (rc) return rc;
    draft_clear(d);
    d->state = DRAFT_CANCELLED;
    return TG_OK;
}

void tg_draft_free(tg_draft *d)
{
    if (!d) return;
    draft_clear(d);
    free(d);
}

/* ---- problems ---- */

size_t tg_problems_count(const tg_problems *p)
{
    return p ? p->len : 0;
}

tg_field tg_problems_field(const tg_problems *p, size_t i)
{
    return p && i < p->len ? p->items[i].field : (tg_field)0;
}

const char *tg_problems_message(const tg_problems *p, size_t i)
{
    return p && i < p->len ? p->items[i].message : NULL;
}

void tg_problems_free(tg_problems *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->len; i++) free(p->items[i].message);
    free(p->items);
    free(p);
}

static void problem_add(tg_problems *p, bool *nomem, tg_field field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void problem_add(tg_problems *p, bool *nomem, tg_field field, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    problem *items = realloc(p->items, (p->len + 1) * sizeof(*items));
    char *copy = tg__strdup(msg);
    if (!items || !copy) {
        if (items) p->items = items;
        free(copy);
        *nomem = true;
        return;
    }
    p->items = items;
    p->items[p->len++] = (problem){field, copy};
}

/* ---- the rules of the details ---- */

/* Is a code point a blank, a punctuation mark or a symbol (no letter, no digit)?
 * Covers ASCII, Latin-1, the general punctuation and symbol blocks (U+2000-U+2BFF:
 * dashes, spaces, currency, letterlike signs such as (TM), arrows, maths, shapes),
 * CJK punctuation with the ideographic space, fullwidth ASCII punctuation, private
 * use and emoji. Letters and digits of every script fall outside these ranges. */
static bool is_symbol_or_blank(uint32_t cp)
{
    if (cp < 0x80) return !isalnum((int)cp);
    return (cp <= 0xBF && cp != 0xAA && cp != 0xB5 && cp != 0xBA) || cp == 0xD7 || cp == 0xF7 ||
           (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF01 && cp <= 0xFF0F) ||
           (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
           (cp >= 0xFF5B && cp <= 0xFF65) || (cp >= 0xE000 && cp <= 0xF8FF) ||
           (cp >= 0x1F000 && cp <= 0x1FAFF);
}

/* Decode one code point of valid UTF-8 (the draft checked it) and advance. */
static uint32_t next_code_point(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t cp;
    size_t n;
    if (s[0] < 0x80) { cp = s[0]; n = 0; }
    else if (s[0] < 0xE0) { cp = s[0] & 0x1F; n = 1; }
    else if (s[0] < 0xF0) { cp = s[0] & 0x0F; n = 2; }
    else { cp = s[0] & 0x07; n = 3; }
    for (size_t i = 1; i <= n; i++) cp = (cp << 6) | (s[i] & 0x3F);
    *p = s + n + 1;
    return cp;
}

static bool only_symbols_or_blanks(const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    while (*p)
        if (!is_symbol_or_blank(next_code_point(&p))) return false;
    return true;
}

/* A bare legal suffix such as "LLC" or "Inc." is not a company name. */
static bool bare_legal_suffix(const char *s)
{
    static const char *suffixes[] = {"llc", "inc", "ltd", "limited", "corp", "corporation",
                                     "co", "company", "gmbh", "ag", "sa", "sas", "sarl", "srl",
                                     "spa", "plc", "llp", "lp", "bv", "nv", "oy", "ab", "as",
                                     "kk", "pty", "pty ltd", "incorporated", "ulc", "pc"};
    char buf[32];
    size_t n = 0;
    while (*s == ' ') s++;
    for (; *s && n < sizeof(buf) - 1; s++)
        if (*s != '.' && *s != ',') buf[n++] = (char)tolower((unsigned char)*s);
    while (n && buf[n - 1] == ' ') n--;
    buf[n] = '\0';
    if (*s) return false; /* longer than any suffix */
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
        if (strcmp(buf, suffixes[i]) == 0) return true;
    return false;
}

static bool is_culture(const char *s) /* ll-CC, as en-US */
{
    return strlen(s) == 5 && isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1]) &&
           s[2] == '-' && isalpha((unsigned char)s[3]) && isalpha((unsigned char)s[4]);
}

static bool is_language(const char *s) /* ISO 639-1 code, optionally with a region */
{
    return (strlen(s) == 2 && isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1])) ||
           is_culture(s);
}

static bool is_domain_prefix(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 27) return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80 || !isalnum((unsigned char)s[i])) return false;
    return true;
}

/* Does the email's domain equal `domain` or sit under it? */
static bool email_at(const char *email, const char *domain)
{
    const char *at = strrchr(email, '@');
    if (!at || !domain) return false;
    const char *d = at + 1;
    size_t n = strlen(d), m = strlen(domain);
    if (n < m) return false;
    return tg__strieq(d + n - m, domain) && (n == m || d[n - m - 1] == '.');
}

static void check_length(tg_problems *p, bool *nomem, const tg_draft *d, tg_field f,
                         size_t min, size_t max)
{
    const char *v = d->values[f];
    size_t n = v ? tg__utf8_length(v) : 0;
    if (n < min)
        problem_add(p, nomem, f, "%s is required", field_names[f]);
    else if (n > max)
        problem_add(p, nomem, f, "%s must be at most %zu characters (has %zu)", field_names[f],
                    max, n);
}

/* Every problem with the draft, given the graph as it is now. */
static int review(tg_problems **out, const tg_draft *d, const tg__tables *t, const tg__actor *a)
{
    /* The resale ban is a rule of the graph, not a problem of a field: TG_ESTATE. */
    const char *tenant = d->values[TG_FIELD_TENANT];
    if (tenant && tg__is_guid(tenant)) {
        int rc = tg__rule_resale_ban(t, a->partner, tenant);
        if (rc) return rc;
    }
    tg_problems *p = calloc(1, sizeof(*p));
    if (!p) return tg__nomem();
    bool nomem = false;
    const char *const *v = (const char *const *)d->values;

    const char *name = v[TG_FIELD_COMPANY_NAME];
    check_length(p, &nomem, d, TG_FIELD_COMPANY_NAME, 1, 255);
    if (name && tg__utf8_length(name) == 1)
        problem_add(p, &nomem, TG_FIELD_COMPANY_NAME, "company name must be longer than one character");
    else if (name && only_symbols_or_blanks(name))
        problem_add(p, &nomem, TG_FIELD_COMPANY_NAME, "company name cannot be only symbols or blanks");
    else if (name && bare_legal_suffix(name))
        problem_add(p, &nomem, TG_FIELD_COMPANY_NAME, "company name cannot be only a legal suffix ('%s')", name);

    const char *prefix = v[TG_FIELD_DOMAIN_PREFIX];
    if (!prefix) {
        problem_add(p, &nomem, TG_FIELD_DOMAIN_PREFIX, "domain prefix is required");
    } else if (!is_domain_prefix(prefix)) {
        problem_add(p, &nomem, TG_FIELD_DOMAIN_PREFIX,
                    "domain prefix '%s' must be 1 to 27 letters or digits", prefix);
    } else {
        char *domain = tg__sprintf("%s" DOMAIN_SUFFIX, prefix);
        if (!domain) nomem = true;
        else {
            tg__str_lower(domain);
            if (tg__map_get(&t->customer_by_domain, domain))
                problem_add(p, &nomem, TG_FIELD_DOMAIN_PREFIX, "domain '%s' is already taken", domain);
            free(domain);
        }
    }

    const char *email = v[TG_FIELD_EMAIL];
    if (!email)
        problem_add(p, &nomem, TG_FIELD_EMAIL, "email is required");
    else if (!tg__is_email(email))
        problem_add(p, &nomem, TG_FIELD_EMAIL, "'%s' is not an email address", email);
    else if (email_at(email, "microsoft.com"))
        problem_add(p, &nomem, TG_FIELD_EMAIL, "the billing email cannot be at microsoft.com");
    else if (email_at(email, a->partner->domain))
        problem_add(p, &nomem, TG_FIELD_EMAIL,
                    "the billing email cannot be at the partner's own domain (%s)", a->partner->domain);

    const char *culture = v[TG_FIELD_CULTURE], *language = v[TG_FIELD_LANGUAGE];
    if (!culture) problem_add(p, &nomem, TG_FIELD_CULTURE, "culture is required");
    else if (!is_culture(culture))
        problem_add(p, &nomem, TG_FIELD_CULTURE, "culture '%s' must look like en-US", culture);
    if (!language) problem_add(p, &nomem, TG_FIELD_LANGUAGE, "language is required");
    else if (!is_language(language))
        problem_add(p, &nomem, TG_FIELD_LANGUAGE, "language '%s' must look like en", language);

    check_length(p, &nomem, d, TG_FIELD_ADDRESS_LINE1, 1, 200);
    check_length(p, &nomem, d, TG_FIELD_ADDRESS_LINE2, 0, 200);
    check_length(p, &nomem, d, TG_FIELD_CITY, 1, 100);
    check_length(p, &nomem, d, TG_FIELD_STATE, 1, 100);
    check_length(p, &nomem, d, TG_FIELD_POSTAL_CODE, 1, 20);
    const char *country = v[TG_FIELD_COUNTRY];
    if (!country) problem_add(p, &nomem, TG_FIELD_COUNTRY, "country is required");
    else if (!tg__is_country(country))
        problem_add(p, &nomem, TG_FIELD_COUNTRY, "country '%s' must be two letters", country);
    check_length(p, &nomem, d, TG_FIELD_FIRST_NAME, 1, 50);
    check_length(p, &nomem, d, TG_FIELD_LAST_NAME, 1, 50);
    check_length(p, &nomem, d, TG_FIELD_PHONE, 0, 40);

    /* Subscriptions in the draft are orders: the user must be allowed to place them. */
    if (d->nlines && tg__policy_check(a, TG_ACT_ORDER_PLACE) != TG_OK)
        problem_add(p, &nomem, (tg_field)0, "%s", tg_error_message());

    if (tenant && !tg__is_guid(tenant))
        problem_add(p, &nomem, TG_FIELD_TENANT,
                    "existing tenant '%s' is not a tenant id (a GUID)", tenant);
    else if (tenant && tg__get(t, TG__CUSTOMER, tenant))
        problem_add(p, &nomem, TG_FIELD_TENANT, "tenant '%s' is already a customer: send it a "
                                                "relationship request instead", tenant);

    const char *reseller = v[TG_FIELD_RESELLER];
    if (reseller) {
        if (tg__decide(t, a, TG_ACT_CUSTOMER_CREATE, reseller) != TG_OK)
            problem_add(p, &nomem, TG_FIELD_RESELLER, "%s", tg_error_message());
        else if (email && tg__is_email(email)) {
            const tg__partner *r = tg__get(t, TG__PARTNER, reseller);
            if (email_at(email, r->domain))
                problem_add(p, &nomem, TG_FIELD_EMAIL,
                            "the billing email cannot be at the reseller's own domain (%s)", r->domain);
        }
    }
    if (nomem) {
        tg_problems_free(p);
        return tg__nomem();
    }
    *out = p;
    if (p->len)
        return tg__err(TG_EINVAL, "the draft has %zu problem%s; the first: %s", p->len,
                       p->len == 1 ? "" : "s", p->items[0].message);
    return TG_OK;
}

int tg_draft_review(tg_problems **out, tg_draft *d)
{
    TG__ARG(out);
    *out = NULL;
    TG__ARG(d);
    int rc = check_open(d);
    if (rc) return rc;
    tg__actor a;
    if ((rc = tg__enter(d->session, false, &a))) return rc;
    rc = tg__decide(&d->session->graph->t, &a, TG_ACT_CUSTOMER_CREATE, NULL);
    if (rc == TG_OK) rc = review(out, d, &d->session->graph->t, &a);
    tg__leave(d->session);
    return rc;
}

/* ---- receipts ---- */

const char *tg_receipt_customer_id(const tg_receipt *r)
{
    return r ? r->customer_id : NULL;
}

const char *tg_receipt_admin_user(const tg_receipt *r)
{
    return r ? r->admin_user : NULL;
}

const char *tg_receipt_password(tg_receipt *r)
{
    if (!r) return NULL;
    if (r->shown) {
        tg__err(TG_ESTATE, "the temporary password was already shown; it cannot be read again");
        return NULL;
    }
    r->shown = true;
    return r->password;
}

size_t tg_receipt_subscription_count(const tg_receipt *r)
{
    return r ? r->nsubs : 0;
}

const char *tg_receipt_subscription_id(const tg_receipt *r, size_t i)
{
    return r && i < r->nsubs ? r->subs[i] : NULL;
}

void tg_receipt_free(tg_receipt *r)
{
    if (!r) return;
    tg__secret_free(r->password);
    free(r->customer_id);
    free(r->admin_user);
    for (size_t i = 0; i < r->nsubs; i++) free(r->subs[i]);
    free(r->subs);
    free(r);
}

/* ---- submit ---- */

static char *value_or_null(const tg_draft *d, tg_field f)
{
    return d->values[f] ? tg__strdup(d->values[f]) : NULL;
}

/* The customer record from a reviewed draft. */
static tg__customer *build_customer(const tg_draft *d, const tg__actor *a, const char *id,
                                    const char *verifier, int64_t now)
{
    tg__customer *c = tg__entity_new(TG__CUSTOMER);
    if (!c) return NULL;
    c->id = tg__strdup(id);
    c->domain = tg__sprintf("%s" DOMAIN_SUFFIX, d->values[TG_FIELD_DOMAIN_PREFIX]);
    c->company = value_or_null(d, TG_FIELD_COMPANY_NAME);
    c->email = value_or_null(d, TG_FIELD_EMAIL);
    c->culture = value_or_null(d, TG_FIELD_CULTURE);
    c->language = value_or_null(d, TG_FIELD_LANGUAGE);
    c->line1 = value_or_null(d, TG_FIELD_ADDRESS_LINE1);
    c->line2 = value_or_null(d, TG_FIELD_ADDRESS_LINE2);
    c->city = value_or_null(d, TG_FIELD_CITY);
    c->state = value_or_null(d, TG_FIELD_STATE);
    c->postal = value_or_null(d, TG_FIELD_POSTAL_CODE);
    c->country = value_or_null(d, TG_FIELD_COUNTRY);
    c->first = value_or_null(d, TG_FIELD_FIRST_NAME);
    c->last = value_or_null(d, TG_FIELD_LAST_NAME);
    c->phone = value_or_null(d, TG_FIELD_PHONE);
    c->seller = tg__strdup(a->partner->tenant);
    c->reseller = value_or_null(d, TG_FIELD_RESELLER);
    c->verifier = tg__strdup(verifier);
    c->must_change_password = true;
    c->created = now;
    bool ok = c->id && c->domain && c->company && c->email && c->culture && c->language &&
              c->line1 && c->city && c->state && c->postal && c->country && c->first && c->last &&
              c->seller && c->verifier && tg__strv_add(&c->dap, a->partner->tenant) == TG_OK &&
              (!c->reseller || tg__strv_add(&c->dap, c->reseller) == TG_OK);
    if (ok) {
        tg__str_lower(c->domain);
        for (char *p = c->country; *p; p++) *p = (char)toupper((unsigned char)*p);
        ok = (c->admin_user = tg__sprintf("admin@%s", c->domain)) != NULL;
    }
    if (!ok) {
        tg__entity_free(TG__CUSTOMER, c);
        return NULL;
    }
    return c;
}

int tg_draft_submit(tg_receipt **out, tg_draft *d)
{
    TG__ARG(out);
    *out = NULL;
    TG__ARG(d);
    int rc = check_open(d);
    if (rc) return rc;
    tg_problems *problems = NULL;
    if ((rc = tg_draft_review(&problems, d))) {
        tg_problems_free(problems);
        return rc;
    }
    tg_problems_free(problems);

    /* Secrets and the slow Argon2id verifier, before the write lock. */
    tg_graph *g = d->session->graph;
    tg__rwlock_rdlock(&g->lock);
    uint64_t ops = g->argon2_ops;
    size_t mem = g->argon2_mem;
    tg__rwlock_rdunlock(&g->lock);
    tg_receipt *r = calloc(1, sizeof(*r));
    char verifier[TG__VERIFIER_MAX], id[TG__GUID_LEN + 1];
    if (!r || !(r->subs = calloc(d->nlines ? d->nlines : 1, sizeof(char *)))) {
        tg_receipt_free(r);
        return tg__nomem();
    }
    if ((rc = tg__password_generate(&r->password)) ||
        (rc = tg__password_hash(verifier, r->password, ops, mem))) {
        tg_receipt_free(r);
        return rc;
    }
    if (d->values[TG_FIELD_TENANT]) /* reviewed: a GUID */
        snprintf(id, sizeof(id), "%s", d->values[TG_FIELD_TENANT]);
    else
        tg__guid_generate(id);
    for (size_t i = 0; i < d->nlines; i++) {
        char sid[TG__GUID_LEN + 1];
        tg__guid_generate(sid);
        if (!(r->subs[i] = tg__strdup(sid))) {
            tg_receipt_free(r);
            return tg__nomem();
        }
        r->nsubs++;
    }

    tg__actor a;
    if ((rc = tg__enter(d->session, true, &a))) {
        tg_receipt_free(r);
        return rc;
    }
    /* The graph may have changed since the review: check again under the lock. */
    rc = tg__decide(&g->t, &a, TG_ACT_CUSTOMER_CREATE, NULL);
    if (rc == TG_OK) rc = review(&problems, d, &g->t, &a);
    tg_problems_free(problems);
    if (rc == TG_OK && tg__get(&g->t, TG__CUSTOMER, id))
        rc = tg__err(TG_EEXISTS, "customer id '%s' is taken; try again", id);
    tg__changeset cs = {0};
    const tg__customer *c = NULL;
    if (rc == TG_OK) {
        tg__customer *nc = build_customer(d, &a, id, verifier, tg__now(g));
        c = nc;
        rc = tg__cs_put(&cs, TG__CUSTOMER, nc);
    }
    const char *reseller_pid = NULL;
    if (rc == TG_OK && c->reseller)
        reseller_pid = ((const tg__partner *)tg__get(&g->t, TG__PARTNER, c->reseller))->partner_id;
    for (size_t i = 0; rc == TG_OK && i < d->nlines; i++)
        rc = tg__cs_put(&cs, TG__SUBSCRIPTION,
                        tg__subscription_build(r->subs[i], id, d->lines[i].offer,
                                               d->lines[i].quantity, a.partner->tenant,
                                               reseller_pid, a.partner->tenant, tg__now(g)));
    if (rc == TG_OK && !(r->customer_id = tg__strdup(id))) rc = tg__nomem();
    if (rc == TG_OK && !(r->admin_user = tg__strdup(c->admin_user))) rc = tg__nomem();
    if (rc == TG_OK) rc = tg__commit(g, &cs);
    tg__cs_free(&cs);
    tg__leave(d->session);
    sodium_memzero(verifier, sizeof(verifier));
    if (rc) {
        tg_receipt_free(r);
        return rc;
    }
    draft_clear(d);
    d->state = DRAFT_SUBMITTED;
    *out = r;
    return TG_OK;
}
