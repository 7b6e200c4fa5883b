#pragma once
// Every SQL statement of ritualbot lives behind this class. Handlers and the
// runtime speak in rows and domain words; a future PostgreSQL backend
// replaces this file, not its callers.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "bot/clock.hpp"
#include "storage/message.hpp"

namespace ritualbot {

enum class update_status { in_progress, done, skipped };

// One answer of a weekly update, stored with what it answered: the team's
// questions may change (config edit and restart) while an update is open or
// long after, and an answer keeps its own question and label.
struct update_answer {
    std::string label;     // the question's label when it was answered: the answer's identity in its update
    std::string question;  // the question's text then
    int position = 0;      // its place (0-based) among the team's questions then
    std::string role;      // "risk", "focus" or "" when it was answered
    std::string text;
};

struct weekly_update_row {
    std::string member;
    std::string week;  // "2026-W47"
    std::string team;  // the member's home team when the row was created
    update_status status = update_status::in_progress;
    int step = 0;      // index of the next question to ask, the number of questions when all are answered
    std::string skip_reason;
    // The label of the question at `step` when it was asked ("" when none is
    // pending): if the questions change before the answer comes, the answer
    // still goes to the question it answers.
    std::string asked;
    bool single_edit = false;  // `/update edit 3`: the update is complete again after this one answer
    std::vector<update_answer> answers;  // non-empty answers, by position
    instant started_at{};
    instant updated_at{};

    const update_answer* find(std::string_view label) const;
    // The answer to the question with this label, "" when there is none.
    std::string text_of(std::string_view label) const;
    // The answer given to the question that had this role ("risk", "focus").
    std::string text_with_role(std::string_view role) const;
    // The answer given to the question at this place (0-based) when it was asked, "" when none.
    std::string text_at(int position) const;
    // Adds the answer, or replaces the one with the same label; keeps `answers` by position.
    void set_answer(update_answer a);
};

// Unsent outbox rows of one platform, for the operator's /metrics.
struct outbox_status {
    std::string platform;
    std::int64_t waiting = 0;            // to be delivered (or being retried)
    std::int64_t set_aside = 0;          // refused for good, kept for a person to look at
    std::optional<instant> oldest_waiting;  // when the oldest waiting row was written
};

struct outbox_row {
    std::int64_t id = 0;
    outgoing item;
    instant created_at{};
    int attempts = 0;
    // When the last delivery attempt that could not be taken back started (a
    // post that may have landed): the transport looks before posting again.
    std::optional<instant> attempt_started;
};

class store {
public:
    // ":memory:" for tests. Opens read-write, creates, WAL, busy timeout, migrates.
    explicit store(const std::string& path);
    ~store();
    store(const store&) = delete;
    store& operator=(const store&) = delete;

    // A writer's transaction, rolled back by its destructor unless committed.
    // Outside a group (below) it is its own BEGIN IMMEDIATE ... COMMIT, and an
    // open group is committed first. Inside a group's join scope it is a
    // savepoint of the group: its commit releases the savepoint, its rollback
    // undoes only its own work.
    class transaction {
    public:
        ~transaction();
        void commit();
        transaction(const transaction&) = delete;
        transaction& operator=(const transaction&) = delete;

    private:
        friend class store;
        transaction(store& s, bool savepoint);
        store& store_;
        bool savepoint_;
        bool done_ = false;
        std::int64_t changes_at_begin_ = 0;  // a rollback of writes moves the settings stamp
    };
    std::unique_ptr<transaction> begin();

    // Group commit: work that arrives together (a burst of Slack envelopes)
    // shares one transaction and one commit. open_group() begins it (if not
    // open); a join_scope makes begin() a savepoint of it; after_commit()
    // queues what may only happen once the group is durable (an ack), run by
    // commit_group(). Anything else that writes or acts outside commits the
    // group first (begin() outside a join scope, settle()). If the commit
    // fails, the group's work is rolled back and its actions dropped: nothing
    // was acknowledged, so the platform sends it again.
    void open_group();
    bool group_open() const { return group_open_; }
    class join_scope {
    public:
        explicit join_scope(store& s) : store_(s) { ++store_.joining_; }
        ~join_scope() { --store_.joining_; }
        join_scope(const join_scope&) = delete;
        join_scope& operator=(const join_scope&) = delete;

    private:
        store& store_;
    };
    // `action` at once when no group is open. If the group's commit fails,
    // `if_rolled_back` runs instead (a post whose attempt was not recorded fails).
    void after_commit(std::function<void()> action, std::function<void()> if_rolled_back = {});
    std::size_t group_size() const { return group_actions_.size(); }
    bool commit_group();  // false: the commit failed and the group was rolled back
    void settle() { if (group_open_) commit_group(); }

    int schema_version();
    // Rows written through this connection since it opened: a handler that
    // wrote none changed nothing.
    std::int64_t total_changes() const { return db_.getTotalChanges(); }
    // Outbox rows enqueued through this store since it opened (committed or
    // not): the sender asks the database again only when this moved.
    std::uint64_t enqueue_count() const { return enqueues_; }
    // What the people's own settings (person_settings) may have become: it
    // moves when this store writes them, when it rolls anything back (what
    // was read before may be gone) and when another connection commits
    // anything (PRAGMA data_version). Equal stamps: the settings read under
    // the first are still the database's.
    struct settings_stamp {
        std::int64_t data_version = -1;
        std::uint64_t writes = 0;
        bool operator==(const settings_stamp&) const = default;
    };
    settings_stamp settings_version();
    void settings_written() { ++settings_writes_; }

