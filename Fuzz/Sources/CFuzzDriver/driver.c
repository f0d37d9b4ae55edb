// SwiftPM links executables with its own `main`, which hides libFuzzer's:
// the Swift `main.swift` calls `feast_fuzz_main`, which hands control to
// libFuzzer's `LLVMFuzzerRunDriver`. A plain build (no -sanitize=fuzzer)
// has no libFuzzer, so a weak fallback replays the files given instead.
#include "CFuzzDriver.h"
#include <stdio.h>
#include <stdlib.h>

__attribute__((weak))
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *, size_t));

static int replay(int argc, char **argv, feast_fuzz_callback callback) {
    int replayed = 0;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-') continue;
        FILE *f = fopen(argv[i], "rb");
        if (!f) { fprintf(stderr, "%s: cannot open\n", argv[i]); return 1; }
        fseek(f, 0, SEEK_END);
        long size = ftell(f);
        fseek(f, 0, SEEK_SET);
        uint8_t *data = malloc(size > 0 ? (size_t)size : 1);
        size_t got = fread(data, 1, (size_t)size, f);
        fclose(f);
        callback(data, got);
        free(data);
        replayed++;
    }
    fprintf(stderr, "built without -sanitize=fuzzer: replayed %d input file(s)\n", replayed);
    return 0;
}

int feast_fuzz_main(int argc, char **argv, feast_fuzz_callback callback) {
    if (LLVMFuzzerRunDriver) return LLVMFuzzerRunDriver(&argc, &argv, callback);
    return replay(argc, argv, callback);
}
