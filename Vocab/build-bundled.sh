#!/usr/bin/env bash
# Builds the vocabularies of the bundled corpus (Corpora/bundled/train.{en,fr}) into
# Vocab/bundled/. Word level (no BPE): the bundled corpus comes from a finite lexicon, so almost
# every word of its dev and test sets occurs in training, and subwords would only lengthen sentences.
# Extra arguments go to `s2s vocab` (e.g. --lowercase, --bpe 2000).
# Usage: Vocab/build-bundled.sh [s2s vocab options...]   (S2S_BIN=path/to/s2s skips the release build)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

corpus=Corpora/bundled
for side in en fr; do
    if [ ! -f "$corpus/train.$side" ]; then
        echo "build-bundled.sh: $corpus/train.$side not found; generate the bundled corpus first (see Corpora/)." >&2
        exit 1
    fi
done

# S2S_BIN=path/to/s2s skips the build (e.g. a binary from another scratch path).
bin="${S2S_BIN:-}"
if [ -z "$bin" ]; then
    swift build -c release --product s2s >&2
    bin="$(swift build -c release --show-bin-path)/s2s"
fi

dev=()
if [ -f "$corpus/dev.en" ] && [ -f "$corpus/dev.fr" ]; then
    dev=(--dev-src "$corpus/dev.en" --dev-tgt "$corpus/dev.fr")
fi
"$bin" vocab "$corpus/train.en" "$corpus/train.fr" --out Vocab/bundled --min-count 1 "${dev[@]}" "$@"
