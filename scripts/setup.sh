#!/usr/bin/env bash
# Installs the system libraries feast links against, if missing (Debian).
set -euo pipefail
need=()
for p in libhdf5-dev libpng-dev liblz4-dev libzstd-dev pkg-config; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "installing ${need[*]}" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
# faery (PyPI, pinned): an independent reader and writer of EVT 2.0/3.0,
# DAT, AEDAT 4 and Event Stream files, which the format tests check feast
# against. Installed only when that version is missing.
if ! python3 -c 'import faery, sys; sys.exit(faery.__version__ != "0.7.1")' 2>/dev/null; then
    echo "installing faery==0.7.1 (pip)" >&2
    python3 -m pip install -q --disable-pip-version-check faery==0.7.1
fi
# h5py and scikit-learn (PyPI, pinned): an independent HDF5 reader and
# writer (its wheel bundles its own libhdf5), which the interoperability
# tests check feast's event, feature and network files against, and what
# examples/python and its test use. Installed only when missing.
if ! python3 -c 'import h5py, sklearn, sys; sys.exit(h5py.__version__ != "3.12.1" or sklearn.__version__ != "1.5.2")' 2>/dev/null; then
    echo "installing h5py==3.12.1 scikit-learn==1.5.2 (pip)" >&2
    python3 -m pip install -q --disable-pip-version-check h5py==3.12.1 scikit-learn==1.5.2
fi
