#include "storage/wal_batching_vfs.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <new>
#include <vector>

namespace ritualbot {

namespace {

constexpr int frame_header_bytes = 24;     // each WAL frame's header, before its page
constexpr sqlite3_int64 wal_header_bytes = 32;  // the file's own header, at 0
// The unix VFS writes at most 128 KB in one call (it masks larger sizes to 17
// bits and reports the short write as a full disk): gathered bytes are
// written past 64 KB, in pieces of at most that.
constexpr std::size_t flush_above = 64 * 1024;

// A WAL file: the default VFS's file lives right after this struct.
struct wal_file {
    sqlite3_file base;  // base.pMethods: wal_methods (below)
    sqlite3_file* real = nullptr;
    std::vector<char> pending;  // contiguous bytes from pending_at, not yet written
    sqlite3_int64 pending_at = 0;
    bool commit_frame = false;  // the last write was the header of a commit's last frame
};

constexpr int wal_file_bytes = static_cast<int>((sizeof(wal_file) + 15) / 16 * 16);

sqlite3_vfs* real_vfs = nullptr;
sqlite3_vfs batching_vfs{};

wal_file* as_wal(sqlite3_file* f) { return reinterpret_cast<wal_file*>(f); }

int flush(wal_file* w) {
    int rc = SQLITE_OK;
    for (std::size_t done = 0; done < w->pending.size() && rc == SQLITE_OK;) {
        const std::size_t n = std::min(w->pending.size() - done, flush_above);
        rc = w->real->pMethods->xWrite(w->real, w->pending.data() + done, static_cast<int>(n),
                                       w->pending_at + static_cast<sqlite3_int64>(done));
        done += n;
    }
    w->pending.clear();
    w->commit_frame = false;
    if (w->pending.capacity() > flush_above * 2) std::vector<char>().swap(w->pending);
    return rc;
}

int wal_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 at) {
    wal_file* w = as_wal(f);
    if (!w->pending.empty() && at != w->pending_at + static_cast<sqlite3_int64>(w->pending.size()))
        if (const int rc = flush(w); rc != SQLITE_OK) return rc;
    if (w->pending.empty()) w->pending_at = at;
    const char* bytes = static_cast<const char*>(data);
    w->pending.insert(w->pending.end(), bytes, bytes + amount);
    if (amount == frame_header_bytes && at >= wal_header_bytes) {
        // Bytes 4-7 of a frame header: the database's size in pages after a
        // commit, in the frame that ends it; 0 in every other frame.
        const auto* h = reinterpret_cast<const unsigned char*>(data);
        w->commit_frame = (h[4] | h[5] | h[6] | h[7]) != 0;
        return SQLITE_OK;
    }
    if (w->commit_frame || w->pending.size() >= flush_above) return flush(w);
    return SQLITE_OK;
}

int wal_close(sqlite3_file* f) {
    wal_file* w = as_wal(f);
    const int flushed = flush(w);
    const int rc = w->real->pMethods ? w->real->pMethods->xClose(w->real) : SQLITE_OK;
    w->~wal_file();
    return flushed != SQLITE_OK ? flushed : rc;
}

// Everything that reads, sizes, syncs or changes the file sees the gathered
// bytes written first; `forward` then calls the default VFS's file.
template <class Forward>
int flushed_then(sqlite3_file* f, Forward forward) {
    wal_file* w = as_wal(f);
    if (const int rc = flush(w); rc != SQLITE_OK) return rc;
    return forward(w->real);
}

int wal_read(sqlite3_file* f, void* out, int amount, sqlite3_int64 at) {
    return flushed_then(f, [&](sqlite3_file* r) { return r->pMethods->xRead(r, out, amount, at); });
}
int wal_truncate(sqlite3_file* f, sqlite3_int64 size) {
    return flushed_then(f, [&](sqlite3_file* r) { return r->pMethods->xTruncate(r, size); });
}
int wal_sync(sqlite3_file* f, int flags) {
    return flushed_then(f, [&](sqlite3_file* r) { return r->pMethods->xSync(r, flags); });
}
int wal_file_size(sqlite3_file* f, sqlite3_int64* size) {
    return flushed_then(f, [&](sqlite3_file* r) { return r->pMethods->xFileSize(r, size); });
}
int wal_file_control(sqlite3_file* f, int op, void* arg) {
    return flushed_then(f, [&](sqlite3_file* r) { return r->pMethods->xFileControl(r, op, arg); });
}

// Locks and properties go straight through.
sqlite3_file* real_of(sqlite3_file* f) { return as_wal(f)->real; }
int wal_lock(sqlite3_file* f, int level) { return real_of(f)->pMethods->xLock(real_of(f), level); }
int wal_unlock(sqlite3_file* f, int level) { return real_of(f)->pMethods->xUnlock(real_of(f), level); }
int wal_check_reserved(sqlite3_file* f, int* out) {
    return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
int wal_sector_size(sqlite3_file* f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }
int wal_device(sqlite3_file* f) { return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f)); }

