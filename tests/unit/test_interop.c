/* test_interop.c - JSON interop (tiergraph.h "Export and import"; docs/design.md
 * "Import"): the Partner Center shapes of the relationship listings, customers and
 * subscriptions checked against the published samples; every sample body in the
 * fixtures directory parsed and imported (the directory is read at run time, its
 * path comes from CMake: TG_PC_FIXTURES); export -> import -> export byte for
 * byte; and every refusal of tg_import, each changing nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <cjson/cJSON.h>
#include <dirent.h>
#include <sys/types.h>

#include "fault_store.h"
#include "fixture.h"
#include <tiergraph.h>
#include <tiergraph/store.h>

/* The partners of the Partner Center samples: the resellers of
 * retrieve-a-list-of-indirect-resellers.response.json, and a provider for them. */
#define PROVIDER "11111111-1111-4111-8111-111111111111"
#define PROVIDER_PID "1000001"
#define FIRSTUP "484e548c-f5f3-4528-93a9-c16c6373cb59"
#define FIRSTUP_PID "4847383"
#define RELECLOUD "b01b1487-b36e-4e6d-9b5e-0b58974c4b28"
#define ORDER_CUSTOMER "c501c3c4-d776-40ef-9ecf-9cefb59442c1"
#define SAMPLE_SUB "42226ED6-070A-4E0F-B80C-4CDFB3E97AA7"
#define SAMPLE_OFFER "DB2E705F-B82A-4024-A3D5-D88E12F2DB35"
#define WINGTIP_ADMIN "admin@wingtiptoys678152504.onmicrosoft.com"
#define BAD_SAMPLE "get-customers-of-an-indirect-reseller.response.json"

static void ok(int rc)
{
    if (rc != TG_OK) fail_msg("rc %d: %s", rc, tg_error_message());
}

/* ---- helpers ---- */

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

#ifdef TG_PC_FIXTURES
static char *sample(const char *name)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", TG_PC_FIXTURES, name);
    return read_text(path);
}

static cJSON *sample_json(const char *name)
{
    char *text = sample(name);
    cJSON *o = cJSON_Parse(text);
    if (!o) fail_msg("%s is not JSON", name);
    free(text);
    return o;
}
#define NEED_SAMPLES() ((void)0)
#else
static char *sample(const char *name)
{
    (void)name;
    return NULL;
}
static cJSON *sample_json(const char *name)
{
    (void)name;
    return NULL;
}
/* Configured without the samples directory: nothing to check against. */
#define NEED_SAMPLES() skip()
#endif

static cJSON *parse(char *json)
{
    cJSON *o = cJSON_Parse(json);
    if (!o) fail_msg("not JSON: %s", json);
    tg_free(json);
    return o;
}

/* Everything a refused import must leave as it was. */
typedef struct snapshot {
    uint64_t revision;
    char *disk;
    char *export;
} snapshot;

static snapshot take(fx *f)
{
    snapshot s = {tg_graph_revision(f->g), fx_store_dump(f), NULL};
    ok(tg_export(&s.export, f->op));
    return s;
}

static void unchanged(fx *f, snapshot *s)
{
    assert_int_equal(tg_graph_revision(f->g), s->revision);
    char *disk = fx_store_dump(f), *export = NULL;
    ok(tg_export(&export, f->op));
    assert_string_equal(disk, s->disk);
    assert_string_equal(export, s->export);
    assert_int_equal(tg_graph_verify(f->g), TG_OK);
    free(disk);
    tg_free(export);
    free(s->disk);
    tg_free(s->export);
}

/* `call` is refused with `code` and a message mentioning `word`, changing nothing. */
#define IMPORT_REFUSED(f, json, code, word) \
    do { \
        snapshot s_ = take(f); \
        int rc_ = tg_import((f)->op, (json)); \
        if (rc_ != (code)) \
            fail_msg("import: rc %d (%s), expected %d", rc_, tg_error_message(), (code)); \
        MSG_HAS(word); \
        unchanged((f), &s_); \
    } while (0)

/* ---- a graph of the samples' partners, on a fault store over "mem:" ---- */

typedef struct pc {
    fx f; /* g, store and op; not a fixture graph: fx_user does not apply */
    tg_session *provider, *firstup;
} pc;

static pc *pc_new(void)
{
    pc *p = calloc(1, sizeof(*p));
    tg_store *mem;
    ok(tg_store_mem_new(&mem));
    p->f.store = fault_store_new(mem);
    ok(tg_graph_open_store(&p->f.g, p->f.store));
    ok(tg_graph_set_option(p->f.g, TG_OPT_ARGON2_OPSLIMIT, 1));
    ok(tg_graph_set_option(p->f.g, TG_OPT_ARGON2_MEMLIMIT, 8192));
    ok(tg_session_operator(&p->f.op, p->f.g));
    tg_session *op = p->f.op;
    ok(tg_partner_enroll(op, TG_PARTNER_INDIRECT_PROVIDER, PROVIDER, PROVIDER_PID,
                         "Contoso Distribution", "contoso-distribution.example", "US"));
    ok(tg_partner_enroll(op, TG_PARTNER_INDIRECT_RESELLER, FIRSTUP, FIRSTUP_PID,
                         "First Up Consultants", "firstup.example", "US"));
    ok(tg_partner_enroll(op, TG_PARTNER_INDIRECT_RESELLER, RELECLOUD, "4847433", "ReleCloud",
                         "relecloud.example", "BR"));
    ok(tg_partner_set_agreement(op, FIRSTUP, 1));
    ok(tg_partner_set_agreement(op, RELECLOUD, 1));
    ok(tg_user_add(op, PROVIDER, "ga@contoso", TG_ROLE_GLOBAL_ADMIN));
    ok(tg_user_add(op, FIRSTUP, "ga@firstup", TG_ROLE_GLOBAL_ADMIN));
    ok(tg_user_add(op, RELECLOUD, "ga@relecloud", TG_ROLE_GLOBAL_ADMIN));
    ok(tg_session_user(&p->provider, p->f.g, "ga@contoso"));
    ok(tg_session_user(&p->firstup, p->f.g, "ga@firstup"));
    tg_session *relecloud;
    ok(tg_session_user(&relecloud, p->f.g, "ga@relecloud"));
    tg_invite *inv;
    ok(tg_invite_create(&inv, p->provider));
    ok(tg_partnership_accept(p->firstup, tg_invite_link(inv)));
    tg_invite_free(inv);
    ok(tg_invite_create(&inv, p->provider));
    ok(tg_partnership_accept(relecloud, tg_invite_link(inv)));
    tg_invite_free(inv);
    tg_session_close(relecloud);
    return p;
}

static void pc_free(pc *p)
{
    tg_session_close(p->provider);
    tg_session_close(p->firstup);
    tg_session_close(p->f.op);
    tg_graph_close(p->f.g);
    free(p);
}

static cJSON *customer_of(tg_session *s, const char *id)
{
    char *json = NULL;
    ok(tg_customer_get(&json, s, id));
    return parse(json);
}

static cJSON *subscription_of(tg_session *s, const char *id)
{
    char *json = NULL;
    ok(tg_subscription_get(&json, s, id));
    return parse(json);
}

/* The last change event of a graph. */
static cJSON *last_event(fx *f)
{
    tg_iter *it = NULL;
    ok(tg_changes(&it, f->op, tg_graph_revision(f->g) - 1, 0));
    const char *json;
    ok(tg_iter_next(it, &json));
    cJSON *e = cJSON_Parse(json);
    tg_iter_free(it);
    return e;
}

/* ------------------------------------------------------------------ */
/* Partner Center shapes of what tiergraph gives                       */
/* ------------------------------------------------------------------ */

/* GET /v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf: a
 * provider with the sample's two resellers gives the sample, member for member. */
static void resellers_json_is_the_partner_center_listing(void **state)
{
    (void)state;
    NEED_SAMPLES();
    pc *p = pc_new();
    char *json = NULL;
    ok(tg_resellers_json(&json, p->provider));
    cJSON *ours = parse(json);
    cJSON *theirs = sample_json("retrieve-a-list-of-indirect-resellers.response.json");
    if (!cJSON_Compare(ours, theirs, 1)) {
        char *a = cJSON_Print(ours), *b = cJSON_Print(theirs);
        fail_msg("tg_resellers_json:\n%s\nthe sample:\n%s", a, b);
    }
    cJSON_Delete(ours);
    cJSON_Delete(theirs);
    pc_free(p);
}

