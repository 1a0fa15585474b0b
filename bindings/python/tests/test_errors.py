"""Errors and declarations: the exception hierarchy of the pinned codes, messages from C
(per thread), argument checks before the call, and the declaration table against the
public headers."""
import ctypes
import re
import threading
import unittest
from pathlib import Path

from fixture import GHOST, Fixture

import tiergraph
from tiergraph import _api, errors
from tiergraph.enums import ErrorCode

INCLUDE = Path(__file__).resolve().parents[3] / "include"

EXPECTED_CLASSES = {
    ErrorCode.ERROR: tiergraph.InternalError,
    ErrorCode.ENOMEM: tiergraph.OutOfMemory,
    ErrorCode.EINVAL: tiergraph.InvalidArgument,
    ErrorCode.ENOTFOUND: tiergraph.NotFound,
    ErrorCode.EEXISTS: tiergraph.AlreadyExists,
    ErrorCode.EDENIED: tiergraph.PermissionDenied,
    ErrorCode.ESTATE: tiergraph.RuleViolation,
    ErrorCode.ECONFIRM: tiergraph.ConfirmationRequired,
    ErrorCode.EEXPIRED: tiergraph.Expired,
    ErrorCode.EIO: tiergraph.StorageError,
    ErrorCode.ECORRUPT: tiergraph.CorruptStore,
    ErrorCode.EBUSY: tiergraph.StoreBusy,
    ErrorCode.EVERSION: tiergraph.VersionMismatch,
    ErrorCode.EPASSWORD_CHANGE: tiergraph.PasswordChangeRequired,
    ErrorCode.ELOCKED: tiergraph.SignInLocked,
}


class Hierarchy(unittest.TestCase):
    def test_pinned_values(self):
        self.assertEqual([int(c) for c in ErrorCode], list(range(0, -17, -1)))

    def test_every_failure_code_has_its_class(self):
        failures = {c for c in ErrorCode if c not in (ErrorCode.OK, ErrorCode.ITEROVER)}
        self.assertEqual(failures, set(EXPECTED_CLASSES))

    def test_each_code_has_its_class_with_code_and_message(self):
        for code, cls in EXPECTED_CLASSES.items():
            exc = errors.error_for(int(code), f"message {int(code)}")
            self.assertIs(type(exc), cls)
            self.assertIsInstance(exc, tiergraph.TiergraphError)
            self.assertEqual(exc.code, code)
            self.assertIs(type(exc.code), ErrorCode)
            self.assertEqual(exc.message, f"message {int(code)}")
            self.assertEqual(str(exc), exc.message)
            self.assertIn(cls.__name__, repr(exc))

    def test_python_bases(self):
        self.assertIsInstance(errors.error_for(-3, ""), ValueError)
        self.assertIsInstance(errors.error_for(-4, ""), LookupError)
        self.assertIsInstance(errors.error_for(-2, ""), MemoryError)
        self.assertTrue(issubclass(tiergraph.LibraryNotFound, ImportError))

    def test_unknown_code_keeps_its_number(self):
        exc = errors.error_for(-99, "from a newer library")
        self.assertIs(type(exc), tiergraph.TiergraphError)
        self.assertEqual(exc.code, -99)

    def test_strerror_names_codes(self):
        self.assertEqual(tiergraph.strerror(-3), "invalid argument")
        texts = {tiergraph.strerror(int(c)) for c in ErrorCode}
        self.assertEqual(len(texts), len(ErrorCode))
        self.assertTrue(tiergraph.strerror(-99))


