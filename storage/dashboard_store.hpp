#pragma once
// The web dashboard's state in the database: the key that signs its links and
// the generations that revoke them (per user, and one for everyone). A link
// names the generations it was made under; bumping one ends every link made
// before. It shares the core store's connection.
#include <cstdint>
#include <optional>
#include <string>

namespace ritualbot {

class store;

class dashboard_store {
public:
    explicit dashboard_store(store& db) : db_(db) {}

    // The stored signing key (raw bytes); nullopt before the first start made one.
    std::optional<std::string> secret();
    // Stores `key` unless one is stored already; returns the one stored.
    std::string keep_secret(const std::string& key);

    // 0 until revoked; `user` empty: the generation of everyone's links.
    std::int64_t generation(const std::string& user);
    // Ends the links made so far for `user` (empty: for everyone); returns the new generation.
    std::int64_t revoke(const std::string& user);

private:
    store& db_;
};

}  // namespace ritualbot
