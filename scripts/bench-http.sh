#!/usr/bin/env bash
# Load-tests the controls list page of a running demo with wrk (Debian's
# package) and times start-up to serving. Traffic goes to 127.0.0.1 only.
# Usage: scripts/bench-http.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-15}"
port=18080
tmp="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
command -v wrk >/dev/null || { echo "install wrk: apt-get install -y wrk" >&2; exit 1; }

go build -o "$tmp/assay" ./cmd/assay

# Start-up to serving: a fresh demo (creates and seeds the database), then
# a restart on the existing data.
for run in fresh existing; do
  start=$(date +%s%N)
  "$tmp/assay" demo --data "$tmp/data" --addr "127.0.0.1:$port" >"$tmp/out-$run.log" 2>&1 &
  pid=$!
  until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do sleep 0.005; done
  end=$(date +%s%N)
  echo "start-up to serving ($run data folder): $(( (end - start) / 1000000 )) ms"
  if [ "$run" = fresh ]; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
done

# Sign in as the demo admin and keep the session cookie.
curl -fs -c "$tmp/jar" -o /dev/null -d 'email=dana@northwind.example&password=northwind-demo-2026' "http://127.0.0.1:$port/login"
cookie="$(awk '$6 ~ /assay_session/ {print $6"="$7}' "$tmp/jar")"
[ -n "$cookie" ] || { echo "sign-in failed" >&2; exit 1; }

for path in "/controls" "/controls?q=access" "/"; do
  echo
  echo "== wrk -t2 -c16 -d${secs}s --latency http://127.0.0.1:$port$path"
  wrk -t2 -c16 -d"${secs}s" --latency -H "Cookie: $cookie" "http://127.0.0.1:$port$path" | grep -E 'Requests/sec|50%|90%|99%|Non-2xx|Socket errors' || true
done
