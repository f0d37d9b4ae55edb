#!/usr/bin/env bash
# One `feast extract` spread over N processes with --shard i/N, then joined
# with `feast merge` into the file a single run writes (checked with cmp).
# The same pattern spreads over machines that share a folder (ssh, GNU
# parallel --sshlogin, or a batch system: see slurm-extract.sh).
#
#   bash examples/parallel-extract.sh [WORKDIR]
#
# Environment: SHARDS (default 4), JOBS (processes at once; default the
# number of cores), DATA (a dataset; default: synthetic digits, simulated),
# NETWORK (default: a 16-neuron layer trained on DATA), RUNNER (xargs or
# parallel; default GNU parallel when installed, else xargs -P).
# Uses `feast` on PATH (or $FEAST). Run by Tests/FeastCLITests/ExamplesTests.swift.
set -euo pipefail
feast="${FEAST:-feast}"
if [ $# -ge 1 ]; then work="$1"; mkdir -p "$work"; else work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT; fi
shards="${SHARDS:-4}"
jobs="${JOBS:-$(nproc 2>/dev/null || echo 2)}"

data="${DATA:-}"
if [ -z "$data" ]; then
    data="$work/data"
    "$feast" simulate --out "$data" --train-per-class 2 --test-per-class 1 --seed 11 >&2
fi
network="${NETWORK:-}"
if [ -z "$network" ]; then
    network="$work/net.h5"
    "$feast" train "$data" -o "$network" --neurons 16 --seed 11 --json > /dev/null
fi

# 1. N shard runs, JOBS at a time. Each shard does recordings i, i+N, i+2N, …
#    with one worker (--jobs 1): the processes share the cores.
mkdir -p "$work/parts"
rm -f "$work"/parts/part-*.h5
runner="${RUNNER:-$(command -v parallel > /dev/null && echo parallel || echo xargs)}"
echo "== $shards shards, $jobs at a time, with $runner"
if [ "$runner" = parallel ]; then
    parallel --halt now,fail=1 -j "$jobs" \
        "$feast" extract --network "$network" "$data" -o "$work/parts/part-{}.h5" --shard "{}/$shards" --jobs 1 \
        ::: $(seq 0 $((shards - 1)))
else
    seq 0 $((shards - 1)) | xargs -P "$jobs" -I{} \
        "$feast" extract --network "$network" "$data" -o "$work/parts/part-{}.h5" --shard "{}/$shards" --jobs 1
fi

# 2. Merge: checks that the parts are shards 0…N-1 of one run (same network,
#    options and recordings), then writes the whole file atomically.
"$feast" merge "$work/events.h5" "$work"/parts/part-*.h5

# 3. The same as one run over all recordings.
"$feast" extract --network "$network" "$data" -o "$work/single.h5"
if cmp -s "$work/events.h5" "$work/single.h5"; then
    echo "== merged file identical to a single run: $(wc -c < "$work/events.h5") bytes"
else
    echo "== merged file DIFFERS from a single run" >&2; exit 1
fi
