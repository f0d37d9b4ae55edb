#!/usr/bin/env bash
# Shell pipelines with the feast CLI: events flow as CSV over stdin/stdout
# from one command to the next, so feast composes with head, cut, sort, awk.
#
#   bash examples/stream-pipeline.sh [WORKDIR]
#
# Uses `feast` on PATH (or $FEAST). WORKDIR (default: a temporary folder,
# removed at the end) receives the synthetic recordings and the network.
# Run by Tests/FeastCLITests/ExamplesTests.swift, so it cannot rot.
set -euo pipefail
feast="${FEAST:-feast}"
if [ $# -ge 1 ]; then work="$1"; mkdir -p "$work"; else work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT; fi

# 1. A few synthetic N-MNIST-style recordings (Train/<digit>/*.bin, Test/..., labels.csv).
"$feast" simulate --out "$work/data" --train-per-class 3 --test-per-class 1 --seed 7

# 2. A small network, trained on the Train/ split.
"$feast" train "$work/data" -o "$work/net.h5" --neurons 16 --seed 7 --json > "$work/train.json"
echo "== trained: $(tr -d ' \n' < "$work/train.json" | grep -o '"miss_rate":[0-9.e-]*')"

# 3. One recording, converted to CSV on stdout, through the trained layer on
#    stdin; stream writes t,x,y,p,neuron per winning event.
one="$work/data/Test/3/$(ls "$work/data/Test/3" | head -n 1)"
echo "== feast convert $(basename "$one") - --to csv | feast stream --network net.h5 --format csv | head -n 6"
"$feast" convert "$one" - --to csv | "$feast" stream --network "$work/net.h5" --format csv | head -n 6

# 4. The same events through `feast extract` reading stdin: identical to stream's.
"$feast" convert "$one" - --to csv | "$feast" stream --network "$work/net.h5" --format csv > "$work/stream.csv"
"$feast" convert "$one" - --to csv | "$feast" extract --network "$work/net.h5" --format csv - -o - > "$work/extract.csv"
if cmp -s "$work/stream.csv" "$work/extract.csv"; then
    echo "== stream and extract agree: $(($(wc -l < "$work/stream.csv") - 1)) output events"
else
    echo "== stream and extract DIFFER" >&2; exit 1
fi

# 5. A win histogram with plain Unix tools: the five busiest neurons.
echo "== five busiest neurons (wins neuron)"
tail -n +2 "$work/extract.csv" | cut -d, -f5 | sort -n | uniq -c | sort -k1,1nr -k2,2n | head -n 5

# 6. Feature vectors of the test split for any other tool (h5py: /features, /labels, /files).
"$feast" extract --network "$work/net.h5" --features hist:polarity,pool=2 "$work/data/Test" -o "$work/features.h5"
echo "== features: $work/features.h5"
