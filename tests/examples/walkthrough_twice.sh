#!/bin/sh
# example.walkthrough: run the walkthrough on a new file: store, then run it again,
# which must reopen the graph the first run left (and add to it).
#   walkthrough_twice.sh WALKTHROUGH STORE-PATH [INTERPRETER]
# With INTERPRETER (python3 for examples/python/walkthrough.py), WALKTHROUGH is its script.
set -eu
bin=$1 store=$2 interpreter=${3:-}
walkthrough() {
    if [ -n "$interpreter" ]; then "$interpreter" "$bin" "$@"; else "$bin" "$@"; fi
}
rm -f "$store" "$store.compact"
walkthrough "file:$store"
echo "--- second run, same store ---"
out=$(walkthrough "file:$store")
printf '%s\n' "$out"
case $out in
*"Reopened \"file:$store\" at revision "*) ;;
*) echo "example.walkthrough: the second run did not reopen the store" >&2; exit 1 ;;
esac
rm -f "$store"
