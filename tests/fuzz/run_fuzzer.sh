#!/bin/sh
# Run one libFuzzer target for a bounded time (ctest's fuzz.* tests; see README.md).
#   run_fuzzer.sh FUZZER SECONDS MAX_LEN WORKDIR SEED_DIR...
# New inputs go to WORKDIR/corpus, never into the committed seed directories; a
# crashing input goes to WORKDIR/artifacts. The full log is WORKDIR/fuzz.log; what
# reaches ctest's output is the run's time and number of executions (libFuzzer's
# "Done N runs in S second(s)" and its final stats), or the log's tail on failure.
# A dictionary next to this script named after the target (import.dict for
# fuzz_import) is passed with -dict.
set -u
fuzzer=$1 seconds=$2 max_len=$3 work=$4
shift 4
name=$(basename "$fuzzer")
dict="$(dirname "$0")/${name#fuzz_}.dict"
if [ -f "$dict" ]; then set -- -dict="$dict" "$@"; fi
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
log="$work/fuzz.log"
"$fuzzer" -max_total_time="$seconds" -max_len="$max_len" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$work/corpus" "$@" >"$log" 2>&1
rc=$?
if [ "$rc" -ne 0 ]; then
    tail -n 80 "$log"
    echo "$(basename "$fuzzer"): FAILED (exit $rc); the input that broke it:"
    ls -l "$work/artifacts"
    exit 1
fi
grep -E '^(INFO: seed corpus|#[0-9]+[[:space:]]+DONE|Done [0-9]+ runs|stat::number_of_executed_units|stat::average_exec_per_sec|stat::new_units_added)' "$log"
grep -q '^Done [0-9]* runs in [0-9]* second' "$log" || { echo "no 'Done' line: the fuzzer did not run"; exit 1; }
