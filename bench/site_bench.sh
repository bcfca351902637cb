#!/usr/bin/env bash
# Cold builds of generated lesson sites: wall time, CPU time, peak memory, lessons/s.
#
#   bench/site_bench.sh [SIZES...]        default: 114 1000 10000
#
# Generates each corpus once (bench/gen_corpus.py --tool conceptlab, the same lessons
# as the other tools' corpora in the comparison), builds conceptlab in release mode, then
# builds each site RUNS times (default 3) into a fresh output folder and prints one line
# per run from GNU time. Needs python3 and /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then sizes=(114 1000 10000); else sizes=("$@"); fi
runs=${RUNS:-3}
work=${BENCH_DIR:-/tmp/conceptlab-bench}
mkdir -p "$work"
cargo build --release --quiet
bin=$PWD/target/release/conceptlab
printf '%-7s %-4s %9s %9s %10s %11s\n' lessons run wall_s cpu_s peak_MiB lessons/s
for n in "${sizes[@]}"; do
  site="$work/site-$n"
  [ -d "$site" ] || python3 bench/gen_corpus.py --tool conceptlab --pages "$n" --out "$site" >/dev/null
  for run in $(seq 1 "$runs"); do
    out=$(mktemp -u -d "$work/out-$n.XXXXXX")
    stats=$( { /usr/bin/time -f '%e %U %S %M' "$bin" build --quiet --root "$site" --output "$out" \
                 --base-url https://example.org/ >/dev/null; } 2>&1 | tail -n 1)
    read -r wall user sys rss <<<"$stats"
    awk -v n="$n" -v r="$run" -v w="$wall" -v u="$user" -v s="$sys" -v m="$rss" \
      'BEGIN { printf "%-7d %-4d %9.2f %9.2f %10.0f %11.0f\n", n, r, w, u + s, m / 1024, n / w }'
    rm -rf "$out"
  done
done
