#!/usr/bin/env bash
# Builds joint-BPE vocabularies for the Tatoeba English–French corpus.
# The corpus is read where it lies (never copied); the output stays out of git (the script
# puts a .gitignore inside it).
# Usage: Vocab/build-tatoeba.sh [CORPUS_DIR] [OUT_DIR] [s2s vocab options...]
#   CORPUS_DIR  holds train.{en,fr} and optionally dev.{en,fr}; default ../shared/corpora/tatoeba-en-fr
#   OUT_DIR     default vocab-tatoeba (relative to the repository root)
#   Defaults: --bpe 8000 --min-count 2; later options override them (e.g. --bpe 16000).
#   S2S_BIN=path/to/s2s skips the release build.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${1:-$root/../shared/corpora/tatoeba-en-fr}"
out="${2:-$root/vocab-tatoeba}"
shift $(( $# < 2 ? $# : 2 ))

for side in en fr; do
    if [ ! -f "$corpus/train.$side" ]; then
        echo "build-tatoeba.sh: $corpus/train.$side not found; give the corpus directory as the first argument." >&2
        exit 1
    fi
done

# S2S_BIN=path/to/s2s skips the build (e.g. a binary from another scratch path).
bin="${S2S_BIN:-}"
if [ -z "$bin" ]; then
    (cd "$root" && swift build -c release --product s2s >&2)
    bin="$(cd "$root" && swift build -c release --show-bin-path)/s2s"
fi

dev=()
if [ -f "$corpus/dev.en" ] && [ -f "$corpus/dev.fr" ]; then
    dev=(--dev-src "$corpus/dev.en" --dev-tgt "$corpus/dev.fr")
fi
"$bin" vocab "$corpus/train.en" "$corpus/train.fr" --out "$out" --bpe 8000 --min-count 2 "${dev[@]}" "$@"
echo "*" > "$out/.gitignore"