// Version 1: SQLite maps the shared-memory index through the database file,
// never the WAL, and fetches (mmap) only database pages, so a WAL file needs
// none of the later methods.
const sqlite3_io_methods wal_methods{1,
                                     wal_close,
                                     wal_read,
                                     wal_write,
                                     wal_truncate,
                                     wal_sync,
                                     wal_file_size,
                                     wal_lock,
                                     wal_unlock,
                                     wal_check_reserved,
                                     wal_file_control,
                                     wal_sector_size,
                                     wal_device,
                                     nullptr,
                                     nullptr,
                                     nullptr,
                                     nullptr,
                                     nullptr,
                                     nullptr};

// Only WAL files are wrapped; any other file is the default VFS's own, opened
// in the same memory (this VFS's files are larger than its).
int vfs_open(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* out_flags) {
    if (!(flags & SQLITE_OPEN_WAL)) return real_vfs->xOpen(real_vfs, name, f, flags, out_flags);
    auto* w = new (f) wal_file{};
    w->base.pMethods = nullptr;  // until the real file is open: SQLite then closes nothing
    w->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + wal_file_bytes);
    w->real->pMethods = nullptr;
    const int rc = real_vfs->xOpen(real_vfs, name, w->real, flags, out_flags);
    if (rc != SQLITE_OK || !w->real->pMethods) {
        w->~wal_file();
        f->pMethods = nullptr;
        return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
    }
    w->base.pMethods = &wal_methods;
    return SQLITE_OK;
}

int vfs_delete(sqlite3_vfs*, const char* name, int sync_dir) { return real_vfs->xDelete(real_vfs, name, sync_dir); }
int vfs_access(sqlite3_vfs*, const char* name, int flags, int* out) {
    return real_vfs->xAccess(real_vfs, name, flags, out);
}
int vfs_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
    return real_vfs->xFullPathname(real_vfs, name, n, out);
}
void* vfs_dl_open(sqlite3_vfs*, const char* name) { return real_vfs->xDlOpen(real_vfs, name); }
void vfs_dl_error(sqlite3_vfs*, int n, char* out) { real_vfs->xDlError(real_vfs, n, out); }
void (*vfs_dl_sym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
    return real_vfs->xDlSym(real_vfs, handle, symbol);
}
void vfs_dl_close(sqlite3_vfs*, void* handle) { real_vfs->xDlClose(real_vfs, handle); }
int vfs_randomness(sqlite3_vfs*, int n, char* out) { return real_vfs->xRandomness(real_vfs, n, out); }
int vfs_sleep(sqlite3_vfs*, int micros) { return real_vfs->xSleep(real_vfs, micros); }
int vfs_current_time(sqlite3_vfs*, double* out) { return real_vfs->xCurrentTime(real_vfs, out); }
int vfs_last_error(sqlite3_vfs*, int n, char* out) { return real_vfs->xGetLastError(real_vfs, n, out); }
int vfs_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) {
    return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

}  // namespace

const char* wal_batching_vfs() {
    static std::once_flag once;
    std::call_once(once, [] {
        // Before SQLite initialises (finding a VFS does): no memory statistics,
        // which nothing reads and which took a global mutex on every
        // sqlite3_malloc and sqlite3_free (4 % of the bot's time on the DM
        // path). Refused, harmlessly, if something opened a database already.
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        real_vfs = sqlite3_vfs_find(nullptr);
        batching_vfs.iVersion = 2;
        batching_vfs.szOsFile = wal_file_bytes + real_vfs->szOsFile;
        batching_vfs.mxPathname = real_vfs->mxPathname;
        batching_vfs.zName = "ritualbot-wal-batching";
        batching_vfs.xOpen = vfs_open;
        batching_vfs.xDelete = vfs_delete;
        batching_vfs.xAccess = vfs_access;
        batching_vfs.xFullPathname = vfs_full_pathname;
        batching_vfs.xDlOpen = vfs_dl_open;
        batching_vfs.xDlError = vfs_dl_error;
        batching_vfs.xDlSym = vfs_dl_sym;
        batching_vfs.xDlClose = vfs_dl_close;
        batching_vfs.xRandomness = vfs_randomness;
        batching_vfs.xSleep = vfs_sleep;
        batching_vfs.xCurrentTime = vfs_current_time;
        batching_vfs.xGetLastError = vfs_last_error;
        batching_vfs.xCurrentTimeInt64 = vfs_current_time_int64;
        sqlite3_vfs_register(&batching_vfs, 0);
    });
    return batching_vfs.zName;
}

}  // namespace ritualbot
