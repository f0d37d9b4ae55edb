// Zstandard (Debian's libzstd-dev): AEDAT 4 packets may be zstd frames.
#ifndef FEAST_CZSTD_SHIM_H
#define FEAST_CZSTD_SHIM_H
#include <zstd.h>
#endif
