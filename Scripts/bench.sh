#!/usr/bin/env bash
# `make bench`: s2s's speed and quality on Tatoeba English–French, optionally side by side with the PyTorch
# peer (../shared/peers/torch_s2s.py). Writes out/bench/report.json and prints a table.
#
#   Scripts/bench.sh [--peer] [--minutes N] [--seconds N] [--load-minutes N] [--venv DIR] [--report-only]
#   make bench BENCH_ARGS="--peer --minutes 14"
# --report-only rebuilds the table and report.json from the results already in out/bench.
#
#   training:    sentence pairs/s and target tokens/s over a whole `s2s train` run of --minutes (default 10),
#                and in a steady --seconds window (default 60) of s2s-bench, which also gives the analytical
#                FLOPs per target token and the fraction of the sgemm peak measured in the same run;
#                peak RSS of the training process, and at the end of each phase (reading and vocabularies,
#                encoding, shortlist, first steps, training to the first validation, that validation); the
#                whole run's pairs/s also by the wall clock (validations and checkpoints included);
#   quality:     dev BLEU and chrF of that model, greedy and beam 5; the training time at which dev BLEU
#                first reached the peer's 40-minute score (../shared/peers/results-torch-40min.json);
#   translation: beam-5 sentences/s over the 2,000 dev sentences in batches of 64 (as the peer) and of
#                s2s's default size, greedy likewise; batches of 64 also with --no-shortlist (the full
#                vocabulary) and with --precision float32, and the BLEU the shortlist and int8 change,
#                single-sentence beam-5 latency (first 200 dev sentences), model load time, and
#                `s2s translate "…"` wall time from process start;
#   serving:     `s2s serve` under load (Scripts/load-test.sh): wrk, one-sentence beam-5 requests, 60 s each
#                with 1, 8 and 64 clients, sentences/s, p50/p99 latency, errors, and RSS after 1 and after
#                --load-minutes (default 10) minutes of 64 clients; --load-minutes 0 skips it;
#   environment: OpenBLAS core, threads, commit, date.
# --peer trains and evaluates the peer with the same data, budget and 2 threads, after s2s, and adds
# s2s/peer ratios and the issue's targets. It needs torch, numpy and sacrebleu in a Python virtual
# environment outside the repository (--venv, default ~/.cache/s2s/peer-venv), created when missing.
# Without --peer the bench needs nothing beyond the project.
# OpenBLAS picks its kernel as on a user's machine: OPENBLAS_CORETYPE is removed from the environment.
# BENCH_DATA=DIR uses another corpus with train.{en,fr} and dev.{en,fr}.
set -euo pipefail
cd "$(dirname "$0")/.."
unset OPENBLAS_CORETYPE

peer=0
report_only=0
minutes="${BENCH_MINUTES:-10}"
seconds="${BENCH_SECONDS:-60}"
load_minutes=10
venv="${S2S_PEER_VENV:-$HOME/.cache/s2s/peer-venv}"
while [ $# -gt 0 ]; do
    case "$1" in
        --peer) peer=1 ;;
        --minutes) minutes="$2"; shift ;;
        --seconds) seconds="$2"; shift ;;
        --load-minutes) load_minutes="$2"; shift ;;
        --venv) venv="$2"; shift ;;
        --report-only) report_only=1 ;;
        -h|--help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
case "$load_minutes" in ''|*[!0-9]*) echo "bench.sh: --load-minutes takes whole minutes" >&2; exit 2 ;; esac
data="${BENCH_DATA:-../shared/corpora/tatoeba-en-fr}"
peer_script=../shared/peers/torch_s2s.py
peer_reference=../shared/peers/results-torch-40min.json
out=out/bench
for f in train.en train.fr dev.en dev.fr; do
    [ -f "$data/$f" ] || { echo "bench.sh: $data/$f not found (set BENCH_DATA to a folder with train/dev .en/.fr)" >&2; exit 1; }
