#pragma once
// Answer streaks, kept rather than recounted. Each weekly_updates row holds
// the member's streak carried through its week (migration 17):
//   finished            the streak carried into the week, plus one
//   skipped with reason the streak carried into the week (an announced
//                       absence is passed over: it neither counts nor ends it)
//   anything else       0
// where "carried into the week" is the previous ISO week's value, 0 when the
// member has no row for it. store::save_update refreshes the row it wrote and
// the member's later rows; the digest of a 1,000-member team then reads one
// number per member instead of two years of history. Rows written before
// migration 17 hold NULL and are computed from up to two years of history.
#include <string>
#include <unordered_map>
#include <vector>

namespace ritualbot {

class store;

class update_streaks {
public:
    explicit update_streaks(store& db) : db_(db) {}

    // How many weeks running, up to and including `week`, the member finished
    // their update; 0 when `week` itself is not finished.
    int streak(const std::string& member, const std::string& week);

    // The same for many members of one week, in one statement; members
    // without a streak are left out.
    std::unordered_map<std::string, int> streaks(const std::vector<std::string>& members, const std::string& week);

    // After the member's row of `week` was written (inside that write's
    // transaction): the streaks of that week and of the member's later weeks.
    void refresh_from(const std::string& member, const std::string& week);

private:
    struct row {
        std::string week;
        bool done = false;
        bool passed_over = false;  // skipped with a reason
        bool known = false;        // streak not NULL
        int streak = 0;
    };
    std::vector<row> rows_from(const std::string& member, const std::string& first);
    // The streak carried through `week` computed from the history (a row written before migration 17).
    int from_history(const std::string& member, const std::string& week);
    void set(const std::string& member, const std::string& week, int streak);

    store& db_;
};

}  // namespace ritualbot
