#include "storage/forget_store.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <cctype>
#include <variant>

#include "storage/dashboard_store.hpp"
#include "storage/store.hpp"

namespace ritualbot {

namespace {

bool name_char(char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) || c == '_' || c == '.' || c == '-' || u >= 0x80;
}

class forgetter {
public:
    forgetter(store& db, const std::string& user) : db_(db.database()), user_(user) {}

    // Runs `sql` with :user bound and counts the rows it changed.
    void exec(const char* table, const char* what, const std::string& sql) {
        SQLite::Statement st(db_, sql);
        if (const int i = st.getIndex(":user"); i > 0) st.bind(i, user_);
        st.exec();
        add(table, what, db_.getChanges());
    }

    // Replaces the user's id in `column` of the rows of `table` that contain
    // it; `key` selects a row ("rowid", or the columns of a WITHOUT ROWID key).
    void redact(const char* table, const std::vector<std::string>& key, const std::string& column) {
        std::string keys, where;
        for (const auto& k : key) {
            keys += k + ", ";
            where += (where.empty() ? "" : " AND ") + k + " = ?";
        }
        SQLite::Statement find(db_, "SELECT " + keys + column + " FROM " + std::string(table) + " WHERE instr(" +
                                        column + ", ?) > 0");
        find.bind(1, user_);
        using key_value = std::variant<std::int64_t, std::string>;
        std::vector<std::pair<std::vector<key_value>, std::string>> changes;
        while (find.executeStep()) {
            const std::string before = find.getColumn(static_cast<int>(key.size())).getString();
            std::string after = redact_mentions(before, user_);
            if (after == before) continue;
            std::vector<key_value> k;
            for (int i = 0; i < static_cast<int>(key.size()); ++i) {
                const SQLite::Column c = find.getColumn(i);
                if (c.isInteger()) k.emplace_back(c.getInt64());
                else k.emplace_back(c.getString());
            }
            changes.emplace_back(std::move(k), std::move(after));
        }
        if (changes.empty()) return;
        SQLite::Statement update(db_, "UPDATE " + std::string(table) + " SET " + column + " = ? WHERE " + where);
        for (const auto& [k, text] : changes) {
            update.bind(1, text);
            for (std::size_t i = 0; i < k.size(); ++i)
                std::visit([&](const auto& v) { update.bind(static_cast<int>(i + 2), v); }, k[i]);
            update.exec();
            update.reset();
            update.clearBindings();
        }
        add(table, ("mentions in " + column + " redacted").c_str(), static_cast<int>(changes.size()));
    }

    // Delivered messages that name them (a digest quoting their answers) are
    // only the bot's log of what it posted: deleted. Waiting ones still go,
    // with their id replaced.
    void outbox_mentions() {
        SQLite::Statement find(db_, "SELECT id, body, sent_at IS NOT NULL FROM outbox WHERE instr(body, ?) > 0");
        find.bind(1, user_);
        std::vector<std::int64_t> sent;
        std::vector<std::pair<std::int64_t, std::string>> waiting;
        while (find.executeStep()) {
            const std::string body = find.getColumn(1).getString();
            std::string after = redact_mentions(body, user_);
            if (after == body) continue;
            if (find.getColumn(2).getInt()) sent.push_back(find.getColumn(0).getInt64());
            else waiting.emplace_back(find.getColumn(0).getInt64(), std::move(after));
        }
        SQLite::Statement drop_attempts(db_, "DELETE FROM matrix_send_attempts WHERE outbox_id = ?");
        SQLite::Statement drop(db_, "DELETE FROM outbox WHERE id = ?");
        for (std::int64_t id : sent) {
            for (SQLite::Statement* st : {&drop_attempts, &drop}) {
                st->bind(1, id);
                st->exec();
                st->reset();
            }
        }
        add("outbox", "deleted (delivered messages that name them)", static_cast<int>(sent.size()));
        SQLite::Statement update(db_, "UPDATE outbox SET body = ? WHERE id = ?");
        for (const auto& [id, body] : waiting) {
            update.bind(1, body);
            update.bind(2, id);
            update.exec();
            update.reset();
        }
        add("outbox", "mentions in body redacted (waiting messages)", static_cast<int>(waiting.size()));
    }

