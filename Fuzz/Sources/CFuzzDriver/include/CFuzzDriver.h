#ifndef FEAST_CFUZZDRIVER_H
#define FEAST_CFUZZDRIVER_H
#include <stddef.h>
#include <stdint.h>

/// The per-input callback libFuzzer calls (same shape as LLVMFuzzerTestOneInput).
typedef int (*feast_fuzz_callback)(const uint8_t *data, size_t size);

/// Runs libFuzzer's driver with the process arguments when the binary was
/// built with `-sanitize=fuzzer`; otherwise runs `callback` once on each
/// file named in the arguments (a plain build replays a corpus or a crash).
int feast_fuzz_main(int argc, char **argv, feast_fuzz_callback callback);

#endif
