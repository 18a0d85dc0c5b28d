#!/usr/bin/env bash
# Runs every test. The report test drives a real browser: Debian's Chromium is installed when
# it is missing (needs root or sudo and Debian's package manager).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 && [ -z "${CERTPLAN_CHROMIUM:-}" ]; then
  echo "tests/run.sh: installing Debian's chromium for the report test" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

cargo test --locked
