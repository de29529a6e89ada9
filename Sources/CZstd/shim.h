#ifndef LOGBOOK_CZSTD_SHIM_H
#define LOGBOOK_CZSTD_SHIM_H
/* The experimental parameters (magicless frames) are exported by Debian's
   shared libzstd; the static-only prototypes are needed to name them. */
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>
#include <zdict.h>

/// ZSTD_c_format, named here because the experimental enum is a macro alias.
static inline ZSTD_cParameter logbook_zstd_c_format(void) { return ZSTD_c_format; }
/// ZSTD_d_format, likewise.
static inline ZSTD_dParameter logbook_zstd_d_format(void) { return ZSTD_d_format; }
#endif
