#!/usr/bin/env bash
# Regenerates the pictures in the README from scenarios/eu-saas-both.toml: four charts and a
# screenshot of report.html in headless Chromium (Debian's `chromium` package).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo run --quiet --release -- compare scenarios/eu-saas-both.toml --out "$out/run" >/dev/null
for chart in cost_curves budget_by_fiscal_year monthly_costs_both-parallel timeline_both-parallel; do
  cp "$out/run/$chart.png" "docs/images/$chart.png"
done
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$out/profile" \
  --window-size=1300,1100 --screenshot="docs/images/report.png" "file://$out/run/report.html" 2>/dev/null
echo "updated docs/images/"
