#!/usr/bin/env bash
# Log signature scan benchmark (issue 5): `ktriage logs` with the whole built-in knowledge base
# against `grep -E -f` and ripgrep (`rg -f`) with the same patterns, in the same run, on the same
# files, one core each.
#
#   bench/run_logs_bench.sh build        # the build folder holding ktriage and ktriage-gen-logs
#
# Generates bench/data/logs-<SIZE>/ with ktriage-gen-logs if it is not there yet (default 2G:
# kubelet, containerd, journal, kube-apiserver and application logs with planted failures), exports
# the patterns of knowledge/log-signatures.yaml one per line, reads the data once into the page
# cache, then times (GNU time, RUNS runs each, median): ktriage logs DIR -o json (one thread: the
# scanner is single-threaded), LC_ALL=C grep -E -c -f PATTERNS (GNU grep is single-threaded), and
# rg -j1 -c -f PATTERNS (one thread, like the others). grep runs on the whole set only when a first
# run on a prefix of about GREP_PREFIX_MB says it takes under GREP_MAX_S seconds; otherwise its
# MB/s is that prefix's, and the output says so. Prints MB/s, peak RSS and the ratios; the last
# line is machine-readable:
#
#   RESULT ktriage_mb_s=... grep_mb_s=... rg_mb_s=... ktriage_over_grep=... ktriage_over_rg=...
#
# Environment: SIZE (default 2G), RUNS (default 3), GREP_PREFIX_MB (200), GREP_MAX_S (600),
# WARM=0 to skip the page-cache warm-up.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
build=${1:-$root/build}
size=${SIZE:-2G}
runs=${RUNS:-3}
prefix_mb=${GREP_PREFIX_MB:-200}
grep_max_s=${GREP_MAX_S:-600}

die() {
  echo "run_logs_bench: $*" >&2
  exit 2
}

ktriage=$build/ktriage
gen=$build/bench/ktriage-gen-logs
[ -x "$ktriage" ] || die "$ktriage is missing: make build"
[ -x "$gen" ] || die "$gen is missing: cmake --build $build --target ktriage-gen-logs"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) is missing: scripts/bootstrap"
command -v rg >/dev/null 2>&1 || die "rg (ripgrep) is missing: scripts/bootstrap"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive whole number"

data=$here/data/logs-$size
if [ ! -d "$data" ]; then
  partial="$data.partial.$$"
  trap 'rm -rf "$partial"' EXIT
  echo "run_logs_bench: generating $data" >&2
  /usr/bin/time -f 'generated in %e s' "$gen" --size "$size" --out "$partial" \
    --signatures "$root/knowledge/log-signatures.yaml" >&2
  mv "$partial" "$data"  # only a complete dataset gets the final name
  trap - EXIT
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
patterns=$tmp/patterns.txt
"$gen" --patterns "$patterns" --signatures "$root/knowledge/log-signatures.yaml"
find "$data" -type f | LC_ALL=C sort >"$tmp/files"
input_bytes=$(xargs -d '\n' stat -c %s <"$tmp/files" | awk '{ s += $1 } END { printf "%.0f", s }')
[ "$input_bytes" -gt 0 ] || die "dataset $data is empty"
[ "${WARM:-1}" = 0 ] || xargs -d '\n' cat <"$tmp/files" >/dev/null
echo "input:    $(wc -l <"$tmp/files") files, $input_bytes bytes in $data"
echo "patterns: $(wc -l <"$patterns") (knowledge/log-signatures.yaml)"

# Runs "$@" under GNU time and sets W (wall seconds) and K (peak RSS in KB). Exit 0 and 1 are
# success (no match is 1 for grep, a finding is 1 for ktriage); stdout goes to $tmp/out.
timed() {
  local status=0
  /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err" || status=$?
  if [ "$status" -gt 1 ]; then
    echo "run_logs_bench: '$*' exited with $status:" >&2
    tail -n 20 "$tmp/err" >&2
    exit 1
  fi
  read -r W K < <(tail -n 1 "$tmp/time")
}