    forget_result result;

private:
    void add(const char* table, const std::string& what, int n) {
        if (n > 0) result.counts.push_back({table, what, n});
    }

    SQLite::Database& db_;
    const std::string& user_;
};

}  // namespace

std::int64_t forget_result::total() const {
    std::int64_t n = 0;
    for (const auto& c : counts) n += c.rows;
    return n;
}

std::string redact_mentions(const std::string& text, const std::string& user) {
    if (user.empty()) return text;
    std::string out;
    std::size_t from = 0;
    for (std::size_t at = text.find(user); at != std::string::npos; at = text.find(user, at + 1)) {
        const std::size_t end = at + user.size();
        // '.' and '-' end a sentence as often as they join a name: a name
        // followed by one and then a space or the end is still a mention.
        auto joins_after = [&] {
            if (end >= text.size() || !name_char(text[end])) return false;
            if ((text[end] == '.' || text[end] == '-') &&
                (end + 1 >= text.size() || !name_char(text[end + 1])))
                return false;
            return true;
        };
        auto joins_before = [&] {
            if (at == 0 || !name_char(text[at - 1])) return false;
            if ((text[at - 1] == '.' || text[at - 1] == '-') && (at == 1 || !name_char(text[at - 2]))) return false;
            return true;
        };
        if (joins_before() || joins_after()) continue;
        out.append(text, from, at - from);
        out += forgotten_mention;
        from = end;
        at = end - 1;
    }
    out.append(text, from, std::string::npos);
    return out;
}

