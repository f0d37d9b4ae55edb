#!/usr/bin/env python3
"""Combine float FEAST network files (from `feast train`) for the scaling
experiments of docs/scaling.md. Needs h5py and numpy.

  combine_networks.py stack OFF.h5 ON.h5 -o OUT.h5
      two shared-population layers, trained separately on the OFF-only and
      ON-only events, become one per-polarity layer (population 0 = OFF,
      population 1 = ON: the layout `--polarity-mode per-polarity` uses).
  combine_networks.py average A.h5 B.h5 [...] -o OUT.h5
      weight averaging: neuron n of OUT has the mean of the inputs' neuron-n
      weights, re-normalised to unit length, and the mean of their thresholds.

OUT keeps the first input's attributes (parameters, counters) with the layout
fields updated, and no /training history. It loads with `feast evaluate
--network OUT.h5` like any trained network.
"""
import argparse
import json

import h5py
import numpy as np


def read(path):
    with h5py.File(path, "r") as f:
        layer = f["layer0"]
        if layer.attrs["arithmetic"] != "float32":
            raise SystemExit(f"{path}: only float networks can be combined")
        state = json.loads(layer.attrs["state_json"])
        attrs = {k: v for k, v in layer.attrs.items() if k != "state_json"}
        root = dict(f.attrs)
        return root, attrs, state, layer["weights"][:], layer["thresholds"][:]


def write(path, root, attrs, state, weights, thresholds):
    with h5py.File(path, "w") as f:
        for k, v in root.items():
            f.attrs[k] = v
        layer = f.create_group("layer0")
        layer.create_dataset("weights", data=weights.astype(np.float32), compression="gzip", shuffle=True)
        layer.create_dataset("thresholds", data=thresholds.astype(np.float32), compression="gzip", shuffle=True)
        for k, v in attrs.items():
            layer.attrs[k] = v
        layer.attrs["state_json"] = json.dumps(state)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["stack", "average"])
    p.add_argument("inputs", nargs="+")
    p.add_argument("-o", "--output", required=True)
    a = p.parse_args()
    nets = [read(x) for x in a.inputs]
    root, attrs, state, w0, t0 = nets[0]
    for path, (_, _, s, w, _) in zip(a.inputs, nets):
        if w.shape != w0.shape or s["parameters"]["radius"] != state["parameters"]["radius"]:
            raise SystemExit(f"{path}: another layer shape than {a.inputs[0]}")
    if a.mode == "stack":
        if len(nets) != 2 or state["populations"] != 1:
            raise SystemExit("stack takes two shared-population networks: OFF.h5 ON.h5")
        weights = np.concatenate([nets[0][3], nets[1][3]])
        thresholds = np.concatenate([nets[0][4], nets[1][4]])
        state["populations"] = 2
        state["parameters"]["polarity_mode"] = "perPolarity"
        attrs["populations"] = 2
        attrs["parameters.polarity_mode"] = "perPolarity"
    else:
        # How well neuron n of one input matches neuron n of the others (1 =
        # same direction); the best match among all neurons, for comparison.
        w = [n[3] / np.linalg.norm(n[3], axis=1, keepdims=True) for n in nets]
        for i in range(1, len(w)):
            cos = w[0] @ w[i].T
            print(f"{a.inputs[0]} vs {a.inputs[i]}: same-index cosine {np.mean(np.diag(cos)):.3f}, "
                  f"best-match cosine {np.mean(cos.max(axis=1)):.3f}, "
                  f"same index is the best match for {np.mean(cos.argmax(axis=1) == np.arange(len(cos))):.0%} of neurons")
        weights = np.mean([n[3] for n in nets], axis=0, dtype=np.float64)
        norms = np.linalg.norm(weights, axis=1, keepdims=True)
        weights = weights / np.where(norms > 0, norms, 1)
        thresholds = np.mean([n[4] for n in nets], axis=0, dtype=np.float64)
    write(a.output, root, attrs, state, weights, thresholds)


if __name__ == "__main__":
    main()