static void providers_json_lists_the_providers(void **state)
{
    (void)state;
    pc *p = pc_new();
    char *json = NULL;
    ok(tg_providers_json(&json, p->firstup));
    cJSON *o = parse(json);
    assert_true(fx_json_at(o, "totalCount")->valuedouble == 1.0);
    const cJSON *item = cJSON_GetArrayItem(fx_json_at(o, "items"), 0);
    assert_string_equal(fx_json_str(item, "id"), PROVIDER);
    assert_string_equal(fx_json_str(item, "name"), "Contoso Distribution");
    assert_string_equal(fx_json_str(item, "relationshipType"), "is_indirect_reseller_of");
    assert_string_equal(fx_json_str(item, "state"), "Active");
    assert_string_equal(fx_json_str(item, "mpnId"), PROVIDER_PID);
    assert_string_equal(fx_json_str(item, "location"), "US");
    assert_string_equal(fx_json_str(item, "attributes.objectType"), "PartnerRelationship");
    assert_string_equal(fx_json_str(o, "attributes.objectType"), "Collection");
    cJSON_Delete(o);
    pc_free(p);
}

static void relationship_listings_follow_the_partnerships(void **state)
{
    fx *f = *state;
    char *json = (char *)f;
    /* the wrong side, or a role that may not view partners */
    assert_int_equal(tg_resellers_json(&json, fx_user(f, "ga@r1")), TG_EDENIED);
    assert_null(json);
    assert_int_equal(tg_providers_json(&json, fx_user(f, "ga@p1")), TG_EDENIED);
    assert_int_equal(tg_resellers_json(&json, fx_user(f, "ha@p1")), TG_EDENIED);
    assert_int_equal(tg_resellers_json(&json, fx_user(f, "ga@d1")), TG_EDENIED);
    assert_int_equal(tg_resellers_json(&json, f->op), TG_EDENIED);
    assert_int_equal(tg_resellers_json(NULL, fx_user(f, "ga@p1")), TG_EINVAL);
    assert_int_equal(tg_resellers_json(&json, NULL), TG_EINVAL);
    /* P1 has R1; P2 none */
    ok(tg_resellers_json(&json, fx_user(f, "sa@p1")));
    cJSON *o = parse(json);
    assert_true(fx_json_at(o, "totalCount")->valuedouble == 1.0);
    assert_string_equal(fx_json_str(cJSON_GetArrayItem(fx_json_at(o, "items"), 0), "mpnId"), R1_PID);
    cJSON_Delete(o);
    ok(tg_resellers_json(&json, fx_user(f, "ga@p2")));
    o = parse(json);
    assert_true(fx_json_at(o, "totalCount")->valuedouble == 0.0);
    assert_int_equal(cJSON_GetArraySize(fx_json_at(o, "items")), 0);
    cJSON_Delete(o);
    /* removed: no longer listed on either side */
    ok(tg_partnership_remove(fx_user(f, "ga@p1"), R1, TG_CONFIRM | TG_ATTEST_GOOD_FAITH));
    ok(tg_resellers_json(&json, fx_user(f, "ga@p1")));
    o = parse(json);
    assert_int_equal(cJSON_GetArraySize(fx_json_at(o, "items")), 0);
    cJSON_Delete(o);
    ok(tg_providers_json(&json, fx_user(f, "ga@r1")));
    o = parse(json);
    assert_true(fx_json_at(o, "totalCount")->valuedouble == 0.0);
    cJSON_Delete(o);
}

/* Every leaf of `theirs` (outside `skip`) is in `ours` at the same path, with the
 * same JSON type. */
static void same_paths(const cJSON *theirs, const cJSON *ours, const char *prefix,
                       const char *const *skip)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, theirs)
    {
        char path[256];
        snprintf(path, sizeof(path), "%s%s%s", prefix, prefix[0] ? "." : "", m->string);
        int skipped = 0;
        for (const char *const *s = skip; *s; s++) skipped |= strcmp(*s, path) == 0;
        if (skipped) continue;
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(ours, m->string);
        if (!o) fail_msg("\"%s\" is missing", path);
        if ((o->type & 0xff) != (m->type & 0xff) && !(cJSON_IsBool(o) && cJSON_IsBool(m)))
            fail_msg("\"%s\" has another JSON type", path);
        if (cJSON_IsObject(m)) same_paths(m, o, path, skip);
    }
}

/* What the model does not hold: transport (links, etags), commerce ids, the
 * billing profile's own id, the request-only allowDelegatedAccess, and the
 * credentials, shown once and never again. */
static const char *const customer_skip[] = {
    "commerceId", "companyProfile.links", "billingProfile.id", "billingProfile.attributes.etag",
    "allowDelegatedAccess", "userCredentials", NULL};

static void customer_json_has_the_samples_shape(void **state)
{
    fx *f = *state;
    NEED_SAMPLES();
    const char *id = fx_customer(f, "ga@p1", "shape", R1, 0);
    cJSON *ours = customer_of(fx_user(f, "ga@p1"), id);
    cJSON *theirs = sample_json("create-a-customer-for-an-indirect-reseller.response.json");
    same_paths(theirs, ours, "", customer_skip);
    cJSON_Delete(theirs);
    /* a direct customer (no reseller): the other sample's shape, but enableGDAPByDefault */
    static const char *const direct_skip[] = {
        "commerceId", "billingProfile.id", "billingProfile.attributes.etag", "userCredentials",
        "enableGDAPByDefault", NULL};
    cJSON_Delete(ours);
    id = fx_customer(f, "ga@d1", "directshape", NULL, 0);
    ours = customer_of(fx_user(f, "ga@d1"), id);
    theirs = sample_json("create-a-customer.response.json");
    same_paths(theirs, ours, "", direct_skip);
    assert_string_equal(fx_json_str(ours, "relationshipToPartner"), "none");
    cJSON_Delete(theirs);
    cJSON_Delete(ours);
}

static void subscription_json_has_the_samples_shape(void **state)
{
    fx *f = *state;
    NEED_SAMPLES();
    fx_customer(f, "ga@p1", "subshape", R1, 1);
    tg_iter *it = NULL;
    ok(tg_customers(&it, fx_user(f, "ga@p1"), R1));
    const char *cid, *sid;
    ok(tg_iter_next(it, &cid));
    tg_iter *subs = NULL;
    ok(tg_subscriptions(&subs, fx_user(f, "ga@p1"), cid));
    ok(tg_iter_next(subs, &sid));
    cJSON *ours = subscription_of(fx_user(f, "ga@p1"), sid);
    tg_iter_free(subs);
    tg_iter_free(it);
    cJSON *all = sample_json("get-all-subscriptions-by-partner.response.json");
    static const char *const skip[] = {
        "offerName", "friendlyName", "effectiveStartDate", "commitmentEndDate", "autoRenewEnabled",
        "isTrial", "billingCycle", "contractType", "links", "orderId", "attributes.etag", NULL};
    same_paths(cJSON_GetArrayItem(fx_json_at(all, "items"), 0), ours, "", skip);
    cJSON_Delete(all);
    cJSON_Delete(ours);
}

/* ------------------------------------------------------------------ */
/* Every sample body: parsed, its mapped fields present, imported      */
/* ------------------------------------------------------------------ */

typedef struct names {
    char **v;
    size_t n;
} names;

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.json files of the samples directory, read now. */
static names sample_files(void)
{
    names ns = {0};
#ifdef TG_PC_FIXTURES
    DIR *d = opendir(TG_PC_FIXTURES);
    if (!d) fail_msg("cannot read the samples directory %s", TG_PC_FIXTURES);
    for (struct dirent *e = readdir(d); e; e = readdir(d)) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0) continue;
        ns.v = realloc(ns.v, (ns.n + 1) * sizeof(char *));
        ns.v[ns.n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(ns.v, ns.n, sizeof(char *), by_name);
#endif
    return ns;
}

static void names_free(names *ns)
{
    for (size_t i = 0; i < ns->n; i++) free(ns->v[i]);
    free(ns->v);
}

/* The members tg_import reads from each sample (names without case, as requests
 * are PascalCase): s string, n number, a array. "items.0." and "lineItems.0." step
 * into the first element. */
