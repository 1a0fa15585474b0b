#!/bin/sh
# abi.version_script: the version script, the public headers and the built
# shared library agree on the exported functions.
#
#   version_script.sh MAP NM LIBRARY HEADER...
#
# 1. Every `TG_API <type> name(` declaration of the HEADERs is listed by name in
#    a global: section of MAP, and MAP lists nothing else (no wildcards).
# 2. `NM -D --defined-only LIBRARY` lists exactly MAP's symbols, each at the
#    default version of the node that lists it (name@@NODE), plus one symbol per
#    version node (NODE).
# Exit status 0 when all agree; 1 with the differences on stderr otherwise.
set -eu

if [ "$#" -lt 4 ]; then
    echo "usage: $0 MAP NM LIBRARY HEADER..." >&2
    exit 2
fi
map=$1
nm=${2:-nm}
lib=$3
shift 3

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
status=0

# --- 1. the headers' TG_API functions -------------------------------------
# A declaration starts its line with TG_API and names the function before the
# first parenthesis. A TG_API line that does not parse is an error, so that a
# new declaration style cannot slip through unchecked.
for h in "$@"; do
    awk -v file="$h" '
        /^[ \t]*TG_API[ \t]/ {
            line = $0
            sub(/^[ \t]*TG_API[ \t]+/, "", line)
            p = index(line, "(")
            head = (p > 0) ? substr(line, 1, p - 1) : ""
            sub(/[ \t]+$/, "", head)
            if (p == 0 || head !~ /[^A-Za-z0-9_][A-Za-z_][A-Za-z0-9_]*$/) {
                printf "%s:%d: cannot read a TG_API declaration: %s\n", file, NR, $0 > "/dev/stderr"
                bad = 1
                next
            }
            match(head, /[A-Za-z_][A-Za-z0-9_]*$/)
            print substr(head, RSTART, RLENGTH)
        }
        END { exit bad }' "$h" >>"$tmp/headers.raw" || status=1
done
sort "$tmp/headers.raw" >"$tmp/headers"
sort -u "$tmp/headers" >"$tmp/headers.set"
if [ -n "$(uniq -d "$tmp/headers")" ]; then
    echo "functions declared TG_API more than once:" >&2
    uniq -d "$tmp/headers" | sed 's/^/  /' >&2
    status=1
fi
if [ ! -s "$tmp/headers.set" ]; then
    echo "no TG_API declarations found in: $*" >&2
    exit 1
fi

# --- 2. the version script ------------------------------------------------
# Output: "sym NAME NODE" for each name of a global: section, "node NODE" for
# each version node. C comments are dropped; wildcards in global: are errors.
awk '
    { text = text $0 "\n" }
    END {
        while ((i = index(text, "/*")) > 0) {
            rest = substr(text, i + 2)
            j = index(rest, "*/")
            if (j == 0) { print "unterminated comment in the version script" > "/dev/stderr"; exit 1 }
            text = substr(text, 1, i - 1) " " substr(rest, j + 2)
        }
        gsub(/[{};:]/, " & ", text)
        n = split(text, tok, /[ \t\n]+/)
        depth = 0; node = ""; section = ""; bad = 0
        for (k = 1; k <= n; k++) {
            t = tok[k]
            if (t == "") continue
            if (depth == 0) {
                if (t == "{") {
                    if (prev == "" ) { print "anonymous version node" > "/dev/stderr"; bad = 1 }
                    node = prev; depth = 1; section = "global"
                    print "node " node
                } else if (t == "}" || t == ":") {
                    print "unexpected \"" t "\" in the version script" > "/dev/stderr"; bad = 1
                }
                # after "}" come the parent node names, then ";"
                prev = (t == ";") ? "" : t
                continue
            }
            if (t == "{") { print "nested braces in the version script" > "/dev/stderr"; bad = 1; continue }
            if (t == "}") { depth = 0; prev = ""; continue }
            if (t == ";" || t == ":") continue
            if ((t == "global" || t == "local") && tok[k + 1] == ":") { section = t; continue }
            if (section != "global") continue
            if (t ~ /[*?\[]/) {
                print "wildcard \"" t "\" in node " node ": list every function by name" > "/dev/stderr"
                bad = 1; continue
            }
            print "sym " t " " node
        }
        exit bad
    }' "$map" >"$tmp/map.raw" || status=1
awk '$1 == "sym" { print $2 }' "$tmp/map.raw" | sort >"$tmp/map"
sort -u "$tmp/map" >"$tmp/map.set"
if [ -n "$(uniq -d "$tmp/map")" ]; then
    echo "names listed more than once in $map:" >&2
    uniq -d "$tmp/map" | sed 's/^/  /' >&2
    status=1
fi

if ! cmp -s "$tmp/headers.set" "$tmp/map.set"; then
    status=1
    missing=$(comm -23 "$tmp/headers.set" "$tmp/map.set")
    extra=$(comm -13 "$tmp/headers.set" "$tmp/map.set")
    if [ -n "$missing" ]; then
        echo "TG_API functions missing from $map:" >&2
        printf '%s\n' "$missing" | sed 's/^/  /' >&2
    fi
    if [ -n "$extra" ]; then
        echo "names in $map that no public header declares TG_API:" >&2
        printf '%s\n' "$extra" | sed 's/^/  /' >&2
    fi
fi

# --- 3. the built library -------------------------------------------------
{
    awk '$1 == "sym" { print $2 "@@" $3 } $1 == "node" { print $2 }' "$tmp/map.raw"
} | sort >"$tmp/expected"
if ! "$nm" -D --defined-only "$lib" >"$tmp/nm.out"; then
    echo "$nm -D --defined-only $lib failed" >&2
    exit 1
fi
# NAME@@NODE stays; a node's own symbol may read NODE or NODE@@NODE.
awk 'NF >= 3 {
        s = $3
        at = index(s, "@@")
        if (at > 0 && substr(s, 1, at - 1) == substr(s, at + 2)) s = substr(s, 1, at - 1)
        print s
    }' "$tmp/nm.out" | sort >"$tmp/exported"
if ! cmp -s "$tmp/expected" "$tmp/exported"; then
    status=1
    echo "$lib does not export exactly the version script's symbols" >&2
    echo "(- listed in the version script, not exported; + exported, not listed):" >&2
    comm -23 "$tmp/expected" "$tmp/exported" | sed 's/^/  - /' >&2
    comm -13 "$tmp/expected" "$tmp/exported" | sed 's/^/  + /' >&2
fi

if [ "$status" -eq 0 ]; then
    echo "abi.version_script: $(wc -l <"$tmp/map.set" | tr -d ' ') functions agree (headers, $(basename "$map"), $(basename "$lib"))"
fi
exit "$status"