done
if [ "$report_only" = 1 ]; then
    [ -f "$out/s2s.txt" ] || { echo "bench.sh: --report-only needs the results of an earlier run in $out" >&2; exit 1; }
    [ -s "$out/peer.txt" ] && peer=1
fi
if [ "$peer" = 1 ] && [ "$report_only" = 0 ]; then
    [ -f "$peer_script" ] || { echo "bench.sh: --peer needs $peer_script" >&2; exit 1; }
    if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import torch, numpy, sacrebleu' 2>/dev/null; then
        echo "bench.sh: creating a Python virtual environment for the PyTorch peer in $venv" >&2
        echo "bench.sh: (pip install torch numpy sacrebleu: a large download, about 5 GB)" >&2
        command -v python3 > /dev/null || { echo "bench.sh: --peer needs python3" >&2; exit 1; }
        python3 -m venv "$venv"
        "$venv/bin/pip" install torch numpy sacrebleu >&2
    fi
fi
if [ "$report_only" = 0 ]; then
rm -rf "$out"; mkdir -p "$out"
date -u +%Y-%m-%dT%H:%MZ > "$out/run-date.txt"
git rev-parse --short HEAD > "$out/run-commit.txt" 2>/dev/null || echo unknown > "$out/run-commit.txt"
swift build -c release --product s2s >&2
swift build -c release --product s2s-bench >&2
bin="$(swift build -c release --show-bin-path)"

# --- s2s -----------------------------------------------------------------------------------------------
echo "== s2s: steady training throughput ($seconds s)" >&2
"$bin/s2s-bench" --data "$data" --seconds "$seconds" --bpe 8000 --json "$out/train-speed.json" >&2

echo "== s2s: training for $minutes minutes (log: $out/train.log)" >&2
"$bin/s2s" train "$data/train.en" "$data/train.fr" --dev-src "$data/dev.en" --dev-tgt "$data/dev.fr" \
    --minutes "$minutes" --valid-every 500 --model "$out/model.s2s" --overwrite 2> "$out/train.log"
tail -1 "$out/train.log" >&2

echo "== s2s: translation" >&2
"$bin/s2s" evaluate --model "$out/model.s2s" "$data/dev.en" "$data/dev.fr" --beam 1 --json > "$out/dev-beam1.json"
"$bin/s2s" evaluate --model "$out/model.s2s" "$data/dev.en" "$data/dev.fr" --beam 5 --json > "$out/dev-beam5.json"
"$bin/s2s" evaluate --model "$out/model.s2s" "$data/dev.en" "$data/dev.fr" --beam 1 --batch-size 64 --json > "$out/dev-beam1-b64.json"
"$bin/s2s" evaluate --model "$out/model.s2s" "$data/dev.en" "$data/dev.fr" --beam 5 --batch-size 64 --json > "$out/dev-beam5-b64.json"
# The same without the model's lexical shortlist: the full-vocabulary speed, and what the shortlist costs.
"$bin/s2s" evaluate --model "$out/model.s2s" "$data/dev.en" "$data/dev.fr" --beam 5 --batch-size 64 --no-shortlist --json > "$out/dev-beam5-b64-full.json"
"$bin/s2s" evaluate --model "$out/model.s2s" "$data/dev.en" "$data/dev.fr" --beam 1 --batch-size 64 --no-shortlist --json > "$out/dev-beam1-b64-full.json"
# And in float32 (the default is int8 where the CPU has VNNI): what int8 costs.
"$bin/s2s" evaluate --model "$out/model.s2s" "$data/dev.en" "$data/dev.fr" --beam 5 --batch-size 64 --precision float32 --json > "$out/dev-beam5-b64-float.json"
head -200 "$data/dev.en" > "$out/dev200.en"; head -200 "$data/dev.fr" > "$out/dev200.fr"
"$bin/s2s" evaluate --model "$out/model.s2s" "$out/dev200.en" "$out/dev200.fr" --beam 5 --batch-size 1 --json > "$out/latency.json"
best=""
for _ in 1 2 3 4 5; do
    t0=$(date +%s%N); "$bin/s2s" translate --model "$out/model.s2s" "I speak French" > /dev/null; t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 )); if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
