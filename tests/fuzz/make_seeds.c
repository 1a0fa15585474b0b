/* make_seeds.c - write the fuzzers' seed corpora (tests/fuzz/corpus/). Journals are
 * real ones, written by the library's "file:" store; op sequences are spelt in the
 * byte language of fuzz_api.h; import documents are the Partner Center samples as
 * published and exports of graphs built here; stored records are those of such a
 * graph, one a file. Run by hand when the formats change:
 *   cmake --build build --target fuzz-seeds
 * (ids, tokens and hashes differ from run to run: commit the files it writes). */
#define _DEFAULT_SOURCE /* mkdtemp */
#include "draft_details.h"
#include "fuzz_api.h"
#include "import_base.h"
#include "store/file.h"
#include "tiergraph.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define P1 "10000000-0000-4000-8000-000000000001"
#define R1 "20000000-0000-4000-8000-000000000001"
#define R2 "20000000-0000-4000-8000-000000000002"
#define D1 "30000000-0000-4000-8000-000000000001"

static void must(int rc, const char *what)
{
    if (rc != TG_OK) {
        fprintf(stderr, "make_seeds: %s: %s\n", what, tg_error_message());
        exit(1);
    }
}

static char scratch[4096];

static const char *scratch_file(void)
{
    static char path[4200];
    snprintf(path, sizeof(path), "%s/journal.tg", scratch);
    return path;
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = malloc(n > 0 ? (size_t)n : 1);
    *len = p ? fread(p, 1, (size_t)n, f) : 0;
    fclose(f);
    return p;
}

static void spill(const char *dir, const char *name, const void *data, size_t len)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0) {
        fprintf(stderr, "make_seeds: cannot write %s\n", path);
        exit(1);
    }
    printf("%s (%zu bytes)\n", path, len);
}

/* A graph on a fresh journal, compacted after every commit when `compact`. */
static tg_graph *fresh_graph(int compact)
{
    unlink(scratch_file());
    tg_store *s;
    must(tg_store_file_new(&s, scratch_file()), "store");
    if (compact) tg__file_store_set_compact_min(s, 0);
    tg_graph *g;
    must(tg_graph_open_store(&g, s), "open");
    must(tg_graph_set_option(g, TG_OPT_ARGON2_OPSLIMIT, 1), "argon2");
    must(tg_graph_set_option(g, TG_OPT_ARGON2_MEMLIMIT, 8192), "argon2");
    must(tg_graph_set_option(g, TG_OPT_DURABILITY, TG_DURABILITY_OFF), "durability");
    return g;
}

static tg_session *user(tg_graph *g, const char *id)
{
    tg_session *s;
    must(tg_session_user(&s, g, id), id);
    return s;
}

static void customer(tg_session *s, const char *prefix, const char *reseller, int nsubs, char *sub_out)
{
    tg_draft *d;
    must(tg_draft_new(&d, s), "draft");
    must(draft_fill_valid(d, prefix, 0), "details");
    if (reseller) must(tg_draft_set(d, TG_FIELD_RESELLER, reseller), "reseller");
    for (int i = 0; i < nsubs; i++) must(tg_draft_add_subscription(d, "offer-m365", 5 + i), "line");
    tg_receipt *r;
    must(tg_draft_submit(&r, d), "submit");
    if (sub_out && nsubs) snprintf(sub_out, 40, "%s", tg_receipt_subscription_id(r, 0));
    tg_receipt_free(r);
    tg_draft_free(d);
}

/* A provider, two resellers and a direct-bill partner, one partnership, customers
 * with subscriptions, then changes and deletions (so the journal holds puts and
 * deletes of every kind of record). */