static const struct {
    const char *file, *path;
    char type;
} mapped[] = {
    {"create-a-customer-for-an-indirect-reseller.request.json", "companyProfile.domain", 's'},
    {"create-a-customer-for-an-indirect-reseller.request.json", "billingProfile.email", 's'},
    {"create-a-customer-for-an-indirect-reseller.request.json", "billingProfile.culture", 's'},
    {"create-a-customer-for-an-indirect-reseller.request.json", "billingProfile.language", 's'},
    {"create-a-customer-for-an-indirect-reseller.request.json", "billingProfile.companyName", 's'},
    {"create-a-customer-for-an-indirect-reseller.request.json", "billingProfile.defaultAddress.country", 's'},
    {"create-a-customer-for-an-indirect-reseller.request.json", "billingProfile.defaultAddress.city", 's'},
    {"create-a-customer-for-an-indirect-reseller.request.json", "billingProfile.defaultAddress.state", 's'},
    {"create-a-customer-for-an-indirect-reseller.request.json", "billingProfile.defaultAddress.addressLine1", 's'},
    {"create-a-customer-for-an-indirect-reseller.request.json", "billingProfile.defaultAddress.postalCode", 's'},
    {"create-a-customer-for-an-indirect-reseller.request.json", "billingProfile.defaultAddress.firstName", 's'},
    {"create-a-customer-for-an-indirect-reseller.request.json", "billingProfile.defaultAddress.lastName", 's'},
    {"create-a-customer-for-an-indirect-reseller.request.json", "billingProfile.defaultAddress.phoneNumber", 's'},
    {"create-a-customer-for-an-indirect-reseller.request.json", "associatedPartnerId", 's'},
    {"create-a-customer-for-an-indirect-reseller.request.json", "attributes.objectType", 's'},
    {"create-a-customer-for-an-indirect-reseller.response.json", "id", 's'},
    {"create-a-customer-for-an-indirect-reseller.response.json", "companyProfile.tenantId", 's'},
    {"create-a-customer-for-an-indirect-reseller.response.json", "companyProfile.domain", 's'},
    {"create-a-customer-for-an-indirect-reseller.response.json", "billingProfile.email", 's'},
    {"create-a-customer-for-an-indirect-reseller.response.json", "billingProfile.defaultAddress.addressLine1", 's'},
    {"create-a-customer-for-an-indirect-reseller.response.json", "associatedPartnerId", 's'},
    {"create-a-customer-for-an-indirect-reseller.response.json", "userCredentials.password", 's'},
    {"create-a-customer-for-an-indirect-reseller.response.json", "attributes.objectType", 's'},
    {"create-a-customer.response.json", "id", 's'},
    {"create-a-customer.response.json", "companyProfile.domain", 's'},
    {"create-a-customer.response.json", "billingProfile.companyName", 's'},
    {"create-a-customer.response.json", "attributes.objectType", 's'},
    {"create-an-order-for-a-customer-of-an-indirect-reseller.request.json", "referenceCustomerId", 's'},
    {"create-an-order-for-a-customer-of-an-indirect-reseller.request.json", "lineItems", 'a'},
    {"create-an-order-for-a-customer-of-an-indirect-reseller.request.json", "lineItems.0.offerId", 's'},
    {"create-an-order-for-a-customer-of-an-indirect-reseller.request.json", "lineItems.0.quantity", 'n'},
    {"create-an-order-for-a-customer-of-an-indirect-reseller.request.json", "lineItems.0.partnerIdOnRecord", 's'},
    {"create-an-order-for-a-customer-of-an-indirect-reseller.request.json", "attributes.objectType", 's'},
    {"create-an-order-for-a-customer-of-an-indirect-reseller.response.json", "referenceCustomerId", 's'},
    {"create-an-order-for-a-customer-of-an-indirect-reseller.response.json", "lineItems.0.subscriptionId", 's'},
    {"create-an-order-for-a-customer-of-an-indirect-reseller.response.json", "lineItems.0.offerId", 's'},
    {"create-an-order-for-a-customer-of-an-indirect-reseller.response.json", "creationDate", 's'},
    {"get-all-subscriptions-by-partner.response.json", "items", 'a'},
    {"get-all-subscriptions-by-partner.response.json", "items.0.id", 's'},
    {"get-all-subscriptions-by-partner.response.json", "items.0.offerId", 's'},
    {"get-all-subscriptions-by-partner.response.json", "items.0.quantity", 'n'},
    {"get-all-subscriptions-by-partner.response.json", "items.0.status", 's'},
    {"get-all-subscriptions-by-partner.response.json", "items.0.partnerId", 's'},
    {"get-all-subscriptions-by-partner.response.json", "items.0.creationDate", 's'},
    {"get-all-subscriptions-by-partner.response.json", "items.0.links.self.uri", 's'},
    {"get-all-subscriptions-by-partner.response.json", "items.0.attributes.objectType", 's'},
    {"get-all-subscriptions-by-partner.response.json", "attributes.objectType", 's'},
    {"retrieve-a-list-of-indirect-resellers.response.json", "items.0.id", 's'},
    {"retrieve-a-list-of-indirect-resellers.response.json", "items.0.relationshipType", 's'},
    {"retrieve-a-list-of-indirect-resellers.response.json", "items.0.mpnId", 's'},
};

/* A path with array steps ("lineItems.0.offerId"), names without case. */
static const cJSON *step(const cJSON *root, const char *path)
{
    char buf[256], *save = NULL;
    snprintf(buf, sizeof(buf), "%s", path);
    const cJSON *o = root;
    for (char *k = strtok_r(buf, ".", &save); k && o; k = strtok_r(NULL, ".", &save))
        o = cJSON_IsArray(o) ? cJSON_GetArrayItem(o, atoi(k))
            : cJSON_IsObject(o) ? cJSON_GetObjectItem(o, k)
                                : NULL;
    return o;
}

/* The published sample's trailing comma: a ',' with only blanks before a ']'. */
static char *trailing_comma(char *text)
{
    for (char *comma = strchr(text, ','); comma; comma = strchr(comma + 1, ',')) {
        const char *p = comma + 1;
        while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') p++;
        if (*p == ']') return comma;
    }
    fail_msg("no trailing comma");
    return NULL;
}

/* The byte where it makes the sample invalid: the ']' after the comma. */
static size_t trailing_comma_offset(char *text)
{
    const char *p = trailing_comma(text) + 1;
    while (*p != ']') p++;
    return (size_t)(p - text);
}

static void every_sample_parses_with_the_fields_we_map(void **state)
{
    (void)state;
    NEED_SAMPLES();
    names ns = sample_files();
    assert_true(ns.n >= 8);
    size_t checked = 0, invalid = 0;
    for (size_t i = 0; i < ns.n; i++) {
        char *text = sample(ns.v[i]);
        cJSON *o = cJSON_Parse(text);
        if (!o) {
            /* SOURCES.md: exactly one sample is invalid as published */
            assert_string_equal(ns.v[i], BAD_SAMPLE);
            const char *end = NULL;
            assert_null(cJSON_ParseWithOpts(text, &end, 1));
            assert_int_equal((size_t)(end - text), trailing_comma_offset(text));
            invalid++;
            free(text);
            continue;
        }
        assert_true(cJSON_IsObject(o));
        assert_non_null(step(o, "attributes.objectType"));
        for (size_t k = 0; k < sizeof(mapped) / sizeof(mapped[0]); k++) {
            if (strcmp(mapped[k].file, ns.v[i]) != 0) continue;
            const cJSON *v = step(o, mapped[k].path);
            int right = mapped[k].type == 's' ? cJSON_IsString(v)
                        : mapped[k].type == 'n' ? cJSON_IsNumber(v)
                                                : cJSON_IsArray(v);
            if (!right) fail_msg("%s: \"%s\" is missing or of another type", ns.v[i], mapped[k].path);
            checked++;
        }
        cJSON_Delete(o);
        free(text);
    }
    assert_int_equal(invalid, 1);
    assert_int_equal(checked, sizeof(mapped) / sizeof(mapped[0]));
    names_free(&ns);
}

/* What tg_import makes of each sample on the samples' partners alone. A sample
 * this table does not know (added later) must import, or be refused cleanly. */
static const struct {
    const char *file;
    int rc;
    const char *word; /* in the message of a refusal */
} outcomes[] = {
    {"create-a-customer-for-an-indirect-reseller.request.json", TG_OK, NULL},
    {"create-a-customer-for-an-indirect-reseller.response.json", TG_OK, NULL},
    {"create-a-customer.response.json", TG_EINVAL, "partner of record"},
    {"create-an-order-for-a-customer-of-an-indirect-reseller.request.json", TG_EINVAL, ORDER_CUSTOMER},
    {"create-an-order-for-a-customer-of-an-indirect-reseller.response.json", TG_EINVAL, ORDER_CUSTOMER},
    {"get-all-subscriptions-by-partner.response.json", TG_EINVAL, ORDER_CUSTOMER},
    {BAD_SAMPLE, TG_EINVAL, "byte"},
    {"retrieve-a-list-of-indirect-resellers.response.json", TG_EINVAL, "does not map"},
};

