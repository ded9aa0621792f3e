#!/usr/bin/env bash
# Streams a ~1 GB evidence bundle out of the real server (curl to
# /dev/null) and reports throughput and the server's peak resident memory
# (VmHWM) before and after. Then checks the bundle offline with
# `assay verify BUNDLE.zip` and reports that too. Traffic goes to 127.0.0.1.
# Usage: scripts/bench-bundle.sh [files] [MB-per-file]   (default 4 x 256)
set -euo pipefail
cd "$(dirname "$0")/.."
files="${1:-4}"
mb="${2:-256}"
port=18091
tmp="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT

go build -o "$tmp/assay" ./cmd/assay
export ASSAY_DB=
echo 'a long passphrase' | "$tmp/assay" --data "$tmp/data" user create --admin --email bench@example.com --org-name Bench --password-stdin >/dev/null 2>&1
token="$("$tmp/assay" --data "$tmp/data" token create --email bench@example.com 2>&1)"
for i in $(seq 1 "$files"); do
  head -c "$((mb * 1024 * 1024))" /dev/urandom >"$tmp/evidence-$i.bin"
  "$tmp/assay" --data "$tmp/data" evidence add --control ACC-01 --file "$tmp/evidence-$i.bin" --title "Bench file $i" >/dev/null 2>&1
  rm "$tmp/evidence-$i.bin"
done

"$tmp/assay" --data "$tmp/data" serve --addr "127.0.0.1:$port" >"$tmp/serve.log" 2>&1 &
pid=$!
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do sleep 0.01; done
echo "server peak RSS before the export: $(awk '/VmHWM/ {printf "%.1f MB\n", $2/1024}' /proc/$pid/status)"

read -r bytes secs < <(curl -fsS -o /dev/null -w '%{size_download} %{time_total}\n' -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$port/api/v1/exports/evidence-bundle.zip")
awk -v b="$bytes" -v s="$secs" 'BEGIN { printf "bundle: %.1f MB in %.2f s = %.0f MB/s\n", b/1048576, s, b/1048576/s }'
echo "server peak RSS after the export:  $(awk '/VmHWM/ {printf "%.1f MB\n", $2/1024}' /proc/$pid/status)"

# The same bundle to a file, then checked offline.
curl -fsS -o "$tmp/bundle.zip" -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/exports/evidence-bundle.zip"
key="$("$tmp/assay" --data "$tmp/data" ledger key 2>&1 | tail -n 1)"
/usr/bin/time -f "verify: %e s, peak RSS %M KB" "$tmp/assay" verify "$tmp/bundle.zip" --key "$key" | tail -n 2
