#!/usr/bin/env python3
"""gen_badinput.py - the bad-input test's calls, generated from the public headers.

    gen_badinput.py OUTPUT.c HEADER...

Reads every `TG_API` declaration of the HEADERs (return type, name, each parameter's
type and name) and writes OUTPUT.c: for each function, one valid call, then one call
per hostile value of each parameter with every other parameter valid, each checked
by the harness (badinput.c) against the answer the function promises.

What a valid value is, which hostile values to try and what each must answer comes
from FUNCTIONS below, one entry per public function, built from the kinds of value
in the middle of this file. A function with no entry, or whose parameters differ
from its entry (a parameter added, renamed or retyped), is NOT skipped: it goes into
the table as "not exercised" with the reason, and unit.badinput fails naming it.
A declaration this script cannot read fails the build.
"""
import re
import sys

# ---------------------------------------------------------------------------
# Reading the headers
# ---------------------------------------------------------------------------


class Decl:
    def __init__(self, header, line, ret, name, params):
        self.header, self.line, self.ret, self.name, self.params = header, line, ret, name, params


def norm_type(t):
    t = re.sub(r"\s+", " ", t.strip())
    t = re.sub(r"\s*\*\s*", " *", t).replace("* *", "**")
    return t.strip()


def read_header(path, shown_as):
    return read_text(open(path, encoding="utf-8").read(), shown_as)


def read_text(text, shown_as):
    """Every TG_API declaration: a line that starts with TG_API, up to the ';'."""
    lines = text.split("\n")
    decls, i = [], 0
    while i < len(lines):
        if not re.match(r"^\s*TG_API\s", lines[i]):
            i += 1
            continue
        start, stmt = i + 1, lines[i]
        while ";" not in stmt:
            i += 1
            if i == len(lines):
                sys.exit(f"{shown_as}:{start}: unterminated TG_API declaration")
            stmt += " " + lines[i]
        i += 1
        stmt = re.sub(r"/\*.*?\*/", " ", stmt)
        m = re.match(r"^\s*TG_API\s+(.+?)\b([A-Za-z_]\w*)\s*\((.*)\)\s*;\s*$", stmt)
        if not m:
            sys.exit(f"{shown_as}:{start}: cannot read this TG_API declaration: {stmt.strip()}")
        ret, name, plist = norm_type(m.group(1)), m.group(2), m.group(3).strip()
        params = []
        if plist != "void":
            for p in plist.split(","):
                pm = re.match(r"^(.*?)\b([A-Za-z_]\w*)\s*$", p.strip())
                if not pm or not pm.group(1).strip():
                    sys.exit(f"{shown_as}:{start}: {name}: cannot read parameter '{p.strip()}'")
                params.append((norm_type(pm.group(1)), pm.group(2)))
        decls.append(Decl(shown_as, start, ret, name, params))
    if not decls:
        sys.exit(f"{shown_as}: no TG_API declarations")
    return decls


# ---------------------------------------------------------------------------
# What a call must answer
# ---------------------------------------------------------------------------


class Refused:
    """The call fails with `code`, a specific message (mentioning `says` when
    given), and changes nothing: revision, store, and *out cleared."""

    def __init__(self, code, says=None):
        self.code, self.says = code, says


class Accepted:
    """A hostile-looking value the function documents as valid: it answers `code`,
    and `then` (C, given `c` and `out`), when given, checks what follows from it."""

    def __init__(self, code="TG_OK", then=None):
        self.code, self.then = code, then


class Returns:
    """A getter: the returned value satisfies `cond` (C, over `ret`); nothing changes."""

    def __init__(self, cond):
        self.cond = cond


NOOP = "noop"  # a void function: nothing changes, no message


def EINVAL(says=None):
    return Refused("TG_EINVAL", says)


# ---------------------------------------------------------------------------
# Kinds of values: a valid C expression, and the hostile values of that kind
# ---------------------------------------------------------------------------


class P:
    """A parameter's valid value and its hostile ones: (label, C expression, answer)."""

    def __init__(self, valid, hostile, ctype):
        self.valid, self.hostile, self.ctype = valid, hostile, ctype

    def fits(self, ctype):
        """Whether the declared type is the one these values were written for: an exact
        type, or "pointer" (a handle: any pointer) or "enum" (any tg_ enumeration)."""
        if self.ctype == "pointer":
            return ctype.endswith("*")
        if self.ctype == "enum":
            return ctype.startswith("tg_") and "*" not in ctype
        return ctype == self.ctype

    def but(self, **answers):
        """The same, with the answer to some hostile values changed (by label, spaces
        as underscores), or dropped (answer None: the value is not hostile here)."""
        h = []
        for label, expr, ans in self.hostile:
            key = re.sub(r"\W", "_", label)
            if key in answers:
                ans = answers.pop(key)
                if ans is None:
                    continue
            h.append((label, expr, ans))
        if answers:
            raise SystemExit(f"gen_badinput.py: no hostile values labelled {sorted(answers)}")
        return P(self.valid, h, self.ctype)

    def plus(self, *more):
        return P(self.valid, self.hostile + list(more), self.ctype)

    def saying(self, says):
        """The same, with every TG_EINVAL message expected to say `says` instead."""
        return P(self.valid, [(h[0], h[1], EINVAL(says) if isinstance(h[2], Refused) and
                               h[2].code == "TG_EINVAL" else h[2]) + tuple(h[3:])
                              for h in self.hostile], self.ctype)


def c_str(s):
    """A C string literal of a Python str whose code points stand for bytes."""
    out = ""
    for ch in s:
        o = ord(ch)
        if ch in '"\\':
            out += "\\" + ch
        elif 0x20 <= o < 0x7F:
            out += ch
        else:
            out += '""\\x%02x""' % o
    return '"' + out + '"'


# The values every required string argument refuses (docs/errors.md, "Common to many
# functions"): NULL, empty, longer than 4096 bytes, not UTF-8.
def text_bad(valid):
    return [
        ("NULL", "NULL", EINVAL("NULL")),
        ("empty", '""', EINVAL("empty")),
        ("1 MiB", "bi_mib", EINVAL("4096")),
        ("4097 bytes", "bi_over", EINVAL("4096")),
        ("bytes ff fe", c_str("\xff\xfe"), EINVAL("UTF-8")),
        ("overlong slash", c_str("\xc0\xaf"), EINVAL("UTF-8")),
        ("overlong NUL", c_str("a\xe0\x80\x80"), EINVAL("UTF-8")),
        ("lone surrogate", c_str("\xed\xa0\x80"), EINVAL("UTF-8")),
        ("above U+10FFFF", c_str("\xf4\x90\x80\x80"), EINVAL("UTF-8")),
        ("truncated sequence", c_str("ok\xe2\x82"), EINVAL("UTF-8")),
        ("valid then ff", f'bi_cat(c, {valid}, {c_str(chr(0xff))})', EINVAL("UTF-8")),
    ]


def text(valid, control=None):
    """A required string. `control`: the answer to embedded control characters."""
    h = text_bad(valid)
    if control is not None:
        h += [("control char", f'bi_cat(c, {valid}, "\\x01")', control),
              ("escape sequence", f'bi_cat(c, "\\x1b[2J", {valid})', control)]
    return P(valid, h, "const char *")


def optional(p, null_answer):
    """A string that may be NULL (the answer then is `null_answer`)."""
    return p.but(NULL=null_answer)


ABSENT_GUID = '"ffffffff-ffff-4fff-8fff-ffffffffffff"'


