#!/usr/bin/env bash
# Manifest lint benchmark (issue 6, "Performance"): `ktriage lint` on a generated set of mixed
# manifests, beside kubeconform's published figure and the YAML reader's own speed (the floor).
#
#   bench/run_lint_bench.sh build        # the build folder holding ktriage and bench/yaml-floor
#
# Generates bench/data/lint-<COUNT>/ with bench/lint/gen_manifests if it is not there yet (default
# 10,000 resources, one file each: Deployments, Services, ConfigMaps, Ingresses, StatefulSets,
# CronJobs, HPAs, PDBs, ServiceAccounts, a CRD and its instances), reads it once into the page
# cache, then times `ktriage lint DIR -o json` under `/usr/bin/time -v` (wall, user + system CPU,
# peak RSS), RUNS runs each (median by wall time), single-threaded and, when lint takes
# --threads, with every core. Schema validation is on when the binary accepts --schema-location
# (SCHEMA_DIR, default ../shared/k8s-openapi/1.33/v3 beside the repository). Then yaml-floor
# parses the same files with read_yaml alone. Prints resources per second and per CPU-second,
# kubeconform's published figure (50,714 resources in 6.7 s wall and 38.7 s CPU on 4 cores, about
# 1,310 resources per CPU-second) and the ratio; the last line is machine-readable:
#
#   RESULT lint_res_per_cpu_s=... lint_res_per_s=... over_kubeconform=... floor_docs_per_s=...
#
# Environment: COUNT (default 10000), RUNS (default 3), SCHEMA_DIR, WARM=0 to skip the warm-up.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
build=${1:-$root/build}
count=${COUNT:-10000}
runs=${RUNS:-3}
schema_dir=${SCHEMA_DIR:-$root/../shared/k8s-openapi/1.33/v3}

die() {
  echo "run_lint_bench: $*" >&2
  exit 2
}

ktriage=$build/ktriage
floor=$build/bench/yaml-floor
[ -x "$ktriage" ] || die "$ktriage is missing: make build"
[ -x "$floor" ] || die "$floor is missing: cmake --build $build --target yaml-floor"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) is missing: scripts/bootstrap"
[[ "$count" =~ ^[1-9][0-9]*$ ]] || die "COUNT must be a positive whole number"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive whole number"

data=$here/data/lint-$count
if [ ! -d "$data" ]; then
  partial="$data.partial.$$"
  trap 'rm -rf "$partial"' EXIT
  echo "run_lint_bench: generating $data" >&2
  "$here/lint/gen_manifests" --count "$count" --out "$partial" >&2
  mv "$partial" "$data"  # only a complete set gets the final name
  trap - EXIT
fi
resources=$count
bytes=$(find "$data" -type f -name '*.yaml' -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f", s }')
[ "${WARM:-1}" = 0 ] || find "$data" -type f -exec cat {} + >/dev/null

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
help=$("$ktriage" lint --help 2>&1 || true)
args=(lint "$data" -o json)
schema="off (this binary has no --schema-location)"
if grep -q -- '--schema-location' <<<"$help"; then
  if [ -d "$schema_dir" ]; then
    args+=(--schema-location "$schema_dir")
    schema="on ($schema_dir)"
  else
    schema="off ($schema_dir is missing)"
  fi
fi
threads_flag=0
grep -q -- '--threads' <<<"$help" && threads_flag=1
echo "input:  $resources resources, $bytes bytes in $data"
echo "schema: $schema"

# Runs "$@" under GNU time -v RUNS times; sets W (wall s), C (user + system s) and K (peak RSS KB)
# of the run with the median wall time. Exit 0 and 1 are success (1: findings).
timed() {
  local status i
  : >"$tmp/runs"
  for ((i = 0; i < runs; i++)); do
    status=0
    /usr/bin/time -v -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err" || status=$?
    if [ "$status" -gt 1 ]; then
      echo "run_lint_bench: '$*' exited with $status:" >&2
      tail -n 20 "$tmp/err" >&2
      exit 1
    fi
    awk -F': ' '
      /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
      /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident/ { k = $2 }
      END { printf "%.3f %.3f %d\n", w, u + s, k }' "$tmp/time" >>"$tmp/runs"
  done
  read -r W C K < <(sort -n "$tmp/runs" | awk -v m=$(((runs + 1) / 2)) 'NR == m')
}

# kubeconform's published figure: 50,714 resources, 6.7 s wall, 38.7 s CPU, 4 cores.
kc_per_cpu=$(awk 'BEGIN { printf "%.0f", 50714 / 38.7 }')
kc_per_s=$(awk 'BEGIN { printf "%.0f", 50714 / 6.7 }')
row() {  # label wall cpu rss
  awk -v l="$1" -v w="$2" -v c="$3" -v k="$4" -v r="$resources" -v kc="$kc_per_cpu" 'BEGIN {
    ps = w > 0 ? r / w : 0; pc = c > 0 ? r / c : 0
    printf "%-24s %8.3f s wall %8.3f s CPU %7.0f MB peak  %9.0f res/s %9.0f res/CPU-s  %5.1fx kubeconform/CPU-s\n",
      l, w, c, k / 1024, ps, pc, pc / kc }'
}

printf '%-24s %s\n' "kubeconform (published)" \
  "    6.700 s wall   38.700 s CPU (4 cores)  $kc_per_s res/s $kc_per_cpu res/CPU-s"
if [ "$threads_flag" = 1 ]; then
  timed "$ktriage" "${args[@]}" --threads 1
else
  timed "$ktriage" "${args[@]}"
fi
W1=$W C1=$C K1=$K
row "ktriage lint, 1 thread" "$W1" "$C1" "$K1"
if [ "$threads_flag" = 1 ]; then
  timed "$ktriage" "${args[@]}" --threads "$(nproc)"
  row "ktriage lint, $(nproc) threads" "$W" "$C" "$K"
else
  echo "ktriage lint, N threads    (lint has no --threads flag: single-threaded only)"
fi
"$floor" "$data" >"$tmp/floor"
floor_s=$(sed -n 's/^FLOOR parse_s=\([0-9.]*\).*/\1/p' "$tmp/floor")
floor_docs=$(sed -n 's/^FLOOR .*docs_per_s=\([0-9.]*\).*/\1/p' "$tmp/floor")
printf '%-24s %8.3f s (read_yaml only, 1 core, median of 3)  %9.0f docs/s\n' "floor: yaml-floor" \
  "$floor_s" "$floor_docs"
awk -v w="$W1" -v c="$C1" -v r="$resources" -v kc="$kc_per_cpu" -v f="$floor_docs" 'BEGIN {
  pc = c > 0 ? r / c : 0; ps = w > 0 ? r / w : 0
  printf "RESULT lint_res_per_cpu_s=%.0f lint_res_per_s=%.0f over_kubeconform=%.2f floor_docs_per_s=%.0f\n",
    pc, ps, pc / kc, f }'
