#!/usr/bin/env bash
# Runs every test. The report and workbook tests drive real programs: Debian's Chromium,
# poppler-utils and LibreOffice Calc are installed when missing (needs root or sudo and Debian's
# package manager).
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests drive: Chromium (the report), poppler-utils (the report's PDF pages) and
# LibreOffice Calc (recomputes budget.xlsx).
missing=()
if ! command -v chromium >/dev/null 2>&1 && [ -z "${CERTPLAN_CHROMIUM:-}" ]; then missing+=(chromium); fi
if ! command -v pdftotext >/dev/null 2>&1; then missing+=(poppler-utils); fi
if ! command -v soffice >/dev/null 2>&1 && [ -z "${CERTPLAN_SOFFICE:-}" ]; then missing+=(libreoffice-calc); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "tests/run.sh: installing Debian's ${missing[*]} for the tests" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cargo test --locked
