#pragma once
// `ritualbot forget USER`: removes a person's answers and mentions, in one
// transaction. What that means, table by table, is in forget_store.cpp and
// the README ("Forgetting a person").
#include <cstdint>
#include <string>
#include <vector>

namespace ritualbot {

class store;

struct forget_count {
    std::string table;
    std::string what;  // "deleted (their own answers)", "mentions redacted", ...
    std::int64_t rows = 0;
};

struct forget_result {
    std::vector<forget_count> counts;  // only the non-zero ones
    std::int64_t total() const;
    // After a real run: whether the write-ahead log could be emptied, so no
    // old copy of a removed row is left in the database files (false while a
    // reader, the running bot, holds an old snapshot; its next checkpoint does it).
    bool files_scrubbed = false;
    // After a real run that removed something: every dashboard link made
    // before it was revoked (the person's among them).
    bool dashboard_links_ended = false;
};

// The text that replaces the user's id where someone else wrote it.
inline constexpr const char* forgotten_mention = "[removed]";

// With `dry_run`, counts what would go and rolls back.
forget_result forget_user(store& db, const std::string& user, bool dry_run);

// `text` with every whole-word occurrence of `user` (not inside a longer
// name: "bob" in "bobby" stays) replaced by forgotten_mention.
std::string redact_mentions(const std::string& text, const std::string& user);

}  // namespace ritualbot
