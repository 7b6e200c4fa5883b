#include "storage/wal_batching_vfs.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

struct temp_db {
    std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("ritualbot-walvfs-" + std::to_string(getpid()));
    std::string path = (dir / "t.db").string();
    temp_db() { std::filesystem::create_directories(dir); }
    ~temp_db() { std::filesystem::remove_all(dir); }
};

// WAL mode as the bot's store sets it; through this VFS unless `plain`.
SQLite::Database open_wal(const std::string& path, bool plain = false) {
    SQLite::Database db(path.c_str(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 5000,
                        plain ? nullptr : ritualbot::wal_batching_vfs());
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
    return db;
}

// Three tables, each with an index on its text key.
void create_tables(SQLite::Database& db) {
    for (const char* table : {"a", "b", "c"}) {
        db.exec(std::string("CREATE TABLE ") + table + " (k TEXT, v TEXT)");
        db.exec(std::string("CREATE INDEX ") + table + "_k ON " + table + " (k)");
    }
}

// The write system calls this process made so far (pwrite included).
long write_calls() {
    std::ifstream io("/proc/self/io");
    std::string key;
    long value = 0;
    while (io >> key >> value)
        if (key == "syscw:") return value;
    return -1;
}

// Ten rows in each of create_tables' tables, keys spread over the index: one
// commit dirties several pages.
void write_group(SQLite::Database& db, int group) {
    SQLite::Transaction t(db);
    for (const char* table : {"a", "b", "c"}) {
        SQLite::Statement insert(db, std::string("INSERT INTO ") + table + " (k, v) VALUES (?, ?)");
        for (int i = 0; i < 10; ++i) {
            insert.bind(1, std::to_string((group * 7919 + i * 104729) % 1000003) + table);
            insert.bind(2, std::string(300, static_cast<char>('a' + i)));
            insert.exec();
            insert.reset();
        }
    }
    t.commit();
}

}  // namespace

// What a commit wrote is in the file when the commit returns: a second
// connection through the default VFS (as another process, or `ritualbot
// backup`, reads it) sees every committed row at once.
TEST(WalBatchingVfs, ACommitIsInTheFileWhenItReturns) {
    temp_db t;
    auto db = open_wal(t.path);
    create_tables(db);
    SQLite::Database reader(t.path, SQLite::OPEN_READONLY);
    for (int group = 0; group < 40; ++group) {
        write_group(db, group);
        EXPECT_EQ(reader.execAndGet("SELECT count(*) FROM a").getInt(), (group + 1) * 10);
        EXPECT_EQ(reader.execAndGet("SELECT count(*) FROM c").getInt(), (group + 1) * 10);
    }
    EXPECT_EQ(reader.execAndGet("PRAGMA integrity_check").getString(), "ok");
}

// SQLite writes each WAL frame as two calls (header, page); through this VFS a
// commit of many pages is one write (two past 64 KB).
TEST(WalBatchingVfs, ACommitOfManyPagesIsOneWrite) {
    temp_db t;
    auto db = open_wal(t.path);
    create_tables(db);
    for (int group = 0; group < 20; ++group) write_group(db, group);  // the tables span pages
    const long before = write_calls();
    ASSERT_GE(before, 0) << "no /proc/self/io";
    constexpr int groups = 30;
    for (int group = 20; group < 20 + groups; ++group) write_group(db, group);
    const long calls = write_calls() - before;
    EXPECT_LE(calls, groups * 2) << calls << " write calls for " << groups << " commits";

    // The same commits through the default VFS take several calls each: the
    // count above is this VFS's doing.
    auto plain = open_wal((t.dir / "plain.db").string(), /*plain=*/true);
    create_tables(plain);
    for (int group = 0; group < 20; ++group) write_group(plain, group);
    const long plain_before = write_calls();
    for (int group = 20; group < 20 + groups; ++group) write_group(plain, group);
    EXPECT_GT(write_calls() - plain_before, groups * 4);
}

// A transaction of megabytes (a migration, `forget`) is written in pieces the
// default VFS takes whole, and reads back intact after a checkpoint.
TEST(WalBatchingVfs, ALargeTransactionIsWrittenWhole) {
    temp_db t;
    {
        auto db = open_wal(t.path);
        db.exec("CREATE TABLE big (v BLOB)");
        SQLite::Transaction tx(db);
        SQLite::Statement insert(db, "INSERT INTO big (v) VALUES (?)");
        for (int i = 0; i < 8; ++i) {
            const std::string blob(512 * 1024, static_cast<char>('0' + i));
            insert.bind(1, blob.data(), static_cast<int>(blob.size()));
            insert.exec();
            insert.reset();
        }
        tx.commit();
        SQLite::Database reader(t.path, SQLite::OPEN_READONLY);
        EXPECT_EQ(reader.execAndGet("SELECT sum(length(v)) FROM big").getInt64(), 8 * 512 * 1024);
        db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    SQLite::Database again(t.path, SQLite::OPEN_READONLY);
    EXPECT_EQ(again.execAndGet("SELECT count(DISTINCT v) FROM big").getInt(), 8);
    EXPECT_EQ(again.execAndGet("PRAGMA integrity_check").getString(), "ok");
}