static void every_sample_imports_or_is_refused_cleanly(void **state)
{
    (void)state;
    NEED_SAMPLES();
    names ns = sample_files();
    for (size_t i = 0; i < ns.n; i++) {
        pc *p = pc_new();
        char *text = sample(ns.v[i]);
        snapshot s = take(&p->f);
        int rc = tg_import(p->f.op, text), want = rc == TG_OK ? TG_OK : TG_EINVAL;
        const char *word = NULL;
        for (size_t k = 0; k < sizeof(outcomes) / sizeof(outcomes[0]); k++)
            if (strcmp(outcomes[k].file, ns.v[i]) == 0) {
                want = outcomes[k].rc;
                word = outcomes[k].word;
            }
        if (rc != want)
            fail_msg("%s: rc %d (%s), expected %d", ns.v[i], rc, tg_error_message(), want);
        if (word) MSG_HAS(word);
        if (rc == TG_OK) {
            assert_int_equal(tg_graph_revision(p->f.g), s.revision + 1);
            assert_int_equal(tg_graph_verify(p->f.g), TG_OK);
            free(s.disk);
            tg_free(s.export);
        } else {
            unchanged(&p->f, &s);
        }
        free(text);
        pc_free(p);
    }
    names_free(&ns);
}

/* The PascalCase request becomes a customer of the reseller's one provider. */
static void customer_request_imports_for_the_resellers_provider(void **state)
{
    (void)state;
    NEED_SAMPLES();
    pc *p = pc_new();
    char *text = sample("create-a-customer-for-an-indirect-reseller.request.json");
    ok(tg_import(p->f.op, text));
    free(text);
    tg_iter *it = NULL;
    const char *id;
    ok(tg_customers(&it, p->provider, FIRSTUP));
    assert_int_equal(tg_iter_count(it), 1);
    ok(tg_iter_next(it, &id));
    char cid[64];
    snprintf(cid, sizeof(cid), "%s", id);
    tg_iter_free(it);
    cJSON *c = customer_of(p->provider, cid);
    assert_string_equal(fx_json_str(c, "companyProfile.tenantId"), fx_json_str(c, "id"));
    assert_string_equal(fx_json_str(c, "companyProfile.domain"), "wingtiptoys678152504.onmicrosoft.com");
    assert_string_equal(fx_json_str(c, "companyProfile.companyName"), "Wingtip Toys678152504");
    assert_string_equal(fx_json_str(c, "billingProfile.email"), "Gena@wingtiptoys.com");
    assert_string_equal(fx_json_str(c, "billingProfile.culture"), "EN-US");
    assert_string_equal(fx_json_str(c, "billingProfile.language"), "En");
    assert_string_equal(fx_json_str(c, "billingProfile.defaultAddress.country"), "US");
    assert_string_equal(fx_json_str(c, "billingProfile.defaultAddress.city"), "Redmond");
    assert_string_equal(fx_json_str(c, "billingProfile.defaultAddress.state"), "WA");
    assert_string_equal(fx_json_str(c, "billingProfile.defaultAddress.addressLine1"), "One Microsoft Way");
    assert_string_equal(fx_json_str(c, "billingProfile.defaultAddress.postalCode"), "98052");
    assert_string_equal(fx_json_str(c, "billingProfile.defaultAddress.firstName"), "Gena");
    assert_string_equal(fx_json_str(c, "billingProfile.defaultAddress.lastName"), "Soto");
    assert_string_equal(fx_json_str(c, "billingProfile.defaultAddress.phoneNumber"), "4255550101");
    assert_string_equal(fx_json_str(c, "associatedPartnerId"), FIRSTUP);
    assert_string_equal(fx_json_str(c, "relationshipToPartner"), "reseller");
    assert_string_equal(fx_json_str(c, "partnerIdOnRecord"), PROVIDER_PID);
    assert_string_equal(fx_json_str(c, "userName"), WINGTIP_ADMIN);
    cJSON_Delete(c);
    /* the reseller sees it, as after the new-customer flow */
    ok(tg_customers(&it, p->firstup, NULL));
    assert_true(fx_has(it, cid));
    /* nobody knows a password for it: the request carried none */
    assert_int_equal(tg_customer_verify_password(p->f.op, WINGTIP_ADMIN, "0Krha*Io"), TG_EDENIED);
    /* one write, one event */
    cJSON *e = last_event(&p->f);
    assert_string_equal(fx_json_str(e, "action"), "tg_import");
    assert_string_equal(fx_json_str(e, "actor.type"), "operator");
    assert_int_equal(cJSON_GetArraySize(fx_json_at(e, "objects")), 1);
    assert_string_equal(fx_json_str(cJSON_GetArrayItem(fx_json_at(e, "objects"), 0), "change"), "create");
    cJSON_Delete(e);
    assert_int_equal(tg_graph_verify(p->f.g), TG_OK);
    pc_free(p);
}

/* The response carries the admin's password: only a verifier of it is kept. */
static void customer_response_keeps_only_a_verifier_of_its_password(void **state)
{
    (void)state;
    NEED_SAMPLES();
    pc *p = pc_new();
    char *text = sample("create-a-customer-for-an-indirect-reseller.response.json");
    ok(tg_import(p->f.op, text));
    assert_non_null(strstr(text, "0Krha*Io")); /* the caller's text is left alone */
    free(text);
    cJSON *c = customer_of(p->provider, "626099fe-17af-4756-9fd0-6a73b7127859");
    assert_string_equal(fx_json_str(c, "associatedPartnerId"), FIRSTUP);
    cJSON_Delete(c);
    ok(tg_customer_verify_password(p->f.op, WINGTIP_ADMIN, "0Krha*Io"));
    assert_int_equal(tg_customer_verify_password(p->f.op, WINGTIP_ADMIN, "0Krha*Ip"), TG_EDENIED);
    char *export = NULL, *disk = fx_store_dump(&p->f), *events = NULL;
    ok(tg_export(&export, p->f.op));
    tg_iter *it = NULL;
    ok(tg_changes(&it, p->f.op, 0, 0));
    const char *json;
    size_t len = 1;
    events = calloc(1, 1);
    while (tg_iter_next(it, &json) == TG_OK) {
        events = realloc(events, len += strlen(json));
        strcat(events, json);
    }
    tg_iter_free(it);
    assert_null(strstr(export, "0Krha"));
    assert_null(strstr(disk, "0Krha"));
    assert_null(strstr(events, "0Krha"));
    assert_non_null(strstr(export, "$argon2id$"));
    tg_free(export);
    free(disk);
    free(events);
    pc_free(p);
}

/* The sample customer of the order samples (c501c3c4-...), made from the
 * customer response sample with that id and another domain. */
static void import_order_customer(pc *p)
{
    cJSON *c = sample_json("create-a-customer-for-an-indirect-reseller.response.json");
    cJSON_ReplaceItemInObject(c, "id", cJSON_CreateString(ORDER_CUSTOMER));
    cJSON *profile = cJSON_GetObjectItem(c, "companyProfile");
    cJSON_ReplaceItemInObject(profile, "tenantId", cJSON_CreateString(ORDER_CUSTOMER));
    cJSON_ReplaceItemInObject(profile, "domain", cJSON_CreateString("ordercustomer.onmicrosoft.com"));
    char *text = cJSON_Print(c);
    ok(tg_import(p->f.op, text));
    free(text);
    cJSON_Delete(c);
}

