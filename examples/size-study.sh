#!/usr/bin/env bash
# A network-size study on synthetic data: how many neurons does a FEAST layer
# need? `feast size` trains one layer per neuron count (and seed), reports the
# noise-neuron heuristic, a classifier-free accuracy predictor and the real
# accuracy, and recommends a size (issue 7).
#
#   bash examples/size-study.sh [WORKDIR]
#
# Uses `feast` on PATH (or $FEAST). Knobs (environment): NEURONS (the sweep,
# default 4,8,16,32,64), PER_CLASS and TEST_PER_CLASS (synthetic training
# and test recordings per digit, default 20 and 5), SEEDS (default 1), SEED
# (default 3). WORKDIR (default: a temporary
# folder, removed at the end) receives the data, size.json, size.csv and
# size.png. Run with a small sweep by Tests/FeastCLITests/ExamplesTests.swift.
set -euo pipefail
feast="${FEAST:-feast}"
neurons="${NEURONS:-4,8,16,32,64}"
per_class="${PER_CLASS:-20}"
test_per_class="${TEST_PER_CLASS:-5}"
seeds="${SEEDS:-1}"
seed="${SEED:-3}"
if [ $# -ge 1 ]; then work="$1"; mkdir -p "$work"; else work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT; fi

# Synthetic digits in Train/ and Test/ (feast size scores on the Test/ split).
"$feast" simulate --out "$work/data" --train-per-class "$per_class" --test-per-class "$test_per_class" --seed "$seed"

# The sweep: JSON on stdout, the same table as CSV, and the plot.
"$feast" size "$work/data" --neurons "$neurons" --seeds "$seeds" --seed "$seed" \
    --json --csv "$work/size.csv" --plot "$work/size.png" > "$work/size.json"

echo "== size study over N = $neurons ($per_class training and $test_per_class test recordings per digit, $seeds seed(s))"
cat "$work/size.csv"
echo "== recommended: $(tr -d ' \n' < "$work/size.json" | grep -o '"recommended_neurons":[0-9]*' | cut -d: -f2) neurons"
echo "== outputs: $work/size.json $work/size.csv $work/size.png"
