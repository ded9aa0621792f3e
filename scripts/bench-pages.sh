#!/usr/bin/env bash
# Load-tests the main pages and API lists of a demo profile with wrk
# (Debian's package), one page at a time, and prints a Markdown table:
# p50, p99, server CPU per request (from /proc, user + system) and bytes.
# Load generator and server share the machine; traffic stays on 127.0.0.1.
# Usage: scripts/bench-pages.sh [demo|large|xl] [seconds] [postgres://... (an empty database)]
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:-demo}"
secs="${2:-5}"
db="${3:-}"
port=18090
tmp="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
command -v wrk >/dev/null || { echo "install wrk: apt-get install -y wrk" >&2; exit 1; }
go build -o "$tmp/assay" ./cmd/assay

start=$(date +%s%N)
"$tmp/assay" demo --size "$size" --data "$tmp/data" ${db:+--db "$db"} --addr "127.0.0.1:$port" --no-scheduler >"$tmp/out.log" 2>&1 &
pid=$!
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/out.log" >&2; exit 1; }
  sleep 0.1
done
backend=SQLite; [ -n "$db" ] && backend=PostgreSQL
echo "seeded and serving ($size, $backend): $(( ($(date +%s%N) - start) / 1000000 )) ms; load: $(cut -d' ' -f1-3 /proc/loadavg)"

curl -fs -c "$tmp/jar" -o /dev/null -d 'email=dana@northwind.example&password=northwind-demo-2026' "http://127.0.0.1:$port/login"
cookie="$(awk '$6 ~ /assay_session/ {print $6"="$7}' "$tmp/jar")"
[ -n "$cookie" ] || { echo "sign-in failed" >&2; exit 1; }

ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
echo
echo "| page | requests/s | p50 | p99 | CPU/request | bytes |"
echo "| --- | --- | --- | --- | --- | --- |"
for path in / /controls /evidence /people /vendors /risks /monitoring /policies /training /upcoming /criteria \
  /corrective-actions /evidence-requests \
  /api/v1/readiness /api/v1/controls /api/v1/evidence /api/v1/people /api/v1/results; do
  bytes=$(curl -s -o /dev/null -w '%{size_download}' -H "Cookie: $cookie" "http://127.0.0.1:$port$path")
  before=$(ticks)
  out=$(wrk -t2 -c16 -d"${secs}s" --timeout 10s --latency -H "Cookie: $cookie" "http://127.0.0.1:$port$path")
  after=$(ticks)
  reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  cpu=$(awk -v t=$((after - before)) -v hz="$hz" -v n="$reqs" 'BEGIN {if (n > 0) printf "%.1f ms", 1000 * t / hz / n; else print "-"}')
  bad=$(echo "$out" | awk '/Non-2xx/ {print " (" $0 ")"}')
  echo "| \`$path\` | $rps | $p50 | $p99 | $cpu | $bytes$bad |"
done
echo
echo "server's peak memory (VmHWM): $(awk '/VmHWM/ {printf "%.0f MB", $2 / 1024}' "/proc/$pid/status")"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
