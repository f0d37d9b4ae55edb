#!/usr/bin/env bash
# The test command: builds in release (the real-data tests run the FEAST
# layer over millions of events) and runs every test target.
set -euo pipefail
cd "$(dirname "$0")/.."
export FEAST_DATA="${FEAST_DATA:-$(cd .. && pwd)/shared/datasets}"
swift build -c release --product feast
swift test -c release -Xswiftc -enable-testing
# The example of a user's own classifier must keep building against the API.
(cd examples/custom-classifier && swift build)
