#!/usr/bin/env bash
# The README's first command: install what is missing, build in release,
# and run the end-to-end demo on the embedded synthetic data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product feast
.build/release/feast demo "$@"
