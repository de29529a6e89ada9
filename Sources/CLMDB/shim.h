#ifndef LOGBOOK_CLMDB_SHIM_H
#define LOGBOOK_CLMDB_SHIM_H
#include <lmdb.h>

/// MDB_val built from a pointer and a size (Swift cannot name the C struct's
/// field order portably, and this keeps call sites short).
static inline MDB_val logbook_mdb_val(const void *data, size_t size) {
    MDB_val v;
    v.mv_size = size;
    v.mv_data = (void *)data;
    return v;
}
#endif
