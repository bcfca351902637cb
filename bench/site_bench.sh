#!/usr/bin/env bash
# Cold builds of generated lesson sites, side by side with Zola and Hugo when they are
# installed: wall time, CPU time, peak memory and lessons per second.
#
#   bench/site_bench.sh [SIZES...]        default: 114 1000 10000
#   RUNS=5 bench/site_bench.sh 1000       runs per tool and size (default 3)
#   WARMUP=0 bench/site_bench.sh 114      untimed rounds first (default 1: the first build of
#                                         a size reads its sources from disk, the next ones
#                                         from the page cache)
#   TOOLS="conceptlab zola" bench/site_bench.sh 114   only some of the builds
#
# The builds (each optional one runs when its program is found; ZOLA, HUGO and PAGEFIND
# name the programs, else they are looked up on the PATH):
#   conceptlab            the default build, with its search index
#   conceptlab-no-search  the same site with `search: false`
#   zola                  Zola's default: no search index
#   zola-search           Zola with its own search index (`build_search_index = true`)
#   zola+pagefind         Zola, then the Pagefind CLI over its output
#   hugo                  Hugo's default: no search index
#
# For each size it generates the corpora once (bench/gen_corpus.py: the same lessons for
# every tool), builds conceptlab in release mode, then runs the builds in turn
# (conceptlab, conceptlab without search, Zola, ..., conceptlab, ...) so that a change in
# the machine's speed hits all of them alike. As in ../shared/bench/ssg-results.md, every
# run writes into a fresh output folder, and the outputs are deleted only after the
# size's last run: ext4 keeps recently deleted inodes aside for a while, and creating
# thousands of files right after deleting thousands costs several times the usual
# system time.
#
# Prints one line per run (GNU time: wall, user + system CPU of the process and its
# children, the largest resident set of any one process) and, per size, the median of
# each build and its ratios to Zola's builds. Needs python3 and /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then sizes=(114 1000 10000); else sizes=("$@"); fi
runs=${RUNS:-3}
warmup=${WARMUP:-1}
work=${BENCH_DIR:-/tmp/conceptlab-bench}
mkdir -p "$work"
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-$PWD/target}/release/conceptlab
zola=${ZOLA:-$(command -v zola || true)}
hugo=${HUGO:-$(command -v hugo || true)}
pagefind=${PAGEFIND:-$(command -v pagefind || true)}

wanted() { # wanted TOOL: whether TOOLS (default: all) names it
  [ -z "${TOOLS:-}" ] || [[ " $TOOLS " == *" $1 "* ]]
}

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
  tools=()
  for tool in conceptlab conceptlab-no-search; do
    if wanted "$tool"; then tools+=("$tool"); fi
  done
  if [ -n "$zola" ]; then
    corpus zola "$n" "$work/zola-$n"
    sed 's/^build_search_index = false/build_search_index = true/' \
      "$work/zola-$n/config.toml" >"$work/zola-$n/config-search.toml"
    for tool in zola zola-search; do
      if wanted "$tool"; then tools+=("$tool"); fi
    done
    if [ -n "$pagefind" ] && wanted zola+pagefind; then tools+=(zola+pagefind); fi
  fi
  if [ -n "$hugo" ] && wanted hugo; then
    corpus hugo "$n" "$work/hugo-$n"
    tools+=(hugo)
  fi
  outs="$work/out-$n"
  mkdir -p "$outs"
  for run in $(seq $((1 - warmup)) "$runs"); do
    for tool in "${tools[@]}"; do
      out=$(mktemp -u -d "$outs/$tool.XXXXXX")
      case $tool in
        conceptlab) cmd=("$bin" build --quiet --root "$work/site-$n" --output "$out" --base-url https://example.org/) ;;
        conceptlab-no-search) cmd=("$bin" build --quiet --root "$work/site-$n-nosearch" --output "$out" --base-url https://example.org/) ;;
        zola) cmd=("$zola" --root "$work/zola-$n" build --output-dir "$out") ;;
        zola-search) cmd=("$zola" --root "$work/zola-$n" --config "$work/zola-$n/config-search.toml" build --output-dir "$out") ;;
        zola+pagefind) cmd=(sh -c '"$1" --root "$2" build --output-dir "$3" && "$4" --site "$3" --quiet' \
          sh "$zola" "$work/zola-$n" "$out" "$pagefind") ;;
        hugo) cmd=("$hugo" --quiet --source "$work/hugo-$n" --destination "$out") ;;
      esac
      /usr/bin/time -o "$results.time" -f '%e %U %S %M' "${cmd[@]}" >/dev/null 2>&1
      stats=$(tail -n 1 "$results.time")
      read -r wall user sys rss <<<"$stats"
      line=$(awk -v n="$n" -v t="$tool" -v r="$run" -v w="$wall" -v u="$user" -v s="$sys" -v m="$rss" \
        'BEGIN { printf "%-7d %-22s %-4d %9.2f %9.2f %10.0f %11.0f", n, t, r, w, u + s, m / 1024, n / w }')
      if [ "$run" -le 0 ]; then
        echo "$line  (warm-up, not counted)"
      else
        echo "$line"
        echo "$line" >>"$results"
      fi
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
medians = {key: [statistics.median(x) for x in zip(*runs)] for key, runs in rows.items()}
for (n, tool), (wall, cpu, mib) in medians.items():
    print(f"{n:<7} {tool:<22} wall {wall:7.2f} s  cpu {cpu:7.2f} s  peak {mib:6.0f} MiB  {n / wall:6.0f} lessons/s")
print()
print("ratios of medians (how many times faster conceptlab is; memory as a share of Zola's):")
for n in sorted({n for n, _ in medians}):
    def get(tool):
        return medians.get((n, tool))
    for ours, theirs in [("conceptlab", "zola+pagefind"), ("conceptlab", "zola-search"),
                         ("conceptlab", "zola"), ("conceptlab-no-search", "zola"),
                         ("conceptlab", "hugo"), ("conceptlab-no-search", "hugo")]:
        a, b = get(ours), get(theirs)
        if a and b:
            print(f"{n:<7} {ours:<20} vs {theirs:<14} wall {b[0] / a[0]:5.2f}x  peak memory {a[2] / b[2] * 100:4.0f}%")
EOF
rm -f "$results" "$results.time"