static void small_graph(tg_graph *g)
{
    tg_session *op;
    must(tg_session_operator(&op, g), "operator");
    must(tg_partner_enroll(op, TG_PARTNER_INDIRECT_PROVIDER, P1, "1000001", "p1", "p1.example", "US"), "P1");
    must(tg_partner_enroll(op, TG_PARTNER_INDIRECT_RESELLER, R1, "2000001", "r1", "r1.example", "US"), "R1");
    must(tg_partner_enroll(op, TG_PARTNER_INDIRECT_RESELLER, R2, "2000002", "r2", "r2.example", "FR"), "R2");
    must(tg_partner_enroll(op, TG_PARTNER_DIRECT_BILL, D1, "3000001", "d1", "d1.example", "US"), "D1");
    must(tg_partner_set_agreement(op, R1, 1), "agreement");
    must(tg_partner_add_tenant(op, P1, "10000000-0000-4000-8000-0000000000aa"), "tenant");
    must(tg_user_add(op, P1, "ga@p1", TG_ROLE_GLOBAL_ADMIN), "user");
    must(tg_user_add(op, R1, "ga@r1", TG_ROLE_GLOBAL_ADMIN), "user");
    must(tg_user_add(op, D1, "ga@d1", TG_ROLE_GLOBAL_ADMIN | TG_ROLE_ADMIN_AGENT), "user");
    tg_session *p1 = user(g, "ga@p1"), *r1 = user(g, "ga@r1"), *d1 = user(g, "ga@d1");
    must(tg_user_add(p1, P1, "sa@p1", TG_ROLE_SALES_AGENT), "user");
    must(tg_user_set_roles(p1, "sa@p1", TG_ROLE_SALES_AGENT | TG_ROLE_HELPDESK_AGENT), "roles");
    tg_invite *inv;
    must(tg_invite_create(&inv, p1), "invite");
    must(tg_partnership_accept(r1, tg_invite_link(inv)), "accept");
    tg_invite_free(inv);
    char sub[40] = "", *added = NULL;
    customer(p1, "fabrikam", R1, 2, sub);
    customer(d1, "tailspin", NULL, 1, NULL);
    must(tg_subscription_set_status(p1, sub, TG_SUB_SUSPENDED), "status");
    must(tg_subscription_set_support(p1, sub, R1), "support");
    tg_iter *it;
    const char *cid;
    must(tg_customers(&it, d1, NULL), "customers");
    must(tg_iter_next(it, &cid), "customer");
    must(tg_subscription_add(&added, d1, cid, "offer-azure", 1, NULL, NULL), "add");
    tg_free(added);
    tg_iter_free(it);
    must(tg_partnership_remove(p1, R1, TG_CONFIRM | TG_ATTEST_GOOD_FAITH), "remove");
    must(tg_user_remove(p1, "sa@p1"), "user remove");
    tg_session_close(op);
    tg_session_close(p1);
    tg_session_close(r1);
    tg_session_close(d1);
}

static void journals(const char *corpus)
{
    char journal_dir[4200], store_dir[4200];
    snprintf(journal_dir, sizeof(journal_dir), "%s/journal", corpus);
    snprintf(store_dir, sizeof(store_dir), "%s/file_store", corpus);
    size_t len;
    unsigned char *bytes;

    tg_graph *g = fresh_graph(0);
    tg_graph_close(g);
    bytes = slurp(scratch_file(), &len);
    spill(journal_dir, "empty.tg", bytes, len);
    spill(store_dir, "torn-header.tg", bytes, len / 2);
    free(bytes);

    g = fresh_graph(0);
    small_graph(g);
    tg_graph_close(g);
    bytes = slurp(scratch_file(), &len);
    spill(journal_dir, "small.tg", bytes, len);
    /* A torn tail: the last commit cut in its middle. */
    spill(store_dir, "torn-tail.tg", bytes, len - 40);
    /* Damage before later commits: one byte of the first frame's payload. */
    bytes[16 + 8 + 3] ^= 0x20;
    spill(store_dir, "damaged-middle.tg", bytes, len);
    free(bytes);

    g = fresh_graph(1); /* compaction after every commit: snapshot frames */
    small_graph(g);
    tg_graph_close(g);
    bytes = slurp(scratch_file(), &len);
    spill(journal_dir, "compacted.tg", bytes, len);
    free(bytes);
}

/* ---- op sequences (fuzz_api.h) ---- */

typedef struct ops {
    unsigned char b[256];
    size_t n;
} ops;

static void put(ops *o, int count, ...)
{
    va_list ap;
    va_start(ap, count);
    for (int i = 0; i < count; i++) o->b[o->n++] = (unsigned char)va_arg(ap, int);
    va_end(ap);
}

#define GA(p) FUZZ_USER(p, FUZZ_GA)

