#!/usr/bin/env bash
# The training-scaling experiments of docs/scaling.md on N-MNIST-small
# (801 training, 100 test recordings): shared vs per-polarity populations,
# the two polarity populations trained as two processes at once, and weight
# averaging of layers trained on the two halves of the training set.
#
#   PATH="$PWD/.build/release:$PATH" bash docs/scaling/run.sh [WORKDIR]
#
# DATA (default ../shared/datasets/nmnist-small), N (neurons per
# population, default 64), SEEDS (default "1 2 3"). Needs python3 with
# h5py and numpy (combine_networks.py). Prints one line per measurement.
set -euo pipefail
feast="${FEAST:-feast}"
here="$(cd "$(dirname "$0")" && pwd)"
data="${DATA:-$here/../../../shared/datasets/nmnist-small}"
n="${N:-64}"
seeds="${SEEDS:-1 2 3}"
if [ $# -ge 1 ]; then work="$1"; mkdir -p "$work"; else work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT; fi
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), data $data, N=$n"

# feast train ARGS --seed $seed, its wall and CPU seconds appended to "$work/times".
train() {
    local label="$1"; shift
    /usr/bin/time -f "seed $seed $label: wall %e s user %U s sys %S s" -a -o "$work/times" "$feast" train "$@" --seed "$seed" --json > /dev/null
}
# Logistic-regression accuracy on a network's win counts: stage c (plain
# win counts) and d (2×2-pooled, features $2), on the 100 test recordings and
# by 5-fold cross-validation on the 801 training recordings.
# (stage b: a random layer of the same shape, the floor learning must beat.)
accuracy() {
    "$feast" evaluate --train "$data" --network "$1" --stages "${3:-c,d}" --features "$2" --classifier logistic --cv 5 --json 2> /dev/null |
        python3 -c 'import json,sys
for r in json.load(sys.stdin)["results"]:
    print("%s(%s) test %.3f cv %.3f" % (r["stage"], r["features"], r["accuracy"], r["cv_mean"]), end="  ")
print()'
}

# The ON-only and OFF-only copies of the training split, for training the
# two polarity populations as independent processes.
if [ ! -e "$work/on/done" ]; then
    for pol in on off; do
        (cd "$data" && find Train -name '*.bin') | while read -r f; do
            mkdir -p "$work/$pol/$(dirname "$f")"
            "$feast" convert "$data/$f" "$work/$pol/$f" --polarity "$pol"
        done
    done
    touch "$work/on/done"
fi
# The two halves of the training split (every other recording), as labels CSVs.
python3 - "$data" "$work" <<'PY'
import csv, os, sys
data, work = sys.argv[1], sys.argv[2]
rows = [r for r in csv.DictReader(open(os.path.join(data, "labels.csv"))) if r["split"] == "train"]
for h in (0, 1):
    with open(os.path.join(work, f"half{h}.csv"), "w") as f:
        f.write("file,label,split\n")
        for r in sorted(rows, key=lambda r: r["file"])[h::2]:
            f.write(f"{os.path.join(data, r['file'])},{r['label']},train\n")
PY

rm -f "$work/times"
for seed in $seeds; do
    train "shared N=$n" "$data" -o "$work/shared-$seed.h5" --neurons "$n" --polarity-mode shared
    train "shared N=$((2 * n))" "$data" -o "$work/shared2-$seed.h5" --neurons "$((2 * n))" --polarity-mode shared
    train "per-polarity N=2x$n" "$data" -o "$work/pp-$seed.h5" --neurons "$n" --polarity-mode per-polarity
    # The two populations as two processes at once (one core each).
    start=$(date +%s.%N)
    train "ON population alone" "$work/on" -o "$work/on-$seed.h5" --neurons "$n" --polarity-mode shared &
    train "OFF population alone" "$work/off" -o "$work/off-$seed.h5" --neurons "$n" --polarity-mode shared &
    wait
    echo "seed $seed ON + OFF in parallel: wall $(python3 -c "import time; print('%.2f' % (time.time() - $start))") s" >> "$work/times"
    python3 "$here/combine_networks.py" stack "$work/off-$seed.h5" "$work/on-$seed.h5" -o "$work/stacked-$seed.h5"
    # Weight averaging of two layers trained on halves with the same seed.
    train "per-polarity on half 0" "$work/half0.csv" -o "$work/half0-$seed.h5" --neurons "$n" --polarity-mode per-polarity
    train "per-polarity on half 1" "$work/half1.csv" -o "$work/half1-$seed.h5" --neurons "$n" --polarity-mode per-polarity
    python3 "$here/combine_networks.py" average "$work/half0-$seed.h5" "$work/half1-$seed.h5" -o "$work/avg-$seed.h5" >> "$work/times"
    # Control: the second half trained from another seed (neurons not aligned).
    "$feast" train "$work/half1.csv" -o "$work/half1x-$seed.h5" --neurons "$n" --polarity-mode per-polarity --seed "$((seed + 100))" --json > /dev/null
    python3 "$here/combine_networks.py" average "$work/half0-$seed.h5" "$work/half1x-$seed.h5" -o "$work/avgx-$seed.h5" >> "$work/times"

    echo "seed $seed accuracy untrained per-polarity N=2x$n: $(accuracy "$work/pp-$seed.h5" hist:pool=2 b)"
    echo "seed $seed accuracy shared N=$n: $(accuracy "$work/shared-$seed.h5" hist:polarity,pool=2)"
    echo "seed $seed accuracy shared N=$((2 * n)): $(accuracy "$work/shared2-$seed.h5" hist:polarity,pool=2)"
    echo "seed $seed accuracy per-polarity N=2x$n: $(accuracy "$work/pp-$seed.h5" hist:pool=2)"
    echo "seed $seed accuracy ON+OFF trained apart, stacked: $(accuracy "$work/stacked-$seed.h5" hist:pool=2)"
    echo "seed $seed accuracy per-polarity on half 0: $(accuracy "$work/half0-$seed.h5" hist:pool=2)"
    echo "seed $seed accuracy per-polarity on half 1: $(accuracy "$work/half1-$seed.h5" hist:pool=2)"
    echo "seed $seed accuracy average of the halves: $(accuracy "$work/avg-$seed.h5" hist:pool=2)"
    echo "seed $seed accuracy average of the halves, seeds $seed and $((seed + 100)): $(accuracy "$work/avgx-$seed.h5" hist:pool=2)"
done
cat "$work/times"
