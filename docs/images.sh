#!/usr/bin/env bash
# Regenerates the pictures in the README from scenarios/eu-midsize.toml (four charts, and the
# first printed page of report.html) and scenarios/risky-rollout.toml (three risk charts): (headless Chromium to an A4 landscape PDF, then poppler's
# pdftoppm; Debian's `chromium` and `poppler-utils` packages).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo run --quiet --release -- compare scenarios/eu-midsize.toml --out "$out/run" >/dev/null
for chart in cost_curves budget_by_fiscal_year monthly_costs_both-parallel timeline_both-parallel; do
  cp "$out/run/$chart.png" "docs/images/$chart.png"
done
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$out/profile" \
  --no-pdf-header-footer --print-to-pdf="$out/report.pdf" "file://$out/run/report.html" 2>/dev/null
pdftoppm -png -r 100 -f 1 -l 1 -singlefile "$out/report.pdf" docs/images/report
# The risk pictures: scenarios/risky-rollout.toml, 10,000 draws, the default seed.
cargo run --quiet --release -- risk scenarios/risky-rollout.toml --out "$out/risk" >/dev/null
for chart in s_curve_first_iso_certificate tornado_both-parallel fan_both-parallel; do
  cp "$out/risk/$chart.png" "docs/images/$chart.png"
done
# The business case: scenarios/business-case.toml.
cargo run --quiet --release -- compare scenarios/business-case.toml --out "$out/case" >/dev/null
cp "$out/case/net_value.png" docs/images/net_value.png
echo "updated docs/images/"
