#!/usr/bin/env bash
# Downloads the Tatoeba English–French sentence pairs as packaged by manythings.org/anki (fra-eng.zip,
# lines "English<TAB>French<TAB>attribution"), NFC-normalises and trims them, removes duplicate pairs and
# splits them by English sentence (seeded, so no dev/test English sentence is in train) into
# OUT_DIR/{train,dev,test}.{en,fr}. Data: CC-BY 2.0 FR, tatoeba.org and www.manythings.org/anki.
#
# usage: Corpora/fetch-tatoeba.sh [OUT_DIR]        (default: Corpora/tatoeba, git-ignored)
# environment: TATOEBA_URL (default https://www.manythings.org/anki/fra-eng.zip), TATOEBA_ZIP (use a
#   zip already on disk instead of downloading), SPLIT_SEED (default 1234), DEV_SIZE / TEST_SIZE
#   (English sentences in dev / test, default 2000 each).
set -euo pipefail

die() { echo "fetch-tatoeba: $*" >&2; exit 1; }

case "${1:-}" in
  -h|--help)
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
    exit 0 ;;
esac

here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/tatoeba}"
url="${TATOEBA_URL:-https://www.manythings.org/anki/fra-eng.zip}"
seed="${SPLIT_SEED:-1234}"
dev_size="${DEV_SIZE:-2000}"
test_size="${TEST_SIZE:-2000}"
for n in "$seed" "$dev_size" "$test_size"; do
  [[ "$n" =~ ^[0-9]+$ ]] || die "SPLIT_SEED, DEV_SIZE and TEST_SIZE must be non-negative integers (got '$n')"
done

command -v python3 >/dev/null 2>&1 || die "python3 is needed for NFC normalisation and the split; install it (e.g. apt-get install python3)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
zip="$work/fra-eng.zip"

if [[ -n "${TATOEBA_ZIP:-}" ]]; then
  [[ -f "$TATOEBA_ZIP" ]] || die "TATOEBA_ZIP=$TATOEBA_ZIP: no such file"
  cp "$TATOEBA_ZIP" "$zip"
else
  echo "fetch-tatoeba: downloading $url"
  # manythings.org refuses some non-browser user agents, so send an ordinary one.
  agent="Mozilla/5.0 (X11; Linux x86_64) s2s-fetch-tatoeba"
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 3 --connect-timeout 20 -A "$agent" -o "$zip" "$url" \
      || die "download failed with curl: $url (offline? set TATOEBA_ZIP to a downloaded fra-eng.zip)"
  elif command -v wget >/dev/null 2>&1; then
    wget -q --tries=3 --timeout=20 -U "$agent" -O "$zip" "$url" \
      || die "download failed with wget: $url (offline? set TATOEBA_ZIP to a downloaded fra-eng.zip)"
  else
    die "neither curl nor wget is installed; install one, or set TATOEBA_ZIP to a downloaded fra-eng.zip"
  fi
fi

# Extract fra.txt: unzip if present, otherwise Python's zipfile module.
mkdir -p "$work/x"
if command -v unzip >/dev/null 2>&1; then
  unzip -q -o "$zip" -d "$work/x" || die "cannot unzip $zip (is it really a zip file? first bytes: $(head -c 40 "$zip" | tr -d '\0'))"
else
  python3 -m zipfile -e "$zip" "$work/x" || die "cannot extract $zip with python3 -m zipfile"
fi
txt="$(find "$work/x" -name 'fra.txt' -type f | head -n 1)"
[[ -n "$txt" ]] || die "the archive has no fra.txt (contents: $(find "$work/x" -type f -printf '%f ' ))"

mkdir -p "$work/split"
python3 - "$txt" "$work/split" "$seed" "$dev_size" "$test_size" <<'PY'
import random, sys, unicodedata
src, dst, seed, dev_size, test_size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])

def clean(s):
    return " ".join(unicodedata.normalize("NFC", s).split())

pairs, seen, bad = [], set(), 0
with open(src, encoding="utf-8") as f:
    for number, line in enumerate(f, 1):
        fields = line.rstrip("\n").split("\t")
        if len(fields) < 2:
            bad += 1
            continue
        en, fr = clean(fields[0]), clean(fields[1])
        if not en or not fr:
            bad += 1
            continue
        if (en, fr) in seen:
            continue
        seen.add((en, fr))
        pairs.append((en, fr))
if len(pairs) < 1000:
    sys.exit(f"fetch-tatoeba: only {len(pairs)} pairs read from fra.txt ({bad} malformed lines); the file format may have changed")

# Split by English sentence: every pair of one English sentence goes to the same side.
by_en = {}
for en, fr in pairs:
    by_en.setdefault(en, []).append(fr)
english = sorted(by_en)
random.Random(seed).shuffle(english)
if dev_size + test_size >= len(english):
    sys.exit(f"fetch-tatoeba: DEV_SIZE + TEST_SIZE ({dev_size + test_size}) must be below the {len(english)} English sentences")
test_en, dev_en, train_en = english[:test_size], english[test_size:test_size + dev_size], english[test_size + dev_size:]

def write(name, rows):
    with open(f"{dst}/{name}.en", "w", encoding="utf-8") as e, open(f"{dst}/{name}.fr", "w", encoding="utf-8") as r:
        for en, fr in rows:
            e.write(en + "\n")
            r.write(fr + "\n")

train_rows = [(en, fr) for en in train_en for fr in by_en[en]]
random.Random(seed + 1).shuffle(train_rows)
write("train", train_rows)
# dev and test keep one French reference (the first listed) per English sentence.
write("dev", [(en, by_en[en][0]) for en in dev_en])
write("test", [(en, by_en[en][0]) for en in test_en])
print(f"fetch-tatoeba: {len(pairs)} distinct pairs ({bad} malformed lines skipped); "
      f"train {len(train_rows)}, dev {len(dev_en)}, test {len(test_en)}")
PY

mkdir -p "$out"
for f in train.en train.fr dev.en dev.fr test.en test.fr; do
  mv "$work/split/$f" "$out/$f"
done
cat > "$out/ATTRIBUTION.txt" <<TXT
Sentence pairs from the Tatoeba Project (https://tatoeba.org), as packaged by https://www.manythings.org/anki
(fra-eng.zip, downloaded $(date -u +%Y-%m-%d)). License: CC-BY 2.0 France. Attribution: tatoeba.org and
www.manythings.org/anki. Prepared by Corpora/fetch-tatoeba.sh (NFC, trimmed, duplicate pairs removed, split by
English sentence with seed $seed).
TXT
echo "fetch-tatoeba: wrote $out/{train,dev,test}.{en,fr}"
