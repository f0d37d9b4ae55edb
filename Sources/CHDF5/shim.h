// Accessors for HDF5's macro globals, which Swift cannot import directly
// (they expand to `(H5OPEN H5T_NATIVE_FLOAT_g)`; reading the `_g` globals
// from Swift 6 is also a concurrency error).
#ifndef FEAST_CHDF5_SHIM_H
#define FEAST_CHDF5_SHIM_H
#include <hdf5.h>
// zlib (a dependency of libhdf5-dev) for the event reader's direct chunk
// decoding, which bypasses HDF5's filter pipeline on the hot path.
#include <zlib.h>

static inline hid_t feast_h5t_native_uint8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t feast_h5t_native_uint16(void) { return H5T_NATIVE_UINT16; }
static inline hid_t feast_h5t_native_int16(void) { return H5T_NATIVE_INT16; }
static inline hid_t feast_h5t_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t feast_h5t_native_uint32(void) { return H5T_NATIVE_UINT32; }
static inline hid_t feast_h5t_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t feast_h5t_native_uint64(void) { return H5T_NATIVE_UINT64; }
static inline hid_t feast_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t feast_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t feast_h5t_c_s1(void) { return H5T_C_S1; }
static inline hid_t feast_h5t_std_u8le(void) { return H5T_STD_U8LE; }
static inline hid_t feast_h5t_std_u16le(void) { return H5T_STD_U16LE; }
static inline hid_t feast_h5t_std_i16le(void) { return H5T_STD_I16LE; }
static inline hid_t feast_h5t_std_i32le(void) { return H5T_STD_I32LE; }
static inline hid_t feast_h5t_std_i64le(void) { return H5T_STD_I64LE; }
static inline hid_t feast_h5t_ieee_f32le(void) { return H5T_IEEE_F32LE; }
static inline hid_t feast_h5t_ieee_f64le(void) { return H5T_IEEE_F64LE; }
static inline hid_t feast_h5p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t feast_h5p_file_access(void) { return H5P_FILE_ACCESS; }
static inline hsize_t feast_h5s_unlimited(void) { return H5S_UNLIMITED; }
static inline hid_t feast_h5p_default(void) { return H5P_DEFAULT; }
static inline hid_t feast_h5s_all(void) { return H5S_ALL; }
static inline hid_t feast_h5e_default(void) { return H5E_DEFAULT; }
static inline unsigned feast_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned feast_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned feast_h5f_acc_excl(void) { return H5F_ACC_EXCL; }
static inline hid_t feast_h5t_native_int8(void) { return H5T_NATIVE_INT8; }
static inline hid_t feast_h5p_dataset_xfer(void) { return H5P_DATASET_XFER; }
static inline hid_t feast_h5p_link_create(void) { return H5P_LINK_CREATE; }
static inline size_t feast_h5t_variable(void) { return H5T_VARIABLE; }
static inline unsigned feast_h5f_acc_rdwr(void) { return H5F_ACC_RDWR; }
static inline hid_t feast_h5p_file_create(void) { return H5P_FILE_CREATE; }
static inline hid_t feast_h5p_dataset_access(void) { return H5P_DATASET_ACCESS; }
static inline hid_t feast_h5p_group_create(void) { return H5P_GROUP_CREATE; }

/// Starts a raw-deflate (no zlib header, no Adler-32) inflate stream.
static inline int feast_inflate_init_raw(z_stream *stream) { return inflateInit2(stream, -15); }

#endif