median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
                                      else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Times "$@" RUNS times over the bytes given; sets WALL (median seconds) and RSS (max KB), prints
# one line per run.
bench() {
  local name=$1 bytes=$2
  shift 2
  local walls=() rss=0 w k
  for i in $(seq 1 "$runs"); do
    timed "$@"
    w=$W k=$K
    walls+=("$w")
    [ "$k" -gt "$rss" ] && rss=$k
    printf '  %-8s run %d: %7.2f s  %7.0f MB/s  peak RSS %7.1f MB\n' "$name" "$i" "$w" \
      "$(awk -v b="$bytes" -v w="$w" 'BEGIN { print (w > 0 ? b / 1e6 / w : 0) }')" \
      "$(awk -v k="$k" 'BEGIN { print k / 1024 }')"
  done
  WALL=$(printf '%s\n' "${walls[@]}" | median)
  RSS=$rss
}

mapfile -t files <"$tmp/files"
bench ktriage "$input_bytes" "$ktriage" logs "$data" -o json
k_wall=$WALL k_rss=$RSS
findings=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$tmp/out")
echo "  ktriage: $findings findings (one per signature and file)"

bench rg "$input_bytes" rg -j1 --no-ignore -c -f "$patterns" "${files[@]}"
r_wall=$WALL r_rss=$RSS
echo "  rg: $(awk -F: '{ s += $NF } END { print s }' "$tmp/out") matching lines"

# grep: first on a prefix of the files (whole files, about GREP_PREFIX_MB), to decide whether the
# whole set fits in GREP_MAX_S.
prefix=() prefix_bytes=0
for f in "${files[@]}"; do
  prefix+=("$f")
  prefix_bytes=$((prefix_bytes + $(stat -c %s "$f")))
  [ "$prefix_bytes" -ge $((prefix_mb * 1000000)) ] && break
done
LC_ALL=C timed grep -E -c -f "$patterns" "${prefix[@]}"
estimate=$(awk -v w="$W" -v p="$prefix_bytes" -v b="$input_bytes" 'BEGIN { printf "%.0f", w * b / p }')
if [ "$estimate" -le "$grep_max_s" ]; then
  grep_bytes=$input_bytes grep_note="whole set"
  LC_ALL=C bench grep "$input_bytes" grep -E -c -f "$patterns" "${files[@]}"
else
  grep_bytes=$prefix_bytes
  grep_note="prefix of ${#prefix[@]} files, $prefix_bytes bytes: the whole set would take ~${estimate} s"
  LC_ALL=C bench grep "$prefix_bytes" grep -E -c -f "$patterns" "${prefix[@]}"
fi
g_wall=$WALL g_rss=$RSS
echo "  grep ($grep_note): $(awk -F: '{ s += $NF } END { print s }' "$tmp/out") matching lines"

awk -v b="$input_bytes" -v gb="$grep_bytes" -v kw="$k_wall" -v gw="$g_wall" -v rw="$r_wall" \
  -v kr="$k_rss" -v gr="$g_rss" -v rr="$r_rss" -v runs="$runs" 'BEGIN {
  k = b / 1e6 / kw; g = gb / 1e6 / gw; r = b / 1e6 / rw
  printf "median of %d runs, one core each:\n", runs
  printf "  %-8s %8.0f MB/s  peak RSS %7.1f MB\n", "ktriage", k, kr / 1024
  printf "  %-8s %8.0f MB/s  peak RSS %7.1f MB\n", "grep -E", g, gr / 1024
  printf "  %-8s %8.0f MB/s  peak RSS %7.1f MB\n", "rg", r, rr / 1024
  printf "ratio:    ktriage/grep = %.2fx   ktriage/rg = %.2fx\n", k / g, k / r
  printf "RESULT ktriage_mb_s=%.0f grep_mb_s=%.0f rg_mb_s=%.0f ktriage_over_grep=%.2f ktriage_over_rg=%.2f ktriage_rss_mb=%.1f\n", k, g, r, k / g, k / r, kr / 1024
}'
