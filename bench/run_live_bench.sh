#!/usr/bin/env bash
# Live benchmark: serves the synthetic cluster from the test API server (tests/apiserver) and
# times, in one run, against the same server:
#   1. fetch-floor     the transfer alone: the same list requests, answers only scanned for
#                      their continue token (bench/live/fetch_floor.cpp)
#   2. collect         ktriage collect -o bundle.tar.gz
#   3. live diagnose   ktriage diagnose --kubeconfig K -o json
#   4. offline         ktriage diagnose DATASET -o json (the baseline)
# and prints wall time, peak RSS (GNU time) and the requests the server saw per list path, then
# live diagnose / (offline + transfer), which issue 3 wants within 1.5.
#
#   bench/run_live_bench.sh BUILD_DIR        (make bench-live; NODES, PODS as run_bench.sh)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:?usage: $0 BUILD_DIR}
nodes=${NODES:-5000}
pods=${PODS:-150000}
data="$here/data/${nodes}x${pods}"
if [ ! -d "$data" ]; then
  # run_bench.sh generates the dataset; a run of `true` makes it without timing anything.
  NODES=$nodes PODS=$pods RUNS=1 TIMINGS=0 "$here/run_bench.sh" true >/dev/null
fi
tmp=$(mktemp -d)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

input_bytes=$(find "$data" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f", s }')
echo "dataset: $data ($(awk -v b="$input_bytes" 'BEGIN { printf "%.2f GB", b / 1e9 }'))"
echo "starting the test API server (it loads and serializes the whole snapshot first)..."
"$build/tests/ktriage-test-apiserver" --snapshot "$data" --tls-dir "$tmp/tls" \
  --kubeconfig-out "$tmp/kubeconfig" >"$tmp/server.out" 2>>"$tmp/server.err" &  # append: the file is emptied between steps
server_pid=$!
for _ in $(seq 1 600); do
  grep -q "listening on" "$tmp/server.out" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/server.err" >&2; exit 2; }
  sleep 1
done
grep -q "listening on" "$tmp/server.out" || { echo "server did not start" >&2; exit 2; }
echo "server: $(cat "$tmp/server.out")"

# Runs "$@" under GNU time; prints "<label>: wall S s, peak RSS M MB" and the server's requests.
measure() {
  local label=$1
  shift
  /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err" || {
    code=$?
    [ "$code" -le 1 ] || { echo "$label failed ($code):" >&2; tail -5 "$tmp/err" >&2; exit 2; }
  }
  read -r wall rss_kb < <(tail -1 "$tmp/time")  # GNU time puts "exited with" first
  printf '%-16s wall %7.2f s   peak RSS %7.0f MB\n' "$label" "$wall" "$((rss_kb / 1024))"
  eval "${label//[^a-z]/_}_wall=$wall"
  : >"$tmp/server.err"
  kill -USR1 "$server_pid"
  sleep 1
  grep -a '^requests: [0-9]*$' "$tmp/server.err" | sed 's/^/    /' || true
  grep -aE '^requests: [0-9]+ GET /api/v1/(pods|events|nodes)$' "$tmp/server.err" | sed 's/^/    /' || true
}

measure "fetch floor" "$build/bench/fetch-floor" --kubeconfig "$tmp/kubeconfig"
cat "$tmp/out" | sed 's/^/    /' || true
measure "collect" "$build/ktriage" collect --kubeconfig "$tmp/kubeconfig" -o "$tmp/bundle.tar.gz"
echo "    bundle: $(du -m "$tmp/bundle.tar.gz" | cut -f1) MB"
measure "live diagnose" "$build/ktriage" diagnose --kubeconfig "$tmp/kubeconfig" -o json
measure "offline" "$build/ktriage" diagnose "$data" -o json
echo "expected list requests for pods: ceil($pods / 500) = $(((pods + 499) / 500))"
awk -v live="$live_diagnose_wall" -v off="$offline_wall" -v floor="$fetch_floor_wall" \
  'BEGIN { printf "live diagnose / (offline + transfer) = %.2f / (%.2f + %.2f) = %.2fx (target <= 1.5x)\n", live, off, floor, live / (off + floor) }'
