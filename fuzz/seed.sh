#!/usr/bin/env bash
# Seeds each fuzz target's corpus from the example course and the test fixtures.
# Usage: fuzz/seed.sh   (then: cargo +nightly fuzz run <target> -- -max_total_time=1800)
set -euo pipefail
cd "$(dirname "$0")/.."
for target in front_matter lesson_html markdown; do
  mkdir -p "fuzz/corpus/$target"
done
find content tests/fixtures -name '*.md' -not -name '_course.md' -print0 |
  while IFS= read -r -d '' file; do
    name=$(echo "$file" | tr '/' '_')
    cp "$file" "fuzz/corpus/front_matter/$name"
    cp "$file" "fuzz/corpus/lesson_html/$name"
    # The Markdown target takes a body: the text after the closing `---`.
    awk 'n >= 2 { print } /^---$/ { n++ }' "$file" > "fuzz/corpus/markdown/$name"
  done
echo "seeded $(ls fuzz/corpus/front_matter | wc -l) files per target"
