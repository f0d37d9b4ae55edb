#!/usr/bin/env bash
#SBATCH --job-name=feast-extract
#SBATCH --cpus-per-task=1
#SBATCH --time=01:00:00
#SBATCH --output=feast-extract-%A_%a.log
#
# `feast extract` over a Slurm job array, one shard per array task, then a
# merge job that runs once every task has succeeded.
#
# On the login node:
#
#   bash examples/slurm-extract.sh NETWORK.h5 DATASET OUT.h5 [SHARDS]
#
# submits (1) an array of SHARDS tasks (default 16); task i runs
#   feast extract --network NETWORK.h5 DATASET -o OUT.parts/part-i.h5 \
#       --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT
# and (2) a job with --dependency=afterok on the array that runs
#   feast merge OUT.h5 OUT.parts/part-*.h5
# (merge refuses a missing, duplicate or foreign shard, so a failed task
# cannot go unnoticed). Paths must be visible from the compute nodes.
#
# The script is its own job body: inside an array task (SLURM_ARRAY_TASK_ID
# set) it runs that task's shard; with FEAST_STAGE=merge it merges.
# DRY_RUN=1 prints the sbatch commands instead of submitting them.
# Uses `feast` on PATH (or $FEAST); with --cpus-per-task above 1 each task
# also extracts its recordings in parallel (--jobs $SLURM_CPUS_PER_TASK).
set -euo pipefail
feast="${FEAST:-feast}"
if [ $# -lt 3 ]; then
    echo "usage: $0 NETWORK.h5 DATASET OUT.h5 [SHARDS]" >&2
    exit 2
fi
network="$1" data="$2" out="$3" shards="${4:-16}"
parts="${out%.*}.parts"

if [ -n "${SLURM_ARRAY_TASK_ID:-}" ]; then
    # An array task: one shard.
    mkdir -p "$parts"
    exec "$feast" extract --network "$network" "$data" \
        -o "$parts/part-$(printf %05d "$SLURM_ARRAY_TASK_ID").h5" \
        --shard "$SLURM_ARRAY_TASK_ID/${SLURM_ARRAY_TASK_COUNT:?SLURM_ARRAY_TASK_COUNT not set}" \
        --jobs "${SLURM_CPUS_PER_TASK:-1}"
fi

if [ "${FEAST_STAGE:-}" = merge ]; then
    exec "$feast" merge "$out" "$parts"/part-*.h5
fi

# The login node: submit the array, then the merge depending on it.
submit() {
    if [ -n "${DRY_RUN:-}" ]; then
        echo "sbatch $*" >&2
        echo "${DRY_ID:-12345}"  # a made-up job id
    else
        sbatch "$@"
    fi
}
script="$(readlink -f "$0")"
array=$(submit --parsable --array="0-$((shards - 1))" "$script" "$network" "$data" "$out" "$shards")
array="${array%%;*}"  # --parsable prints "jobid[;cluster]"
merge=$(DRY_ID=12346 submit --parsable --dependency="afterok:$array" --job-name=feast-merge \
    --export="ALL,FEAST_STAGE=merge" "$script" "$network" "$data" "$out" "$shards")
echo "submitted array job $array ($shards shards) and merge job ${merge%%;*} -> $out"
