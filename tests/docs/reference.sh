#!/bin/sh
# docs.reference: the API reference builds from the public headers without a single
# Doxygen warning (an undocumented function, type, macro or struct member, a broken
# reference), and every enumerator has a comment (Doxygen 1.9 does not warn about
# those, so its XML output is read instead).
#
#   reference.sh CMAKE BUILD_DIR HAVE_DOCS_TARGET
#
# HAVE_DOCS_TARGET is 1 when CMake found Doxygen and made the target `docs`; without
# it the test exits 77 (skipped).
set -eu

if [ "$#" -ne 3 ]; then
    echo "usage: $0 CMAKE BUILD_DIR HAVE_DOCS_TARGET" >&2
    exit 2
fi
cmake=$1 build=$2 have=$3
if [ "$have" != 1 ]; then
    echo "docs.reference: skipped: Doxygen was not found (Debian: apt-get install doxygen)"
    exit 77
fi

log=$build/docs/doxygen-warnings.log
xml=$build/docs/api/xml
rm -f "$log"
rm -rf "$xml"
if ! out=$("$cmake" --build "$build" --target docs 2>&1); then
    echo "$out" >&2
    echo "docs.reference: the target docs failed" >&2
    exit 1
fi
if [ ! -f "$log" ] || [ ! -d "$xml" ]; then
    echo "docs.reference: Doxygen wrote no warning log or no XML: is WARN_LOGFILE set?" >&2
    exit 1
fi
if [ -s "$log" ]; then
    cat "$log" >&2
    echo "docs.reference: Doxygen warned (above): document what it names" >&2
    exit 1
fi

# An enumerator is documented when its <enumvalue> holds a <para>. Each appears in
# the XML of its file and of its group: count names, not entries.
enumerators=$(awk '
    /<enumvalue[ >]/ { inside = 1; name = ""; documented = 0; next }
    inside && /<name>/ { name = $0; sub(/.*<name>/, "", name); sub(/<\/name>.*/, "", name) }
    inside && /<para>/ { documented = 1 }
    inside && /<\/enumvalue>/ { print (documented ? "ok " : "undocumented ") name; inside = 0 }
' "$xml"/*.xml | sort -u)
undocumented=$(echo "$enumerators" | sed -n 's/^undocumented //p')
if [ -n "$undocumented" ]; then
    echo "docs.reference: enumerators without a comment:" >&2
    echo "$undocumented" >&2
    exit 1
fi
count=$(echo "$enumerators" | grep -c '^ok ' || true)
if [ "$count" -eq 0 ]; then
    echo "docs.reference: found no enumerator in $xml: has the XML output changed?" >&2
    exit 1
fi
echo "docs.reference: no Doxygen warning; all $count enumerators documented"
