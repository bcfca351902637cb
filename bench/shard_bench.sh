#!/usr/bin/env bash
# Training a course of 40 simulations in one shard, then in 4 shards at once, each shard
# in a folder of its own (as CI jobs would be), with whole-process wall times.
#
#   bench/shard_bench.sh [SIMULATIONS]      default 40
#
# Each simulation is a sweep of 4 networks 2-16-16-1, 2,000 epochs on a spirals dataset of
# about 1,000 points (a different even size for each, so no two share a cache file). Both runs
# start from an empty cache. Prints the wall time of each way and checks that the merged
# shards' cache holds the same files as the single shard's.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-40}
work=${BENCH_DIR:-/tmp/conceptlab-shard-bench}
rm -rf "$work"
mkdir -p "$work/site/content/lab"
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-$PWD/target}/release/conceptlab
printf 'title: Shard bench\n' >"$work/site/site.yaml"
printf -- '---\ntitle: Lab\n---\n' >"$work/site/content/lab/_course.md"
for i in $(seq 1 "$count"); do
  printf -- '---\ntitle: Lesson %d\nsimulations:\n  - id: sweep\n    kind: sweep\n    dataset: { kind: spirals, n: %d }\n    hidden: [16, 16]\n    epochs: 2000\n    resolution: 16\n    grid: { lr: [0.01, 0.03], seed: [1, 2] }\nwidgets:\n  - { kind: sweep-explorer, simulation: sweep }\n---\nText.\n' \
    "$i" $((1000 + 2 * i)) >"$work/site/content/lab/$(printf '%03d' "$i")-lesson-$i.md"
done
cp -r "$work/site" "$work/one"
"$bin" simulate --root "$work/one" --plan --shards 4 | head -n 6
start=$(date +%s.%N)
"$bin" simulate --quiet --root "$work/one" --shard 1/1
one=$(echo "$(date +%s.%N) - $start" | bc)
for i in 1 2 3 4; do cp -r "$work/site" "$work/shard-$i"; done
start=$(date +%s.%N)
for i in 1 2 3 4; do "$bin" simulate --quiet --root "$work/shard-$i" --shard "$i/4" & done
wait
four=$(echo "$(date +%s.%N) - $start" | bc)
mkdir -p "$work/merged"
for i in 1 2 3 4; do cp "$work/shard-$i/.cache/simulations/"*.clsim "$work/merged/"; done
if diff -rq "$work/one/.cache/simulations" "$work/merged" >/dev/null; then same=yes; else same=NO; fi
echo "simulations: $count; cores: $(nproc)"
echo "1 shard:             ${one} s wall"
echo "4 shards at once:    ${four} s wall"
echo "merged cache equals the single shard's: $same"
