#!/usr/bin/env bash
# Seeds each fuzz target's corpus from the example course and the test fixtures.
# Usage: fuzz/seed.sh   (then: cargo +nightly fuzz run <target> -- -max_total_time=1800)
set -euo pipefail
cd "$(dirname "$0")/.."
for target in front_matter lesson_html markdown field_markdown math; do
  mkdir -p "fuzz/corpus/$target"
done
find content tests/fixtures -name '*.md' -not -name '_course.md' -print0 |
  while IFS= read -r -d '' file; do
    name=$(echo "$file" | tr '/' '_')
    cp "$file" "fuzz/corpus/front_matter/$name"
    cp "$file" "fuzz/corpus/lesson_html/$name"
    # The Markdown target takes a body: the text after the closing `---`.
    awk 'n >= 2 { print } /^---$/ { n++ }' "$file" > "fuzz/corpus/markdown/$name"
    # Front-matter values are Markdown of their own: the body stands in for one.
    cp "fuzz/corpus/markdown/$name" "fuzz/corpus/field_markdown/$name"
    # Every formula, one file each.
    grep -o '\$[^$]\+\$' "$file" | tr -d '$' | awk -v dir="fuzz/corpus/math" -v name="$name" \
      '{ f = dir "/" name "-" NR; printf "%s", $0 > f; close(f) }'
  done
# Nesting at the depth limit, for the math target to mutate from.
printf '%s' '\frac{\sqrt{\left( x^{y_{z}} \right)}}{\begin{matrix} a & b \\ c & d \end{matrix}}' \
  > fuzz/corpus/math/nesting
echo "seeded $(ls fuzz/corpus/front_matter | wc -l) files per target"
