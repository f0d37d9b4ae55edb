#!/usr/bin/env bash
# Fuzzes the event readers and the network-file loader with libFuzzer for a bounded time each.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     (default 60 s; all targets)
#
# Targets: fuzz-nmnist, fuzz-csv, fuzz-hdf5, fuzz-network (Fuzz/Sources). Each is built in
# release with -sanitize=fuzzer,address in its own scratch path (.build-fuzz,
# so the normal build is untouched) and run from the committed seeds in
# Fuzz/corpus/<target>; new inputs go to .build-fuzz/corpus/<target>, crashes
# and hangs to .build-fuzz/artifacts/<target>/. Exit status 1 if any target
# found something. Replay a finding with: .build-fuzz/release/<target> FILE
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz-nmnist fuzz-csv fuzz-hdf5 fuzz-network)
# A single input slower than this is reported as a hang.
per_input_timeout="${FUZZ_TIMEOUT:-10}"

for target in "${targets[@]}"; do
    swift build --product "$target" -c release -Xswiftc -sanitize=fuzzer,address --scratch-path .build-fuzz
done

failed=()
for target in "${targets[@]}"; do
    work=".build-fuzz/corpus/$target"
    artifacts=".build-fuzz/artifacts/$target/"
    mkdir -p "$work" "$artifacts"
    echo "== $target: ${seconds} s"
    # The first corpus folder receives new inputs; the seeds stay as committed.
    # Leak checking is off: the Swift runtime keeps metadata caches for the
    # life of the process, which LeakSanitizer reports as leaks.
    # allocator_may_return_null: libhdf5 (not instrumented) asks malloc for
    # terabytes when a corrupt header says so and handles the NULL a normal
    # malloc returns; ASan would abort there instead (found by fuzz-hdf5).
    if ! ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1:${ASAN_OPTIONS:-}" ".build-fuzz/release/$target" \
        -max_total_time="$seconds" -timeout="$per_input_timeout" -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts" \
        "$work" "Fuzz/corpus/$target" 2>".build-fuzz/$target.log"; then
        failed+=("$target")
        tail -n 40 ".build-fuzz/$target.log" >&2
    fi
    grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb)" ".build-fuzz/$target.log" || true
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found problems in: ${failed[*]} (inputs in .build-fuzz/artifacts/)" >&2
    exit 1
fi
echo "fuzzing: no crash or hang in ${targets[*]} (${seconds} s each)"
