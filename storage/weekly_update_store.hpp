#pragma once
// Weekly updates read many at a time (the digest of a big team). Shares the
// core store's connection; one member's update stays store::find_update.
#include <string>
#include <unordered_map>
#include <vector>

#include "storage/store.hpp"

namespace ritualbot {

class weekly_update_store {
public:
    explicit weekly_update_store(store& db) : db_(db) {}

    // The updates of `week` written by any of `members`, by member: one
    // statement however many members (a team of 1,000 costs one range of the
    // week's rows, not 1,000 lookups).
    std::unordered_map<std::string, weekly_update_row> find_updates(const std::vector<std::string>& members,
                                                                    const std::string& week);

private:
    store& db_;
};

}  // namespace ritualbot
