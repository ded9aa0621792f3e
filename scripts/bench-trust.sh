#!/usr/bin/env bash
# Load-tests the public trust center (/trust, no sign-in) of the demo with
# wrk (Debian's package), 2 threads and 16 connections, and prints p50, p99,
# requests a second and the server's CPU per request (user + system, from
# /proc). Load generator and server share the machine.
# Usage: scripts/bench-trust.sh [seconds] [postgres://... (an empty database)]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
db="${2:-}"
port=18091
tmp="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
command -v wrk >/dev/null || { echo "install wrk: apt-get install -y wrk" >&2; exit 1; }
go build -o "$tmp/assay" ./cmd/assay
"$tmp/assay" demo --data "$tmp/data" ${db:+--db "$db"} --addr "127.0.0.1:$port" --no-scheduler >"$tmp/out.log" 2>&1 &
pid=$!
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/out.log" >&2; exit 1; }
  sleep 0.1
done
backend=SQLite; [ -n "$db" ] && backend=PostgreSQL
curl -fs -o /dev/null "http://127.0.0.1:$port/trust"   # warm
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
for path in /trust /trust/snapshot.json; do
  before=$(ticks)
  out="$(wrk -t2 -c16 -d"${secs}s" --latency "http://127.0.0.1:$port$path")"
  after=$(ticks)
  reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  cpu=$(awk -v t=$((after - before)) -v hz="$hz" -v n="$reqs" 'BEGIN {printf "%.2f", t * 1000 / hz / n}')
  bytes=$(curl -fs "http://127.0.0.1:$port$path" | wc -c)
  echo "| $backend | \`$path\` | $p50 | $p99 | $rps | $cpu ms | $bytes |"
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
