#!/usr/bin/env bash
# The load test of `s2s serve` (part of `make bench`; also on its own):
#
#   Scripts/load-test.sh [--model PATH] [--seconds N] [--minutes N] [--out DIR] [-- server options]
#
# Starts the release s2s-serve with the model (default: out/bench/model.s2s, the bench's Tatoeba model),
# then wrk sends one-sentence beam-5 requests drawn in turn from Tatoeba dev, --seconds (default 60) each
# with 1, 8 and 64 concurrent clients, and keeps the 64 clients on until they have run --minutes (default
# 10); the server's RSS is read after their first --seconds and at the end. Reports sentences/s, p50/p99 latency
# and errors per level, and beside them, from the same run and model: `s2s evaluate` beam-5 throughput
# (default batch size) and the CLI's single-sentence median latency (the first 200 dev sentences).
# Writes DIR/load.json and DIR/load.txt (default DIR: out/bench/load).
set -euo pipefail
cd "$(dirname "$0")/.."
unset OPENBLAS_CORETYPE
model=out/bench/model.s2s
seconds=60
minutes=10
out=out/bench/load
while [ $# -gt 0 ]; do
    case "$1" in
        --model) model="$2"; shift ;;
        --seconds) seconds="$2"; shift ;;
        --minutes) minutes="$2"; shift ;;
        --out) out="$2"; shift ;;
        --) shift; break ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "load-test.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
data="${BENCH_DATA:-../shared/corpora/tatoeba-en-fr}"
[ -f "$model" ] || { echo "load-test.sh: no model at $model (run make bench, or give --model)" >&2; exit 1; }
[ -f "$data/dev.en" ] || { echo "load-test.sh: $data/dev.en not found (set BENCH_DATA)" >&2; exit 1; }
if ! command -v wrk > /dev/null; then
    command -v apt-get > /dev/null || { echo "load-test.sh: needs wrk (a HTTP load generator); install it" >&2; exit 1; }
    echo "installing wrk ..." >&2
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk > /dev/null
fi
mkdir -p "$out"
swift build -c release --product s2s >&2
swift build -c release --product s2s-serve >&2
bin="$(swift build -c release --show-bin-path)"

python3 - "$data/dev.en" > "$out/bodies.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    if line.strip(): print(json.dumps({"text": line.rstrip("\n"), "beam": 5}, ensure_ascii=False))
PY

echo "== the CLI on the same model: beam-5 throughput, single-sentence latency" >&2
"$bin/s2s" evaluate --model "$model" "$data/dev.en" "$data/dev.fr" --beam 5 --json > "$out/cli-beam5.json"
head -200 "$data/dev.en" > "$out/dev200.en"; head -200 "$data/dev.fr" > "$out/dev200.fr"
"$bin/s2s" evaluate --model "$model" "$out/dev200.en" "$out/dev200.fr" --beam 5 --batch-size 1 --json > "$out/cli-latency.json"

