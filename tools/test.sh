#!/usr/bin/env bash
# The test command of the README and of CI: set up a fresh machine, then run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
lint-imports --no-cache
python3 -m pytest -q "$@"