static void order_samples_become_subscriptions(void **state)
{
    (void)state;
    NEED_SAMPLES();
    pc *p = pc_new();
    import_order_customer(p);
    /* the request: a new subscription, attributed to First Up by its PartnerID */
    char *text = sample("create-an-order-for-a-customer-of-an-indirect-reseller.request.json");
    ok(tg_import(p->f.op, text));
    free(text);
    tg_iter *it = NULL;
    const char *sid;
    ok(tg_subscriptions(&it, p->provider, ORDER_CUSTOMER));
    assert_int_equal(tg_iter_count(it), 1);
    ok(tg_iter_next(it, &sid));
    cJSON *s = subscription_of(p->provider, sid);
    tg_iter_free(it);
    assert_string_equal(fx_json_str(s, "offerId"), SAMPLE_OFFER);
    assert_true(fx_json_at(s, "quantity")->valuedouble == 5.0);
    assert_string_equal(fx_json_str(s, "partnerId"), FIRSTUP_PID);
    assert_string_equal(fx_json_str(s, "status"), "active");
    assert_string_equal(fx_json_str(s, "partnerOfRecord"), PROVIDER);
    assert_string_equal(fx_json_str(s, "supportContact"), PROVIDER);
    cJSON_Delete(s);
    /* the response: the subscription with its id and date (-07:00 to UTC) */
    text = sample("create-an-order-for-a-customer-of-an-indirect-reseller.response.json");
    ok(tg_import(p->f.op, text));
    free(text);
    s = subscription_of(p->provider, SAMPLE_SUB);
    assert_string_equal(fx_json_str(s, "creationDate"), "2017-04-10T23:02:25Z");
    assert_string_equal(fx_json_str(s, "partnerId"), FIRSTUP_PID);
    assert_string_equal(fx_json_str(s, "customerId"), ORDER_CUSTOMER);
    cJSON_Delete(s);
    /* the same subscription again, from the subscriptions listing: refused */
    text = sample("get-all-subscriptions-by-partner.response.json");
    IMPORT_REFUSED(&p->f, text, TG_EEXISTS, SAMPLE_SUB);
    free(text);
    /* the reseller sees the subscriptions attributed to it */
    ok(tg_subscriptions(&it, p->firstup, ORDER_CUSTOMER));
    assert_int_equal(fx_count(it), 2);
    assert_int_equal(tg_graph_verify(p->f.g), TG_OK);
    pc_free(p);
}

static void subscriptions_listing_imports(void **state)
{
    (void)state;
    NEED_SAMPLES();
    pc *p = pc_new();
    import_order_customer(p);
    char *text = sample("get-all-subscriptions-by-partner.response.json");
    ok(tg_import(p->f.op, text));
    free(text);
    cJSON *s = subscription_of(p->provider, SAMPLE_SUB);
    assert_string_equal(fx_json_str(s, "offerId"), SAMPLE_OFFER);
    assert_true(fx_json_at(s, "quantity")->valuedouble == 5.0);
    assert_string_equal(fx_json_str(s, "status"), "active");
    assert_string_equal(fx_json_str(s, "partnerId"), FIRSTUP_PID);
    assert_string_equal(fx_json_str(s, "creationDate"), "2017-04-10T23:02:26Z");
    assert_string_equal(fx_json_str(s, "customerId"), ORDER_CUSTOMER); /* from links.self.uri */
    cJSON_Delete(s);
    pc_free(p);
}

/* The published sample with its trailing comma: TG_EINVAL at the byte of the ']'. */
static void malformed_sample_is_refused_at_its_byte(void **state)
{
    (void)state;
    NEED_SAMPLES();
    pc *p = pc_new();
    char *text = sample(BAD_SAMPLE), word[64];
    snprintf(word, sizeof(word), "byte %zu (line ", trailing_comma_offset(text));
    IMPORT_REFUSED(&p->f, text, TG_EINVAL, word);
    /* without the comma it is JSON, but its customers lack what a customer needs */
    *trailing_comma(text) = ' ';
    IMPORT_REFUSED(&p->f, text, TG_EINVAL, "items[0] (Customer)");
    MSG_HAS("billingProfile");
    free(text);
    pc_free(p);
}

/* ------------------------------------------------------------------ */
/* Export and import of the whole graph                                */
/* ------------------------------------------------------------------ */

/* What populate() made that only its caller can know: secrets shown once, ids. */
typedef struct populated {
    char password[64];    /* the roundtrip admin's temporary password */
    char multico[64];     /* the customer of the customers' own side */
    char multico_admin[128];
    char open_link[512];  /* D1's relationship request to multico, not yet accepted */
    char ea[64];          /* bought under an EA with a term, P2 hired to support it */
    char moved[64];       /* bought under Open, moved to P2 */
} populated;

#define MULTICO_PASSWORD "Multico-Pass1"
#define EA_TERM_END 4102444800 /* 2100-01-01 */

/* The customers' own side (DOMAIN.md §4, §6) on the fixture graph: a customer
 * whose admin changed its password and added two users (one still with its
 * initial password), accepted P2's relationship request and holds D1's open one,
 * recorded two subscriptions bought elsewhere, hired P2 for one and moved the
 * other to P2. */
static void populate_customers_side(fx *f, populated *p)
{
    tg_receipt *r = fx_customer_receipt(f, "ga@p1", "multico", NULL, 1);
    snprintf(p->multico, sizeof(p->multico), "%s", tg_receipt_customer_id(r));
    snprintf(p->multico_admin, sizeof(p->multico_admin), "%s", tg_receipt_admin_user(r));
    ok(tg_customer_change_password(f->g, p->multico_admin, tg_receipt_password(r),
                                   MULTICO_PASSWORD));
    tg_receipt_free(r);
    tg_session *cs = NULL;
    ok(tg_session_customer(&cs, f->g, p->multico_admin, MULTICO_PASSWORD));
    ok(tg_customer_user_add(cs, "ann@multico.onmicrosoft.com", "Initial-Pass1",
                            TG_ROLE_GLOBAL_ADMIN));
    ok(tg_customer_user_add(cs, "bob@multico.onmicrosoft.com", "Initial-Pass2", 0));
    ok(tg_customer_change_password(f->g, "bob@multico.onmicrosoft.com", "Initial-Pass2",
                                   "Bobs-Pass3"));
    tg_invite *rq = NULL;
    ok(tg_relationship_request(&rq, fx_user(f, "ga@p2"), p->multico));
    ok(tg_relationship_accept(cs, tg_invite_link(rq)));
    tg_invite_free(rq);
    ok(tg_relationship_request(&rq, fx_user(f, "ga@d1"), p->multico));
    snprintf(p->open_link, sizeof(p->open_link), "%s", tg_invite_link(rq));
    tg_invite_free(rq);
    char *id = NULL;
    ok(tg_subscription_record(&id, cs, TG_CHANNEL_EA, "offer-ea", 10, EA_TERM_END));
    snprintf(p->ea, sizeof(p->ea), "%s", id);
    tg_free(id);
    ok(tg_subscription_hire(cs, p->ea, P2));
    ok(tg_subscription_record(&id, cs, TG_CHANNEL_OPEN, "offer-open", 3, 0));
    snprintf(p->moved, sizeof(p->moved), "%s", id);
    tg_free(id);
    ok(tg_subscription_move(cs, p->moved, P2));
    tg_session_close(cs);
}

/* The fixture graph with customers, subscriptions in every state, a pending
 * invitation, a removed partnership, and the customers' own side. */
static char *populate(fx *f, populated *pop)
{
    tg_session *ga = fx_user(f, "ga@p1");
    tg_draft *d = NULL;
    tg_receipt *r = NULL;
    ok(tg_draft_new(&d, ga));
    fx_fill_draft(d, "roundtrip");
    ok(tg_draft_set(d, TG_FIELD_RESELLER, R1));
    ok(tg_draft_set(d, TG_FIELD_ADDRESS_LINE2, "Suite 5"));
    ok(tg_draft_set(d, TG_FIELD_PHONE, "4255550101"));
    ok(tg_draft_add_subscription(d, "offer-e3", 5));
    ok(tg_draft_add_subscription(d, "offer-e5", 2));
    ok(tg_draft_submit(&r, d));
    snprintf(pop->password, sizeof(pop->password), "%s", tg_receipt_password(r));
    ok(tg_subscription_set_status(ga, tg_receipt_subscription_id(r, 1), TG_SUB_SUSPENDED));
    ok(tg_subscription_set_support(ga, tg_receipt_subscription_id(r, 0), R1));
    tg_receipt_free(r);
    tg_draft_free(d);
    fx_customer(f, "ga@d1", "directco", NULL, 1);
    ok(tg_partner_add_tenant(f->op, P2, "10000000-0000-4000-8000-0000000000bb"));
    tg_invite *inv = NULL;
    ok(tg_invite_create(&inv, fx_user(f, "ga@p2")));
    tg_invite_free(inv);
    ok(tg_partnership_remove(ga, R1, TG_CONFIRM | TG_ATTEST_GOOD_FAITH));
    populate_customers_side(f, pop);
    char *export = NULL;
    ok(tg_export(&export, f->op));
    return export;
}

