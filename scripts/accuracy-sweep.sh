#!/usr/bin/env bash
# The sweeps behind feast evaluate's defaults (docs/accuracy.md): one factor
# at a time around the default configuration, on nmnist-small, trained on its
# Train split, scored on its Test split and by 5-fold CV within Train, over
# 3 seeds (SEEDS=n for fewer; SWEEP=stages|classifiers|pool|neurons|tau|radius|polarity
# for one group of the first round, SWEEP=sqrt for the second round's table:
# square-root map, grids and pyramids against R, N and τ). Prints one markdown table row per (run, stage, features,
# classifier). Usage: scripts/accuracy-sweep.sh [FEAST_BINARY] > rows.md
set -euo pipefail
cd "$(dirname "$0")/.."
FEAST="${1:-.build/release/feast}"
DATA="${FEAST_DATA:-$(cd .. && pwd)/shared/datasets}/nmnist-small"
COMMON=(--train "$DATA" --cv 5 --seeds "${SEEDS:-3}" --json)
OUT="${SWEEP_OUT:-/tmp/feast-sweep}"   # one JSON per run
mkdir -p "$OUT"

run() {  # run LABEL ARGS...
    local label="$1"; shift
    local start end
    start=$(date +%s.%N)
    local out="$OUT/$(echo "$label" | tr -c 'A-Za-z0-9=.\n' '_').json"
    "$FEAST" evaluate "${COMMON[@]}" "$@" 2>/dev/null > "$out"
    end=$(date +%s.%N)
    jq -r --arg name "$label" --arg args "$*" --arg wall "$(echo "$end - $start" | bc)" '
      .results[] | "| \($name) | `\($args)` | \(.stage) | \(.features) | \(.classifier) | \(.cv_mean*1000|round/1000) ± \(.cv_spread*1000|round/1000) | \(.accuracy*1000|round/1000) ± \(.accuracy_spread*1000|round/1000) | \($wall|tonumber|floor) s |"' "$out"
}

echo "| run | options | stage | features | classifier | 5-fold CV | test | wall |"
echo "|---|---|---|---|---|---|---|---|"
case "${SWEEP:-all}" in
all|stages)
    run "default, all stages" --classifier logistic,ridge ;;&
all|classifiers)
    run "classifiers" --stages d --classifier logistic,ridge,elm,knn,centroid ;;&
all|pool)
    run "pooling" --stages d --features hist --features hist:pool=3 --features hist:pool=4 ;;&
all|neurons)
    for n in 32 64 256; do run "N=$n" --neurons "$n" --stages c,d; done ;;&
all|tau)
    for tau in 10000 40000; do run "tau=$tau" --tau "$tau" --stages c,d; done ;;&
all|radius)
    for r in 3 4; do run "R=$r" --radius "$r" --stages c,d; done ;;&
all|polarity)
    run "shared N=64 (reference)" --polarity-mode shared --neurons 64 --stages b,c,d --features hist:polarity,pool=3
    run "shared N=128" --polarity-mode shared --neurons 128 --stages d --features hist:polarity,pool=2
    run "channel N=128" --polarity-mode channel --neurons 128 --stages d --features hist:polarity,pool=2 ;;&
all|sqrt)
    grids=(--features hist:pool=2 --features hist:pool=1+2+4 --features hist:pool=2,norm=sqrt --features hist:pool=4,norm=sqrt
           --features hist:pool=1+2+4,norm=sqrt --features hist:pool=2+4,norm=sqrt --features hist:pool=6,norm=sqrt
           --features hist:pool=8,norm=sqrt --features hist:pool=1+2+4+8,norm=sqrt)
    for r in 5 4 3 2; do run "R=$r grids" --radius "$r" --stages d --classifier logistic,ridge "${grids[@]}"; done
    for opt in "--neurons 256" "--tau 10000" "--tau 40000"; do
        for r in 5 3; do run "R=$r $opt" --radius "$r" $opt --stages d --features hist:pool=2,norm=sqrt --features hist:pool=4,norm=sqrt; done
    done
    run "R=3 lambda" --radius 3 --stages d --classifier logistic:lambda=0.0001,logistic:lambda=0.001,logistic:lambda=0.1 --features hist:pool=4,norm=sqrt ;;&
*) ;;
esac