def guid(valid, absent):
    """A tenant or customer id: a GUID (docs/errors.md: a tenant id that is not a GUID
    is TG_EINVAL). `absent`: the answer to a well-formed GUID the graph does not know."""
    bad = EINVAL("GUID")
    h = text_bad(valid) + [
        ("not a GUID", '"not-a-guid"', bad),
        ("35 characters", f"bi_cut(c, {valid}, 1)", bad),
        ("37 characters", f'bi_cat(c, {valid}, "0")', bad),
        ("in braces", f'bi_cat(c, bi_cat(c, "{{", {valid}), "}}")', bad),
        ("no dashes", '"10000000x0000x4000x8000x000000000001"', bad),
        ("not hex", '"1000000g-0000-4000-8000-000000000001"', bad),
        ("control char", f'bi_cat(c, {valid}, "\\x01")', bad),
        ("newline inside", '"10000000-0000-4000-8000-\\n00000000001"', bad),
    ]
    if absent is not None:
        h.append(("absent GUID", ABSENT_GUID, absent))
    return P(valid, h, "const char *")


def partner_id(valid, absent):
    """A PartnerID: 1 to 10 ASCII digits; anything else is TG_EINVAL."""
    bad = EINVAL("numeric")
    h = text_bad(valid) + [
        ("letters", '"abc"', bad),
        ("digits and letters", '"20a0001"', bad),
        ("negative", '"-2000001"', bad),
        ("plus sign", '"+2000001"', bad),
        ("hexadecimal", '"0x1E8481"', bad),
        ("leading blank", f'bi_cat(c, " ", {valid})', bad),
        ("trailing newline", f'bi_cat(c, {valid}, "\\n")', bad),
        ("11 digits", '"12345678901"', bad),
        ("Arabic-Indic digits", c_str("\xd9\xa2\xd9\xa0"), bad),
    ]
    if absent is not None:
        h.append(("absent PartnerID", '"9999999"', absent))
    return P(valid, h, "const char *")


def user_id(valid, absent):
    """A partner user's id: no blanks or control characters, at most 256 bytes."""
    h = text_bad(valid) + [
        ("blank inside", '"ga @p1"', EINVAL("blank")),
        ("control char", '"ga\\x01@p1"', EINVAL("blank")),
        ("257 bytes", "bi_repeat(c, 'u', 257)", EINVAL("256")),
    ]
    if absent is not None:
        h.append(("absent user", '"nobody@p1"', absent))
    return P(valid, h, "const char *")


def link(valid, unknown):
    """An invitation link or bare token (43 characters of base64url)."""
    bad = EINVAL("malformed")
    return P(valid, text_bad(valid) + [
        ("no token", '"https://partner.tiergraph.invalid/x?token="', bad),
        ("short token", f"bi_cut(c, {valid}, 1)", bad),
        ("long token", f'bi_cat(c, {valid}, "A")', bad),
        ("token with a dot", f'bi_cat(c, bi_cut(c, {valid}, 1), ".")', bad),
        ("control char", f'bi_cat(c, bi_cut(c, {valid}, 1), "\\x01")', bad),
        ("unknown token", '"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"', unknown),
    ], "const char *")


def enum(valid, last, bad=None):
    """An enumeration: 0 (where not a value), -1, one past the last, INT_MAX, INT_MIN."""
    bad = bad or EINVAL()
    vals = [("zero", "0"), ("minus one", "-1"), ("one past the last", f"{last} + 1"),
            ("INT_MAX", "INT_MAX"), ("INT_MIN", "INT_MIN")]
    return P(valid, [(label, v, bad) for label, v in vals], "enum")


def count(valid, lo, hi):
    """An int count within [lo, hi]: 0, negative, INT_MAX, INT_MIN, one past hi."""
    bad = EINVAL("license count")
    return P(valid, [("zero", "0", bad), ("minus one", "-1", bad), ("INT_MIN", "INT_MIN", bad),
                     ("one past the last", f"{hi} + 1", bad), ("INT_MAX", "INT_MAX", bad)], "int")


def handle(valid, *others):
    """A handle: NULL is TG_EINVAL; `others` adds (label, expr, answer) such as a handle
    the library can tell was used up."""
    return P(valid, [("NULL", "NULL", EINVAL("NULL"))] + list(others), "pointer")


def session(valid, *others):
    """A session: NULL, and the sessions the library can tell are used up (it resolves
    a session at every call): a partner user's, the user since removed, and a
    customer's user's, the customer since removed. Both are TG_EDENIED."""
    return handle(valid, ("removed user", "c->gone", Refused("TG_EDENIED", "no longer exists")),
                  ("removed customer's user", "c->gone_cust", Refused("TG_EDENIED")), *others)


# Sessions of the wrong kind for an operation.
CUSTOMER_SESSION = ("customer's session", "c->cust", Refused("TG_EDENIED", "customer"))
PARTNER_SESSION = ("partner user's session", "c->ga_p1", Refused("TG_EDENIED"))
OP_SESSION = ("operator's session", "c->op", Refused("TG_EDENIED"))


def out(null=None):
    """An out-parameter: NULL is TG_EINVAL. (Its valid value is made by the harness.)"""
    return P("&out", [("NULL", "NULL", null or EINVAL("NULL"))], "pointer")


GRAPH = handle("c->g")

# Getters and free functions: NULL handles give a value or do nothing.
def getter_handle(valid, null_ret, *others):
    return P(valid, [("NULL", "NULL", Returns(null_ret))] + list(others), "pointer")


def freed(valid):
    return P(valid, [("NULL", "NULL", NOOP)], "pointer")


# ---------------------------------------------------------------------------
# The functions
# ---------------------------------------------------------------------------


class F:
    """One public function's entry: its valid call's answer (`ok`: a code, or for a
    getter a condition over `ret`) and its parameters (name -> P), in any order.
    `file`: the valid graph is c->fg (a "file:" store) instead of c->g."""

    def __init__(self, ok="TG_OK", file=False, out_on_error=False, after=None, **params):
        self.ok, self.file, self.out_on_error, self.after = ok, file, out_on_error, after
        self.params = params


GA = "TG_ROLE_GLOBAL_ADMIN"
ROLES_BAD = [("no role", "0u", EINVAL("roles")), ("unknown bit", "0x40u", EINVAL("roles")),
             ("every bit", "UINT_MAX", EINVAL("roles")), ("top bit", "0x80000000u", EINVAL("roles"))]
CUSTOMER_ROLES_BAD = [("User admin", "(unsigned)TG_ROLE_USER_ADMIN", EINVAL("roles")),
                      ("every bit", "UINT_MAX", EINVAL("roles")),
                      ("Global admin and more", "TG_ROLE_GLOBAL_ADMIN | 0x40u", EINVAL("roles"))]
SINCE_FIRST = "0"

