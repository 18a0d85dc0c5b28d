#!/usr/bin/env bash
# Regenerates the chart pictures in the README from scenarios/eu-saas-both.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo run --quiet --release -- plan scenarios/eu-saas-both.toml --charts png --out "$out/charts" >/dev/null
for chart in cost_curves budget_by_fiscal_year monthly_costs_both-parallel timeline_both-parallel; do
  cp "$out/charts/$chart.png" "docs/images/$chart.png"
done
echo "updated docs/images/"
