/* fuzz_api.h - the byte language of the API-sequence fuzzer (fuzz_api.c), shared
 * with the seed generator (make_seeds.c).
 *
 * An input is a sequence of operations. Each is one byte naming the operation
 * (modulo FUZZ_OP_COUNT) and then the bytes of its arguments, read in the order
 * listed below; a missing byte reads as 0. Argument bytes pick from pools, modulo
 * the pool's size:
 *  - session: 0 the operator, 1 + 6 * partner + role for the standard users
 *    (partner 0..5 = p1 p2 r1 r2 r3 d1, role 0..5 = ga ua aa sa ha ba), then the
 *    sessions opened by FUZZ_OP_SESSION;
 *  - partner: 0..5 the standard partners (P1 P2 R1 R2 R3 D1), 6..13 partners the
 *    fuzzer may enrol, 14 a tenant nobody has; "partner or none": 15 is none;
 *  - user: the 36 standard users, then 12 more names that exist only once added;
 *  - customer, subscription, link: those made so far, then one that does not exist.
 */
#ifndef FUZZ_API_H
#define FUZZ_API_H

enum fuzz_op {
    FUZZ_OP_ENROLL,             /* session, kind, which of the 8 new partners */
    FUZZ_OP_AGREEMENT,          /* session, partner, signed (low bit) */
    FUZZ_OP_ADD_TENANT,         /* session, partner, tenant (a partner's, a customer's or new) */
    FUZZ_OP_USER_ADD,           /* session, partner, user, roles */
    FUZZ_OP_USER_SET_ROLES,     /* session, user, roles */
    FUZZ_OP_USER_REMOVE,        /* session, user */
    FUZZ_OP_INVITE,             /* session */
    FUZZ_OP_ACCEPT,             /* session, link */
    FUZZ_OP_PARTNERSHIP_REMOVE, /* session, partner, flags */
    FUZZ_OP_DRAFT,              /* session, domain prefix, reseller (partner or none), field
                                 * left out (0: none), subscriptions (0..3), quantity (0 is
                                 * invalid), finish (0 cancel, 1 review only, else submit) */
    FUZZ_OP_SUB_ADD,            /* session, customer, quantity, PartnerID (partner or none),
                                 * support contact (partner or none) */
    FUZZ_OP_SUB_STATUS,         /* session, subscription, status (0..3; 0 is invalid) */
    FUZZ_OP_SUB_RESELLER,       /* session, subscription, PartnerID (partner or none) */
    FUZZ_OP_SUB_SUPPORT,        /* session, subscription, support contact (partner or none) */
    FUZZ_OP_CUSTOMER_RESELLER,  /* session, customer, reseller (partner or none) */
    FUZZ_OP_CUSTOMER_REMOVE,    /* session, customer */
    FUZZ_OP_CHECK,              /* session, action (0..17), object kind (none, customer,
                                 * subscription, user, partner), object */
    FUZZ_OP_READ,               /* session, reseller filter (partner or none) */
    FUZZ_OP_CLOCK,              /* days to move the clock on */
    FUZZ_OP_SESSION,            /* user: open a session for it (kept when it opens) */
    FUZZ_OP_PASSWORD,           /* customer, right password (low bit) */
    FUZZ_OP_COUNT
};

#define FUZZ_OPERATOR 0
#define FUZZ_USER(partner, role) (1 + 6 * (partner) + (role)) /* a session */
#define FUZZ_NAME(partner, role) (6 * (partner) + (role))     /* a user id */
#define FUZZ_NEW_NAME(i) (36 + (i))                           /* "u<i>@x" */
enum { FUZZ_P1, FUZZ_P2, FUZZ_R1, FUZZ_R2, FUZZ_R3, FUZZ_D1, FUZZ_NEW0, FUZZ_GHOST = 14, FUZZ_NONE };
enum { FUZZ_GA, FUZZ_UA, FUZZ_AA, FUZZ_SA, FUZZ_HA, FUZZ_BA };

#endif
