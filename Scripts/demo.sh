#!/usr/bin/env bash
# `make demo`: builds the vocabularies of the bundled corpus, trains a model on it for a few minutes
# (DEMO_MINUTES, default 5), translates a handful of sentences, scores the bundled test set, and makes the
# model your default one (so `s2s translate "…"` works anywhere after `make install`).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(swift build -c release --show-bin-path)/s2s"
minutes="${DEMO_MINUTES:-5}"

echo "== vocabularies of the bundled corpus (Vocab/bundled)"
S2S_BIN="$bin" Vocab/build-bundled.sh

echo
echo "== training for $minutes minutes on Corpora/bundled (model: out/demo.s2s)"
mkdir -p out
"$bin" train --vocab Vocab/bundled --minutes "$minutes" --valid-every 400 --model out/demo.s2s --overwrite

echo
echo "== making it your default model"
"$bin" models --set-default out/demo.s2s

echo
echo "== translating"
printf '%s\n' "I speak French." "She does not eat apples." "We are going to the beach on Sunday." \
    "Do you like cats?" "My brother is not a doctor." "They will sing tomorrow." > out/demo.en
"$bin" translate --model out/demo.s2s < out/demo.en > out/demo.fr
paste out/demo.en out/demo.fr | sed 's/\t/  →  /'

echo
echo "== the bundled test set (1,000 sentences, beam 5)"
"$bin" evaluate --model out/demo.s2s Corpora/bundled/test.en Corpora/bundled/test.fr

echo
echo "== next: make install, then in a new shell: s2s translate \"I speak French\""