static void sequences(const char *corpus)
{
    char dir[4200];
    snprintf(dir, sizeof(dir), "%s/api", corpus);
    ops o = {{0}, 0};

    /* P1 makes a customer for R1 with two subscriptions; both sides read. */
    put(&o, 8, FUZZ_OP_DRAFT, GA(FUZZ_P1), 1, FUZZ_R1, 0, 2, 3, 2);
    put(&o, 3, FUZZ_OP_READ, GA(FUZZ_P1), FUZZ_NONE);
    put(&o, 3, FUZZ_OP_READ, GA(FUZZ_R1), FUZZ_NONE);
    put(&o, 3, FUZZ_OP_PASSWORD, 0, 1);
    spill(dir, "customer-for-reseller", o.b, o.n);

    /* ...then the partnership ends, the association ends, the subscriptions are
     * suspended and the customer removed. */
    put(&o, 4, FUZZ_OP_PARTNERSHIP_REMOVE, GA(FUZZ_P1), FUZZ_R1, TG_CONFIRM | TG_ATTEST_GOOD_FAITH);
    put(&o, 4, FUZZ_OP_CUSTOMER_RESELLER, GA(FUZZ_P1), 0, FUZZ_NONE);
    put(&o, 4, FUZZ_OP_SUB_STATUS, GA(FUZZ_P1), 0, TG_SUB_SUSPENDED);
    put(&o, 4, FUZZ_OP_SUB_STATUS, GA(FUZZ_P1), 1, TG_SUB_DELETED);
    put(&o, 3, FUZZ_OP_CUSTOMER_REMOVE, GA(FUZZ_P1), 0);
    put(&o, 3, FUZZ_OP_READ, GA(FUZZ_R1), FUZZ_NONE);
    spill(dir, "partnership-ends", o.b, o.n);

    /* A new partnership with R2: invitation, acceptance, attribution, support. */
    o.n = 0;
    put(&o, 2, FUZZ_OP_INVITE, GA(FUZZ_P1));
    put(&o, 3, FUZZ_OP_ACCEPT, GA(FUZZ_R2), 0);
    put(&o, 8, FUZZ_OP_DRAFT, FUZZ_USER(FUZZ_P1, FUZZ_SA), 7, FUZZ_R2, 0, 1, 1, 2);
    put(&o, 6, FUZZ_OP_SUB_ADD, GA(FUZZ_P1), 0, 3, FUZZ_R2, FUZZ_R2);
    put(&o, 4, FUZZ_OP_SUB_RESELLER, GA(FUZZ_P1), 0, FUZZ_NONE);
    put(&o, 4, FUZZ_OP_SUB_SUPPORT, FUZZ_USER(FUZZ_P1, FUZZ_HA), 1, FUZZ_NONE);
    put(&o, 2, FUZZ_OP_CLOCK, 9);
    put(&o, 3, FUZZ_OP_ACCEPT, GA(FUZZ_R2), 0);
    spill(dir, "new-partnership", o.b, o.n);

    /* Users, roles and partners: the operator and the admins at work, and refusals. */
    o.n = 0;
    put(&o, 4, FUZZ_OP_ENROLL, FUZZ_OPERATOR, TG_PARTNER_INDIRECT_RESELLER, 0);
    put(&o, 4, FUZZ_OP_AGREEMENT, FUZZ_OPERATOR, FUZZ_NEW0, 1);
    put(&o, 5, FUZZ_OP_USER_ADD, FUZZ_OPERATOR, FUZZ_NEW0, FUZZ_NEW_NAME(0), TG_ROLE_GLOBAL_ADMIN);
    put(&o, 2, FUZZ_OP_SESSION, FUZZ_NEW_NAME(0)); /* session 37 */
    put(&o, 5, FUZZ_OP_USER_ADD, 37, FUZZ_NEW0, FUZZ_NEW_NAME(1), TG_ROLE_USER_ADMIN);
    put(&o, 4, FUZZ_OP_USER_SET_ROLES, FUZZ_USER(FUZZ_P2, FUZZ_UA), FUZZ_NAME(FUZZ_P2, FUZZ_GA),
        TG_ROLE_SALES_AGENT);
    put(&o, 3, FUZZ_OP_USER_REMOVE, FUZZ_USER(FUZZ_P2, FUZZ_GA), FUZZ_NAME(FUZZ_P2, FUZZ_SA));
    put(&o, 4, FUZZ_OP_ADD_TENANT, FUZZ_OPERATOR, FUZZ_D1, 2);
    put(&o, 5, FUZZ_OP_CHECK, GA(FUZZ_R1), TG_ACT_INVITE_ACCEPT, 4, FUZZ_P2);
    put(&o, 5, FUZZ_OP_CHECK, FUZZ_USER(FUZZ_R1, FUZZ_AA), TG_ACT_DELEGATED_ADMIN, 1, 0);
    spill(dir, "users-and-partners", o.b, o.n);
}

