#!/bin/sh
# The ABI baseline (abi/tiergraph-<version>.abi) and its check with libabigail.
#
#   abidiff.sh baseline            BASELINE LIBRARY HEADERS_DIR
#   abidiff.sh check               BASELINE LIBRARY HEADERS_DIR SUPPRESSIONS
#   abidiff.sh expect-incompatible BASELINE LIBRARY HEADERS_DIR SUPPRESSIONS
#
# baseline: write BASELINE from LIBRARY (built with -g).
# check: describe LIBRARY the same way and compare it with BASELINE. Passes when
#   nothing changed or when the only changes are added functions (reported);
#   fails on any other change. Exit 77 (skipped) without abidw/abidiff or
#   without debug information in LIBRARY.
# expect-incompatible: the reverse, for the test that proves the check works:
#   passes only when the comparison finds an incompatible change.
#
# Why not only abidiff's exit bit 8 (ABIDIFF_ABI_INCOMPATIBLE_CHANGE)? libabigail
# sets it only for removed symbols (or a changed SONAME); a changed signature or
# type is bit 4 (ABIDIFF_ABI_CHANGE), the same bit as an added function. So a
# second run with --no-added-syms tells the two apart: whatever it still reports
# is a change, not an addition.
set -eu

if [ "$#" -lt 4 ]; then
    echo "usage: $0 baseline|check|expect-incompatible BASELINE LIBRARY HEADERS_DIR [SUPPRESSIONS]" >&2
    exit 2
fi
mode=$1 baseline=$2 lib=$3 headers=$4 supp=${5:-}

for tool in abidw abidiff; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "$tool not found (Debian: apt-get install abigail-tools): skipped"
        exit 77
    fi
done
if command -v readelf >/dev/null 2>&1 && ! readelf -S "$lib" | grep -q '\.debug_info'; then
    echo "$lib has no debug information (build with -g, e.g. RelWithDebInfo): skipped"
    exit 77
fi

# The public ABI only, with nothing that depends on where or by whom it was built:
# no paths (file names only), no DT_NEEDED list, only types of the public headers
# and only what the exported functions reach.
describe() { # LIBRARY OUT
    abidw --no-corpus-path --no-comp-dir-path --short-locs --no-elf-needed \
        --exported-interfaces-only --headers-dir "$headers" --drop-private-types \
        --out-file "$2" "$1"
}

if [ "$mode" = baseline ]; then
    describe "$lib" "$baseline"
    echo "wrote $baseline"
    exit 0
fi

if [ ! -f "$baseline" ]; then
    echo "no ABI baseline: $baseline" >&2
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
describe "$lib" "$tmp/new.abi"

set -- --suppressions "$supp" "$baseline" "$tmp/new.abi"
rc=0
abidiff "$@" >"$tmp/report" 2>&1 || rc=$?
if [ $((rc & 3)) -ne 0 ]; then
    cat "$tmp/report" >&2
    echo "abidiff failed to compare (exit $rc)" >&2
    exit 1
fi
verdict=same
if [ $((rc & 8)) -ne 0 ]; then
    verdict=incompatible
elif [ $((rc & 4)) -ne 0 ]; then
    rc2=0
    abidiff --no-added-syms "$@" >"$tmp/report2" 2>&1 || rc2=$?
    if [ $((rc2 & 3)) -ne 0 ]; then
        cat "$tmp/report2" >&2
        echo "abidiff failed to compare (exit $rc2)" >&2
        exit 1
    fi
    if [ "$rc2" -ne 0 ]; then verdict=incompatible; else verdict=additions; fi
fi

name=$(basename "$lib")
base=$(basename "$baseline")
case $mode in
check)
    case $verdict in
    same)
        echo "$name: the ABI of $base, unchanged" ;;
    additions)
        cat "$tmp/report"
        echo "$name: compatible with $base: additions only (list them in a new version node)" ;;
    incompatible)
        cat "$tmp/report" >&2
        echo "$name: INCOMPATIBLE with $base (abidiff exit $rc): see docs/abi.md" >&2
        exit 1 ;;
    esac ;;
expect-incompatible)
    cat "$tmp/report"
    if [ "$verdict" != incompatible ]; then
        echo "$name: expected an incompatible change against $base, found: $verdict" >&2
        exit 1
    fi
    echo "$name: the incompatible change was caught, as it should be" ;;
*)
    echo "unknown mode: $mode" >&2
    exit 2 ;;
esac
