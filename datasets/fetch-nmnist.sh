#!/usr/bin/env bash
# Downloads the real N-MNIST (Orchard et al. 2015) into datasets/nmnist/.
# For users with internet access; never run in CI. Fails clearly without a
# network. The archives are ~1 GB (Train.zip) and ~170 MB (Test.zip).
#
#   bash datasets/fetch-nmnist.sh [DEST]
#
# feast reads Train.zip/Test.zip directly (no need to unpack):
#   feast evaluate --train DEST/Train.zip --test DEST/Test.zip
set -euo pipefail
dest="${1:-$(dirname "$0")/nmnist}"
mkdir -p "$dest"
# The dataset's home is the Mendeley Data record 468j46mzdv (Orchard et al.).
base="${NMNIST_URL:-https://prod-dcd-datasets-cache-zipfiles.s3.eu-west-1.amazonaws.com/468j46mzdv-1.zip}"
if ! command -v curl >/dev/null 2>&1; then echo "fetch-nmnist: curl is not installed" >&2; exit 1; fi
tmp="$dest/.download.zip"
if ! curl -fL --connect-timeout 15 -o "$tmp" "$base"; then
    rm -f "$tmp"
    echo "fetch-nmnist: could not download $base (no network, or the address moved)." >&2
    echo "Download N-MNIST by hand from https://www.garrickorchard.com/datasets/n-mnist" >&2
    echo "and put Train.zip and Test.zip into $dest." >&2
    exit 1
fi
# The record zip holds Train.zip and Test.zip; keep those and drop the wrapper.
(cd "$dest" && unzip -o -j .download.zip '*Train.zip' '*Test.zip' && rm -f .download.zip)
echo "N-MNIST in $dest:" >&2
ls -l "$dest" >&2
