#include "storage/backup.hpp"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace ritualbot {

namespace {

void remove_partial(const std::string& path) {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix, ignored);
}

}  // namespace

backup_result backup_database(const std::string& source, const std::string& destination, bool overwrite) {
    std::error_code ec;
    if (!std::filesystem::exists(source, ec))
        throw std::runtime_error("the database '" + source + "' does not exist");
    if (std::filesystem::exists(destination, ec) && !overwrite)
        throw std::runtime_error("'" + destination + "' already exists; choose another name or add --force");
    if (std::filesystem::is_directory(destination, ec))
        throw std::runtime_error("'" + destination + "' is a directory; name the backup file");

    const std::string partial = destination + ".partial";
    remove_partial(partial);
    backup_result result;
    try {
        // Read-only and without migrations: the copy is the database as it is.
        SQLite::Database from(source, SQLite::OPEN_READONLY, 5000);
        {
            SQLite::Database to(partial, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
            SQLite::Backup copy(to, from);
            // All pages in one step: one read snapshot, so the copy is
            // consistent however much the bot writes meanwhile. In WAL mode a
            // reader never waits for the writer; BUSY (a checkpoint, or a
            // database not in WAL mode) is retried for up to ten seconds.
            int rc = SQLITE_BUSY;
            for (int attempt = 0; attempt < 100; ++attempt) {
                rc = copy.executeStep(-1);
                if (rc == SQLITE_DONE) break;
                if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED && rc != SQLITE_OK)
                    throw std::runtime_error(std::string("the copy failed: ") + sqlite3_errstr(rc));
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
            if (rc != SQLITE_DONE) throw std::runtime_error("the database stayed locked for ten seconds; try again");
            result.pages = copy.getTotalPageCount();
        }
        {
            // The copy carries WAL mode in its header; a backup is one
            // self-contained file, so it is switched to a rollback journal.
            SQLite::Database check(partial, SQLite::OPEN_READWRITE);
            check.exec("PRAGMA journal_mode = DELETE");
            result.integrity = check.execAndGet("PRAGMA integrity_check").getString();
            result.schema_version = check.execAndGet("PRAGMA user_version").getInt();
        }
        if (result.integrity != "ok")
            throw std::runtime_error("the copy failed its integrity check: " + result.integrity);
    } catch (const SQLite::Exception& e) {
        remove_partial(partial);
        throw std::runtime_error(e.what());
    } catch (...) {
        remove_partial(partial);
        throw;
    }
    // Without --force the name is taken atomically (link fails if it exists,
    // even if it appeared during the copy); with it, rename replaces it.
    if (overwrite) {
        if (std::rename(partial.c_str(), destination.c_str()) != 0) {
            const int err = errno;
            remove_partial(partial);
            throw std::runtime_error("cannot name the copy '" + destination + "': " + std::strerror(err));
        }
    } else {
        if (::link(partial.c_str(), destination.c_str()) != 0) {
            const int err = errno;
            remove_partial(partial);
            throw std::runtime_error("cannot name the copy '" + destination + "': " + std::strerror(err));
        }
        remove_partial(partial);
    }
    return result;
}

}  // namespace ritualbot
