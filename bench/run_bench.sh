#!/usr/bin/env bash
# Whole-process benchmark of a command on a synthetic cluster snapshot.
#
#   bench/run_bench.sh ./build/ktriage diagnose -o json
#
# Generates bench/data/<NODES>x<PODS>/ with ktriage-gen if it is not there yet (default 5000
# nodes, 150000 pods: about 4.1 GB, of which pods.json is 2.9 GB), then runs the command RUNS
# times with the dataset directory appended as its last argument and its output sent to
# /dev/null, and prints wall time and peak RSS of each run (GNU time), the median, the
# throughput (input bytes / median wall seconds) and peak RSS / input size.
#
# Then, when FLOOR names the simdjson-floor binary (make bench sets it), it prints the floor: how
# long simdjson's DOM parser alone takes over the same bytes on one core (median of 3), and the
# command's median wall time as a multiple of it.
#
# Then one more run with --timings (when the command has it; TIMINGS=0 skips it) prints the
# time of each phase and of each analyzer.
#
# Environment: NODES, PODS (dataset size), RUNS (default 3), FLOOR, TIMINGS, KTRIAGE_GEN (generator binary;
# default: build/bench/ktriage-gen, else built into build-gen/), WARM=0 to skip reading the
# dataset once into the page cache before timing. Exit codes 0 and 1 of the command count as
# success (ktriage exits 1 when it reports findings); any other code stops the benchmark.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
nodes=${NODES:-5000}
pods=${PODS:-150000}
runs=${RUNS:-3}

die() {
  echo "run_bench: $*" >&2
  exit 2
}

[ $# -ge 1 ] || die "usage: $0 COMMAND [ARGS...]   (the dataset directory is appended)"
for v in "$nodes" "$pods" "$runs"; do
  [[ "$v" =~ ^[0-9]+$ ]] || die "NODES, PODS and RUNS must be whole numbers (got '$v')"
done
[ "$runs" -ge 1 ] || die "RUNS must be at least 1"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) is missing: install the 'time' package (scripts/bootstrap)"
command -v "$1" >/dev/null 2>&1 || die "command not found: $1"

data="$here/data/${nodes}x${pods}"

find_generator() {
  if [ -n "${KTRIAGE_GEN:-}" ]; then
    [ -x "$KTRIAGE_GEN" ] || die "KTRIAGE_GEN=$KTRIAGE_GEN is not executable"
    echo "$KTRIAGE_GEN"
  elif [ -x "$root/build/bench/ktriage-gen" ]; then
    echo "$root/build/bench/ktriage-gen"
  else
    local gen_build="$root/build-gen"
    local generator=()
    command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
    [ -f "$gen_build/CMakeCache.txt" ] && generator=()
    echo "run_bench: building ktriage-gen in $gen_build" >&2
    cmake -S "$here" -B "$gen_build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release >&2
    cmake --build "$gen_build" --target ktriage-gen >&2
    echo "$gen_build/ktriage-gen"
  fi
}

if [ ! -d "$data" ]; then
  gen=$(find_generator)
  partial="$data.partial.$$"
  trap 'rm -rf "$partial"' EXIT
  echo "run_bench: generating $data" >&2
  "$gen" --nodes "$nodes" --pods "$pods" --out "$partial" | tee "$here/data/${nodes}x${pods}.txt" >&2
  mv "$partial" "$data"  # only a complete dataset gets the final name
  trap - EXIT
fi

input_bytes=$(find "$data" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f", s }')  # %d is 32-bit in mawk
[ "$input_bytes" -gt 0 ] || die "dataset $data is empty"
if [ "${WARM:-1}" != 0 ]; then
  cat "$data"/* >/dev/null
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Seconds from GNU time's "h:mm:ss" or "m:ss.ss".
to_seconds() {
  awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }' <<<"$1"
}

median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.2f", v[(NR + 1) / 2];
                                      else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "command: $* $data"
printf 'input:   %s bytes (%.2f GB) in %s\n' "$input_bytes" \
  "$(awk -v b="$input_bytes" 'BEGIN { print b / 1e9 }')" "$data"
walls=() rss=()
for i in $(seq 1 "$runs"); do
  status=0
  /usr/bin/time -v -o "$tmp/time.$i" "$@" "$data" >/dev/null 2>"$tmp/stderr.$i" || status=$?
  if [ "$status" -gt 1 ]; then
    echo "run $i: command exited with status $status; last lines of its stderr:" >&2
    tail -n 20 "$tmp/stderr.$i" >&2
    exit 1
  fi
  elapsed=$(sed -n 's/.*Elapsed (wall clock) time[^:]*: *//p' "$tmp/time.$i")
  kb=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$tmp/time.$i")
  [ -n "$elapsed" ] && [ -n "$kb" ] || die "cannot parse GNU time output in $tmp/time.$i"
  walls+=("$(to_seconds "$elapsed")")
  rss+=("$kb")
  printf 'run %d:   wall %6.2f s   peak RSS %8.1f MB   exit %d\n' "$i" "${walls[-1]}" \
    "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')" "$status"
done

wall_median=$(printf '%s\n' "${walls[@]}" | median)
rss_median=$(printf '%s\n' "${rss[@]}" | median)
rss_max=$(printf '%s\n' "${rss[@]}" | sort -g | tail -n 1)
# One more run with --timings, when the command is ktriage: where the time goes, per phase and
# per analyzer (issue 4: a slow analyzer must show).
if [ "${TIMINGS:-1}" != 0 ] && "$@" --help 2>/dev/null | grep -q -- '--timings'; then
  echo "phases and analyzers (one run with --timings):"
  { "$@" --timings "$data" 2>&1 >/dev/null || true; } | sed -n 's/^timing: /  /p'
fi

floor_s=0
if [ -n "${FLOOR:-}" ]; then
  [ -x "$FLOOR" ] || die "FLOOR=$FLOOR is not executable"
  "$FLOOR" "$data" >"$tmp/floor" || die "$FLOOR failed on $data"
  grep -v '^FLOOR ' "$tmp/floor"
  floor_s=$(sed -n 's/^FLOOR parse_s=\([0-9.]*\).*/\1/p' "$tmp/floor")
fi
awk -v w="$wall_median" -v b="$input_bytes" -v rm="$rss_median" -v rx="$rss_max" -v f="$floor_s" 'BEGIN {
  mbs = w > 0 ? b / 1e6 / w : 0
  printf "median:  wall %.2f s   %.0f MB/s   peak RSS %.1f MB (max %.1f MB)\n", w, mbs, rm / 1024, rx / 1024
  printf "ratio:   peak RSS / input = %.3f (median), %.3f (max)\n", rm * 1024 / b, rx * 1024 / b
  if (f > 0) printf "ratio:   wall / simdjson floor = %.1fx\n", w / f
  printf "RESULT wall_s=%.2f mb_per_s=%.0f peak_rss_mb=%.1f rss_over_input=%.3f floor_s=%.2f\n", w, mbs, rx / 1024, rx * 1024 / b, f
}'
