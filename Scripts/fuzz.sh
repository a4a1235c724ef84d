#!/usr/bin/env bash
# `make fuzz [FUZZ_SECONDS=N] [FUZZ_TARGETS="FuzzBLEU …"]`: builds the fuzz targets of Tests/Fuzz with
# libFuzzer and AddressSanitizer, runs each for N seconds (default 60), and prints for each the inputs
# executed and the coverage reached. The checked-in seeds (Tests/Fuzz/Corpus/<target>) are read, never
# written: what the fuzzer learns goes to out/fuzz/<target>, crashes to out/fuzz/crash-<target>-*.
# Exits non-zero if any target crashes; turn each crash into a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
targets="${FUZZ_TARGETS:-FuzzModelFile FuzzTokenizer FuzzCorpus FuzzBLEU}"
unset OPENBLAS_CORETYPE
# lld: the system's gold linker fails on these binaries (an internal error in its DWARF reader).
swift build -c release --package-path Tests/Fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld >&2
bin="$(swift build -c release --package-path Tests/Fuzz --show-bin-path)"
mkdir -p out/fuzz
status=0
printf '%-14s %12s %10s %10s %s\n' target executions "exec/s" coverage result
for t in $targets; do
    mkdir -p "out/fuzz/$t"
    log="out/fuzz/$t.log"
    if "$bin/$t" "out/fuzz/$t" "Tests/Fuzz/Corpus/$t" -max_total_time="$seconds" -print_final_stats=1 \
        -artifact_prefix="out/fuzz/crash-$t-" -rss_limit_mb=4096 -timeout=30 >"$log" 2>&1; then
        result=clean
    else
        result="CRASH (see $log)"
        status=1
    fi
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
    printf '%-14s %12s %10s %10s %s\n' "$t" "$execs" "$rate" "$cov" "$result"
done
exit $status
