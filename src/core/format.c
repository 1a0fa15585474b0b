/* format.c - the format of one record (format.h): the rules the operations
 * enforce on what they write, checked again on what is imported or loaded. */
#include "core/format.h"
#include "util/str.h"

#include <stdbool.h>
#include <string.h>

/* Whether s holds a character from lo to hi ('A'..'Z': a capital). */
static bool has_any(const char *s, char lo, char hi)
{
    for (; *s; s++)
        if (*s >= lo && *s <= hi) return true;
    return false;
}

static bool is_hex64(const char *s)
{
    size_t n = strspn(s, "0123456789abcdef");
    return n == 64 && s[n] == '\0';
}

static bool guids(const tg__strv *v)
{
    for (size_t i = 0; i < v->n; i++)
        if (!tg__is_guid(v->v[i])) return false;
    return true;
}

const char *tg__record_bad_text(tg__kind kind, const void *e)
{
    const tg__kind_desc *d = tg__kind_describe(kind);
    for (size_t i = 0; i < d->nfields; i++) {
        const void *slot = (const char *)e + d->fields[i].offset;
        const tg__strv one = {(char **)slot, 1};
        const tg__ftype type = d->fields[i].type;
        const tg__strv *v = type == TG__F_STRV || type == TG__F_OPT_STRV ? slot
                            : type == TG__F_STR || type == TG__F_OPT_STR ? &one
                                                                         : NULL;
        for (size_t k = 0; v && k < v->n; k++) {
            const char *s = v->v[k];
            if (!s) continue; /* an absent optional text */
            size_t n = strlen(s);
            if (!n || n > TG__MAX_STRING || !tg__utf8_valid(s, n)) return d->fields[i].name;
        }
    }
    return NULL;
}

const char *tg__record_bad_format(tg__kind kind, const void *e)
{
    switch (kind) {
    case TG__PARTNER: {
        const tg__partner *p = e;
        if (!tg__is_guid(p->tenant) || !guids(&p->tenants)) return "a tenant id is not a GUID";
        if (p->kind < TG_PARTNER_INDIRECT_PROVIDER || p->kind > TG_PARTNER_DIRECT_BILL)
            return "unknown partner kind";
        if (!tg__is_partner_id(p->partner_id)) return "the PartnerID must be numeric";
        if (!tg__is_domain(p->domain) || has_any(p->domain, 'A', 'Z'))
            return "the domain is not a lower-case domain name";
        if (!tg__is_country(p->country) || has_any(p->country, 'a', 'z'))
            return "the country is not two capital letters";
        if (tg__utf8_length(p->name) > 256) return "the name is longer than 256 characters";
        return NULL;
    }
    case TG__USER: {
        const tg__user *u = e;
        if (strlen(u->id) > 256 || tg__has_blank(u->id))
            return "the user id has a blank or is too long";
        if (!u->roles || (u->roles & ~(unsigned int)TG_ROLE_ALL))
            return "the roles are not a set of TG_ROLE_* bits";
        return NULL;
    }
    case TG__PARTNERSHIP: {
        const tg__partnership *p = e;
        return tg__is_guid(p->provider) && tg__is_guid(p->reseller) ? NULL : "a tenant id is not a GUID";
    }
    case TG__INVITE: {
        const tg__invite *i = e;
        if (!is_hex64(i->hash)) return "the token hash is not 64 lower-case hex digits";
        if (!tg__is_guid(i->provider) || (i->used_by && !tg__is_guid(i->used_by)) ||
            (i->customer && !tg__is_guid(i->customer)))
            return "a tenant id is not a GUID";
        return NULL;
    }
    case TG__CUSTOMER: {
        const tg__customer *c = e;
        static const char suffix[] = ".onmicrosoft.com";
        size_t n = strlen(c->domain);
        if (!tg__is_guid(c->id) || !tg__is_guid(c->seller) || (c->reseller && !tg__is_guid(c->reseller)) ||
            !guids(&c->dap) || !guids(&c->partners))
            return "a tenant id is not a GUID";
        if (!tg__is_domain(c->domain) || has_any(c->domain, 'A', 'Z') || n <= sizeof(suffix) - 1 ||
            strcmp(c->domain + n - (sizeof(suffix) - 1), suffix) != 0)
            return "the domain is not <prefix>.onmicrosoft.com";
        if (!tg__is_email(c->email)) return "the billing email is not an email address";
        if (!tg__is_country(c->country) || has_any(c->country, 'a', 'z'))
            return "the country is not two capital letters";
        if (strncmp(c->admin_user, "admin@", 6) != 0 || strcmp(c->admin_user + 6, c->domain) != 0)
            return "the admin user is not admin@<domain>";
        if (strncmp(c->verifier, "$argon2id$", 10) != 0)
            return "the verifier is not an Argon2id verifier";
        return NULL;
    }
    case TG__SUBSCRIPTION: {
        const tg__subscription *s = e;
        /* Bought through CSP: a partner of record and a support contact. Bought
         * elsewhere and recorded by its customer: neither, or a hired partner. */
        bool csp = s->channel == TG__CHANNEL_CSP;
        if (!tg__is_guid(s->id) || !tg__is_guid(s->customer) || (csp && !tg__is_guid(s->seller)) ||
            ((csp || s->support) && !tg__is_guid(s->support)))
            return "an id is not a GUID";
        if (!csp && (s->channel < TG_CHANNEL_DIRECT || s->channel > TG_CHANNEL_THIRD_PARTY))
            return "unknown channel";
        if (!csp && (s->seller || s->reseller_pid))
            return "a subscription bought elsewhere has no partner of record or reseller";
        if (s->term_end < 0) return "the term end is negative";
        if (s->quantity < 1 || s->quantity > 1000000)
            return "the license count is not from 1 to 1000000";
        if (s->status < TG_SUB_ACTIVE || s->status > TG_SUB_DELETED) return "unknown status";
        if (s->reseller_pid && !tg__is_partner_id(s->reseller_pid))
            return "the reseller PartnerID must be numeric";
        if (strlen(s->offer) > 128) return "the offer id is longer than 128 bytes";
        return NULL;
    }
    case TG__CUSTOMER_USER: {
        const tg__customer_user *u = e;
        if (!tg__is_guid(u->customer)) return "the customer id is not a GUID";
        if (strlen(u->id) > 256 || tg__has_blank(u->id) || !strchr(u->id, '@'))
            return "the user name is not <name>@<domain>, or is too long";
        if (has_any(u->id, 'A', 'Z')) return "the user name is not in lower case";
        if (u->roles & ~(unsigned int)TG_ROLE_GLOBAL_ADMIN)
            return "the roles are neither 0 nor TG_ROLE_GLOBAL_ADMIN";
        if (strncmp(u->verifier, "$argon2id$", 10) != 0)
            return "the verifier is not an Argon2id verifier";
        return NULL;
    }
    default: return NULL;
    }
}