/* ---- import documents (fuzz_import) ---- */

/* Each *.json of the samples directory, as it is (one is invalid JSON as published). */
static void samples(const char *dir, const char *samples_dir)
{
    struct dirent **names;
    int n = scandir(samples_dir, &names, NULL, alphasort), copied = 0;
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        size_t len = strlen(name), size;
        char path[4200];
        snprintf(path, sizeof(path), "%s/%s", samples_dir, name);
        unsigned char *bytes = len > 5 && strcmp(name + len - 5, ".json") == 0 ? slurp(path, &size) : NULL;
        if (bytes) {
            char out[300];
            snprintf(out, sizeof(out), "pc-%s", name);
            spill(dir, out, bytes, size);
            copied++;
        }
        free(bytes);
        free(names[i]);
    }
    free(names);
    if (copied == 0) {
        fprintf(stderr, "make_seeds: no Partner Center samples in %s\n", samples_dir);
        exit(1);
    }
}

static tg_graph *mem_graph(void)
{
    tg_graph *g;
    must(tg_graph_open(&g, "mem:"), "mem:");
    must(import_graph_options(g), "options");
    return g;
}

static char *export_text(tg_graph *g)
{
    tg_session *op;
    char *json;
    must(tg_session_operator(&op, g), "operator");
    must(tg_export(&json, op), "export");
    tg_session_close(op);
    return json;
}

static tg_graph *base_graph(void)
{
    tg_graph *g = mem_graph();
    must(import_base_build(g), "base");
    return g;
}

/* What fuzz_import makes of a seed: the code of its import into the base. */
static int import_into_base(const char *json)
{
    tg_graph *g = base_graph();
    tg_session *op;
    must(tg_session_operator(&op, g), "operator");
    int rc = tg_import(op, json);
    tg_session_close(op);
    tg_graph_close(g);
    return rc;
}

static void spill_document(const char *dir, const char *name, const char *json, int expected)
{
    int rc = import_into_base(json);
    if (rc != expected) {
        fprintf(stderr, "make_seeds: %s imports with %d, not %d: %s\n", name, rc, expected,
                tg_error_message());
        exit(1);
    }
    spill(dir, name, json, strlen(json));
}

/* The export of `g` without the records of `base_text` (the export of the base it
 * was built on), so that it imports into a base as additions. */
static char *export_beyond(const char *base_text, tg_graph *g)
{
    char *text = export_text(g);
    cJSON *base = cJSON_Parse(base_text), *doc = cJSON_Parse(text), *arr;
    tg_free(text);
    cJSON_ArrayForEach(arr, doc)
    {
        const cJSON *theirs = cJSON_GetObjectItemCaseSensitive(base, arr->string), *b_rec;
        for (cJSON *rec = cJSON_IsArray(arr) ? arr->child : NULL, *next; rec; rec = next) {
            next = rec->next;
            cJSON_ArrayForEach(b_rec, theirs)
            {
                if (cJSON_Compare(rec, b_rec, 1)) {
                    cJSON_Delete(cJSON_DetachItemViaPointer(arr, rec));
                    break;
                }
            }
        }
    }
    char *out = cJSON_PrintUnformatted(doc);
    cJSON_Delete(base);
    cJSON_Delete(doc);
    return out;
}

#define NORTHWIND_ADMIN "admin@northwind.onmicrosoft.com"
#define DIRECT "30000000-0000-4000-8000-0000000000d1"

/* On the base: a direct-bill partner; a customer of the provider for First Up
 * that signed in, added a user, accepted the direct-bill partner's relationship
 * request, recorded two subscriptions bought elsewhere, hired that partner for one
 * and moved the other to it; an open relationship request and an open partnership
 * invitation. Every kind of record, the customers' own side included. */
