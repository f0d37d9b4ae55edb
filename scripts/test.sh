#!/usr/bin/env bash
# The test command: builds in release (the real-data tests run the FEAST
# layer over millions of events) and runs every test target, then fuzzes
# each libFuzzer target for FEAST_FUZZ_SECONDS (default 60; 0 skips).
set -euo pipefail
cd "$(dirname "$0")/.."
export FEAST_DATA="${FEAST_DATA:-$(cd .. && pwd)/shared/datasets}"
swift build -c release --product feast
swift test -c release -Xswiftc -enable-testing
# The example of a user's own classifier must keep building against the API.
(cd examples/custom-classifier && swift build)
# Fuzzing (issue 10): the event readers and the network-file loader.
fuzz_seconds="${FEAST_FUZZ_SECONDS:-60}"
if [ "$fuzz_seconds" -gt 0 ]; then
    bash scripts/fuzz.sh "$fuzz_seconds"
fi
