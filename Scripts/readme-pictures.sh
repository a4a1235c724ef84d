#!/usr/bin/env bash
# Draws the README's pictures into Scripts/pictures from a trained model and training logs:
#   attention.svg   `s2s translate --attention-svg` on two sentences
#   curves.svg      `s2s plot` with the given arguments (logs, --name …)
#   web-page.png    the page of `s2s serve`, in headless Chromium (Scripts/web-page-check.py)
#
#   Scripts/readme-pictures.sh MODEL LOG [LOG ...] [--name NAME ...]   e.g. the README's Tatoeba runs:
#   Scripts/readme-pictures.sh tat-gru.s2s gru.log.jsonl lstm.log.jsonl rnn.log.jsonl \
#       --name GRU --name LSTM --name "Elman RNN"
# Each SVG is also rendered to PNG with rsvg-convert (apt-get install librsvg2-bin), to look at.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
model="$1"; shift
out=Scripts/pictures
mkdir -p "$out"
swift build -c release --product s2s >&2
swift build -c release --product s2s-serve >&2
bin="$(swift build -c release --show-bin-path)"
"$bin/s2s" translate --model "$model" --attention-svg "$out/attention.svg" \
    "I speak French." "She does not eat apples." > /dev/null
"$bin/s2s" plot "$@" -o "$out/curves.svg"
for f in attention curves; do rsvg-convert "$out/$f.svg" -o "/tmp/s2s-$f.png" && echo "rendered /tmp/s2s-$f.png" >&2; done
"$bin/s2s-serve" --model "$model" --port 0 > /tmp/s2s-pictures-serve.out &
server=$!
trap 'kill $server 2> /dev/null || true' EXIT
for _ in $(seq 100); do grep -q "listening on" /tmp/s2s-pictures-serve.out 2> /dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*:\([0-9]*\) (model.*/\1/p' /tmp/s2s-pictures-serve.out)
[ -n "$port" ] || { echo "readme-pictures.sh: s2s-serve did not start" >&2; exit 1; }
Scripts/web-page-check.py "http://127.0.0.1:$port/" "I speak French. She does not eat apples." "Je parle" "$out/web-page.png"