static void customers_side(tg_graph *g)
{
    tg_session *op, *provider, *direct, *customer;
    must(tg_session_operator(&op, g), "operator");
    must(tg_partner_enroll(op, TG_PARTNER_DIRECT_BILL, DIRECT, "3000009", "Direct", "direct.example", "GB"),
         "direct");
    must(tg_user_add(op, DIRECT, "ga@direct", TG_ROLE_GLOBAL_ADMIN | TG_ROLE_ADMIN_AGENT), "user");
    provider = user(g, "ga@contoso");
    direct = user(g, "ga@direct");
    tg_draft *d;
    must(tg_draft_new(&d, provider), "draft");
    must(draft_fill_valid(d, "northwind", 0), "details");
    must(tg_draft_set(d, TG_FIELD_RESELLER, BASE_FIRSTUP), "reseller");
    must(tg_draft_add_subscription(d, "offer-m365", 3), "line");
    tg_receipt *r;
    must(tg_draft_submit(&r, d), "submit");
    char id[40];
    snprintf(id, sizeof(id), "%s", tg_receipt_customer_id(r));
    must(tg_customer_change_password(g, NORTHWIND_ADMIN, tg_receipt_password(r), "Fuzz-Seed-2024!"),
         "password");
    tg_receipt_free(r);
    tg_draft_free(d);
    must(tg_session_customer(&customer, g, NORTHWIND_ADMIN, "Fuzz-Seed-2024!"), "sign-in");
    must(tg_customer_user_add(customer, "helpdesk@northwind.onmicrosoft.com", "Initial-Pass-1", 0), "user");
    tg_invite *inv;
    must(tg_relationship_request(&inv, direct, id), "request");
    must(tg_relationship_accept(customer, tg_invite_link(inv)), "accept");
    tg_invite_free(inv);
    char *hired, *moved;
    must(tg_subscription_record(&hired, customer, TG_CHANNEL_EA, "offer-ea", 40, BASE_CLOCK + 86400 * 400),
         "record");
    must(tg_subscription_record(&moved, customer, TG_CHANNEL_DIRECT, "offer-online", 2, 0), "record");
    must(tg_subscription_hire(customer, hired, DIRECT), "hire");
    must(tg_subscription_move(customer, moved, DIRECT), "move");
    tg_free(hired);
    tg_free(moved);
    must(tg_relationship_request(&inv, direct, BASE_ORDER_CUSTOMER), "request");
    tg_invite_free(inv);
    must(tg_invite_create(&inv, provider), "invite");
    tg_invite_free(inv);
    tg_session_close(customer);
    tg_session_close(direct);
    tg_session_close(provider);
    tg_session_close(op);
}

/* A Collection of a new customer of the provider for ReleCloud (with its
 * password), an order for it and one more subscription, suspended. */
static const char collection[] =
    "{\"totalCount\":3,\"items\":["
    "{\"id\":\"c0000000-0000-4000-8000-0000000000c1\",\"companyProfile\":{\"tenantId\":"
    "\"c0000000-0000-4000-8000-0000000000c1\",\"domain\":\"Adatum.onmicrosoft.com\","
    "\"companyName\":\"Adatum\"},\"billingProfile\":{\"firstName\":\"Ana\",\"lastName\":\"Bowman\","
    "\"email\":\"ana@adatum.example\",\"culture\":\"fr-FR\",\"language\":\"fr\",\"defaultAddress\":"
    "{\"country\":\"fr\",\"city\":\"Paris\",\"state\":\"IDF\",\"addressLine1\":\"1 rue de Rivoli\","
    "\"postalCode\":\"75001\"}},\"associatedPartnerId\":\"" BASE_RELECLOUD "\","
    "\"partnerIdOnRecord\":\"" BASE_PROVIDER_PID "\",\"userCredentials\":{\"userName\":\"admin\","
    "\"password\":\"Adatum-Pass-2024\"},\"attributes\":{\"objectType\":\"Customer\"}},"
    "{\"referenceCustomerId\":\"c0000000-0000-4000-8000-0000000000c1\",\"creationDate\":"
    "\"2024-02-29T12:00:00+01:00\",\"lineItems\":[{\"offerId\":\"offer-e3\",\"quantity\":10,"
    "\"subscriptionId\":\"5c000000-0000-4000-8000-0000000000c2\",\"partnerIdOnRecord\":\""
    BASE_RELECLOUD_PID "\"},{\"offerId\":\"offer-e5\",\"quantity\":1}],"
    "\"attributes\":{\"objectType\":\"Order\"}},"
    "{\"id\":\"5c000000-0000-4000-8000-0000000000c3\",\"offerId\":\"offer-azure\",\"quantity\":1,"
    "\"status\":\"suspended\",\"links\":{\"self\":{\"uri\":"
    "\"/customers/c0000000-0000-4000-8000-0000000000c1/subscriptions/5c000000-0000-4000-8000-0000000000c3\"}},"
    "\"supportContact\":\"" BASE_RELECLOUD "\",\"attributes\":{\"objectType\":\"Subscription\"}}],"
    "\"attributes\":{\"objectType\":\"Collection\"}}";

