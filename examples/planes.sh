#!/usr/bin/env bash
# The FEAST paper's second experiment on feast's own synthetic data:
# aircraft passing a 304×240 sensor (`feast simulate --kind planes`), then
# the whole pipeline on it: the stage table of `feast evaluate` (features
# chosen by K-fold cross-validation inside the training recordings, the test
# split scored once), a trained layer's weight mosaic, and the network-size
# heuristics of `feast size`.
#
#   bash examples/planes.sh [WORKDIR]
#
# Environment: TRAIN_PER_CLASS (default 100), TEST_PER_CLASS (50), SEEDS (3),
# FOLDS (5), NEURONS (per population, default 128 as in evaluate), RADIUS (5: the
# radius the README's planes table was measured with), SIZES (size's N list,
# default 8,16,32,64,128), SEED (1). Uses `feast` on PATH (or $FEAST).
# Run small by Tests/FeastCLITests/ExamplesTests.swift.
set -euo pipefail
feast="${FEAST:-feast}"
if [ $# -ge 1 ]; then work="$1"; mkdir -p "$work"; else work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT; fi
train="${TRAIN_PER_CLASS:-100}"; test="${TEST_PER_CLASS:-50}"
seeds="${SEEDS:-3}"; folds="${FOLDS:-5}"; neurons="${NEURONS:-128}"; radius="${RADIUS:-5}"
sizes="${SIZES:-8,16,32,64,128}"; seed="${SEED:-1}"

echo "== simulate: $train + $test passes per class, 4 classes, 304x240"
"$feast" simulate --kind planes --out "$work/planes" --train-per-class "$train" --test-per-class "$test" --seed "$seed" 2>&1

# Objects cover a small part of the sensor at any place: features that pool
# over the whole sensor (hist) against a 2x2 and a 4x4 grid, and the raw
# events in 8x8 blocks as the baseline.
echo "== evaluate: stages a-d, $folds-fold CV on the training passes, $seeds seeds"
"$feast" evaluate --train "$work/planes" --neurons "$neurons" --radius "$radius" --seed "$seed" --seeds "$seeds" --cv "$folds" \
    --baseline-features pixels:block=8 \
    --features hist --features hist:polarity --features hist:polarity,pool=2 --features hist:polarity,pool=4 \
    -o "$work/evaluate.json" --plots "$work"

echo "== train: one layer, N = $neurons, its weight mosaic"
"$feast" train "$work/planes" -o "$work/planes-net.h5" --neurons "$neurons" --seed "$seed" --plots "$work" --json > "$work/train.json"
ls "$work/weights.png" > /dev/null

echo "== size: N = $sizes"
"$feast" size "$work/planes" --neurons "$sizes" --seed "$seed" --cv "$folds" -o "$work/size.json"
