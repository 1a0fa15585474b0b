#!/bin/sh
# docs.first_program: the first program of docs/getting-started.md (the ```c block
# after the marker "first-program") compiles without a warning against the built
# library, runs, and prints what the page says it prints.
#
#   first_program.sh MARKDOWN CC INCLUDE_DIR LIBRARY_DIR [CFLAGS]
#
# CFLAGS are the library's own CMAKE_C_FLAGS (a sanitizer build needs the program
# built the same way).
set -eu

if [ "$#" -lt 4 ]; then
    echo "usage: $0 MARKDOWN CC INCLUDE_DIR LIBRARY_DIR [CFLAGS]" >&2
    exit 2
fi
md=$1 cc=$2 include=$3 libdir=$4 cflags=${5:-}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

awk '
    /first-program/ { armed = 1; next }
    armed && /^```c$/ { inside = 1; next }
    inside && /^```$/ { exit }
    inside { print }
' "$md" >"$tmp/first.c"
if [ ! -s "$tmp/first.c" ]; then
    echo "docs.first_program: no \`\`\`c block after the first-program marker in $md" >&2
    exit 1
fi

# shellcheck disable=SC2086 # CFLAGS is a list of flags
"$cc" -std=c11 -Wall -Wextra -Werror $cflags -I"$include" "$tmp/first.c" -L"$libdir" \
    -ltiergraph -Wl,-rpath,"$libdir" -o "$tmp/first"
"$tmp/first" >"$tmp/out"
cat "$tmp/out"
for line in "Contoso's indirect reseller: 22222222-2222-4222-8222-222222222222" \
            "May Raj create a customer? denied: a partner of kind 'indirect reseller'"; do
    if ! grep -qF "$line" "$tmp/out"; then
        echo "docs.first_program: the output lacks: $line" >&2
        exit 1
    fi
done
echo "docs.first_program: the first program builds, runs and prints what the page shows"
