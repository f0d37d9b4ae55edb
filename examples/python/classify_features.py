#!/usr/bin/env python3
"""Any tool can be feast's back-end: read the features files that
`feast extract --features SPEC -o FILE.h5` writes and classify them with
scikit-learn.

    feast extract --network net.h5 --features hist:polarity,pool=3 TRAIN -o train.h5
    feast extract --network net.h5 --features hist:polarity,pool=3 TEST  -o test.h5
    python3 examples/python/classify_features.py train.h5 test.h5 [--json]

A features file holds (plain HDF5, no plugins):
    /features  float32 [recordings x features]
    /labels    int32   [recordings]
    /files     strings [recordings]   (recording names, for joining)

It prints the test accuracy of a standardised multinomial logistic
regression, the same model as feast's built-in `logistic` classifier, so the
two figures can be compared.
"""
import argparse
import json
import sys

import h5py
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def load(path):
    with h5py.File(path, "r") as f:
        for name in ("features", "labels", "files"):
            if name not in f:
                sys.exit(f"{path}: no /{name} dataset: is this a feast features file?")
        x = np.asarray(f["features"], dtype=np.float64)
        y = np.asarray(f["labels"], dtype=np.int64)
    if x.ndim != 2 or x.shape[0] != y.shape[0]:
        sys.exit(f"{path}: /features {x.shape} and /labels {y.shape} disagree")
    return x, y


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("train")
    ap.add_argument("test")
    ap.add_argument("--C", type=float, default=1.0, help="inverse L2 strength")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    xtr, ytr = load(a.train)
    xte, yte = load(a.test)
    if xtr.shape[1] != xte.shape[1]:
        sys.exit(f"feature counts differ: {a.train} has {xtr.shape[1]}, {a.test} has {xte.shape[1]}")
    model = make_pipeline(StandardScaler(), LogisticRegression(C=a.C, max_iter=2000))
    model.fit(xtr, ytr)
    acc = float((model.predict(xte) == yte).mean())
    if a.json:
        print(json.dumps({"classifier": "sklearn-logistic", "train": len(ytr), "test": len(yte),
                          "features": int(xtr.shape[1]), "accuracy": acc}))
    else:
        print(f"scikit-learn logistic regression: {acc:.4f} on {len(yte)} test recordings "
              f"({xtr.shape[1]} features, {len(ytr)} training recordings)")


if __name__ == "__main__":
    main()