done
echo "$best" > "$out/translate-wall-ms.txt"

if [ "$load_minutes" != 0 ]; then
    echo "== s2s serve under load ($load_minutes minutes)" >&2
    Scripts/load-test.sh --model "$out/model.s2s" --minutes "$load_minutes" --out "$out/load" > /dev/null
fi

fi  # report_only

# Flat "key value" figures, so one awk program can tabulate s2s and the peer alike.
field() { sed -n "s/^ *\"$2\" : \\{0,1\\}\\([^,]*\\),\\{0,1\\}$/\\1/p" "$1" | head -1 | tr -d '"'; }
logfield() { sed -n "s/.*\"$1\":\\([^,}]*\\).*/\\1/p"; }
summary=$(grep '"type":"summary"' "$out/model.s2s.log.jsonl" | tail -1)
# The peer's greedy dev BLEU after 40 minutes, and when s2s's validation first reached it.
peer40=$(awk '/"dev_end_greedy"/ { f = 1 } f && /"bleu"/ { gsub(/[^0-9.]/, "", $2); print $2; exit }' "$peer_reference" 2>/dev/null || true)
reached=$(grep '"type":"validation"' "$out/model.s2s.log.jsonl" | awk -v goal="${peer40:-1e9}" '
    { match($0, /"dev_bleu":[0-9.e+-]+/); b = substr($0, RSTART + 11, RLENGTH - 11)
      match($0, /"train_seconds":[0-9.e+-]+/); s = substr($0, RSTART + 16, RLENGTH - 16)
      if (b + 0 >= goal + 0) { printf "%.1f", s / 60; exit } }')
{
    t="$out/train-speed.json"
    echo "bench_pairs_per_s $(field "$t" sentence_pairs_per_second)"
    echo "bench_tokens_per_s $(field "$t" target_tokens_per_second)"
    echo "mflops_per_token $(awk "BEGIN { print $(field "$t" flops_per_target_token) / 1e6 }")"
    echo "fraction_of_peak $(field "$t" fraction_of_peak)"
    echo "sgemm_peak_gflops $(field "$t" sgemm_peak_gflops)"
    echo "train_pairs_per_s $(echo "$summary" | logfield pairs_per_s)"
    echo "train_tokens_per_s $(echo "$summary" | logfield tok_per_s)"
    echo "train_peak_rss_mb $(echo "$summary" | logfield peak_rss_mb)"
    echo "train_wall_pairs_per_s $(echo "$summary" | logfield wall_pairs_per_s)"
    # Peak RSS at the end of each phase of the run (the log's "memory" rows), as rss_<phase> keys.
    { grep '"type":"memory"' "$out/model.s2s.log.jsonl" || true; } | awk '
        { match($0, /"phase":"[^"]*"/); p = substr($0, RSTART + 9, RLENGTH - 10); gsub(/ /, "_", p)
          match($0, /"peak_rss_mb":[0-9.e+-]+/); v = substr($0, RSTART + 14, RLENGTH - 14)
          print "rss_" p, v }'
    echo "dev_bleu_beam1 $(field "$out/dev-beam1.json" bleu)"
    echo "dev_chrf_beam1 $(field "$out/dev-beam1.json" chrf)"
    echo "dev_bleu_beam5 $(field "$out/dev-beam5.json" bleu)"
    echo "dev_chrf_beam5 $(field "$out/dev-beam5.json" chrf)"
    echo "minutes_to_peer40 ${reached:-n/a}"
    echo "beam5_sent_per_s $(field "$out/dev-beam5-b64.json" sentences_per_second)"
    echo "beam5_full_sent_per_s $(field "$out/dev-beam5-b64-full.json" sentences_per_second)"
    echo "greedy_sent_per_s $(field "$out/dev-beam1-b64.json" sentences_per_second)"
    echo "greedy_full_sent_per_s $(field "$out/dev-beam1-b64-full.json" sentences_per_second)"
    echo "shortlist_bleu_change_beam5 $(awk "BEGIN { printf \"%.2f\", $(field "$out/dev-beam5-b64.json" bleu) - $(field "$out/dev-beam5-b64-full.json" bleu) }")"
    echo "beam5_float_sent_per_s $(field "$out/dev-beam5-b64-float.json" sentences_per_second)"
    echo "int8_bleu_change_beam5 $(awk "BEGIN { printf \"%.2f\", $(field "$out/dev-beam5-b64.json" bleu) - $(field "$out/dev-beam5-b64-float.json" bleu) }")"
    echo "shortlist_bleu_change_beam1 $(awk "BEGIN { printf \"%.2f\", $(field "$out/dev-beam1-b64.json" bleu) - $(field "$out/dev-beam1-b64-full.json" bleu) }")"
    echo "beam5_default_sent_per_s $(field "$out/dev-beam5.json" sentences_per_second)"
    echo "greedy_default_sent_per_s $(field "$out/dev-beam1.json" sentences_per_second)"
    echo "latency_median_ms $(field "$out/latency.json" batch_latency_ms_median)"
    echo "latency_p90_ms $(field "$out/latency.json" batch_latency_ms_p90)"
    echo "model_load_s $(field "$out/dev-beam5.json" model_load_seconds)"
    echo "translate_wall_ms $(cat "$out/translate-wall-ms.txt")"
} > "$out/s2s.txt"
core=$(field "$out/train-speed.json" openblas_core)
threads=$(field "$out/train-speed.json" threads)

# --- the peer ------------------------------------------------------------------------------------------
torch_version=""
if [ "$peer" = 1 ] && [ "$report_only" = 1 ]; then
    torch_version=$(awk '$1 == "torch_version" { print $2 }' "$out/peer.txt")
elif [ "$peer" = 1 ]; then
    echo "== peer: PyTorch, $minutes minutes of training, then evaluation (log: $out/peer.log)" >&2
    mkdir -p "$out/peer"
    "$venv/bin/python" "$peer_script" --minutes "$minutes" --data "$data" --outdir "$out/peer" --threads 2 \
        --ckpt "$out/peer/model.pt" > "$out/peer.log" 2>&1 || { tail -5 "$out/peer.log" >&2; exit 1; }
    tail -1 "$out/peer.log" >&2
    "$venv/bin/python" - "$out/peer"/results-torch-*min.json > "$out/peer.txt" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
t, f, s = r["train"], r["flops"], r["test_speed"]
figures = {
    "train_pairs_per_s": t["sent_per_s"], "train_tokens_per_s": t["tok_per_s"],
    "mflops_per_token": f["fwd_bwd_flops_per_target_token_useful"] / 1e6,
    "fraction_of_peak": f["efficiency_vs_measured_peak"], "sgemm_peak_gflops": r["sgemm_2048_gflops_best"],
    "train_peak_rss_mb": r["peak_rss_mb"],
    "dev_bleu_beam1": r["dev_end_greedy"]["bleu"], "dev_chrf_beam1": r["dev_end_greedy"]["chrf"],
    "dev_bleu_beam5": r["dev_end_beam5"]["bleu"], "dev_chrf_beam5": r["dev_end_beam5"]["chrf"],
    "minutes_to_peer40": 40,
    "beam5_sent_per_s": s["beam5_batch64_sent_per_s"], "greedy_sent_per_s": s["greedy_batch64_sent_per_s"],
    # The peer has no shortlist: its one speed is compared with s2s's with and without.
    "beam5_full_sent_per_s": s["beam5_batch64_sent_per_s"], "greedy_full_sent_per_s": s["greedy_batch64_sent_per_s"],
    "beam5_float_sent_per_s": s["beam5_batch64_sent_per_s"],
    "beam5_default_sent_per_s": s["beam5_batch64_sent_per_s"], "greedy_default_sent_per_s": s["greedy_batch64_sent_per_s"],
    "latency_median_ms": s["beam5_batch1_first200"]["median_ms"], "latency_p90_ms": s["beam5_batch1_first200"]["p90_ms"],
}
for k, v in figures.items(): print(k, v)
print("torch_version", r["torch"])
EOF
    torch_version=$(awk '$1 == "torch_version" { print $2 }' "$out/peer.txt")
fi

# --- the report ----------------------------------------------------------------------------------------
touch "$out/peer.txt"
awk -v minutes="$minutes" -v seconds="$seconds" -v peer40="${peer40:-n/a}" -v core="$core" -v threads="$threads" \
    -v commit="$(cat "$out/run-commit.txt")" -v date="$(cat "$out/run-date.txt")" \
    -v torch="$torch_version" -v json="$out/report.json" '
FNR == NR { s2s[$1] = $2; next }
{ peer[$1] = $2; npeer++ }
function num(x) { return x != "" && x != "n/a" }
# name | key | format | how s2s compares with the peer (ratio, diff) | target (op value) 
function row(name, key, fmt, cmp, op, goal,    a, b, r, shown, status) {
    a = s2s[key]; b = peer[key]; r = ""; shown = ""; status = ""
    if (num(a) && num(b)) {
        if (cmp == "ratio" && b + 0 != 0) { r = a / b; shown = sprintf("%.2f×", r) }
        if (cmp == "diff") { r = a - b; shown = sprintf("%+.2f", r) }
        if (op != "" && r != "") status = ((op == ">=" && r >= goal) || (op == "<=" && r <= goal)) ? "met" : "MISSED"
    } else if (key == "minutes_to_peer40" && num(b) && !num(a)) { shown = "—"; status = "not reached" }
    printf "%-50s %12s %12s %10s  %-8s %s\n", name, num(a) ? sprintf(fmt, a) : "—", \
        havepeer ? (num(b) ? sprintf(fmt, b) : "—") : "", shown, op == "" ? "" : op " " (cmp == "diff" ? sprintf("%+g", goal) : sprintf("%.3g×", goal)), havepeer ? status : ""
    rows = rows sprintf("%s    {\"figure\": \"%s\", \"key\": \"%s\", \"s2s\": %s, \"peer\": %s, \"s2s_vs_peer\": %s, \"compare\": \"%s\", \"target\": %s, \"status\": %s}", \
        rows == "" ? "" : ",\n", name, key, num(a) ? a : "null", num(b) ? b : "null", r == "" ? "null" : r, cmp, \
        op == "" ? "null" : "\"" op " " goal "\"", status == "" ? "null" : "\"" status "\"")
}
END {
    havepeer = npeer > 0
    printf "\ns2s%s, %s, OpenBLAS core %s, %s threads, commit %s; budget %s min of training\n", \
        havepeer ? " vs PyTorch " torch : "", date, core, threads, commit, minutes
    printf "%-50s %12s %12s %10s  %s\n", "figure", "s2s", havepeer ? "peer" : "", havepeer ? "s2s/peer" : "", havepeer ? "target" : ""
    row("training: sentence pairs/s", "train_pairs_per_s", "%.0f", "ratio", ">=", 2.2)
    row("training: target tokens/s (own units)", "train_tokens_per_s", "%.0f", "", "", "")
    row("training: pairs/s, steady " seconds " s (s2s-bench)", "bench_pairs_per_s", "%.0f", "", "", "")
    row("training: MFLOP per target token", "mflops_per_token", "%.1f", "", "", "")
    row("training: fraction of sgemm peak", "fraction_of_peak", "%.2f", "ratio", "", "")
    row("sgemm peak, GFLOP/s (2048³)", "sgemm_peak_gflops", "%.0f", "ratio", "", "")
    row("training: pairs/s, wall clock incl. validation", "train_wall_pairs_per_s", "%.0f", "", "", "")
    row("peak RSS in training, MB", "train_peak_rss_mb", "%.0f", "ratio", "<=", 0.5)
    # The phases `s2s train` logs, in order (its "memory" rows; the last is the whole run, above).
    n = split("reading and vocabularies|encoding|shortlist|the first steps|training to the first validation|the first validation", phases, "|")
    for (i = 1; i <= n; i++) { key = phases[i]; gsub(/ /, "_", key); row("  peak RSS by: " phases[i], "rss_" key, "%.0f", "", "", "") }
    row("dev BLEU after " minutes " min, greedy", "dev_bleu_beam1", "%.2f", "diff", ">=", 2)
    row("dev chrF after " minutes " min, greedy", "dev_chrf_beam1", "%.2f", "diff", "", "")
    row("dev BLEU after " minutes " min, beam 5", "dev_bleu_beam5", "%.2f", "diff", ">=", 2)
    row("dev chrF after " minutes " min, beam 5", "dev_chrf_beam5", "%.2f", "diff", "", "")
    row("minutes to dev BLEU " peer40 " (peer: 40 min)", "minutes_to_peer40", "%.1f", "ratio", "<=", 1/3)
    row("beam 5, batches of 64, shortlist: sentences/s", "beam5_sent_per_s", "%.0f", "ratio", ">=", 5)
    row("beam 5, batches of 64, full vocabulary: sent/s", "beam5_full_sent_per_s", "%.0f", "ratio", ">=", 3)
    row("greedy, batches of 64, shortlist: sentences/s", "greedy_sent_per_s", "%.0f", "ratio", ">=", 4)
    row("greedy, batches of 64, full vocabulary: sent/s", "greedy_full_sent_per_s", "%.0f", "ratio", "", "")
    row("shortlist BLEU change, beam 5 (target >= -0.2)", "shortlist_bleu_change_beam5", "%+.2f", "", "", "")
    row("shortlist BLEU change, greedy (target >= -0.2)", "shortlist_bleu_change_beam1", "%+.2f", "", "", "")
    row("beam 5, batches of 64, shortlist, float32: sent/s", "beam5_float_sent_per_s", "%.0f", "ratio", "", "")
    row("int8 BLEU change, beam 5 (target >= -0.3)", "int8_bleu_change_beam5", "%+.2f", "", "", "")
    row("beam 5, s2s default batch size: sentences/s", "beam5_default_sent_per_s", "%.0f", "ratio", "", "")
    row("greedy, s2s default batch size: sentences/s", "greedy_default_sent_per_s", "%.0f", "ratio", "", "")
    row("beam 5, one sentence: median ms", "latency_median_ms", "%.1f", "ratio", "<=", 1/5)
    row("beam 5, one sentence: p90 ms", "latency_p90_ms", "%.1f", "ratio", "", "")
    row("model load, s", "model_load_s", "%.3f", "", "", "")
    row("s2s translate \"…\" wall time, ms (best of 5)", "translate_wall_ms", "%.0f", "", "", "")
    printf "{\n  \"date\": \"%s\", \"commit\": \"%s\", \"openblas_core\": \"%s\", \"threads\": %s,\n  \"training_minutes\": %s, \"peer\": %s,\n  \"figures\": [\n%s\n  ]\n}\n", \
        date, commit, core, threads, minutes, havepeer ? "\"PyTorch " torch "\"" : "null", rows > json
}' "$out/s2s.txt" "$out/peer.txt" | tee "$out/table.txt"
[ -f "$out/load/load.txt" ] && cat "$out/load/load.txt"
echo "report: $out/report.json, $out/load/load.json (details: the other files in $out)"
