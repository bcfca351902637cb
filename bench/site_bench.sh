#!/usr/bin/env bash
# Cold builds of generated lesson sites, side by side with Hugo when it is installed:
# wall time, CPU time, peak memory and lessons per second.
#
#   bench/site_bench.sh [SIZES...]        default: 114 1000 10000
#   RUNS=5 bench/site_bench.sh 1000       runs per tool and size (default 3)
#
# For each size it generates the corpora once (bench/gen_corpus.py: the same lessons for
# every tool), builds conceptlab in release mode, then runs the builds in turn
# (conceptlab, conceptlab without search, Hugo, conceptlab, ...) so that a change in the
# machine's speed hits all of them alike. As in ../shared/bench/ssg-results.md, every run
# writes into a fresh output folder, and the outputs are deleted only after the size's
# last run: ext4 keeps recently deleted inodes aside for a while, and creating thousands
# of files right after deleting thousands costs several times the usual system time.
#
# Prints one line per run (GNU time) and the median of each tool. Needs python3 and
# /usr/bin/time; Hugo is optional (`apt-get install hugo`).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then sizes=(114 1000 10000); else sizes=("$@"); fi
runs=${RUNS:-3}
work=${BENCH_DIR:-/tmp/conceptlab-bench}
mkdir -p "$work"
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-$PWD/target}/release/conceptlab
have_hugo=$(command -v hugo >/dev/null && echo 1 || echo 0)

corpus() { # corpus TOOL N DIR
  [ -d "$3" ] || python3 bench/gen_corpus.py --tool "$1" --pages "$2" --out "$3" >/dev/null
}

results=$(mktemp)
printf '%-7s %-22s %-4s %9s %9s %10s %11s\n' lessons tool run wall_s cpu_s peak_MiB lessons/s
for n in "${sizes[@]}"; do
  corpus conceptlab "$n" "$work/site-$n"
  if [ ! -d "$work/site-$n-nosearch" ]; then
    cp -r "$work/site-$n" "$work/site-$n-nosearch"
    printf 'search: false\n' >>"$work/site-$n-nosearch/site.yaml"
  fi
  tools=(conceptlab conceptlab-no-search)
  if [ "$have_hugo" = 1 ]; then
    corpus hugo "$n" "$work/hugo-$n"
    tools+=(hugo)
  fi
  outs="$work/out-$n"
  mkdir -p "$outs"
  for run in $(seq 1 "$runs"); do
    for tool in "${tools[@]}"; do
      out=$(mktemp -u -d "$outs/$tool.XXXXXX")
      case $tool in
        conceptlab) cmd=("$bin" build --quiet --root "$work/site-$n" --output "$out" --base-url https://example.org/) ;;
        conceptlab-no-search) cmd=("$bin" build --quiet --root "$work/site-$n-nosearch" --output "$out" --base-url https://example.org/) ;;
        hugo) cmd=(hugo --quiet --source "$work/hugo-$n" --destination "$out") ;;
      esac
      stats=$( { /usr/bin/time -f '%e %U %S %M' "${cmd[@]}" >/dev/null; } 2>&1 | tail -n 1)
      read -r wall user sys rss <<<"$stats"
      line=$(awk -v n="$n" -v t="$tool" -v r="$run" -v w="$wall" -v u="$user" -v s="$sys" -v m="$rss" \
        'BEGIN { printf "%-7d %-22s %-4d %9.2f %9.2f %10.0f %11.0f", n, t, r, w, u + s, m / 1024, n / w }')
      echo "$line"
      echo "$line" >>"$results"
    done
  done
  rm -rf "$outs"
done
echo
echo "medians:"
python3 - "$results" <<'EOF'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    n, tool, _run, wall, cpu, mib, _rate = line.split()
    rows.setdefault((int(n), tool), []).append((float(wall), float(cpu), float(mib)))
for (n, tool), runs in rows.items():
    wall, cpu, mib = (statistics.median(x) for x in zip(*runs))
    print(f"{n:<7} {tool:<22} wall {wall:7.2f} s  cpu {cpu:7.2f} s  peak {mib:6.0f} MiB  {n / wall:6.0f} lessons/s")
EOF
rm -f "$results"