static tg_graph *empty_graph(tg_session **op)
{
    tg_graph *g = NULL;
    ok(tg_graph_open(&g, "mem:"));
    ok(tg_session_operator(op, g));
    return g;
}

/* The customers' own side, read on a graph imported from an export: users sign in
 * with their passwords (or must change the initial one), the open request can be
 * accepted with its link, and subscriptions keep their channel, term and partners. */
static void customers_side_survives_import(fx *f, tg_graph *g2, const populated *pop)
{
    tg_session *cs = NULL, *s = NULL;
    ok(tg_graph_set_option(g2, TG_OPT_ARGON2_OPSLIMIT, 1));
    ok(tg_graph_set_option(g2, TG_OPT_ARGON2_MEMLIMIT, 8192));
    ok(tg_session_customer(&cs, g2, pop->multico_admin, MULTICO_PASSWORD));
    ok(tg_session_customer(&s, g2, "bob@multico.onmicrosoft.com", "Bobs-Pass3"));
    tg_session_close(s);
    assert_int_equal(tg_session_customer(&s, g2, "ann@multico.onmicrosoft.com", "Initial-Pass1"),
                     TG_EPASSWORD_CHANGE);
    /* the same partners, on both graphs */
    tg_iter *it = NULL;
    ok(tg_relationships(&it, cs));
    assert_int_equal(tg_iter_count(it), 2);
    tg_iter_free(it);
    ok(tg_relationship_accept(cs, pop->open_link));
    ok(tg_relationships(&it, cs));
    assert_true(fx_has(it, D1));
    /* the subscriptions bought elsewhere, as each graph shows them to P2 */
    tg_session *ga2 = NULL;
    ok(tg_session_user(&ga2, g2, "ga@p2"));
    const char *subs[] = {pop->ea, pop->moved};
    for (int i = 0; i < 2; i++) {
        char *a = NULL, *b = NULL;
        ok(tg_subscription_get(&a, fx_user(f, "ga@p2"), subs[i]));
        ok(tg_subscription_get(&b, ga2, subs[i]));
        assert_string_equal(a, b);
        tg_free(a);
        tg_free(b);
    }
    /* the EA term came along: no move before it ends */
    assert_int_equal(tg_subscription_move(cs, pop->ea, P2), TG_ESTATE);
    MSG_HAS("term");
    assert_int_equal(tg_graph_verify(g2), TG_OK);
    tg_session_close(ga2);
    tg_session_close(cs);
}

static void export_import_export_is_byte_identical(void **state)
{
    fx *f = *state;
    populated pop;
    char *first = populate(f, &pop);
    /* the customers' own records and fields are in the document */
    assert_non_null(strstr(first, ",\"customerUsers\":[{\"id\":\"ann@multico.onmicrosoft.com\""));
    assert_non_null(strstr(first, "\"channel\":2,\"termEnd\":4102444800"));
    char request[128]; /* a relationship request names its customer */
    snprintf(request, sizeof(request), ",\"customer\":\"%s\"}", pop.multico);
    assert_non_null(strstr(first, request));
    assert_non_null(strstr(first, "\"partners\":[\"" P2 "\"]"));
    tg_session *op2 = NULL;
    tg_graph *g2 = empty_graph(&op2);
    ok(tg_import(op2, first));
    char *second = NULL;
    ok(tg_export(&second, op2));
    assert_string_equal(second, first);
    assert_int_equal(tg_graph_verify(g2), TG_OK);
    /* one write, whose event names every record */
    assert_int_equal(tg_graph_revision(g2), 1);
    tg_iter *it = NULL;
    ok(tg_changes(&it, op2, 0, 0));
    const char *json;
    ok(tg_iter_next(it, &json));
    cJSON *e = cJSON_Parse(json);
    cJSON *doc = cJSON_Parse(first);
    int records = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, doc) records += cJSON_IsArray(m) ? cJSON_GetArraySize(m) : 0;
    assert_int_equal(cJSON_GetArraySize(fx_json_at(e, "objects")), records);
    assert_string_equal(fx_json_str(e, "action"), "tg_import");
    cJSON_Delete(e);
    tg_iter_free(it);
    /* the secrets came as verifiers and hashes, and still work */
    assert_null(strstr(first, pop.password));
    assert_null(strstr(first, MULTICO_PASSWORD));
    assert_null(strstr(first, "Bobs-Pass3"));
    ok(tg_customer_verify_password(op2, "admin@roundtrip.onmicrosoft.com", pop.password));
    /* and the same graph reads the same through the API */
    tg_session *ga2 = NULL;
    ok(tg_session_user(&ga2, g2, "ga@p1"));
    char *a = NULL, *b = NULL;
    ok(tg_partner_get(&a, fx_user(f, "ga@p1"), P2));
    ok(tg_partner_get(&b, ga2, P2));
    assert_string_equal(a, b);
    tg_free(a);
    tg_free(b);
    ok(tg_customers(&it, ga2, NULL));
    assert_int_equal(fx_count(it), 2);
    customers_side_survives_import(f, g2, &pop);
    cJSON_Delete(doc);
    tg_session_close(ga2);
    tg_session_close(op2);
    tg_graph_close(g2);
    tg_free(first);
    tg_free(second);
}

/* The bytes depend on the graph only: not on hash order or history. */
static void export_is_stable(void **state)
{
    fx *f = *state;
    populated pop;
    char *first = populate(f, &pop), *again = NULL;
    ok(tg_export(&again, f->op));
    assert_string_equal(again, first);
    /* a graph built from it in another order (subscriptions before customers in
     * the document) exports the same bytes */
    cJSON *doc = cJSON_Parse(first);
    cJSON *subs = cJSON_DetachItemFromObject(doc, "subscriptions");
    cJSON_AddItemToObject(doc, "subscriptions", subs);
    cJSON *users = cJSON_DetachItemFromObject(doc, "users");
    cJSON_InsertItemInArray(doc, 0, users);
    char *reordered = cJSON_PrintUnformatted(doc);
    assert_string_not_equal(reordered, first);
    tg_session *op2 = NULL;
    tg_graph *g2 = empty_graph(&op2);
    ok(tg_import(op2, reordered));
    char *second = NULL;
    ok(tg_export(&second, op2));
    assert_string_equal(second, first);
    assert_non_null(strstr(first, "{\"format\":\"tiergraph-export\",\"version\":1,\"partners\":["));
    free(reordered);
    cJSON_Delete(doc);
    tg_session_close(op2);
    tg_graph_close(g2);
    tg_free(first);
    tg_free(again);
    tg_free(second);
}

static void export_and_import_are_for_the_operator(void **state)
{
    fx *f = *state;
    char *json = (char *)f;
    assert_int_equal(tg_export(&json, fx_user(f, "ga@p1")), TG_EDENIED);
    assert_null(json);
    MSG_HAS("operator");
    assert_int_equal(tg_export(NULL, f->op), TG_EINVAL);
    assert_int_equal(tg_export(&json, NULL), TG_EINVAL);
    ok(tg_export(&json, f->op));
    /* an import by a partner user is refused before the document is read */
    static const char *users[] = {"ga@p1", "ga@r1", "ua@d1"};
    for (int i = 0; i < 3; i++) {
        snapshot s = take(f);
        assert_int_equal(tg_import(fx_user(f, users[i]), "{}"), TG_EDENIED);
        MSG_HAS("operator");
        unchanged(f, &s);
    }
    assert_int_equal(tg_import(f->op, NULL), TG_EINVAL);
    assert_int_equal(tg_import(NULL, json), TG_EINVAL);
    tg_free(json);
}

/* An export of a small graph of its own, to import into the fixture graph. */
static const char *const NEW_PARTNER_DOC =
    "{\"format\":\"tiergraph-export\",\"version\":1,\"partners\":[{\"tenant\":"
    "\"60000000-0000-4000-8000-000000000001\",\"kind\":2,\"partnerId\":\"6000001\",\"name\":"
    "\"r6\",\"domain\":\"r6.example\",\"country\":\"US\",\"agreement\":true,\"tenants\":[]}],"
    "\"users\":[{\"id\":\"ga@r6\",\"partner\":\"60000000-0000-4000-8000-000000000001\","
    "\"roles\":1}]}";