forget_result forget_user(store& db, const std::string& user, bool dry_run) {
    // Deleted content is overwritten, not just unlinked from the b-tree, so
    // it cannot be read back from the file's free pages.
    db.database().exec("PRAGMA secure_delete = ON");
    forgetter f(db, user);
    auto tx = db.begin();

    // Their own words: weekly updates (every answer and any skip reason),
    // EOWD sign-ups, learning proposals nobody has picked yet, and the
    // hidden-dependency suggestions made from their updates.
    f.exec("weekly_update_answers", "deleted (their answers)",
           "DELETE FROM weekly_update_answers WHERE member = :user");
    f.exec("weekly_updates", "deleted (their weekly updates)", "DELETE FROM weekly_updates WHERE member = :user");
    f.exec("eowd_signups", "deleted (their EOWD sign-ups)", "DELETE FROM eowd_signups WHERE member = :user");
    f.exec("learning_proposals", "deleted (their proposals, not picked)",
           "DELETE FROM learning_proposals WHERE proposer = :user AND id NOT IN (SELECT proposal_id FROM "
           "learning_sessions)");
    // A picked proposal is the team's session history: kept, without its proposer.
    f.exec("learning_proposals", "proposer removed (a session was picked from it)",
           "UPDATE learning_proposals SET proposer = '' WHERE proposer = :user");
    f.exec("learning_sessions", "picked_by removed", "UPDATE learning_sessions SET picked_by = '' WHERE picked_by = :user");
    f.exec("dependency_suggestions", "deleted (made from their updates)",
           "DELETE FROM dependency_suggestions WHERE member = :user");
    f.exec("dependency_suggestions", "dismissed_by removed",
           "UPDATE dependency_suggestions SET dismissed_by = '' WHERE dismissed_by = :user");

    // OKRs and dependencies belong to the team: the values stay (a KR's
    // history is the team's progress), the person's name and words go.
    f.exec("okr_checkins", "who and comment removed (their check-ins; the values stay)",
           "UPDATE okr_checkins SET who = '', comment = '' WHERE who = :user");
    f.exec("okr_pending_checkins", "deleted (check-ins asked of them)",
           "DELETE FROM okr_pending_checkins WHERE owner = :user");
    f.exec("okr_key_results", "owner removed", "UPDATE okr_key_results SET owner = '' WHERE owner = :user");
    f.exec("okr_objectives", "created_by removed", "UPDATE okr_objectives SET created_by = '' WHERE created_by = :user");
    f.exec("okr_periods", "set_by removed", "UPDATE okr_periods SET set_by = '' WHERE set_by = :user");
    f.exec("dependencies", "owner removed", "UPDATE dependencies SET owner = '' WHERE owner = :user");
    f.exec("dependencies", "created_by removed", "UPDATE dependencies SET created_by = '' WHERE created_by = :user");

    // Messages to them, sent or not, and how the platforms reach them.
    f.exec("matrix_send_attempts", "deleted (messages to them)",
           "DELETE FROM matrix_send_attempts WHERE outbox_id IN (SELECT id FROM outbox WHERE user_id = :user)");
    f.exec("outbox", "deleted (messages to them)", "DELETE FROM outbox WHERE user_id = :user");
    f.exec("slack_users", "deleted", "DELETE FROM slack_users WHERE user_id = :user");
    f.exec("slack_dm_channels", "deleted", "DELETE FROM slack_dm_channels WHERE user_id = :user");
    f.exec("matrix_direct_rooms", "deleted", "DELETE FROM matrix_direct_rooms WHERE user_id = :user");
    // Their time off, own settings and snoozed prompts; as the manager who
    // set someone else's time off, their name goes.
    f.exec("time_off", "deleted (their time off)", "DELETE FROM time_off WHERE member = :user");
    f.exec("time_off", "set_by removed", "UPDATE time_off SET set_by = '' WHERE set_by = :user");
    f.exec("person_settings", "deleted (their own settings)", "DELETE FROM person_settings WHERE member = :user");
    db.settings_written();
    f.exec("update_snoozes", "deleted (their snoozed prompts)", "DELETE FROM update_snoozes WHERE member = :user");
    // Their scheduled prompts and reminders: if they are still in the config,
    // they are treated as a new member from now on.
    f.exec("job_runs", "deleted (their prompts and reminders)", "DELETE FROM job_runs WHERE target = :user");
    f.exec("deferred_jobs", "deleted", "DELETE FROM deferred_jobs WHERE target = :user");
    f.exec("ack_answers", "deleted (answers that name them; kept a day for redelivery only)",
           "DELETE FROM ack_answers WHERE instr(answer, :user) > 0");

    // Their name where others wrote it: replaced by "[removed]".
    f.redact("weekly_update_answers", {"week", "member", "label"}, "answer");
    f.redact("weekly_updates", {"week", "member"}, "skip_reason");
    f.redact("time_off", {"member"}, "reason");
    f.redact("eowd_signups", {"team", "week", "member"}, "topic");
    f.redact("eowd_signups", {"team", "week", "member"}, "input_wanted");
    f.redact("learning_proposals", {"rowid"}, "topic");
    f.redact("dependencies", {"rowid"}, "what");
    f.redact("dependency_suggestions", {"rowid"}, "words");
    f.redact("okr_objectives", {"rowid"}, "title");
    f.redact("okr_key_results", {"rowid"}, "title");
    f.redact("okr_checkins", {"rowid"}, "comment");
    f.outbox_mentions();
    f.exec("dashboard_generations", "deleted (their dashboard link revocations)",
           "DELETE FROM dashboard_generations WHERE user_id = :user");

    if (dry_run) return std::move(f.result);  // the transaction rolls back
    // A dashboard link of theirs would still open until it expires, and a
    // revocation kept under their id would name them: every link made so far
    // ends instead (people ask /ritual dashboard for a new one).
    if (!f.result.counts.empty()) {
        dashboard_store(db).revoke("");
        f.result.dashboard_links_ended = true;
    }
    tx->commit();
    // Old versions of the changed pages are still in the write-ahead log:
    // copied back and the log emptied, unless a reader still needs them.
    SQLite::Statement cp(db.database(), "PRAGMA wal_checkpoint(TRUNCATE)");
    f.result.files_scrubbed = cp.executeStep() && cp.getColumn(0).getInt() == 0;
    return std::move(f.result);
}

}  // namespace ritualbot
