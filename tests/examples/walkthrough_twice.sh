#!/bin/sh
# example.walkthrough: run the walkthrough on a new file: store, then run it again,
# which must reopen the graph the first run left (and add to it).
#   walkthrough_twice.sh WALKTHROUGH STORE-PATH
set -eu
bin=$1 store=$2
rm -f "$store" "$store.compact"
"$bin" "file:$store"
echo "--- second run, same store ---"
out=$("$bin" "file:$store")
printf '%s\n' "$out"
case $out in
*"Reopened \"file:$store\" at revision "*) ;;
*) echo "example.walkthrough: the second run did not reopen the store" >&2; exit 1 ;;
esac
rm -f "$store"