class Messages(Fixture):
    def test_errors_carry_the_c_message(self):
        with self.assertRaises(tiergraph.NotFound) as caught:
            self.user("ga@p1").get_customer(GHOST)
        self.assertIn(GHOST, caught.exception.message)
        with self.assertRaises(tiergraph.InvalidArgument) as caught:
            self.op.set_agreement("not-a-guid")
        self.assertIn("GUID", caught.exception.message)
        self.assertEqual(caught.exception.message, _api._message())  # the same text as C's

    def test_each_thread_gets_its_own_message(self):
        results = {}
        barrier = threading.Barrier(4)

        def fail_many(n):
            session = self.graph.user("ga@p1")
            wanted = f"99999999-9999-4999-8999-{n:012d}"
            seen = set()
            barrier.wait()
            for _ in range(300):
                try:
                    session.get_customer(wanted)
                except tiergraph.NotFound as exc:
                    seen.add(wanted in exc.message)
            results[n] = seen
            session.close()

        threads = [threading.Thread(target=fail_many, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(results, {n: {True} for n in range(4)})


class ArgumentChecks(Fixture):
    def test_nul_in_text_refused_before_the_call(self):
        rev = self.graph.revision
        with self.assertRaises(tiergraph.InvalidArgument) as caught:
            self.op.add_user("10000000-0000-4000-8000-000000000001", "a\0b", tiergraph.Role(1))
        self.assertIn("NUL", caught.exception.message)
        self.assertIn("tg_user_add", caught.exception.message)
        self.assertEqual(self.graph.revision, rev)

    def test_wrong_types_are_type_errors(self):
        with self.assertRaises(TypeError):
            self.op.set_agreement(42)
        with self.assertRaises(TypeError):
            self.user("ga@p1").add_subscription("x", "offer", 1.5)

    def test_integers_never_truncated(self):
        """ctypes alone would pass 2**32 + 1 as 1: a valid quantity."""
        customer = self.customer("ga@p1", "truncation")
        with self.assertRaises(tiergraph.InvalidArgument) as caught:
            self.user("ga@p1").add_subscription(customer, "offer", 2 ** 32 + 1)
        self.assertIn("out of range", caught.exception.message)
        self.assertEqual(len(self.user("ga@p1").subscriptions(customer)), 0)

    def test_bytes_pass_unchanged(self):
        """bytes reach C as they are, so C's own UTF-8 check answers."""
        with self.assertRaises(tiergraph.InvalidArgument):
            self.op.set_agreement(b"\xff")


class Declarations(unittest.TestCase):
    def test_a_function_the_library_lacks_raises_version_mismatch(self):
        stub = _api._declare("tg_not_in_any_release", ctypes.c_int, (), _api._status)
        with self.assertRaises(tiergraph.VersionMismatch) as caught:
            stub()
        self.assertIn("tg_not_in_any_release", caught.exception.message)
        self.assertIn(tiergraph.library_version, caught.exception.message)

    def test_abi_major_checked(self):
        _api.check_abi(tiergraph.ABI_VERSION)
        with self.assertRaises(tiergraph.VersionMismatch) as caught:
            _api.check_abi(tiergraph.ABI_VERSION + 1)
        self.assertIn(f"ABI {tiergraph.ABI_VERSION + 1}", caught.exception.message)

    def test_undeclared_names_are_refused(self):
        with self.assertRaises(AttributeError):
            _api.C.tg_session_frobnicate

    @unittest.skipUnless(INCLUDE.is_dir(), "not in a checkout: no include/ to compare with")
    def test_table_matches_every_public_function_of_the_headers(self):
        header = {}
        for path in (INCLUDE / "tiergraph.h", INCLUDE / "tiergraph" / "store.h"):
            text = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S)
            for ret, name, params in re.findall(r"TG_API\s+([^;(]*?)\b(tg_\w+)\s*\(([^)]*)\)\s*;",
                                                text):
                header[name] = (_ctype(ret), tuple(_ctype(_drop_name(p))
                                                   for p in params.split(",") if p.strip()
                                                   and p.strip() != "void"))
        table = {name: (restype, tuple(argtypes)) for name, restype, argtypes, _ in
                 _api.SIGNATURES}
        self.assertEqual(set(header) - set(table), set(), "in the headers, not in SIGNATURES")
        self.assertEqual(set(table) - set(header), set(), "in SIGNATURES, not in the headers")
        for name, (restype, argtypes) in header.items():
            self.assertEqual(table[name][0], restype, f"{name}: return type")
            self.assertEqual(table[name][1], argtypes, f"{name}: argument types")

    @unittest.skipUnless(INCLUDE.is_dir(), "not in a checkout: no include/ to compare with")
    def test_enums_match_every_enum_of_the_headers(self):
        """Each C enum (and the flag macros) has its Python class with the same names
        and values; a C enum without one fails here until it is bound."""
        text = re.sub(r"/\*.*?\*/", "", (INCLUDE / "tiergraph.h").read_text(), flags=re.S)
        header = {}
        for name, body in re.findall(r"typedef enum (tg_\w+)\s*\{(.*?)\}", text, flags=re.S):
            header[name] = {k: _c_value(v) for k, v in
                            re.findall(r"\b(TG_\w+)\s*=\s*([^,]+)", body)}
        self.assertEqual(set(header), set(_ENUM_CLASSES), "C enums and Python enums")
        for name, (cls, prefix) in _ENUM_CLASSES.items():
            values = dict(header[name])
            if name == "tg_action":
                self.assertEqual(values.pop("TG_ACT_LAST_"), int(tiergraph.ACTION_LAST))
                self.assertEqual(tiergraph.ACTION_LAST, max(tiergraph.Action))
            python = {prefix + member.name: int(member) for member in cls}
            self.assertEqual(python, values, f"{cls.__name__} against {name}")
        macros = dict(re.findall(r"#define (TG_\w+) (0x[0-9a-f]+)u?\b", text))
        self.assertEqual(int(tiergraph.ROLE_ALL), int(macros["TG_ROLE_ALL"], 16))
        self.assertEqual({f.name: int(f) for f in tiergraph.RemoveFlag},
                         {"CONFIRM": int(macros["TG_CONFIRM"], 16),
                          "ATTEST_GOOD_FAITH": int(macros["TG_ATTEST_GOOD_FAITH"], 16)})


_ENUM_CLASSES = {
    "tg_error_code": (ErrorCode, "TG_"),
    "tg_option": (tiergraph.Option, "TG_OPT_"),
    "tg_durability": (tiergraph.Durability, "TG_DURABILITY_"),
    "tg_store_stat": (tiergraph.StoreStat, "TG_STAT_"),
    "tg_partner_kind": (tiergraph.PartnerKind, "TG_PARTNER_"),
    "tg_role": (tiergraph.Role, "TG_ROLE_"),
    "tg_field": (tiergraph.Field, "TG_FIELD_"),
    "tg_subscription_status": (tiergraph.SubscriptionStatus, "TG_SUB_"),
    "tg_channel": (tiergraph.Channel, "TG_CHANNEL_"),
    "tg_action": (tiergraph.Action, "TG_ACT_"),
}


def _c_value(text):
    """An enumerator's value: a number, or a shift (``1 << 3``)."""
    match = re.fullmatch(r"\s*(-?\d+)\s*(?:<<\s*(\d+))?\s*", text)
    assert match, f"cannot read the enumerator value {text!r}"
    return int(match.group(1)) << int(match.group(2) or 0)


_ENUMS = set(_ENUM_CLASSES)
_SCALARS = {"int": ctypes.c_int, "unsigned int": ctypes.c_uint, "int64_t": ctypes.c_int64,
            "uint64_t": ctypes.c_uint64, "size_t": ctypes.c_size_t}


def _drop_name(param):
    return re.sub(r"\b\w+$", "", param.strip())


def _ctype(text):
    """The ctypes type the bindings must use for a C type of the headers."""
    tokens = text.replace("*", " * ").split()
    stars = tokens.count("*")
    base = " ".join(t for t in tokens if t not in ("*", "const"))
    if base == "char":  # const char * in, char ** out (freed by the caller: void pointer)
        if stars == 1:
            return ctypes.c_char_p
        return ctypes.POINTER(ctypes.c_char_p if "const" in tokens else ctypes.c_void_p)
    if base == "void":
        kind = None if stars == 0 else ctypes.c_void_p
        stars = max(stars - 1, 0)
    elif base in _SCALARS:
        kind = _SCALARS[base]
    elif base in _ENUMS:
        kind = ctypes.c_int
    elif base.startswith("tg_"):
        kind = getattr(_api, base)
    else:
        raise AssertionError(f"no ctypes mapping for C type {text!r}")
    for _ in range(stars):
        kind = ctypes.POINTER(kind)
    return kind


if __name__ == "__main__":
    unittest.main()