static void import_adds_to_a_graph(void **state)
{
    fx *f = *state;
    uint64_t rev = tg_graph_revision(f->g);
    ok(tg_import(f->op, NEW_PARTNER_DOC));
    assert_int_equal(tg_graph_revision(f->g), rev + 1);
    unsigned int roles = 0;
    ok(tg_user_roles(&roles, f->op, "ga@r6"));
    assert_int_equal(roles, TG_ROLE_GLOBAL_ADMIN);
    /* it is a partner like any: it can be invited and accept */
    tg_session *r6 = NULL;
    ok(tg_session_user(&r6, f->g, "ga@r6"));
    tg_invite *inv = NULL;
    ok(tg_invite_create(&inv, fx_user(f, "ga@p2")));
    ok(tg_partnership_accept(r6, tg_invite_link(inv)));
    tg_invite_free(inv);
    tg_session_close(r6);
    assert_int_equal(tg_graph_verify(f->g), TG_OK);
    /* an empty export writes nothing */
    rev = tg_graph_revision(f->g);
    ok(tg_import(f->op, "{\"format\":\"tiergraph-export\",\"version\":1}"));
    assert_int_equal(tg_graph_revision(f->g), rev);
}

/* Records of the customers' own side, for a customer the fixture does not have. */
static const char *const CUSTOMERS_SIDE_DOC =
    "{\"format\":\"tiergraph-export\",\"version\":1,\"invites\":[{\"hash\":"
    "\"00000000000000000000000000000000000000000000000000000000000000aa\",\"provider\":\"" P2 "\","
    "\"created\":1700000000,\"expires\":1700600000,\"customer\":"
    "\"70000000-0000-4000-8000-000000000001\"}],\"subscriptions\":[{\"id\":"
    "\"70000000-0000-4000-8000-0000000000a1\",\"customer\":\"70000000-0000-4000-8000-000000000001\","
    "\"offer\":\"offer-ea\",\"quantity\":1,\"status\":1,\"created\":1700000000,\"channel\":2,"
    "\"termEnd\":0}],\"customerUsers\":[{\"id\":\"eve@nocust.onmicrosoft.com\",\"customer\":"
    "\"70000000-0000-4000-8000-000000000001\",\"roles\":0,\"verifier\":"
    "\"$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA\",\"mustChangePassword\":true,"
    "\"created\":1700000000}]}";

/* A copy of `doc` with one text replaced. */
static char *edited(const char *doc, const char *from, const char *to)
{
    const char *at = strstr(doc, from);
    assert_non_null(at);
    size_t n = strlen(doc) - strlen(from) + strlen(to) + 1;
    char *s = malloc(n);
    snprintf(s, n, "%.*s%s%s", (int)(at - doc), doc, to, at + strlen(from));
    return s;
}

#define REFUSED_EDIT_OF(f, doc, from, to, code, word) \
    do { \
        char *doc_ = edited((doc), (from), (to)); \
        IMPORT_REFUSED((f), doc_, (code), (word)); \
        free(doc_); \
    } while (0)
#define REFUSED_EDIT(f, from, to, code, word) \
    REFUSED_EDIT_OF(f, NEW_PARTNER_DOC, from, to, code, word)
#define REFUSED_SIDE(f, from, to, code, word) \
    REFUSED_EDIT_OF(f, CUSTOMERS_SIDE_DOC, from, to, code, word)

static void import_refusals_change_nothing(void **state)
{
    fx *f = *state;
    /* not JSON: the byte, line and column of the error */
    IMPORT_REFUSED(f, "", TG_EINVAL, "byte 0 (line 1, column 1)");
    IMPORT_REFUSED(f, "{\"format\":", TG_EINVAL, "byte 10 (line 1, column 11)");
    IMPORT_REFUSED(f, "{\n  \"a\": tru\n}", TG_EINVAL, "(line 2, column 8)");
    IMPORT_REFUSED(f, "{} {}", TG_EINVAL, "byte 3");
    /* JSON, but not a document that maps */
    IMPORT_REFUSED(f, "[1,2]", TG_EINVAL, "not a JSON object");
    IMPORT_REFUSED(f, "{}", TG_EINVAL, "neither");
    IMPORT_REFUSED(f, "{\"format\":\"other\"}", TG_EINVAL, "format");
    IMPORT_REFUSED(f, "{\"format\":\"tiergraph-export\",\"version\":2}", TG_EINVAL, "version 1");
    IMPORT_REFUSED(f, "{\"format\":\"tiergraph-export\"}", TG_EINVAL, "version 1");
    IMPORT_REFUSED(f, "{\"format\":\"tiergraph-export\",\"version\":1,\"widgets\":[]}", TG_EINVAL,
                   "widgets");
    IMPORT_REFUSED(f, "{\"format\":\"tiergraph-export\",\"version\":1,\"users\":{}}", TG_EINVAL,
                   "not an array");
    IMPORT_REFUSED(f, "{\"format\":\"tiergraph-export\",\"version\":1,\"users\":[],\"users\":[]}",
                   TG_EINVAL, "twice");
    IMPORT_REFUSED(f, "{\"format\":\"tiergraph-export\",\"version\":1,\"users\":[7]}", TG_EINVAL,
                   "users[0] is not an object");
    /* records: fields, formats, references, uniqueness */
    REFUSED_EDIT(f, "\"kind\":2,", "", TG_EINVAL, "partners[0]: field 'kind'");
    REFUSED_EDIT(f, "\"kind\":2,", "\"kind\":\"2\",", TG_EINVAL, "field 'kind'");
    REFUSED_EDIT(f, "\"kind\":2,", "\"kind\":2.5,", TG_EINVAL, "field 'kind'");
    REFUSED_EDIT(f, "\"kind\":2,", "\"kind\":2,\"colour\":\"red\",", TG_EINVAL, "colour");
    REFUSED_EDIT(f, "\"kind\":2,", "\"kind\":9,", TG_EINVAL, "kind");
    REFUSED_EDIT(f, "\"tenant\":\"60000000-0000-4000-8000-000000000001\"", "\"tenant\":\"r6\"",
                 TG_EINVAL, "GUID");
    REFUSED_EDIT(f, "\"partnerId\":\"6000001\"", "\"partnerId\":\"six\"", TG_EINVAL, "numeric");
    REFUSED_EDIT(f, "\"country\":\"US\"", "\"country\":\"USA\"", TG_EINVAL, "country");
    REFUSED_EDIT(f, "\"country\":\"US\"", "\"country\":\"Us\"", TG_EINVAL, "capital");
    REFUSED_EDIT(f, "\"domain\":\"r6.example\"", "\"domain\":\"R6.example\"", TG_EINVAL, "domain");
    REFUSED_EDIT(f, "\"name\":\"r6\"", "\"name\":\"\"", TG_EINVAL, "'name'");
    REFUSED_EDIT(f, "\"name\":\"r6\"", "\"name\":\"r\xff\"", TG_EINVAL, "UTF-8");
    REFUSED_EDIT(f, "\"roles\":1", "\"roles\":64", TG_EINVAL, "roles");
    REFUSED_EDIT(f, "\"id\":\"ga@r6\"", "\"id\":\"ga r6\"", TG_EINVAL, "blank");
    REFUSED_EDIT(f, "\"partner\":\"60000000-0000-4000-8000-000000000001\"",
                 "\"partner\":\"60000000-0000-4000-8000-000000000009\"", TG_EINVAL,
                 "user of an unknown partner");
    REFUSED_EDIT(f, "\"partnerId\":\"6000001\"", "\"partnerId\":\"" R1_PID "\"", TG_EINVAL,
                 "PartnerID");
    REFUSED_EDIT(f, "\"domain\":\"r6.example\"", "\"domain\":\"p1.example\"", TG_EINVAL, "domain");
    REFUSED_EDIT(f, "\"id\":\"ga@r6\"", "\"id\":\"ga@p1\"", TG_EEXISTS, "already exists");
    REFUSED_EDIT(f, "\"roles\":1}]", "\"roles\":1},{\"id\":\"ga@r6\",\"partner\":"
                 "\"60000000-0000-4000-8000-000000000001\",\"roles\":2}]", TG_EEXISTS, "twice");
    /* the customers' own side: formats first, then the graph they would make */
    IMPORT_REFUSED(f, CUSTOMERS_SIDE_DOC, TG_EINVAL, "without its customer");
    REFUSED_SIDE(f, "\"eve@", "\"Eve@", TG_EINVAL, "lower case");
    REFUSED_SIDE(f, "\"eve@nocust.onmicrosoft.com\"", "\"eve\"", TG_EINVAL, "<name>@<domain>");
    REFUSED_SIDE(f, "\"roles\":0", "\"roles\":2", TG_EINVAL, "roles");
    REFUSED_SIDE(f, "\"verifier\":\"$argon2id$", "\"verifier\":\"$plain$", TG_EINVAL, "Argon2id");
    REFUSED_SIDE(f, "\"mustChangePassword\":true,", "", TG_EINVAL,
                 "customerUsers[0]: field 'mustChangePassword'");
    REFUSED_SIDE(f, "\"customer\":\"70000000-0000-4000-8000-000000000001\"}]",
                 "\"customer\":\"nocust\"}]", TG_EINVAL, "GUID");
    REFUSED_SIDE(f, "\"channel\":2", "\"channel\":9", TG_EINVAL, "channel");
    REFUSED_SIDE(f, "\"channel\":2", "\"channel\":2,\"seller\":\"" P1 "\"", TG_EINVAL,
                 "partner of record");
    /* bought through CSP (channel 0), it needs a partner of record */
    REFUSED_SIDE(f, "\"channel\":2", "\"channel\":0", TG_EINVAL, "GUID");
    REFUSED_SIDE(f, "\"termEnd\":0", "\"termEnd\":-1", TG_EINVAL, "term");
    REFUSED_SIDE(f, "\"termEnd\":0", "\"termEnd\":0.5", TG_EINVAL, "field 'termEnd'");
    /* the graph's own export, imported into itself */
    char *self = NULL;
    ok(tg_export(&self, f->op));
    IMPORT_REFUSED(f, self, TG_EEXISTS, "already exists");
    tg_free(self);
    /* Partner Center bodies that do not map */
    IMPORT_REFUSED(f, "{\"attributes\":{\"objectType\":\"PartnerRelationship\"}}", TG_EINVAL,
                   "does not map");
    IMPORT_REFUSED(f, "{\"attributes\":{\"objectType\":\"Collection\"},\"items\":7}", TG_EINVAL,
                   "items");
    IMPORT_REFUSED(f, "{\"Attributes\":{\"ObjectType\":\"Order\"},\"ReferenceCustomerId\":"
                      "\"" R1 "\",\"LineItems\":[]}", TG_EINVAL, "lineItems");
    IMPORT_REFUSED(f, "{\"Attributes\":{\"ObjectType\":\"Order\"},\"LineItems\":[]}", TG_EINVAL,
                   "referenceCustomerId");
    IMPORT_REFUSED(f, "{\"attributes\":{\"objectType\":\"Customer\"},\"userCredentials\":"
                      "{\"password\":7}}", TG_EINVAL, "password");
    IMPORT_REFUSED(f, "{\"attributes\":{\"objectType\":\"Customer\"},\"companyProfile\":"
                      "{\"domain\":\"x.onmicrosoft.com\"}}", TG_EINVAL, "billingProfile.companyName");
}