# Each session parameter's valid value names the fixture's actor (badinput.h).
FUNCTIONS = {
    # --- versions and errors: no arguments, or any value ---
    "tg_version_string": F(ok="ret != NULL && strcmp(ret, BI_VERSION_TEXT) == 0"),
    "tg_version_number": F(ok="ret == TG_VERSION_NUMBER"),
    "tg_abi_version": F(ok="ret == TG_ABI_VERSION"),
    "tg_error_message": F(ok="ret != NULL && ret[0] != '\\0'"),
    "tg_strerror": F(ok='strcmp(ret, "invalid argument") == 0', code=P("TG_EINVAL", [
        (label, v, Returns('ret != NULL && strcmp(ret, "unknown error code") == 0'))
        for label, v in [("one", "1"), ("minus 17", "-17"), ("minus 1000", "-1000"),
                         ("INT_MAX", "INT_MAX"), ("INT_MIN", "INT_MIN")]], "int")),
    "tg_free": F(ok=None, ptr=freed("bi_lib_string(c)")),

    # --- graph ---
    "tg_graph_open": F(out=out(), uri=text('"mem:"').plus(
        ("unknown scheme", '"nope:x"', EINVAL("unknown store")),
        ("no colon", '"mem"', EINVAL("unknown store")),
        ("upper case", '"MEM:"', EINVAL("unknown store")),
        ("file without path", '"file:"', EINVAL("empty")),
        ("sqlite without path", '"sqlite:"', EINVAL("no path")),
        ("file in a missing directory", '"file:/nonexistent-badinput/dir/x.tg"', Refused("TG_EIO")),
        ("control char", '"mem:\\x01"', EINVAL("unknown store")),
    )),
    "tg_graph_open_store": F(after="if (ret == TG_OK) c->loose_store = NULL; /* the graph's now */",
                             out=out(), store=handle(
        "bi_loose_store(c)",
        ("version 0", "bi_store_v0(c)", Refused("TG_EVERSION", "version 0")),
        ("no load slot", "bi_store_no_load(c)", EINVAL("load")),
        ("no commit slot", "bi_store_no_commit(c)", EINVAL("commit")))),
    "tg_graph_close": F(ok=None, graph=freed("bi_loose_graph(c)")),
    "tg_graph_revision": F(ok="ret == tg_graph_revision(c->g) && ret > 0",
                           graph=getter_handle("c->g", "ret == 0")),
    "tg_graph_set_option": F(
        file=True,
        graph=handle("c->fg"),
        option=enum("TG_OPT_INVITE_LIFETIME", "TG_OPT_CHANGE_RETENTION", EINVAL("unknown option")),
        value=P("3600", [
            # each option's range (tiergraph.h), just outside it, and the extremes
            ("opslimit 0", "0", EINVAL("opslimit"), {"option": "TG_OPT_ARGON2_OPSLIMIT"}),
            ("opslimit 1001", "1001", EINVAL("opslimit"), {"option": "TG_OPT_ARGON2_OPSLIMIT"}),
            ("opslimit INT64_MIN", "INT64_MIN", EINVAL("opslimit"), {"option": "TG_OPT_ARGON2_OPSLIMIT"}),
            ("opslimit INT64_MAX", "INT64_MAX", EINVAL("opslimit"), {"option": "TG_OPT_ARGON2_OPSLIMIT"}),
            ("memlimit 8191", "8191", EINVAL("memlimit"), {"option": "TG_OPT_ARGON2_MEMLIMIT"}),
            ("memlimit 4 GiB + 1", "((int64_t)1 << 32) + 1", EINVAL("memlimit"), {"option": "TG_OPT_ARGON2_MEMLIMIT"}),
            ("memlimit -1", "-1", EINVAL("memlimit"), {"option": "TG_OPT_ARGON2_MEMLIMIT"}),
            ("memlimit INT64_MAX", "INT64_MAX", EINVAL("memlimit"), {"option": "TG_OPT_ARGON2_MEMLIMIT"}),
            ("lifetime 59 s", "59", EINVAL("lifetime")),
            ("lifetime 0", "0", EINVAL("lifetime")),
            ("lifetime -1", "-1", EINVAL("lifetime")),
            ("lifetime 365 days + 1 s", "365 * 24 * 3600 + 1", EINVAL("lifetime")),
            ("lifetime INT64_MIN", "INT64_MIN", EINVAL("lifetime")),
            ("lifetime INT64_MAX", "INT64_MAX", EINVAL("lifetime")),
            ("clock -1", "-1", EINVAL("clock"), {"option": "TG_OPT_CLOCK"}),
            ("clock INT64_MIN", "INT64_MIN", EINVAL("clock"), {"option": "TG_OPT_CLOCK"}),
            # the clock's last second, 9999-12-31T23:59:59Z: every time computed from it
            # (expiries, lockouts, terms) must still fit; one second more is refused
            ("clock at the year 9999", "253402300799", Accepted(then="bi_late_clock(c)"),
             {"option": "TG_OPT_CLOCK", "graph": "c->g"}),
            ("clock at the year 10000", "253402300800", EINVAL("clock"), {"option": "TG_OPT_CLOCK"}),
            ("clock INT64_MAX", "INT64_MAX", EINVAL("clock"), {"option": "TG_OPT_CLOCK"}),
            ("durability -1", "-1", EINVAL("durability"), {"option": "TG_OPT_DURABILITY"}),
            ("durability 3", "3", EINVAL("durability"), {"option": "TG_OPT_DURABILITY"}),
            ("durability INT64_MAX", "INT64_MAX", EINVAL("durability"), {"option": "TG_OPT_DURABILITY"}),
            ("durability INT64_MIN", "INT64_MIN", EINVAL("durability"), {"option": "TG_OPT_DURABILITY"}),
            ("durability on mem:", "TG_DURABILITY_OFF", EINVAL("durability"),
             {"option": "TG_OPT_DURABILITY", "graph": "c->g"}),
            ("retention -1", "-1", EINVAL("retention"), {"option": "TG_OPT_CHANGE_RETENTION"}),
            ("retention INT64_MIN", "INT64_MIN", EINVAL("retention"), {"option": "TG_OPT_CHANGE_RETENTION"}),
            ("retention INT64_MAX", "INT64_MAX", Accepted(then="bi_feed_after_write(c)"),
             {"option": "TG_OPT_CHANGE_RETENTION", "graph": "c->g"}),
        ], "int64_t")),
    "tg_graph_store_stat": F(
        file=True, out=out(), graph=handle("c->fg"),
        what=enum("TG_STAT_RECORDS", "TG_STAT_RECORDS", EINVAL("statistic")).plus(
            ("a statistic mem: lacks", "TG_STAT_RECORDS", EINVAL("statistics"), {"graph": "c->g"}))),
    "tg_graph_verify": F(graph=GRAPH),

    # --- sessions ---
    "tg_session_operator": F(out=out(), graph=GRAPH),
    "tg_session_user": F(out=out(), graph=GRAPH, user_id=user_id('"sa@p1"', Refused("TG_ENOTFOUND", "no user")).plus(
        ("removed user", '"gone@p1"', Refused("TG_ENOTFOUND", "no user")))),
    "tg_session_close": F(ok=None, session=freed("bi_loose_session(c)")),

    # --- partners and users ---
    "tg_partner_enroll": F(
        op=session("c->op", PARTNER_SESSION, CUSTOMER_SESSION),
        kind=enum("TG_PARTNER_INDIRECT_RESELLER", "TG_PARTNER_DIRECT_BILL", EINVAL("kind")),
        tenant_id=guid("N9", None).plus(("taken", "P2", Refused("TG_EEXISTS", "in use")),
                                        ("a customer's", "c->c1", Refused("TG_EEXISTS", "in use"))),
        # the PartnerID's format is checked first: every refusal names it
        partner_id=partner_id("N9_PID", None).saying("PartnerID").plus(
            ("taken", "R1_PID", Refused("TG_EEXISTS", "PartnerID"))),
        name=text('"Ninth Reseller"', control=Accepted()).plus(
            ("257 characters", "bi_repeat(c, 'n', 257)", EINVAL("256")),
            ("257 two-byte characters", "bi_repeat_utf8(c, \"\\xc3\\xa9\", 257)", EINVAL("256"))),
        domain=text('"n9.example"', control=EINVAL("domain")).plus(
            ("no dot", '"localhost"', EINVAL("domain")),
            ("blank inside", '"n9 .example"', EINVAL("domain")),
            ("label of 64", 'bi_cat(c, bi_repeat(c, \'d\', 64), ".example")', EINVAL("domain")),
            ("leading dash", '"-n9.example"', EINVAL("domain")),
            ("empty label", '"n9..example"', EINVAL("domain")),
            ("taken", '"p1.example"', Refused("TG_EEXISTS", "domain")),
            ("taken in upper case", '"P1.EXAMPLE"', Refused("TG_EEXISTS", "domain"))),
        country=text('"US"', control=EINVAL("two letters")).plus(
            ("three letters", '"USA"', EINVAL("two letters")),
            ("one letter", '"U"', EINVAL("two letters")),
            ("digits", '"12"', EINVAL("two letters")),
            ("non-ASCII letters", c_str("\xc3\x9c\xc3\x9c"), EINVAL("two letters")))),
    "tg_partner_set_agreement": F(
        op=session("c->op", PARTNER_SESSION, CUSTOMER_SESSION),
        tenant_id=guid("R3", Refused("TG_ENOTFOUND", "no partner")),
        signed_agreement=P("1", [(label, v, Accepted()) for label, v in
                                 [("minus one", "-1"), ("INT_MAX", "INT_MAX"), ("INT_MIN", "INT_MIN")]], "int")),
    "tg_partner_add_tenant": F(
        op=session("c->op", PARTNER_SESSION, CUSTOMER_SESSION),
        partner_tenant_id=guid("P1", Refused("TG_ENOTFOUND", "no partner")),
        tenant_id=guid("N9", None).plus(("a partner's", "R1", Refused("TG_EEXISTS", "in use")),
                                        ("a customer's", "c->c1", Refused("TG_EEXISTS", "in use")))),
    "tg_partners": F(out=out(), session=session("c->op", CUSTOMER_SESSION),
                     kind=enum("TG_PARTNER_INDIRECT_RESELLER", "TG_PARTNER_DIRECT_BILL", EINVAL("kind")).plus(
                         ("resellers for a partner user", "TG_PARTNER_INDIRECT_RESELLER",
                          Refused("TG_EDENIED", "indirect providers"), {"session": "c->ga_p1"}))),
    "tg_partner_get": F(out=out(), session=session("c->ga_p1", CUSTOMER_SESSION),
                        tenant_id=guid("R1", Refused("TG_ENOTFOUND", "no partner")).plus(
                            ("not visible", "R2", Refused("TG_ENOTFOUND", "no partner")))),
    "tg_user_add": F(session=session("c->ga_p1", CUSTOMER_SESSION),
                     partner_tenant_id=guid("P1", Refused("TG_ENOTFOUND", "no partner")).plus(
                         ("another partner's", "P2", Refused("TG_EDENIED", "own partner"))),
                     user_id=user_id('"new@p1"', None).plus(("taken", '"sa@p2"', Refused("TG_EEXISTS", "exists"))),
                     roles=P("TG_ROLE_SALES_AGENT", ROLES_BAD, "unsigned int")),
    "tg_user_set_roles": F(session=session("c->ga_p1", CUSTOMER_SESSION),
                           user_id=user_id('"sa@p1"', Refused("TG_ENOTFOUND", "no user")).plus(
                               ("another partner's", '"sa@p2"', Refused("TG_ENOTFOUND", "no user"))),
                           roles=P("TG_ROLE_SALES_AGENT | TG_ROLE_HELPDESK_AGENT", ROLES_BAD, "unsigned int")),
    "tg_user_remove": F(session=session("c->ga_p1", CUSTOMER_SESSION),
                        user_id=user_id('"sa@p1"', Refused("TG_ENOTFOUND", "no user")).plus(
                            ("another partner's", '"sa@p2"', Refused("TG_ENOTFOUND", "no user")),
                            ("removed user", '"gone@p1"', Refused("TG_ENOTFOUND", "no user")))),
    "tg_user_roles": F(out=out(), session=session("c->ga_p1", CUSTOMER_SESSION),
                       user_id=user_id('"sa@p1"', Refused("TG_ENOTFOUND", "no user")).plus(
                           ("another partner's", '"sa@p2"', Refused("TG_ENOTFOUND", "no user")))),
    "tg_users": F(out=out(), session=session("c->ga_p1", CUSTOMER_SESSION),
                  partner_tenant_id=guid("P1", Refused("TG_ENOTFOUND", "no partner")).plus(
                      ("another partner's", "P2", Refused("TG_ENOTFOUND", "no partner")))),

    # --- partnership ---
    "tg_invite_create": F(out=out(), provider_session=session(
        "c->ga_p1", CUSTOMER_SESSION, ("a reseller's", "c->ga_r1", Refused("TG_EDENIED", "send")))),
    "tg_invite_link": F(ok="ret != NULL && strstr(ret, \"token=\")", invite=getter_handle("c->inv", "ret == NULL")),
    "tg_invite_email": F(ok="ret != NULL && strstr(ret, tg_invite_link(c->inv))",
                         invite=getter_handle("c->inv", "ret == NULL")),
    "tg_invite_expires": F(ok="ret > 0", invite=getter_handle("c->inv", "ret == 0")),
    "tg_invite_set_email": F(invite=handle("c->inv"), text=text("bi_email(c)", control=Accepted()).plus(
        ("without the link", '"Dear reseller, please accept."', EINVAL("link")),
        ("link cut short", "bi_cut(c, tg_invite_link(c->inv), 1)", EINVAL("link")),
        ("link run on", 'bi_cat(c, tg_invite_link(c->inv), "A")', EINVAL("link")))),
    "tg_invite_free": F(ok=None, invite=freed("bi_loose_invite(c)")),
    "tg_partnership_accept": F(
        reseller_session=session("c->ga_r2", CUSTOMER_SESSION,
                                 ("a provider's", "c->ga_p1", Refused("TG_EDENIED"))),
        link_or_token=link("c->inv_link", Refused("TG_ENOTFOUND", "no such")).plus(
            ("used link", "c->used_link", Refused("TG_ESTATE", "already been used")),
            ("expired link", "c->expired_link", Refused("TG_EEXPIRED", "expired")),
            ("relationship request", "c->rel_link", Refused("TG_ENOTFOUND", "no such")))),
    "tg_partnership_remove": F(
        provider_session=session("c->ga_p1", CUSTOMER_SESSION,
                                 ("a Sales agent's", "c->sa_p1", Refused("TG_EDENIED"))),
        reseller_tenant_id=guid("R1", Refused("TG_ENOTFOUND", "not an indirect reseller")).plus(
            ("not partnered", "R2", Refused("TG_ENOTFOUND", "not an indirect reseller"))),
        flags=P("TG_CONFIRM | TG_ATTEST_GOOD_FAITH", [
            ("no flags", "0u", Refused("TG_ECONFIRM", "confirmation")),
            ("confirmation only", "TG_CONFIRM", Refused("TG_ECONFIRM", "good faith")),
            ("attestation only", "TG_ATTEST_GOOD_FAITH", Refused("TG_ECONFIRM", "confirmation")),
            ("unknown bit", "TG_CONFIRM | TG_ATTEST_GOOD_FAITH | 0x4u", EINVAL("flags")),
            ("every bit", "UINT_MAX", EINVAL("flags"))], "unsigned int")),
    "tg_resellers": F(out=out(), provider_session=session(
        "c->ga_p1", CUSTOMER_SESSION, ("a reseller's", "c->ga_r1", Refused("TG_EDENIED", "indirect resellers")))),
    "tg_providers": F(out=out(), reseller_session=session(
        "c->ga_r1", CUSTOMER_SESSION, ("a provider's", "c->ga_p1", Refused("TG_EDENIED", "indirect providers")))),
    "tg_resellers_json": F(out=out(), provider_session=session(
        "c->ga_p1", CUSTOMER_SESSION, ("a reseller's", "c->ga_r1", Refused("TG_EDENIED", "indirect resellers")))),
    "tg_providers_json": F(out=out(), reseller_session=session(
        "c->ga_r1", CUSTOMER_SESSION, ("a provider's", "c->ga_p1", Refused("TG_EDENIED", "indirect providers")))),

    # --- new customer ---
    "tg_draft_new": F(out=out(), session=session(
        "c->ga_p1", CUSTOMER_SESSION, OP_SESSION,
        ("a reseller's", "c->ga_r1", Refused("TG_EDENIED", "create a customer")))),
    "tg_draft_set": F(
        draft=handle("c->draft", ("submitted", "c->draft_submitted", Refused("TG_ESTATE", "submitted")),
                     ("cancelled", "c->draft_cancelled", Refused("TG_ESTATE", "cancelled"))),
        field=enum("TG_FIELD_COMPANY_NAME", "TG_FIELD_TENANT", EINVAL("field")),
        # NULL or "" clears a field; values are checked by the review, not here
        value=text('"Contoso Ltd"', control=Accepted()).but(NULL=Accepted(), empty=Accepted())),
    "tg_draft_get": F(ok='ret != NULL && strcmp(ret, "Company bidraft") == 0',
                      draft=getter_handle("c->draft", "ret == NULL",
                                          ("cancelled", "c->draft_cancelled", Returns("ret == NULL"))),
                      field=P("TG_FIELD_COMPANY_NAME", [
                          (label, v, Returns("ret == NULL")) for label, v in
                          [("zero", "0"), ("minus one", "-1"), ("one past the last", "TG_FIELD_TENANT + 1"),
                           ("INT_MAX", "INT_MAX"), ("INT_MIN", "INT_MIN")]] + [
                          ("unset field", "TG_FIELD_PHONE", Returns("ret == NULL"))], "tg_field")),
    "tg_draft_add_subscription": F(
        draft=handle("c->draft", ("submitted", "c->draft_submitted", Refused("TG_ESTATE", "submitted")),
                     ("cancelled", "c->draft_cancelled", Refused("TG_ESTATE", "cancelled"))),
        offer_id=text('"offer-e3"', control=Accepted()).plus(
            ("129 bytes", "bi_repeat(c, 'o', 129)", EINVAL("128"))),
        quantity=count("5", 1, 1000000)),
    "tg_draft_review": F(out=out(), draft=handle(
        "c->draft", ("submitted", "c->draft_submitted", Refused("TG_ESTATE", "submitted")),
        ("cancelled", "c->draft_cancelled", Refused("TG_ESTATE", "cancelled")),
        ("its user removed", "c->draft_orphan", Refused("TG_EDENIED", "no longer exists")))),
    "tg_draft_submit": F(out=out(), draft=handle(
        "c->draft", ("submitted", "c->draft_submitted", Refused("TG_ESTATE", "submitted")),
        ("cancelled", "c->draft_cancelled", Refused("TG_ESTATE", "cancelled")),
        ("its user removed", "c->draft_orphan", Refused("TG_EDENIED", "no longer exists")),
        ("with problems", "c->draft_bad", EINVAL("problem")))),
    "tg_draft_cancel": F(draft=handle(
        "c->draft", ("submitted", "c->draft_submitted", Refused("TG_ESTATE", "submitted")),
        ("cancelled", "c->draft_cancelled", Refused("TG_ESTATE", "cancelled")))),
    "tg_draft_free": F(ok=None, draft=freed("bi_loose_draft(c)")),
    "tg_problems_count": F(ok="ret > 0", problems=getter_handle("c->problems", "ret == 0")),
    "tg_problems_field": F(ok="ret >= TG_FIELD_COMPANY_NAME && ret <= TG_FIELD_TENANT",
                           problems=getter_handle("c->problems", "ret == 0"),
                           index=P("0", [("one past the last", "tg_problems_count(c->problems)", Returns("ret == 0")),
                                         ("SIZE_MAX", "SIZE_MAX", Returns("ret == 0"))], "size_t")),
    "tg_problems_message": F(ok="ret != NULL && ret[0] != '\\0'",
                             problems=getter_handle("c->problems", "ret == NULL"),
                             index=P("0", [("one past the last", "tg_problems_count(c->problems)", Returns("ret == NULL")),
                                           ("SIZE_MAX", "SIZE_MAX", Returns("ret == NULL"))], "size_t")),
    "tg_problems_free": F(ok=None, problems=freed("bi_loose_problems(c)")),
    "tg_receipt_customer_id": F(ok="ret != NULL && strlen(ret) == 36",
                                receipt=getter_handle("c->receipt", "ret == NULL")),
    "tg_receipt_admin_user": F(ok='ret != NULL && strstr(ret, "admin@")',
                               receipt=getter_handle("c->receipt", "ret == NULL")),
    "tg_receipt_password": F(ok="ret != NULL && strlen(ret) >= 8",
                             receipt=getter_handle("c->receipt", "ret == NULL",
                                                   ("password shown", "c->receipt_shown",
                                                    Returns("ret == NULL && bi_message_says(c, \"already shown\")")))),
    "tg_receipt_subscription_count": F(ok="ret == 1", receipt=getter_handle("c->receipt", "ret == 0")),
    "tg_receipt_subscription_id": F(ok="ret != NULL && strlen(ret) == 36",
                                    receipt=getter_handle("c->receipt", "ret == NULL"),
                                    index=P("0", [("one past the last", "1", Returns("ret == NULL")),
                                                  ("SIZE_MAX", "SIZE_MAX", Returns("ret == NULL"))], "size_t")),
    "tg_receipt_free": F(ok=None, receipt=freed("bi_loose_receipt(c)")),
    "tg_customer_verify_password": F(
        op=session("c->op", PARTNER_SESSION, CUSTOMER_SESSION),
        admin_user=text("c->c1_admin", control=Refused("TG_ENOTFOUND", "no customer admin")).plus(
            ("no at sign", '"admin"', EINVAL("admin user")),
            ("absent admin", '"admin@absent.onmicrosoft.com"', Refused("TG_ENOTFOUND", "no customer admin"))),
        password=text("BI_PASSWORD", control=Refused("TG_EDENIED", "sign-in failed")).plus(
            ("wrong password", '"Wrong-Passw0rd"', Refused("TG_EDENIED", "sign-in failed")))),

    # --- customers and subscriptions ---
    "tg_customers": F(out=out(), session=session("c->ga_p1", ("a Helpdesk agent's", "c->ha_p1", Refused("TG_EDENIED"))),
                      reseller_tenant_id=optional(guid("R1", Accepted()), Accepted())),
    "tg_customer_get": F(out=out(), session=session("c->ga_p1", ("a Helpdesk agent's", "c->ha_p1", Refused("TG_EDENIED")),
                                                    ("another customer's", "c->cust2", Refused("TG_ENOTFOUND"))),
                         customer_id=guid("c->c1", Refused("TG_ENOTFOUND", "no customer")).plus(
                             ("not visible", "c->c1", Refused("TG_ENOTFOUND", "no customer"), {"session": "c->ga_p2"}))),
    "tg_customer_set_reseller": F(
        session=session("c->ga_p1", CUSTOMER_SESSION),
        customer_id=guid("c->c2", Refused("TG_ENOTFOUND", "no customer")).plus(
            ("not visible", "c->c2", Refused("TG_ENOTFOUND", "no customer"), {"session": "c->ga_p2"})),
        reseller_tenant_id=optional(guid("R1", Refused("TG_ENOTFOUND")), Accepted()).plus(
            ("not partnered", "R2", Refused("TG_ESTATE", "new business")),
            ("a provider", "P2", Refused("TG_ENOTFOUND")))),
    "tg_customer_remove": F(
        session=session("c->ga_p1", CUSTOMER_SESSION),
        customer_id=guid("c->c2", Refused("TG_ENOTFOUND", "no customer")).plus(
            ("with a reseller and subscriptions", "c->c1", Refused("TG_ESTATE", "cannot be removed")),
            ("not visible", "c->c2", Refused("TG_ENOTFOUND", "no customer"), {"session": "c->ga_p2"}))),
    "tg_subscription_add": F(
        out=out(), session=session("c->ga_p1", CUSTOMER_SESSION),
        customer_id=guid("c->c1", Refused("TG_ENOTFOUND", "no customer")),
        offer_id=text('"offer-x"', control=Accepted()).plus(("129 bytes", "bi_repeat(c, 'o', 129)", EINVAL("128"))),
        quantity=count("3", 1, 1000000),
        reseller_partner_id=optional(partner_id("R1_PID", Refused("TG_ENOTFOUND", "PartnerID")), Accepted()).plus(
            ("not partnered", "R2_PID", Refused("TG_ESTATE")),
            ("a provider's", '"1000002"', Refused("TG_ESTATE", "not an indirect reseller"))),
        # a support contact that is neither the seller nor such a reseller: TG_ESTATE (tiergraph.h)
        support_tenant_id=optional(guid("P1", Refused("TG_ESTATE", "neither")), Accepted()).plus(
            ("without delegated admin", "R2", Refused("TG_ESTATE")))),
    "tg_subscription_set_reseller": F(
        session=session("c->ga_p1", CUSTOMER_SESSION),
        subscription_id=text("c->s1", control=Refused("TG_ENOTFOUND", "no subscription")).plus(
            ("absent", ABSENT_GUID, Refused("TG_ENOTFOUND", "no subscription")),
            ("not a GUID", '"not-a-guid"', Refused("TG_ENOTFOUND", "no subscription"))),
        reseller_partner_id=optional(partner_id("R1_PID", Refused("TG_ENOTFOUND", "PartnerID")), Accepted()).plus(
            ("not partnered", "R2_PID", Refused("TG_ESTATE")))),
    "tg_subscription_set_support": F(
        session=session("c->ga_p1", CUSTOMER_SESSION),
        subscription_id=text("c->s1", control=Refused("TG_ENOTFOUND", "no subscription")).plus(
            ("absent", ABSENT_GUID, Refused("TG_ENOTFOUND", "no subscription"))),
        support_tenant_id=optional(guid("R1", Refused("TG_ESTATE", "neither")), Accepted()).plus(
            ("without delegated admin", "R2", Refused("TG_ESTATE")))),
    "tg_subscription_set_status": F(
        session=session("c->ga_p1", CUSTOMER_SESSION),
        subscription_id=text("c->s1", control=Refused("TG_ENOTFOUND", "no subscription")).plus(
            ("absent", ABSENT_GUID, Refused("TG_ENOTFOUND", "no subscription"))),
        status=enum("TG_SUB_SUSPENDED", "TG_SUB_DELETED", EINVAL("status"))),
    "tg_subscriptions": F(out=out(), session=session("c->ga_p1", ("another customer's", "c->cust2", Refused("TG_ENOTFOUND"))),
                          customer_id=guid("c->c1", Refused("TG_ENOTFOUND", "no customer")).plus(
                              ("not visible", "c->c1", Refused("TG_ENOTFOUND", "no customer"), {"session": "c->ga_p2"}))),
    "tg_subscription_get": F(out=out(), session=session("c->ga_p1", ("another customer's", "c->cust2", Refused("TG_ENOTFOUND"))),
                             subscription_id=text("c->s1", control=Refused("TG_ENOTFOUND", "no subscription")).plus(
                                 ("absent", ABSENT_GUID, Refused("TG_ENOTFOUND", "no subscription")),
                                 ("not visible", "c->s1", Refused("TG_ENOTFOUND", "no subscription"), {"session": "c->ga_p2"}))),

    # --- the customers' own side ---
    "tg_session_customer": F(
        out=out(), graph=GRAPH,
        user_name=text("c->c1_admin", control=Refused("TG_EDENIED", "sign-in failed")).plus(
            ("257 bytes", "bi_repeat(c, 'u', 257)", EINVAL("256")),
            ("absent user", '"nobody@absent.example"', Refused("TG_EDENIED", "sign-in failed")),
            ("removed customer's admin", "c->gone_cust_admin", Refused("TG_EDENIED", "sign-in failed"))),
        password=text("BI_PASSWORD", control=Refused("TG_EDENIED", "sign-in failed")).plus(
            ("wrong password", '"Wrong-Passw0rd"', Refused("TG_EDENIED", "sign-in failed")))),
    "tg_customer_change_password": F(
        graph=GRAPH,
        user_name=text("c->c1_admin", control=Refused("TG_EDENIED", "sign-in failed")).plus(
            ("absent user", '"nobody@absent.example"', Refused("TG_EDENIED", "sign-in failed"))),
        old_password=text("BI_PASSWORD", control=Refused("TG_EDENIED", "sign-in failed")).plus(
            ("wrong password", '"Wrong-Passw0rd"', Refused("TG_EDENIED", "sign-in failed"))),
        new_password=text('"N3w-Passw0rd!"', control=EINVAL("control characters")).plus(
            ("7 characters", '"Ab1!xyz"', EINVAL("8 to 256")),
            ("257 characters", "bi_cat(c, \"Ab1!\", bi_repeat(c, 'x', 253))", EINVAL("8 to 256")),
            ("two classes", '"abcdefgh12"', EINVAL("classes")),
            ("the current one", "BI_PASSWORD", EINVAL("differ")))),
    "tg_customer_user_add": F(
        customer_session=session("c->cust", PARTNER_SESSION,
                                 ("a user (no role)", "c->cust_user", Refused("TG_EDENIED"))),
        user_name=text("bi_new_customer_user(c)", control=EINVAL()).plus(
            ("no at sign", '"bob"', EINVAL("<name>@<domain>")),
            ("nothing before @", 'bi_cat(c, "@", c->c1_domain)', EINVAL("<name>@<domain>")),
            ("blank inside", 'bi_cat(c, "bo b@", c->c1_domain)', EINVAL("<name>@<domain>")),
            ("another domain", '"bob@absent.example"', EINVAL("named")),
            ("taken", "c->c1_admin", Refused("TG_EEXISTS", "exists")),
            ("taken in upper case", "bi_upper(c, c->c1_admin)", Refused("TG_EEXISTS", "exists"))),
        password=text('"Init1al-Passw0rd"', control=EINVAL("control characters")).plus(
            ("7 characters", '"Ab1!xyz"', EINVAL("8 to 256")),
            ("two classes", '"abcdefgh12"', EINVAL("classes"))),
        roles=P("0u", CUSTOMER_ROLES_BAD, "unsigned int")),
    "tg_relationship_request": F(
        out=out(), partner_session=session("c->ga_p2", CUSTOMER_SESSION,
                                           ("a reseller's", "c->ga_r1", Refused("TG_EDENIED"))),
        customer_id=guid("c->c1", Accepted()).plus(
            ("already works with it", "c->c1", Refused("TG_EEXISTS"), {"partner_session": "c->ga_p1"}))),
    "tg_relationship_accept": F(
        customer_session=session("c->cust", PARTNER_SESSION,
                                 ("a user (no role)", "c->cust_user", Refused("TG_EDENIED")),
                                 ("another customer's", "c->cust2", Refused("TG_EDENIED", "another customer"))),
        link_or_token=link("c->rel_link", Refused("TG_ENOTFOUND", "no such")).plus(
            ("partnership request", "c->inv_link", Refused("TG_ENOTFOUND", "no such")))),
    "tg_relationships": F(out=out(), session=session("c->ga_p1",
                                                     ("a Helpdesk agent's", "c->ha_p1", Refused("TG_EDENIED")))),
    "tg_subscription_record": F(
        out=out(), customer_session=session("c->cust", PARTNER_SESSION,
                                            ("a user (no role)", "c->cust_user", Refused("TG_EDENIED"))),
        channel=enum("TG_CHANNEL_EA", "TG_CHANNEL_THIRD_PARTY", EINVAL("channel")),
        offer_id=text('"offer-ea"', control=Accepted()).plus(("129 bytes", "bi_repeat(c, 'o', 129)", EINVAL("128"))),
        quantity=count("10", 1, 1000000),
        term_end=P("0", [("minus one", "-1", EINVAL("term end")), ("INT64_MIN", "INT64_MIN", EINVAL("term end")),
                         ("INT64_MAX", "INT64_MAX", Accepted(then="bi_read_subscription(c, out)"))],
                   "int64_t")),
    "tg_subscription_hire": F(
        customer_session=session("c->cust", PARTNER_SESSION,
                                 ("a user (no role)", "c->cust_user", Refused("TG_EDENIED"))),
        subscription_id=text("c->s_ea", control=Refused("TG_ENOTFOUND")).plus(
            ("absent", ABSENT_GUID, Refused("TG_ENOTFOUND")),
            ("a CSP subscription", "c->s1", Refused("TG_ESTATE"))),
        # only a partner the customer works with (tiergraph.h: TG_ESTATE)
        partner_tenant_id=optional(guid("P1", Refused("TG_ESTATE", "works with")), Accepted()).plus(
            ("a partner it does not work with", "P2", Refused("TG_ESTATE")))),
    "tg_subscription_move": F(
        customer_session=session("c->cust", PARTNER_SESSION,
                                 ("a user (no role)", "c->cust_user", Refused("TG_EDENIED"))),
        subscription_id=text("c->s_ea", control=Refused("TG_ENOTFOUND")).plus(
            ("absent", ABSENT_GUID, Refused("TG_ENOTFOUND")),
            ("a CSP subscription in its term", "c->s1", Refused("TG_ESTATE", "term"))),
        partner_tenant_id=guid("P1", Refused("TG_ESTATE", "works with")).plus(
            ("a partner it does not work with", "P2", Refused("TG_ESTATE")),
            ("a reseller", "R1", Refused("TG_ESTATE")))),

    # --- decisions ---
    "tg_check": F(session=session("c->ga_p1"),
                  action=enum("TG_ACT_VIEW_CUSTOMER", "TG_ACT_LAST_", EINVAL("unknown action")),
                  # TG_ACT_VIEW_CUSTOMER's object is a customer id: checked as the operation checks it
                  object_id=optional(guid("c->c1", Refused("TG_ENOTFOUND", "no customer")), Accepted()).plus(
                      ("a user id for a user action", '"nobody@p1"', Refused("TG_ENOTFOUND", "no user"),
                       {"action": "TG_ACT_USERS_MANAGE"}))),
    "tg_explain": F(out=out(), out_on_error=True, session=session("c->ga_p1"),
                    action=enum("TG_ACT_VIEW_CUSTOMER", "TG_ACT_LAST_", EINVAL("unknown action")),
                    object_id=optional(guid("c->c1", Refused("TG_ENOTFOUND", "no customer")), Accepted()).plus(
                        ("a user id for a user action", '"nobody@p1"', Refused("TG_ENOTFOUND", "no user"),
                         {"action": "TG_ACT_USERS_MANAGE"}))),

    # --- the change feed ---
    "tg_changes": F(out=out(), op=session("c->op", PARTNER_SESSION, CUSTOMER_SESSION),
                    since=P(SINCE_FIRST, [
                        ("revision + 1", "tg_graph_revision(c->g) + 1", EINVAL("ahead")),
                        ("UINT64_MAX", "UINT64_MAX", EINVAL("ahead"))], "uint64_t"),
                    limit=P("0", [("SIZE_MAX", "SIZE_MAX", Accepted())], "size_t")),
    "tg_graph_on_change": F(graph=GRAPH, hook=P("bi_hook", [("NULL", "NULL", Accepted())], "tg_change_hook"),
                            payload=P("c", [("NULL", "NULL", Accepted())], "void *")),

    # --- export and import ---
    "tg_export": F(out=out(), op=session("c->op", PARTNER_SESSION, CUSTOMER_SESSION)),
    "tg_import": F(op=session("c->op", PARTNER_SESSION, CUSTOMER_SESSION),
                   json=P("bi_import_json", [
                       ("NULL", "NULL", EINVAL("NULL")),
                       ("empty", '""', EINVAL("JSON")),
                       ("1 MiB", "bi_mib", EINVAL("JSON")),
                       ("bytes ff fe", c_str("\xff\xfe"), EINVAL("JSON")),
                       ("valid then ff", f'bi_cat(c, bi_import_json, {c_str(chr(0xff))})', EINVAL("JSON")),
                       ("not an object", '"[1, 2]"', EINVAL("object")),
                       ("truncated", "bi_cut(c, bi_import_json, 10)", EINVAL("JSON")),
                       ("unknown format", '"{\\"format\\": \\"nope\\"}"', EINVAL()),
                       ("invalid UTF-8 in a name", "bi_import_json_with(c, \"Ninth\", \"N\\xffinth\")", EINVAL("UTF-8")),
                       ("control char in a tenant id", "bi_import_json_with(c, \"90000000-\", \"90000000\\x01\")", EINVAL()),
                       ("escaped control char in a user id",
                        "bi_import_json_with(c, \"ga@n9\", \"ga\\\\u0001@n9\")", EINVAL("blank")),
                       ("existing records", "bi_export(c)", Refused("TG_EEXISTS")),
                   ], "const char *")),

    # --- iteration ---
    # TG_ITEROVER is not a failure: no message is promised
    "tg_iter_next": F(iter=handle("c->iter", ("exhausted", "c->iter_done", Accepted("TG_ITEROVER"))), out=out()),
    "tg_iter_count": F(ok="ret == 2", iter=getter_handle("c->iter", "ret == 0")),
    "tg_iter_free": F(ok=None, iter=freed("bi_loose_iter(c)")),

    # --- storage backends (tiergraph/store.h) ---
    "tg_store_init": F(store=handle("&c->scratch_store"),
                       version=P("TG_STORE_VERSION", [
                           ("zero", "0u", Refused("TG_EVERSION", "version")),
                           ("newer", "TG_STORE_VERSION + 1u", Refused("TG_EVERSION", "version")),
                           ("UINT_MAX", "UINT_MAX", Refused("TG_EVERSION", "version"))], "unsigned int")),
    "tg_store_mem_new": F(out=out()),
    "tg_store_file_new": F(out=out(), path=text('bi_path(c, "new.tg")').plus(
        ("control char in the name", 'bi_path(c, "new\\x01.tg")', Accepted()),
        ("a directory", "bi_path(c, \".\")", Refused("TG_EIO")),
        ("in a missing directory", '"/nonexistent-badinput/dir/x.tg"', Refused("TG_EIO")))),
    # BI_SQLITE(code): TG_EVERSION in a build without SQLite, once the path is well-formed
    "tg_store_sqlite_new": F(ok="BI_SQLITE(TG_OK)", out=out(), path=text('bi_path(c, "new.db")').plus(
        ("control char in the name", 'bi_path(c, "new\\x01.db")', Accepted("BI_SQLITE(TG_OK)")),
        ("in a missing directory", '"/nonexistent-badinput/dir/x.db"', Refused("BI_SQLITE(TG_EIO)")))),
}

