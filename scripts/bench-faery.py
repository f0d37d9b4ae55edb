#!/usr/bin/env python3
"""Decode speed of faery (PyPI, Rust core) on event files, for `feast bench decode`.

    python3 scripts/bench-faery.py [--repeats N] FILE...
    python3 scripts/bench-faery.py --convert SRC DST...   (faery rewrites SRC as each DST's format)

Prints one line per file: `path<TAB>events<TAB>best seconds`. Each run
iterates faery's own chunked decoder over the whole file (the way a Python
user reads a recording: `for chunk in faery.events_stream_from_file(path)`)
and counts the events; the best of N runs is reported.
"""
import sys
import time

import faery


def decode(path):
    count = 0
    for chunk in faery.events_stream_from_file(path):
        count += len(chunk)
    return count


def main(argv):
    if argv and argv[0] == "--convert":
        for dst in argv[2:]:
            faery.events_stream_from_file(argv[1]).to_file(dst, zero_t0=False)
        return
    repeats = 3
    if len(argv) >= 2 and argv[0] == "--repeats":
        repeats = int(argv[1])
        argv = argv[2:]
    for path in argv:
        best = float("inf")
        events = 0
        for _ in range(repeats):
            start = time.perf_counter()
            events = decode(path)
            best = min(best, time.perf_counter() - start)
        print(f"{path}\t{events}\t{best:.6f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