static void imports(const char *corpus, const char *samples_dir)
{
    char dir[4200];
    snprintf(dir, sizeof(dir), "%s/import", corpus);
    samples(dir, samples_dir);
    spill_document(dir, "pc-collection.json", collection, TG_OK);

    tg_graph *g = mem_graph();
    char *json = export_text(g);
    spill_document(dir, "export-empty.json", json, TG_OK); /* no records: nothing written */
    tg_free(json);
    tg_graph_close(g);

    g = base_graph();
    json = export_text(g);
    spill_document(dir, "export-base.json", json, TG_EEXISTS);
    customers_side(g);
    char *beyond = export_beyond(json, g);
    tg_free(json);
    spill_document(dir, "export-customers-side.json", beyond, TG_OK);
    free(beyond);
    tg_graph_close(g);

    g = mem_graph();
    small_graph(g);
    json = export_text(g);
    spill_document(dir, "export-small.json", json, TG_OK);
    tg_free(json);
    tg_graph_close(g);
}

/* ---- stored records (fuzz_record) ---- */

typedef struct record_dir {
    const char *dir;
} record_dir;

static int TG_CALLBACK spill_record(void *ctx, const char *key, size_t klen, const void *val,
                                    size_t vlen)
{
    const record_dir *r = ctx;
    if (!memchr(key, '/', klen) || strncmp(key, "event/", 6) == 0) return 0; /* not an entity */
    char name[256], *text = malloc(klen + 1 + vlen);
    if (!text) return TG_ENOMEM;
    snprintf(name, sizeof(name), "%.*s", (int)klen, key);
    for (char *c = name; *c; c++)
        if (*c == '/' || *c == '@') *c = '-';
    memcpy(text, key, klen);
    text[klen] = '\n';
    memcpy(text + klen + 1, val, vlen);
    spill(r->dir, name, text, klen + 1 + vlen);
    free(text);
    return 0;
}

/* Every record of the import base with the customers' own side: each kind of
 * record, each optional field, as "<key>\n<value>". */
static void records(const char *corpus)
{
    char dir[4200];
    snprintf(dir, sizeof(dir), "%s/record", corpus);
    tg_store *s;
    tg_graph *g;
    must(tg_store_mem_new(&s), "mem store");
    must(tg_graph_open_store(&g, s), "open");
    must(import_graph_options(g), "options");
    must(import_base_build(g), "base");
    customers_side(g);
    record_dir r = {dir};
    must(s->load(s, spill_record, &r), "records");
    tg_graph_close(g);
    /* What tiergraph does not write but the decoders must read alike: escapes and
     * surrogates, white space and a BOM, unknown and repeated members, odd numbers. */
    static const char escapes[] = "user/\xc3\xa9\xf0\x9f\x98\x80\n{\"id\":\"\\u00e9\\ud83d\\ude00\","
                                  "\"partner\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u0000e\",\"roles\":1}";
    static const char spaces[] = "partner/t\n\xEF\xBB\xBF \t{ \"tenants\" : [ \"a\" , \"b\", \"a\" ] ,"
                                 "\"x\":{\"y\":[1,{\"z\":null}],\"w\":true},\"tenant\":\"t\",\"kind\":1,"
                                 "\"partnerId\":\"1\",\"name\":\"n\",\"name\":7,\"domain\":\"d\","
                                 "\"country\":\"US\",\"agreement\":false}\x01garbage";
    static const char numbers[] = "subscription/s\n{\"id\":\"s\",\"customer\":\"c\",\"offer\":\"o\","
                                  "\"quantity\":2147483647,\"status\":-0,\"created\":-9007199254740992,"
                                  "\"channel\":1e1,\"termEnd\":1.5e3,\"x\":-1.25E-7}";
    spill(dir, "synthetic-escapes", escapes, sizeof(escapes) - 1);
    spill(dir, "synthetic-spaces", spaces, sizeof(spaces) - 1);
    spill(dir, "synthetic-numbers", numbers, sizeof(numbers) - 1);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: make_seeds CORPUS_DIR PARTNER_CENTER_SAMPLES_DIR\n");
        return 2;
    }
    snprintf(scratch, sizeof(scratch), "/tmp/tiergraph-seeds-XXXXXX");
    if (!mkdtemp(scratch)) return 1;
    journals(argv[1]);
    sequences(argv[1]);
    imports(argv[1], argv[2]);
    records(argv[1]);
    unlink(scratch_file());
    rmdir(scratch);
    return 0;
}
