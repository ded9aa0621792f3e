#!/usr/bin/env bash
# Streams one large evidence file through the real server (curl, multipart,
# the file last) and reports throughput and the server's peak resident
# memory (VmHWM) before and after. Traffic goes to 127.0.0.1 only.
# Usage: scripts/bench-upload.sh [size-in-MB]   (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
mb="${1:-200}"
port=18090
tmp="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT

go build -o "$tmp/assay" ./cmd/assay
export ASSAY_DB=
echo 'a long passphrase' | "$tmp/assay" --data "$tmp/data" user create --admin --email bench@example.com --org-name Bench --password-stdin >/dev/null 2>&1
token="$("$tmp/assay" --data "$tmp/data" token create --email bench@example.com 2>&1)"
head -c "$((mb * 1024 * 1024))" /dev/urandom >"$tmp/evidence.bin"

"$tmp/assay" --data "$tmp/data" serve --addr "127.0.0.1:$port" --max-upload-mb "$((mb + 56))" >"$tmp/serve.log" 2>&1 &
pid=$!
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do sleep 0.01; done
echo "server peak RSS before the upload: $(awk '/VmHWM/ {printf "%.1f MB\n", $2/1024}' /proc/$pid/status)"

start=$(date +%s%N)
curl -fsS -o "$tmp/answer.json" -H "Authorization: Bearer $token" \
  -F kind=file -F controls=ACC-01 -F title="Bench upload" -F "file=@$tmp/evidence.bin;type=application/octet-stream" \
  "http://127.0.0.1:$port/api/v1/evidence"
end=$(date +%s%N)
ms=$(( (end - start) / 1000000 ))
echo "uploaded ${mb} MB in ${ms} ms: $(awk -v mb="$mb" -v ms="$ms" 'BEGIN {printf "%.0f MB/s", mb / (ms / 1000)}')"
echo "server peak RSS after the upload:  $(awk '/VmHWM/ {printf "%.1f MB\n", $2/1024}' /proc/$pid/status)"
grep -q "$(sha256sum "$tmp/evidence.bin" | cut -c1-64)" "$tmp/answer.json" && echo "digest matches sha256sum"
