#!/usr/bin/env bash
# NetworkPolicy matrix benchmark (issue 7): `ktriage netcheck --matrix` on a synthetic cluster of
# 2,000 application namespaces, 20,000 NetworkPolicies and 150,000 pods (kubectl-indented JSON).
#
#   bench/run_netcheck_bench.sh build     # the build folder holding ktriage and ktriage-gen-netpol
#
# Generates bench/data/netpol-<NAMESPACES>x<PODS>/ with ktriage-gen-netpol if it is not there
# yet, reads it once into the page cache, then times `ktriage netcheck --matrix DIR -o json`
# under `/usr/bin/time -v`, RUNS runs (median by wall time). Prints wall time, CPU (user +
# system), peak RSS and the snapshot's size, and checks them against the targets (under 5 s, peak
# memory within 2x the snapshot). The last line is machine-readable:
#
#   RESULT wall_s=... cpu_s=... peak_rss_mb=... snapshot_mb=... rss_over_snapshot=...
#
# Environment: NAMESPACES (default 2000), PODS (default 150000), RUNS (default 3), WARM=0 to skip
# the warm-up, BY=workload to time the workload matrix of one namespace instead (-n team-0003).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
build=${1:-$root/build}
namespaces=${NAMESPACES:-2000}
pods=${PODS:-150000}
runs=${RUNS:-3}

die() {
  echo "run_netcheck_bench: $*" >&2
  exit 2
}

ktriage=$build/ktriage
gen=$build/bench/ktriage-gen-netpol
[ -x "$ktriage" ] || die "$ktriage is missing: make build"
[ -x "$gen" ] || die "$gen is missing: cmake --build $build --target ktriage-gen-netpol"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) is missing: apt-get install time"

data=$root/bench/data/netpol-${namespaces}x${pods}
if [ ! -f "$data/pods.json" ]; then
  echo "generating $data ..."
  "$gen" --out "$data" --namespaces "$namespaces" --pods "$pods"
fi
snapshot_bytes=$(du -cb "$data"/*.json | tail -1 | cut -f1)
[ "${WARM:-1}" = 0 ] || cat "$data"/*.json >/dev/null

args=(netcheck --matrix "$data" -o json)
[ "${BY:-}" = workload ] && args=(netcheck --matrix -n team-0003 "$data" -o json)

results=()
for ((i = 0; i < runs; i++)); do
  log=$(mktemp)
  /usr/bin/time -v "$ktriage" "${args[@]}" >/dev/null 2>"$log" || die "ktriage failed: $(tail -5 "$log")"
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$log")
  user=$(awk -F': ' '/User time/ {print $2}' "$log")
  sys=$(awk -F': ' '/System time/ {print $2}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  rm -f "$log"
  results+=("$wall $user $sys $rss")
  echo "run $((i + 1)): wall ${wall}s, user ${user}s, sys ${sys}s, peak RSS $((rss / 1024)) MB"
done

median=$(printf '%s\n' "${results[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
read -r wall user sys rss <<<"$median"
awk -v wall="$wall" -v user="$user" -v sys="$sys" -v rss="$rss" -v snap="$snapshot_bytes" \
  -v ns="$namespaces" -v pods="$pods" 'BEGIN {
  rss_mb = rss / 1024; snap_mb = snap / 1048576; cpu = user + sys; ratio = rss_mb / snap_mb
  printf "netcheck --matrix: %d namespaces, %d pods, %.0f MB snapshot\n", ns, pods, snap_mb
  printf "  wall %.2f s (target < 5 s: %s), CPU %.2f s, peak RSS %.0f MB = %.2fx the snapshot (target <= 2x: %s)\n",
    wall, wall < 5 ? "met" : "MISSED", cpu, rss_mb, ratio, ratio <= 2 ? "met" : "MISSED"
  printf "RESULT wall_s=%.2f cpu_s=%.2f peak_rss_mb=%.0f snapshot_mb=%.0f rss_over_snapshot=%.2f\n",
    wall, cpu, rss_mb, snap_mb, ratio
}'
