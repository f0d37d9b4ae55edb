// LZ4 frame format (Debian's liblz4-dev): AEDAT 4 packets are LZ4 frames.
#ifndef FEAST_CLZ4_SHIM_H
#define FEAST_CLZ4_SHIM_H
#include <lz4frame.h>
#endif