# What each handle's free function is, for out-parameters.
FREE_OUT = {
    "tg_graph **": "tg_graph_close", "tg_session **": "tg_session_close", "tg_iter **": "tg_iter_free",
    "tg_invite **": "tg_invite_free", "tg_draft **": "tg_draft_free", "tg_problems **": "tg_problems_free",
    "tg_receipt **": "tg_receipt_free", "char **": "tg_free", "tg_store **": "bi_store_free",
    "const char **": None,
}
SCALAR_OUT = {"int64_t *": "int64_t", "unsigned int *": "unsigned int"}

# ---------------------------------------------------------------------------
# Writing the calls
# ---------------------------------------------------------------------------


def cident(s):
    return re.sub(r"\W", "_", s)


def c_lit(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def returns_code(d):
    """Whether the function returns TG_OK or a code (tiergraph.h: "Functions return
    int ... Getters return their value directly and say so")."""
    return d.ret == "int" and d.name not in ("tg_version_number", "tg_abi_version")


def check_entry(d, f):
    """Why the entry does not fit the declaration, or None."""
    names = [n for _, n in d.params]
    for t, n in d.params:
        if n not in f.params:
            return f"parameter '{t} {n}' is unknown to gen_badinput.py"
        if n == "out" and t not in FREE_OUT and t not in SCALAR_OUT:
            return f"out-parameter of type '{t}' is unknown to gen_badinput.py"
        if not f.params[n].fits(t):
            return f"parameter '{t} {n}' was '{f.params[n].ctype}' when its values were written"
    for n in f.params:
        if n not in names:
            return f"gen_badinput.py knows a parameter '{n}' that the declaration lacks"
    if d.ret == "void" and f.ok is not None:
        return "a void function whose entry expects a return value"
    if returns_code(d) and not (isinstance(f.ok, str) and "TG_" in f.ok and "ret" not in f.ok):
        return "an int function whose entry gives no expected code"
    return None


def arg(ctype, expr):
    """An argument as the declared type: enumerations and integers are cast, so that a
    hostile value such as INT_MIN or -1 reaches the function as that type's value."""
    if "*" in ctype or ctype.startswith("tg_change_hook"):
        return expr
    return f"({ctype})({expr})"


def emit_call(w, d, f, param, label, args, answer):
    """One call of d with `args` (name -> C expression), checked against `answer`."""
    where = "valid" if param is None else f"{param} = {label}"
    w(f"    /* {where} */")
    w("    {")
    flags = "BI_FILE" if f.file else "0"
    w(f"        bi *c = bi_begin(fn, {c_lit(param or '')}, {c_lit(label)}, {flags});")
    out_t = dict((n, t) for t, n in d.params).get("out")
    if out_t in FREE_OUT:
        base = out_t[:-1].strip()
        w(f"        {base[:-1].strip()} *out = BI_POISON({base});")
    elif out_t in SCALAR_OUT:
        w(f"        {SCALAR_OUT[out_t]} out = ({SCALAR_OUT[out_t]})0x5a5a5a5a;")
    call = f"{d.name}({', '.join(arg(t, args[n]) for t, n in d.params)})"
    if d.ret == "void":
        w(f"        {call};")
    else:
        w(f"        {d.ret} ret = {call};")
    if f.after:
        w(f"        {f.after}")
    if answer is NOOP:
        w("        bi_noop(c);")
    elif isinstance(answer, Returns):
        w(f"        bi_returns(c, {answer.cond}, {c_lit(answer.cond)});")
    elif isinstance(answer, Refused):
        says = c_lit(answer.says) if answer.says else "NULL"
        w(f"        bi_refused(c, ret, {answer.code}, {says});")
        if out_t is not None and param != "out":
            if f.out_on_error and answer.code != "TG_EINVAL":
                w("        bi_check(c, out != NULL && out != BI_POISON(char *), \"*out holds the reason\");")
            elif out_t in SCALAR_OUT:
                w("        bi_check(c, out == 0, \"*out is 0 after a refusal\");")
            else:
                w("        bi_check(c, out == NULL, \"*out is NULL after a refusal\");")
    elif isinstance(answer, Accepted):
        w(f"        bi_accepted(c, ret, {answer.code});")
        if answer.then:
            w(f"        if (ret == {answer.code}) {answer.then};")
    else:  # the valid call
        if returns_code(d):
            w(f"        bi_accepted(c, ret, {f.ok});")
            if out_t in FREE_OUT:
                w(f"        bi_check(c, ret != TG_OK || (out != NULL && out != BI_POISON({out_t[:-1].strip()})), "
                  "\"*out is set on success\");")
        elif f.ok is not None:
            w(f"        bi_returns(c, {f.ok}, {c_lit(f.ok)});")
        else:
            w("        bi_done(c);")
    if out_t in FREE_OUT and FREE_OUT[out_t]:
        w(f"        if (out != BI_POISON({out_t[:-1].strip()})) {FREE_OUT[out_t]}(out);")
    if out_t is not None:
        w("        (void)out;")
    w("        bi_end(c);")
    w("    }")


def emit_function(w, d, f):
    w(f"static int run_{d.name}(void)")
    w("{")
    w(f'    static const char fn[] = "{d.name}";')
    w("    int calls = 0;")
    valid = {n: f.params[n].valid for _, n in d.params}
    emit_call(w, d, f, None, "every argument valid", valid, None)
    w("    calls++;")
    for _, n in d.params:
        for h in f.params[n].hostile:
            label, expr, answer = h[:3]
            args = dict(valid)
            args.update(h[3] if len(h) > 3 else {})
            args[n] = expr
            emit_call(w, d, f, n, label, args, answer)
            w("    calls++;")
    w("    return calls;")
    w("}")
    w("")


def read_headers(headers):
    decls = []
    for h in headers:
        shown = h[h.rfind("include/"):] if "include/" in h else h
        decls += read_header(h, shown)
    return decls


def plan(decls):
    """(declaration, entry or None, why it is not exercised or None) for each function."""
    table = []
    for d in decls:
        f = FUNCTIONS.get(d.name)
        why = "no entry in gen_badinput.py's FUNCTIONS" if f is None else check_entry(d, f)
        table.append((d, None if why else f, why))
    return table


def self_test(headers):
    """What the generator must not let through: a new function, a parameter renamed or
    retyped, a declaration it cannot read. Exit status 0 when each is caught."""
    decls = read_headers(headers)
    failures = []

    def expect(cond, what):
        print(("ok   " if cond else "FAIL ") + what)
        if not cond:
            failures.append(what)

    new = read_text("TG_API int tg_brand_new(tg_session *session, const char *widget);", "new.h")
    renamed = [Decl(d.header, d.line, d.ret, d.name,
                    [(t, "role_set" if n == "roles" else n) for t, n in d.params])
               if d.name == "tg_user_add" else d for d in decls]
    retyped = [Decl(d.header, d.line, d.ret, d.name,
                    [("int *" if n == "out" else t, n) for t, n in d.params])
               if d.name == "tg_user_roles" else d for d in decls]
    retyped2 = [Decl(d.header, d.line, d.ret, d.name,
                     [("int" if n == "roles" else t, n) for t, n in d.params])
                if d.name == "tg_user_set_roles" else d for d in decls]
    added = [Decl(d.header, d.line, d.ret, d.name, d.params + [("int", "flags")])
             if d.name == "tg_customer_get" else d for d in decls]
    why = {d.name: w for d, _, w in plan(decls + new)}
    expect(all(w is None for n, w in why.items() if n != "tg_brand_new"),
           "every function of the headers has a fitting entry")
    expect(why["tg_brand_new"] == "no entry in gen_badinput.py's FUNCTIONS",
           "a new function is reported, not skipped")
    why = {d.name: w for d, _, w in plan(renamed)}
    expect(why["tg_user_add"] is not None and "role_set" in why["tg_user_add"],
           "a renamed parameter is reported: " + str(why["tg_user_add"]))
    why = {d.name: w for d, _, w in plan(retyped)}
    expect(why["tg_user_roles"] is not None and "int *" in why["tg_user_roles"],
           "a retyped out-parameter is reported: " + str(why["tg_user_roles"]))
    why = {d.name: w for d, _, w in plan(retyped2)}
    expect(why["tg_user_set_roles"] is not None and "'int roles'" in why["tg_user_set_roles"],
           "a retyped parameter is reported: " + str(why["tg_user_set_roles"]))
    why = {d.name: w for d, _, w in plan(added)}
    expect(why["tg_customer_get"] is not None and "flags" in why["tg_customer_get"],
           "an added parameter is reported: " + str(why["tg_customer_get"]))
    try:
        read_text("TG_API int (*tg_broken)(void);", "broken.h")
        expect(False, "an unreadable declaration fails the build")
    except SystemExit as e:
        expect("cannot read" in str(e), "an unreadable declaration fails the build: " + str(e))
    return 1 if failures else 0


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "--self-test":
        sys.exit(self_test(sys.argv[2:]))
    if len(sys.argv) < 3:
        sys.exit("usage: gen_badinput.py OUTPUT.c HEADER... | --self-test HEADER...")
    output, headers = sys.argv[1], sys.argv[2:]
    decls = read_headers(headers)
    seen = {}
    for d in decls:
        if d.name in seen:
            sys.exit(f"{d.header}:{d.line}: {d.name} is declared twice")
        seen[d.name] = d
    stale = sorted(set(FUNCTIONS) - set(seen))
    if stale:
        sys.exit(f"gen_badinput.py: entries for functions no header declares: {', '.join(stale)}")

    lines = []
    w = lines.append
    w("/* Generated by tests/badinput/gen_badinput.py from " + " ".join(
        sorted(set(d.header for d in decls))) + ": do not edit. */")
    w('#include "badinput.h"')
    w("")
    table = plan(decls)
    for d, f, why in table:
        if f:
            emit_function(w, d, f)
    w("const bi_function bi_functions[] = {")
    for d, f, why in table:
        run = f"run_{d.name}" if f else "NULL"
        w(f'    {{"{d.name}", "{d.header}", {run}, {c_lit(why) if why else "NULL"}}},')
    w("};")
    w(f"const size_t bi_nfunctions = {len(table)};")
    text_out = "\n".join(lines) + "\n"
    open(output, "w", encoding="utf-8").write(text_out)


if __name__ == "__main__":
    main()
