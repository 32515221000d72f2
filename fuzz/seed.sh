#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ (not committed) with starting inputs:
#  - the hand-written seeds of fuzz/seeds/<target>/;
#  - the input of every example of tests/specs/sxs.txt;
#  - a few small articles of ../shared/corpus, when it is present.
# The shared corpus is CC BY 4.0 and is never copied into the repository,
# only into the ignored corpus/ folder here. Run from anywhere:
#   bash fuzz/seed.sh [ARTICLES_PER_LOCALE]   (default 8)
set -euo pipefail
cd "$(dirname "$0")"
per_locale=${1:-8}
targets=(sxs_scan front_matter article)
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  cp seeds/"$t"/* "corpus/$t/"
done

# Example inputs of the sxs spec: the lines between `~~~~ example` and the
# first `....` section line (→ stands for a tab).
awk -v dir="corpus/sxs_scan" '
  /^~~~~+ example/ { n++; file = sprintf("%s/spec-%03d.md", dir, n); inside = 1; printf "" > file; next }
  inside && /^\.\.\.\.+ / { inside = 0; close(file); next }
  inside && /^~~~~+$/ { inside = 0; close(file); next }
  inside { gsub(/→/, "\t"); print >> file }
' ../tests/specs/sxs.txt
for f in corpus/sxs_scan/spec-*.md; do
  cp "$f" "corpus/front_matter/$(basename "$f")"
  { printf '\x02'; cat "$f"; } > "corpus/article/$(basename "$f")"
done

shared=../../shared/corpus
if [ -d "$shared" ]; then
  i=0
  for locale_dir in "$shared"/*/; do
    locale=$(basename "$locale_dir")
    # The smallest articles of each locale: quick to run, still real.
    find "$locale_dir" -name '*.md' -size -6k -printf '%s %p\n' | sort -n | tail -n "$per_locale" |
      while read -r _ path; do
        name="corpus-$locale-$(basename "$path")"
        cp "$path" "corpus/sxs_scan/$name"
        cp "$path" "corpus/front_matter/$name"
        { printf "\\x$(printf %02x $i)"; cat "$path"; } > "corpus/article/$name"
      done
    i=$((i + 1))
  done
else
  echo "note: $shared is absent; seeded from the spec and fuzz/seeds only" >&2
fi
for t in "${targets[@]}"; do
  echo "$t: $(ls "corpus/$t" | wc -l) seeds"
done
