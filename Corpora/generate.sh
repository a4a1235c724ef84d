#!/usr/bin/env bash
# Regenerates the bundled corpus (Corpora/bundled/{train,dev,test}.{en,fr}) from the Swift generator in
# Corpora/generator. Deterministic: the same seed always writes the same files. Extra arguments go to the
# generator (e.g. --seed N, --check-only, --dump FILE; see --help).
set -euo pipefail
cd "$(dirname "$0")/.."
swiftc -O Corpora/generator/*.swift -o /tmp/s2s-corpus-gen
/tmp/s2s-corpus-gen Corpora/bundled "$@"
