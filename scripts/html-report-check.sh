#!/usr/bin/env bash
# Loads `slate simulate --format html` reports (with and without a baseline) in headless
# Chromium and checks that every chart was drawn: the page sets data-charts-rendered on
# <body> to the number of non-empty chart canvases once uPlot has rendered them.
# Usage: scripts/html-report-check.sh SLATE_BINARY
set -euo pipefail
slate=$(realpath "$1")
cd "$(dirname "$0")/.."
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "html report check: chromium is not installed (apt-get install chromium)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/proposal"
cp policies/*.yaml "$work/proposal/"
sed -i 's/      on: {inactivity: 1h}/      on: {inactivity: 30m}/' "$work/proposal/escalation-matrix.yaml"
"$slate" simulate --format html --out "$work/report.html"
"$slate" simulate --policies "$work/proposal" --baseline policies --format html --out "$work/baseline.html"
status=0
for report in report baseline; do
  dom=$(timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile-$report" --virtual-time-budget=5000 \
    --dump-dom "file://$work/$report.html" 2>/dev/null)
  rendered=$(grep -o 'data-charts-rendered="[0-9]*"' <<<"$dom" | grep -o '[0-9]*' || true)
  if [ "$rendered" = "4" ]; then
    echo "ok    $report.html: 4 charts rendered"
  else
    echo "FAIL  $report.html: charts rendered: ${rendered:-none}"
    status=1
  fi
done
if grep -q 'src="http' "$work/report.html" || grep -q "href=\"http" "$work/report.html"; then
  echo "FAIL  report.html loads something from the network"
  status=1
fi
echo "2 reports checked, $status failed"
exit "$status"