    // Dedupe of incoming events (Slack event ids, Matrix event ids, ...).
    bool event_seen(const std::string& key);
    void record_event(const std::string& key, instant at);
    int prune_events_before(instant cutoff);
    // What an event's acknowledgement carried (a Slack slash command's answer),
    // kept with its dedupe key so a redelivered event is answered the same.
    void keep_ack_answer(const std::string& key, const std::string& answer, instant at);
    std::optional<std::string> ack_answer(const std::string& key);
    int forget_ack_answers_before(instant cutoff);

    // Scheduled runs: one row per (kind, target, period), ever.
    bool job_ran(const std::string& kind, const std::string& target, const std::string& period);
    void record_job(const std::string& kind, const std::string& target, const std::string& period, instant due,
                    instant ran);
    std::optional<instant> job_ran_at(const std::string& kind, const std::string& target, const std::string& period);
    // A job that asked to run later than its calendar time (it is not recorded
    // as run). Recording the run removes it.
    void defer_job(const std::string& kind, const std::string& target, const std::string& period, instant due,
                   instant window_end);
    struct deferred_job {
        std::string kind, target, period;
        instant due{}, window_end{};
    };
    std::vector<deferred_job> deferred_jobs_due(instant until);
    void drop_deferred_jobs_closed_by(instant t);  // their window has ended
    // Everything up to the horizon has been considered by the scheduler.
    std::optional<instant> scheduler_horizon();
    void set_scheduler_horizon(instant t);

    // Weekly updates.
    std::optional<weekly_update_row> find_update(const std::string& member, const std::string& week);
    // The member's most recent update of a week before `week`.
    std::optional<weekly_update_row> latest_update_before(const std::string& member, const std::string& week);
    void save_update(const weekly_update_row& row);
    // The member's updates of weeks from `first` to `last` (inclusive), oldest first.
    std::vector<weekly_update_row> updates_between(const std::string& member, const std::string& first,
                                                   const std::string& last);

    // Outbox.
    std::int64_t enqueue(const outgoing& item, instant at);
    // Oldest first; a row that failed waits until its next attempt is due
    // (`now`; without it, every unsent row). With `per_destination`, at most
    // that many rows of each destination (the oldest): one blocked channel's
    // backlog cannot fill the batch and hold back everybody else's messages.
    // Rows in `skip` (already being delivered) are left out without reading their bodies.
    std::vector<outbox_row> unsent(const std::string& platform, int limit, std::optional<instant> now = std::nullopt,
                                   int per_destination = 0, const std::set<std::int64_t>* skip = nullptr);
    // The same rule, read without going over the whole backlog (the sender
    // asks these between two reads of unsent(), which numbers every unsent
    // row of the platform): rows written after row `after` that may go now,
    // oldest first...
    std::vector<outbox_row> unsent_after(const std::string& platform, std::int64_t after, int limit, instant now,
                                         int per_destination, const std::set<std::int64_t>* skip = nullptr);
    // ...and one destination's rows that may go now (after one of its rows was delivered).
    std::vector<outbox_row> unsent_to(const destination& to, instant now, int per_destination,
                                      const std::set<std::int64_t>* skip = nullptr);
    std::int64_t last_outbox_id();  // 0 when the outbox was never written
    void mark_sent(std::int64_t id, instant at);
    // Must be committed before a request that may post leaves: in a group,
    // the request is an after_commit() action.
    void mark_attempt_started(std::int64_t id, instant at);
    // Not delivered; tried again from `next_attempt` on. Unless it may have
    // been delivered, the attempt's start is cleared.
    void mark_failed(std::int64_t id, const std::string& error, bool maybe_delivered = false,
                     std::optional<instant> next_attempt = std::nullopt);
    // Rows set aside, for the operator (`ritualbot outbox list`).
    struct set_aside_row {
        std::int64_t id = 0;
        std::string platform, kind, user, channel, reason, preview;
        instant created_at{};
    };
    std::vector<set_aside_row> set_aside_rows(int limit);
    // Puts set-aside rows back in line (`ritualbot outbox retry`): one id, or all when id is 0. Returns how many.
    int requeue(std::int64_t id);
    // Never send this row again (it cannot be read, or the platform refused it
    // for good); it stays in the table with its reason for a person to look at.
    void set_aside(std::int64_t id, const std::string& reason);
    std::int64_t unsent_count();
    std::vector<outbox_status> outbox_statuses();  // one per platform with unsent rows

    // For the feature repositories in storage/ (okr_store, ...): they share
    // this connection and its statement cache. Nothing outside storage/ calls these.
    SQLite::Database& database() { return db_; }
    // A cached prepared statement for this exact SQL text (a string literal).
    SQLite::Statement& prepared(const char* sql);

private:
    // The rows of an outbox read (columns as store.cpp selects them); unreadable ones are set aside.
    std::vector<outbox_row> read_outbox_rows(SQLite::Statement& st, const std::set<std::int64_t>* skip);
    void run(const char* sql);  // a statement without results, prepared once
    void write_answers(const weekly_update_row& row);
    void load_answers(weekly_update_row& row);

    SQLite::Database db_;  // first: statements below refer to it
    std::map<const char*, std::unique_ptr<SQLite::Statement>> statements_;
    bool group_open_ = false;
    int joining_ = 0;
    std::uint64_t enqueues_ = 0;
    std::uint64_t settings_writes_ = 0;
    struct group_action {
        std::function<void()> committed, rolled_back;
    };
    std::vector<group_action> group_actions_;
};

std::string to_string(update_status s);

}  // namespace ritualbot
