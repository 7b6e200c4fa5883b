#pragma once
// An SQLite VFS over the default one that writes each commit's WAL frames in
// one system call. SQLite writes every frame as two pwrite calls (its 24-byte
// header, then the page), so a group commit of ten pages cost twenty; on a
// machine where a system call is dear that was 12 % of the bot's time on the
// DM path (bench/README.md, "Slack at org scale").
//
// Contiguous writes to a WAL file are gathered in memory and handed to the
// default VFS in one write when the frame that ends a commit has been written
// (its header carries the database size), before any other operation on the
// file (a read, a sync, a size, a truncation, a close), when the writes stop
// being contiguous, or past 64 KB. So by the time SQLite's commit returns,
// its frames are in the operating system's hands, as they were before: a
// process killed after a commit loses nothing of it. The database file,
// journals and the shared-memory index go straight to the default VFS.
//
//   SQLite::Database db(path, flags, timeout, ritualbot::wal_batching_vfs());
namespace ritualbot {

// Registers the VFS once (not as the default) and returns its name. The
// first call also turns off SQLite's memory statistics (see the .cpp).
const char* wal_batching_vfs();

}  // namespace ritualbot
