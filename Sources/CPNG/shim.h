// libpng's simplified write API does its setjmp internally, so Swift can
// call it directly; this header only exposes the format macros Swift
// cannot import.
#ifndef FEAST_CPNG_SHIM_H
#define FEAST_CPNG_SHIM_H
#include <png.h>

static inline png_uint_32 feast_png_format_rgb(void) { return PNG_FORMAT_RGB; }
static inline png_uint_32 feast_png_format_rgba(void) { return PNG_FORMAT_RGBA; }
static inline png_uint_32 feast_png_format_gray(void) { return PNG_FORMAT_GRAY; }
static inline png_uint_32 feast_png_image_version(void) { return PNG_IMAGE_VERSION; }

#endif
