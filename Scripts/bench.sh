#!/usr/bin/env bash
# `make bench`: s2s's speed and quality on Tatoeba English–French (../shared/corpora/tatoeba-en-fr, or
# BENCH_DATA=DIR with train.{en,fr} and dev.{en,fr}). Writes out/bench/report.json and prints a table:
#   training: target tokens/s and sentence pairs/s, FLOPs per target token, fraction of the sgemm peak,
#             peak RSS (s2s-bench, default model, BENCH_SECONDS of training, default 60);
#   quality:  dev BLEU and chrF after BENCH_MINUTES of training (default 10), greedy and beam 5;
#   translation: beam-5 sentences/s in batches of 64, single-sentence latency, model load time, and
#             `s2s translate "…"` wall time from process start.
# OpenBLAS picks its kernel for this CPU: OPENBLAS_CORETYPE is removed from the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
unset OPENBLAS_CORETYPE
data="${BENCH_DATA:-../shared/corpora/tatoeba-en-fr}"
seconds="${BENCH_SECONDS:-60}"
minutes="${BENCH_MINUTES:-10}"
out=out/bench
for f in train.en train.fr dev.en dev.fr; do
    [ -f "$data/$f" ] || { echo "bench.sh: $data/$f not found (set BENCH_DATA to a folder with train/dev .en/.fr)" >&2; exit 1; }
done
mkdir -p "$out"
swift build -c release --product s2s >&2
swift build -c release --product s2s-bench >&2
bin="$(swift build -c release --show-bin-path)"

echo "== training throughput ($seconds s)" >&2
"$bin/s2s-bench" --data "$data" --seconds "$seconds" --bpe 8000 --json "$out/train-speed.json" >&2

echo "== training for $minutes minutes" >&2
"$bin/s2s" train "$data/train.en" "$data/train.fr" --dev-src "$data/dev.en" --dev-tgt "$data/dev.fr" \
    --minutes "$minutes" --valid-every 500 --model "$out/model.s2s" --overwrite 2> "$out/train.log" >&2

echo "== translation" >&2
"$bin/s2s" evaluate --model "$out/model.s2s" "$data/dev.en" "$data/dev.fr" --beam 1 --json > "$out/dev-beam1.json"
"$bin/s2s" evaluate --model "$out/model.s2s" "$data/dev.en" "$data/dev.fr" --beam 5 --json > "$out/dev-beam5.json"
head -200 "$data/dev.en" > "$out/dev200.en"; head -200 "$data/dev.fr" > "$out/dev200.fr"
"$bin/s2s" evaluate --model "$out/model.s2s" "$out/dev200.en" "$out/dev200.fr" --beam 5 --batch-size 1 --json > "$out/latency.json"
best=""
for _ in 1 2 3 4 5; do
    t0=$(date +%s%N); "$bin/s2s" translate --model "$out/model.s2s" "I speak French" > /dev/null; t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 )); if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
done

field() { sed -n "s/^ *\"$2\" : \\{0,1\\}\\([^,]*\\),\\{0,1\\}$/\\1/p" "$1" | head -1 | tr -d '"'; }
{
    echo "{"
    echo "  \"date\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\", \"commit\": \"$(git rev-parse --short HEAD 2>/dev/null || echo unknown)\","
    echo "  \"training\": $(cat "$out/train-speed.json"),"
    echo "  \"dev_beam1\": $(cat "$out/dev-beam1.json"),"
    echo "  \"dev_beam5\": $(cat "$out/dev-beam5.json"),"
    echo "  \"latency_beam5_batch1\": $(cat "$out/latency.json"),"
    echo "  \"translate_wall_ms_best_of_5\": $best, \"training_minutes\": $minutes"
    echo "}"
} > "$out/report.json"

t="$out/train-speed.json"
printf '\n%-46s %s\n' "OpenBLAS core / threads" "$(field "$t" openblas_core) / $(field "$t" threads)"
printf '%-46s %.0f target tokens/s, %.1f pairs/s\n' "training speed" "$(field "$t" target_tokens_per_second)" "$(field "$t" sentence_pairs_per_second)"
printf '%-46s %.1f MFLOP/token, %.0f%% of %.0f GFLOP/s\n' "FLOPs and fraction of sgemm peak" \
    "$(awk "BEGIN { print $(field "$t" flops_per_target_token) / 1e6 }")" "$(awk "BEGIN { print $(field "$t" fraction_of_peak) * 100 }")" "$(field "$t" sgemm_peak_gflops)"
printf '%-46s %.0f MB\n' "training peak RSS" "$(field "$t" peak_rss_mb)"
printf '%-46s %s / %s\n' "dev BLEU / chrF after $minutes min, greedy" "$(field "$out/dev-beam1.json" bleu)" "$(field "$out/dev-beam1.json" chrf)"
printf '%-46s %s / %s\n' "dev BLEU / chrF after $minutes min, beam 5" "$(field "$out/dev-beam5.json" bleu)" "$(field "$out/dev-beam5.json" chrf)"
printf '%-46s %.1f\n' "beam 5, batches of 64: sentences/s" "$(field "$out/dev-beam5.json" sentences_per_second)"
printf '%-46s %.1f / %.1f ms\n' "beam 5, one sentence: median / p90 latency" "$(field "$out/latency.json" batch_latency_ms_median)" "$(field "$out/latency.json" batch_latency_ms_p90)"
printf '%-46s %.3f s\n' "model load" "$(field "$out/dev-beam5.json" model_load_seconds)"
printf '%-46s %s ms\n' "s2s translate \"…\" wall time (best of 5)" "$best"
echo "report: $out/report.json"