/* A Partner Center customer: each way it can fail to map. */
static void partner_center_customer_refusals(void **state)
{
    (void)state;
    NEED_SAMPLES();
    pc *p = pc_new();
    cJSON *c = sample_json("create-a-customer-for-an-indirect-reseller.response.json");
    struct {
        const char *path, *value; /* value NULL: remove the member */
        int code;
        const char *word;
        const char *remove; /* another member to remove first, or NULL */
    } cases[] = {
        {"billingProfile.email", NULL, TG_EINVAL, "billingProfile.email", NULL},
        {"billingProfile.email", "not an email", TG_EINVAL, "email", NULL},
        {"companyProfile.domain", "wingtip.example", TG_EINVAL, "onmicrosoft.com", NULL},
        {"companyProfile.tenantId", "626099fe-17af-4756-9fd0-000000000000", TG_EINVAL, "differ", NULL},
        {"id", "not-a-guid", TG_EINVAL, "GUID", "companyProfile.tenantId"},
        {"associatedPartnerId", NULL, TG_EINVAL, "partner of record", NULL},
        {"associatedPartnerId", "99999999-9999-4999-8999-999999999999", TG_EINVAL, "0 indirect providers", NULL},
        {"partnerIdOnRecord", "9999999", TG_EINVAL, "9999999", NULL},
        {"partnerIdOnRecord", FIRSTUP_PID, TG_EINVAL, "cannot sell", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        cJSON *copy = cJSON_Duplicate(c, 1);
        if (cases[i].remove)
            cJSON_DeleteItemFromObject(cJSON_GetObjectItem(copy, "companyProfile"), "tenantId");
        char parent[64], *leaf;
        snprintf(parent, sizeof(parent), "%s", cases[i].path);
        leaf = strrchr(parent, '.');
        cJSON *obj = copy;
        if (leaf) {
            *leaf++ = '\0';
            obj = cJSON_GetObjectItem(copy, parent);
        } else {
            leaf = parent;
        }
        cJSON_DeleteItemFromObject(obj, leaf);
        if (cases[i].value) cJSON_AddStringToObject(obj, leaf, cases[i].value);
        char *text = cJSON_PrintUnformatted(copy);
        IMPORT_REFUSED(&p->f, text, cases[i].code, cases[i].word);
        free(text);
        cJSON_Delete(copy);
    }
    /* a reseller with two providers: the partner of record must be named */
    tg_session *p2 = NULL;
    ok(tg_partner_enroll(p->f.op, TG_PARTNER_INDIRECT_PROVIDER, "22222222-2222-4222-8222-222222222222",
                         "2000002", "Fabrikam", "fabrikam.example", "US"));
    ok(tg_user_add(p->f.op, "22222222-2222-4222-8222-222222222222", "ga@fabrikam", TG_ROLE_GLOBAL_ADMIN));
    ok(tg_session_user(&p2, p->f.g, "ga@fabrikam"));
    tg_invite *inv = NULL;
    ok(tg_invite_create(&inv, p2));
    ok(tg_partnership_accept(p->firstup, tg_invite_link(inv)));
    tg_invite_free(inv);
    char *text = cJSON_PrintUnformatted(c);
    IMPORT_REFUSED(&p->f, text, TG_EINVAL, "2 indirect providers");
    free(text);
    /* ...and named, it maps */
    cJSON_AddStringToObject(c, "partnerIdOnRecord", "2000002");
    text = cJSON_PrintUnformatted(c);
    ok(tg_import(p->f.op, text));
    free(text);
    cJSON *got = customer_of(p2, "626099fe-17af-4756-9fd0-6a73b7127859");
    assert_string_equal(fx_json_str(got, "partnerIdOnRecord"), "2000002");
    cJSON_Delete(got);
    tg_session_close(p2);
    cJSON_Delete(c);
    pc_free(p);
}

/* The store fails: nothing imported, and the same import succeeds after. */
static void import_is_one_store_transaction(void **state)
{
    fx *f = *state;
    fault_store_fail_commit(f->store, 1);
    IMPORT_REFUSED(f, NEW_PARTNER_DOC, TG_EIO, "nothing was changed");
    fault_store_fail_commit(f->store, 0);
    fault_store_fail_put(f->store, 2);
    IMPORT_REFUSED(f, NEW_PARTNER_DOC, TG_EIO, "nothing was changed");
    fault_store_fail_put(f->store, 0);
    int commits = fault_store_commits(f->store);
    ok(tg_import(f->op, NEW_PARTNER_DOC));
    assert_int_equal(fault_store_commits(f->store), commits + 1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(resellers_json_is_the_partner_center_listing),
        cmocka_unit_test(providers_json_lists_the_providers),
        T(relationship_listings_follow_the_partnerships),
        T(customer_json_has_the_samples_shape),
        T(subscription_json_has_the_samples_shape),
        cmocka_unit_test(every_sample_parses_with_the_fields_we_map),
        cmocka_unit_test(every_sample_imports_or_is_refused_cleanly),
        cmocka_unit_test(customer_request_imports_for_the_resellers_provider),
        cmocka_unit_test(customer_response_keeps_only_a_verifier_of_its_password),
        cmocka_unit_test(order_samples_become_subscriptions),
        cmocka_unit_test(subscriptions_listing_imports),
        cmocka_unit_test(malformed_sample_is_refused_at_its_byte),
        T(export_import_export_is_byte_identical),
        T(export_is_stable),
        T(export_and_import_are_for_the_operator),
        T(import_adds_to_a_graph),
        T(import_refusals_change_nothing),
        cmocka_unit_test(partner_center_customer_refusals),
        T(import_is_one_store_transaction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
