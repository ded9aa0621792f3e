#!/usr/bin/env bash
# Screenshots for the docs: the dashboard, a control, monitoring and the
# employee portal at 1440 and 390 px, taken by the every-page browser test
# from the demo (needs Debian's chromium and npm).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p docs/screenshots
ASSAY_SCREENSHOTS="$PWD/docs/screenshots" go test -count=1 -run 'TestBrowserEveryPage' ./cmd/assay
ls -l docs/screenshots
