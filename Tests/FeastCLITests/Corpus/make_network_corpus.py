#!/usr/bin/env python3
"""Regenerates the broken network files of this corpus (deterministic).

Each starts from a real network file written by `feast train` (the fuzz seed
Fuzz/corpus/fuzz-network/float-n2-r1.h5: N=2, R=1, float32, 2×9 weights) and
breaks one thing. expected.tsv says what feast must do with each. Needs h5py.
"""
import os
import shutil

import h5py
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
seed = os.path.join(here, "..", "..", "..", "Fuzz", "corpus", "fuzz-network", "float-n2-r1.h5")


def copy(name):
    out = os.path.join(here, name)
    shutil.copyfile(seed, out)
    return out


# A weight that is not a number.
with h5py.File(copy("network-nan-weights.h5"), "r+") as f:
    w = f["layer0/weights"]
    values = w[...]
    values[1, 4] = np.nan
    w[...] = values

# Weights of 3 neurons where the state (and the neurons attribute) say N = 2.
with h5py.File(copy("network-wrong-n.h5"), "r+") as f:
    values = f["layer0/weights"][...]
    del f["layer0/weights"]
    f["layer0/weights"] = np.vstack([values, values[:1]]).astype(np.float32)

# A format this feast does not know yet.
with h5py.File(copy("network-newer-version.h5"), "r+") as f:
    f.attrs["format_version"] = np.int64(2)

# The state claims a sensor of 0×0 pixels (a hand-edited or corrupt state).
with h5py.File(copy("network-bad-state.h5"), "r+") as f:
    state = f["layer0"].attrs["state_json"]
    state = state.decode() if isinstance(state, bytes) else state
    assert '"geometry":{"height":34,"width":34}' in state
    f["layer0"].attrs["state_json"] = state.replace('"geometry":{"height":34,"width":34}', '"geometry":{"height":0,"width":0}')

# The first 4 KiB of the file only.
with open(seed, "rb") as f:
    head = f.read(4096)
with open(os.path.join(here, "network-truncated.h5"), "wb") as f:
    f.write(head)