"$bin/s2s-serve" --model "$model" --port 0 "$@" > "$out/server.out" 2> "$out/server.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q "listening on" "$out/server.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*:\([0-9]*\) (model.*/\1/p' "$out/server.out")
[ -n "$port" ] || { echo "load-test.sh: the server did not start:" >&2; cat "$out/server.log" >&2; exit 1; }
url="http://127.0.0.1:$port"
rss() { awk '/VmRSS/ { print $2 / 1024 }' "/proc/$server/status"; }
# Warm-up: the first requests fault in the model and the workers' buffers.
wrk -t1 -c4 -d3s -s Scripts/load-test.lua "$url" -- "$out/bodies.jsonl" > /dev/null

rm -f "$out/wrk-64-long.txt"
for clients in 1 8 64; do
    echo "== $clients client(s), $seconds s" >&2
    wrk -t1 -c"$clients" -d"${seconds}s" --timeout 30s --latency -s Scripts/load-test.lua "$url" \
        -- "$out/bodies.jsonl" "$clients" > "$out/wrk-$clients.txt"
done
# Memory over a long run at the heaviest level: the 64-client level above is its first part. RSS is
# compared within one level because the batches' buffers (and so the allocator's pools) grow with the load.
rss_first=$(rss)
rest=$(( minutes * 60 - seconds ))
if [ "$rest" -gt 0 ]; then
    echo "== 64 clients for $rest s more ($minutes minutes at 64 clients), then RSS again" >&2
    wrk -t1 -c64 -d"${rest}s" --timeout 30s --latency -s Scripts/load-test.lua "$url" -- "$out/bodies.jsonl" 7 > "$out/wrk-64-long.txt"
fi
rss_end=$(rss)
curl -s "$url/metrics" > "$out/metrics.txt" 2>/dev/null || true
kill -TERM $server; wait $server || true
trap - EXIT

python3 - "$out" "$rss_first" "$rss_end" "$seconds" "$minutes" <<'PY' | tee "$out/load.txt"
import json, re, sys, os
out, rss_first, rss_end, seconds, minutes = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
def ms(text):  # wrk's durations: 812.00us, 6.99ms, 1.02s, 3.98m
    value, unit = re.match(r"([\d.]+)(us|ms|s|m|h)", text).groups()
    return float(value) * {"us": 1e-3, "ms": 1, "s": 1000, "m": 60e3, "h": 3600e3}[unit]
def wrk(path):
    t = open(path).read()
    requests = int(re.search(r"(\d+) requests in", t).group(1))
    seconds = ms(re.search(r"requests in ([\d.]+\w+)", t).group(1)) / 1000
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", t))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", t)
    if socket: errors += sum(int(g) for g in socket.groups())
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", t, re.M))
    return {"requests": requests, "seconds": seconds, "sentences_per_second": requests / seconds,
            "p50_ms": ms(lat["50"]), "p99_ms": ms(lat["99"]), "errors": errors}
cli = json.load(open(f"{out}/cli-beam5.json")); lat = json.load(open(f"{out}/cli-latency.json"))
levels = {c: wrk(f"{out}/wrk-{c}.txt") for c in (1, 8, 64)}
long = wrk(f"{out}/wrk-64-long.txt") if os.path.exists(f"{out}/wrk-64-long.txt") else None
report = {"levels": levels, "long_64": long, "rss_mb_after_first_level_of_64": rss_first, "rss_mb_at_end": rss_end, "minutes_of_load": minutes,
          "cli_beam5_sentences_per_second": cli["sentences_per_second"], "cli_single_sentence_median_ms": lat["batch_latency_ms_median"]}
json.dump(report, open(f"{out}/load.json", "w"), indent=2)
print(f"\ns2s serve under load (wrk, one-sentence requests, beam 5, Tatoeba dev)")
print(f"{'clients':>8} {'sentences/s':>12} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
for c, r in levels.items():
    print(f"{c:>8} {r['sentences_per_second']:>12.1f} {r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} {r['errors']:>7}")
if long: print(f"{'64 (rest)':>8} {long['sentences_per_second']:>12.1f} {long['p50_ms']:>8.1f} {long['p99_ms']:>8.1f} {long['errors']:>7}")
total_errors = sum(r["errors"] for r in levels.values()) + (long["errors"] if long else 0)
ratio = levels[64]["sentences_per_second"] / cli["sentences_per_second"]
print(f"errors under load: {total_errors} (target 0)")
print(f"64 clients vs `s2s evaluate` beam 5 ({cli['sentences_per_second']:.1f} sentences/s): {100 * ratio:.0f}% (target ≥ 80%)")
d = levels[1]["p50_ms"] - lat["batch_latency_ms_median"]
print(f"1 client p50 {levels[1]['p50_ms']:.1f} ms vs CLI single-sentence median {lat['batch_latency_ms_median']:.1f} ms: {d:+.1f} ms (target within 2 ms)")
print(f"RSS with 64 clients: {rss_first:.0f} MB after {seconds} s, {rss_end:.0f} MB after {minutes} min: {100 * (rss_end / rss_first - 1):+.1f}% (target within 10%)")
PY
