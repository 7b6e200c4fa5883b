#pragma once
// How many of a team's members finished or skipped their weekly update, week
// by week: counts only, for the digest's participation chart. One statement
// for all the weeks and members (a team of 1,000 over 12 weeks reads no
// answer and makes no row objects).
#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace ritualbot {

class store;

class participation_store {
public:
    explicit participation_store(store& db) : db_(db) {}

    struct counts {
        std::size_t done = 0;     // finished (as the digest's "answered")
        std::size_t skipped = 0;
    };
    // By week key, from `first` to `last` (both included); weeks without a
    // row of any of `members` are left out.
    std::map<std::string, counts> between(const std::vector<std::string>& members, const std::string& first,
                                          const std::string& last);

private:
    store& db_;
};

}  // namespace ritualbot
