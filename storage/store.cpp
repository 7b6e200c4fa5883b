#include "storage/store.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <algorithm>
#include <limits>
#include <stdexcept>

#include "storage/migrations.hpp"
#include "storage/statement.hpp"
#include "storage/update_streaks.hpp"
#include "storage/wal_batching_vfs.hpp"

namespace ritualbot {

namespace {

update_status status_from_db(const std::string& s) {
    if (s == "done") return update_status::done;
    if (s == "skipped") return update_status::skipped;
    return update_status::in_progress;
}


weekly_update_row read_update(SQLite::Statement& st) {
    weekly_update_row r;
    r.member = st.getColumn("member").getString();
    r.week = st.getColumn("week").getString();
    r.team = st.getColumn("team").getString();
    r.status = status_from_db(st.getColumn("status").getString());
    r.step = st.getColumn("step").getInt();
    r.skip_reason = st.getColumn("skip_reason").getString();
    r.asked = st.getColumn("asked").getString();
    r.single_edit = st.getColumn("single_edit").getInt() != 0;
    r.started_at = from_db(st.getColumn("started_at").getInt64());
    r.updated_at = from_db(st.getColumn("updated_at").getInt64());
    return r;
}

}  // namespace

std::string to_string(update_status s) {
    switch (s) {
        case update_status::in_progress: return "in_progress";
        case update_status::done: return "done";
        case update_status::skipped: return "skipped";
    }
    return "in_progress";
}

store::store(const std::string& path)
    : db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX, 5000, wal_batching_vfs()) {
    db_.exec("PRAGMA journal_mode = WAL");
    db_.exec("PRAGMA synchronous = NORMAL");
    db_.exec("PRAGMA foreign_keys = ON");
    apply_migrations(db_);
}

store::~store() = default;

store::transaction::transaction(store& s, bool savepoint)
    : store_(s), savepoint_(savepoint), changes_at_begin_(s.total_changes()) {
    store_.run(savepoint_ ? "SAVEPOINT tx" : "BEGIN IMMEDIATE");
}

store::transaction::~transaction() {
    if (done_) return;
    // Settings read since its writes may be gone with them (settings_version);
    // a transaction that only read rolls back without moving anything.
    if (store_.total_changes() != changes_at_begin_) ++store_.settings_writes_;
    try {
        if (savepoint_) {
            store_.run("ROLLBACK TO tx");
            store_.run("RELEASE tx");
        } else {
            store_.run("ROLLBACK");
        }
    } catch (const std::exception& e) {
        spdlog::error("rolling back a transaction failed: {}", e.what());
    }
}

void store::transaction::commit() {
    store_.run(savepoint_ ? "RELEASE tx" : "COMMIT");
    done_ = true;
}

std::unique_ptr<store::transaction> store::begin() {
    const bool savepoint = group_open_ && joining_ > 0;
    if (!savepoint) settle();
    return std::unique_ptr<transaction>(new transaction(*this, savepoint));
}

void store::open_group() {
    if (group_open_) return;
    run("BEGIN IMMEDIATE");
    group_open_ = true;
}

void store::after_commit(std::function<void()> action, std::function<void()> if_rolled_back) {
    if (group_open_) group_actions_.push_back({std::move(action), std::move(if_rolled_back)});
    else action();
}

bool store::commit_group() {
    if (!group_open_) return true;
    auto actions = std::move(group_actions_);
    group_actions_.clear();
    group_open_ = false;
    bool ok = true;
    try {
        run("COMMIT");
    } catch (const std::exception& e) {
        spdlog::error("committing a group of {} failed, all of it rolled back: {}", actions.size(), e.what());
        ok = false;
        // Settings read while the group was open (a scheduler wake between
        // two envelopes) may be gone with it: they are read again.
        ++settings_writes_;
        try {
            run("ROLLBACK");
        } catch (const std::exception&) {
            // The failed COMMIT may already have rolled back.
        }
    }
    for (auto& a : actions) {
        try {
            if (ok) a.committed();
            else if (a.rolled_back) a.rolled_back();
        } catch (const std::exception& e) {
            spdlog::error("an action after a group commit failed: {}", e.what());
        }
    }
    return ok;
}

int store::schema_version() { return db_.execAndGet("PRAGMA user_version").getInt(); }

store::settings_stamp store::settings_version() {
    auto& st = prepared("PRAGMA data_version");
    statement_guard g{st};
    st.executeStep();
    return {st.getColumn(0).getInt64(), settings_writes_};
}

// Transaction statements too are prepared once: parsing BEGIN, COMMIT and
// the savepoints again for every envelope was a tenth of a slash command.
void store::run(const char* sql) {
    auto& st = prepared(sql);
    statement_guard g{st};
    st.exec();
}

SQLite::Statement& store::prepared(const char* sql) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) it = statements_.emplace(sql, std::make_unique<SQLite::Statement>(db_, sql)).first;
    return *it->second;
}

bool store::event_seen(const std::string& key) {
    auto& st = prepared("SELECT 1 FROM processed_events WHERE dedupe_key = :key");
    statement_guard g{st};
    st.bind(":key", key);
    return st.executeStep();
}

void store::record_event(const std::string& key, instant at) {
    auto& st = prepared("INSERT INTO processed_events (dedupe_key, processed_at) VALUES (:key, :at)");
    statement_guard g{st};
    st.bind(":key", key);
    st.bind(":at", to_db(at));
    st.exec();
}

int store::prune_events_before(instant cutoff) {
    auto& st = prepared("DELETE FROM processed_events WHERE processed_at < :cutoff");
    statement_guard g{st};
    st.bind(":cutoff", to_db(cutoff));
    return st.exec();
}

void store::keep_ack_answer(const std::string& key, const std::string& answer, instant at) {
    auto& st = prepared(
        "INSERT OR REPLACE INTO ack_answers (dedupe_key, answer, answered_at) VALUES (:key, :answer, :at)");
    statement_guard g{st};
    st.bind(":key", key);
    st.bind(":answer", answer);
    st.bind(":at", to_db(at));
    st.exec();
}

std::optional<std::string> store::ack_answer(const std::string& key) {
    auto& st = prepared("SELECT answer FROM ack_answers WHERE dedupe_key = :key");
    statement_guard g{st};
    st.bind(":key", key);
    if (!st.executeStep()) return std::nullopt;
    return st.getColumn(0).getString();
}

int store::forget_ack_answers_before(instant cutoff) {
    auto& st = prepared("DELETE FROM ack_answers WHERE answered_at < :cutoff");
    statement_guard g{st};
    st.bind(":cutoff", to_db(cutoff));
    return st.exec();
}

bool store::job_ran(const std::string& kind, const std::string& target, const std::string& period) {
    return job_ran_at(kind, target, period).has_value();
}

std::optional<instant> store::job_ran_at(const std::string& kind, const std::string& target,
                                         const std::string& period) {
    auto& st = prepared("SELECT ran_at FROM job_runs WHERE kind = :kind AND target = :target AND period = :period");
    statement_guard g{st};
    st.bind(":kind", kind);
    st.bind(":target", target);
    st.bind(":period", period);
    if (!st.executeStep()) return std::nullopt;
    return from_db(st.getColumn(0).getInt64());
}

void store::record_job(const std::string& kind, const std::string& target, const std::string& period, instant due,
                       instant ran) {
    auto& st = prepared(
        "INSERT INTO job_runs (kind, target, period, due_at, ran_at) VALUES (:kind, :target, :period, :due, :ran)");
    statement_guard g{st};
    st.bind(":kind", kind);
    st.bind(":target", target);
    st.bind(":period", period);
    st.bind(":due", to_db(due));
    st.bind(":ran", to_db(ran));
    st.exec();
    auto& done = prepared("DELETE FROM deferred_jobs WHERE kind = :kind AND target = :target AND period = :period");
    statement_guard g2{done};
    done.bind(":kind", kind);
    done.bind(":target", target);
    done.bind(":period", period);
    done.exec();
}

void store::defer_job(const std::string& kind, const std::string& target, const std::string& period, instant due,
                      instant window_end) {
    auto& st = prepared(
        "INSERT INTO deferred_jobs (kind, target, period, due_at, window_end) "
        "VALUES (:kind, :target, :period, :due, :end) "
        "ON CONFLICT (kind, target, period) DO UPDATE SET due_at = excluded.due_at, window_end = excluded.window_end");
    statement_guard g{st};
    st.bind(":kind", kind);
    st.bind(":target", target);
    st.bind(":period", period);
    st.bind(":due", to_db(due));
    st.bind(":end", to_db(window_end));
    st.exec();
}

std::vector<store::deferred_job> store::deferred_jobs_due(instant until) {
    auto& st = prepared(
        "SELECT kind, target, period, due_at, window_end FROM deferred_jobs WHERE due_at <= :until "
        "ORDER BY due_at, kind, target");
    statement_guard g{st};
    st.bind(":until", to_db(until));
    std::vector<deferred_job> out;
    while (st.executeStep())
        out.push_back({st.getColumn(0).getString(), st.getColumn(1).getString(), st.getColumn(2).getString(),
                       from_db(st.getColumn(3).getInt64()), from_db(st.getColumn(4).getInt64())});
    return out;
}

void store::drop_deferred_jobs_closed_by(instant t) {
    auto& st = prepared("DELETE FROM deferred_jobs WHERE window_end <= :t");
    statement_guard g{st};
    st.bind(":t", to_db(t));
    st.exec();
}

std::optional<instant> store::scheduler_horizon() {
    auto& st = prepared("SELECT horizon FROM scheduler_state WHERE id = 1");
    statement_guard g{st};
    if (!st.executeStep()) return std::nullopt;
    return from_db(st.getColumn(0).getInt64());
}

void store::set_scheduler_horizon(instant t) {
    auto& st = prepared(
        "INSERT INTO scheduler_state (id, horizon) VALUES (1, :t) "
        "ON CONFLICT (id) DO UPDATE SET horizon = MAX(horizon, excluded.horizon)");
    statement_guard g{st};
    st.bind(":t", to_db(t));
    st.exec();
}

const update_answer* weekly_update_row::find(std::string_view label) const {
    for (const auto& a : answers)
        if (a.label == label) return &a;
    return nullptr;
}

std::string weekly_update_row::text_of(std::string_view label) const {
    const update_answer* a = label.empty() ? nullptr : find(label);
    return a ? a->text : std::string();
}

std::string weekly_update_row::text_with_role(std::string_view role) const {
    for (const auto& a : answers)
        if (a.role == role) return a.text;
    return {};
}

std::string weekly_update_row::text_at(int position) const {
    for (const auto& a : answers)
        if (a.position == position) return a.text;
    return {};
}

void weekly_update_row::set_answer(update_answer a) {
    std::erase_if(answers, [&](const update_answer& b) { return b.label == a.label; });
    if (a.text.empty()) return;
    auto at = std::find_if(answers.begin(), answers.end(),
                           [&](const update_answer& b) { return b.position > a.position; });
    answers.insert(at, std::move(a));
}

// An update's few answers are put in (position, label) order here: an
// ORDER BY made SQLite set up a sorter for every read.
void store::load_answers(weekly_update_row& row) {
    auto& st = prepared(
        "SELECT label, position, question, role, answer FROM weekly_update_answers "
        "WHERE week = :week AND member = :member");
    statement_guard g{st};
    st.bind(":member", row.member);
    st.bind(":week", row.week);
    row.answers.clear();
    while (st.executeStep())
        row.answers.push_back({st.getColumn(0).getString(), st.getColumn(2).getString(), st.getColumn(1).getInt(),
                               st.getColumn(3).getString(), st.getColumn(4).getString()});
    std::sort(row.answers.begin(), row.answers.end(), [](const update_answer& a, const update_answer& b) {
        return a.position != b.position ? a.position < b.position : a.label < b.label;
    });
}

std::optional<weekly_update_row> store::find_update(const std::string& member, const std::string& week) {
    std::optional<weekly_update_row> row;
    {
        auto& st = prepared("SELECT * FROM weekly_updates WHERE member = :member AND week = :week");
        statement_guard g{st};
        st.bind(":member", member);
        st.bind(":week", week);
        if (!st.executeStep()) return std::nullopt;
        row = read_update(st);
    }
    load_answers(*row);
    return row;
}

std::optional<weekly_update_row> store::latest_update_before(const std::string& member, const std::string& week) {
    std::optional<weekly_update_row> row;
    {
        // Week keys ("2026-W07") sort as text in time order.
        auto& st = prepared(
            "SELECT * FROM weekly_updates WHERE member = :member AND week < :week ORDER BY week DESC LIMIT 1");
        statement_guard g{st};
        st.bind(":member", member);
        st.bind(":week", week);
        if (!st.executeStep()) return std::nullopt;
        row = read_update(st);
    }
    load_answers(*row);
    return row;
}

std::vector<weekly_update_row> store::updates_between(const std::string& member, const std::string& first,
                                                      const std::string& last) {
    std::vector<weekly_update_row> out;
    {
        auto& st = prepared(
            "SELECT * FROM weekly_updates WHERE member = :member AND week >= :first AND week <= :last "
            "ORDER BY week");
        statement_guard g{st};
        st.bind(":member", member);
        st.bind(":first", first);
        st.bind(":last", last);
        while (st.executeStep()) out.push_back(read_update(st));
    }
    for (auto& row : out) load_answers(row);
    return out;
}

// Writes only what differs from the stored answers: an update gains one
// answer at a time, and rewriting all of them on each was most of the cost
// of an answer (issue 12).
void store::write_answers(const weekly_update_row& r) {
    weekly_update_row before;
    before.member = r.member;
    before.week = r.week;
    load_answers(before);
    const std::vector<update_answer>& stored = before.answers;
    // The answer that stays under a label: the last non-empty one (as when
    // each was written in turn).
    auto kept = [&](const std::string& label) -> const update_answer* {
        const update_answer* last = nullptr;
        for (const auto& a : r.answers)
            if (a.label == label && !a.text.empty()) last = &a;
        return last;
    };
    for (const auto& old : stored) {
        if (kept(old.label)) continue;
        auto& st = prepared(
            "DELETE FROM weekly_update_answers WHERE week = :week AND member = :member AND label = :label");
        statement_guard g{st};
        st.bind(":member", r.member);
        st.bind(":week", r.week);
        st.bind(":label", old.label);
        st.exec();
    }
    auto& st = prepared(
        "INSERT INTO weekly_update_answers (member, week, label, position, question, role, answer) "
        "VALUES (:member, :week, :label, :position, :question, :role, :answer) "
        "ON CONFLICT (week, member, label) DO UPDATE SET position = excluded.position, "
        "question = excluded.question, role = excluded.role, answer = excluded.answer");
    for (const auto& a : r.answers) {
        if (a.text.empty() || a.label.empty() || kept(a.label) != &a) continue;
        const bool same = std::any_of(stored.begin(), stored.end(), [&](const update_answer& o) {
            return o.label == a.label && o.position == a.position && o.question == a.question && o.role == a.role &&
                   o.text == a.text;
        });
        if (same) continue;
        statement_guard g{st};
        st.bind(":member", r.member);
        st.bind(":week", r.week);
        st.bind(":label", a.label);
        st.bind(":position", a.position);
        st.bind(":question", a.question);
        st.bind(":role", a.role);
        st.bind(":answer", a.text);
        st.exec();
    }
}

void store::save_update(const weekly_update_row& r) {
    {
        auto& st = prepared(R"sql(
INSERT INTO weekly_updates (member, week, team, status, step, skip_reason, asked, single_edit, started_at,
                            updated_at)
VALUES (:member, :week, :team, :status, :step, :skip_reason, :asked, :single_edit, :started_at, :updated_at)
ON CONFLICT (member, week) DO UPDATE SET
    team = excluded.team, status = excluded.status, step = excluded.step, skip_reason = excluded.skip_reason,
    asked = excluded.asked, single_edit = excluded.single_edit, updated_at = excluded.updated_at
)sql");
        statement_guard g{st};
        st.bind(":member", r.member);
        st.bind(":week", r.week);
        st.bind(":team", r.team);
        st.bind(":status", to_string(r.status));
        st.bind(":step", r.step);
        st.bind(":skip_reason", r.skip_reason);
        st.bind(":asked", r.asked);
        st.bind(":single_edit", r.single_edit ? 1 : 0);
        st.bind(":started_at", to_db(r.started_at));
        st.bind(":updated_at", to_db(r.updated_at));
        st.exec();
    }
    write_answers(r);
    update_streaks(*this).refresh_from(r.member, r.week);
}

std::int64_t store::enqueue(const outgoing& item, instant at) {
    ++enqueues_;
    auto& st = prepared(
        "INSERT INTO outbox (platform, kind, user_id, channel, body, created_at) "
        "VALUES (:platform, :kind, :user, :channel, :body, :at)");
    statement_guard g{st};
    nlohmann::json body;
    to_json(body, item.body);
    st.bind(":platform", item.to.platform);
    st.bind(":kind", to_string(item.to.kind));
    st.bind(":user", item.to.user);
    st.bind(":channel", item.to.channel);
    // Invalid UTF-8 from a user becomes U+FFFD rather than failing the whole
    // transaction (and, for a stored answer, every digest after it).
    st.bind(":body", body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    st.bind(":at", to_db(at));
    st.exec();
    return db_.getLastInsertRowid();
}

// The columns every outbox read below selects, in this order (a macro: the
// SQL stays one string literal, the key of its prepared statement).
#define OUTBOX_ROW_COLUMNS "o.id, o.platform, o.kind, o.user_id, o.channel, o.body, o.created_at, o.attempts, o.attempt_started_at"

namespace {

// How many rows of one destination may be handed over at once; 0: no limit.
int line_length(int per_destination) {
    return per_destination > 0 ? per_destination : std::numeric_limits<int>::max();
}

}  // namespace

std::vector<outbox_row> store::read_outbox_rows(SQLite::Statement& st, const std::set<std::int64_t>* skip) {
    std::vector<outbox_row> out;
    std::vector<std::int64_t> unreadable;
    while (st.executeStep()) {
        outbox_row r;
        r.id = st.getColumn(0).getInt64();
        if (skip && skip->count(r.id)) continue;
        r.item.to.platform = st.getColumn(1).getString();
        r.item.to.user = st.getColumn(3).getString();
        r.item.to.channel = st.getColumn(4).getString();
        try {
            r.item.to.kind = destination_kind_from_string(st.getColumn(2).getString());
            from_json(nlohmann::json::parse(st.getColumn(5).getString()), r.item.body);
        } catch (const std::exception& e) {
            // One damaged row must not hold back every message behind it.
            spdlog::error("outbox row {} is unreadable and is set aside: {}", r.id, e.what());
            unreadable.push_back(r.id);
            continue;
        }
        r.created_at = from_db(st.getColumn(6).getInt64());
        r.attempts = st.getColumn(7).getInt();
        if (!st.getColumn(8).isNull()) r.attempt_started = from_db(st.getColumn(8).getInt64());
        out.push_back(std::move(r));
    }
    st.reset();
    for (auto id : unreadable) set_aside(id, "unreadable");
    return out;
}

std::vector<outbox_row> store::unsent(const std::string& platform, int limit, std::optional<instant> now,
                                      int per_destination, const std::set<std::int64_t>* skip) {
    // The place in its destination's line counts every unsent row, so a
    // destination's first rows stay its first rows while they wait. The
    // places are numbered over the few columns that decide them (read from
    // the outbox_line index, in its order); a row's body is read only for the
    // rows chosen, not for the whole backlog that may wait behind Slack's one
    // message a second per channel.
    auto& st = prepared(
        "SELECT " OUTBOX_ROW_COLUMNS " FROM ("
        "  SELECT id, next_attempt_at, "
        "    ROW_NUMBER() OVER (PARTITION BY kind, user_id, channel ORDER BY id) AS place FROM outbox "
        "  WHERE platform = :platform AND sent_at IS NULL AND attempts >= 0) AS line "
        "JOIN outbox o ON o.id = line.id "
        "WHERE line.place <= :per AND (line.next_attempt_at IS NULL OR line.next_attempt_at <= :now) "
        "ORDER BY line.id LIMIT :limit");
    statement_guard g{st};
    st.bind(":platform", platform);
    st.bind(":limit", limit);
    st.bind(":per", line_length(per_destination));
    st.bind(":now", now ? to_db(*now) : std::numeric_limits<std::int64_t>::max());
    return read_outbox_rows(st, skip);
}

std::vector<outbox_row> store::unsent_after(const std::string& platform, std::int64_t after, int limit, instant now,
                                            int per_destination, const std::set<std::int64_t>* skip) {
    // A row's place: how many unsent rows of its destination come before it,
    // counted from the outbox_line index and never past `per`.
    auto& st = prepared(
        "SELECT " OUTBOX_ROW_COLUMNS " FROM outbox o "
        "WHERE o.platform = :platform AND o.sent_at IS NULL AND o.attempts >= 0 AND o.id > :after "
        "  AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= :now) "
        "  AND (SELECT COUNT(*) FROM (SELECT 1 FROM outbox e WHERE e.platform = o.platform AND e.kind = o.kind "
        "       AND e.user_id = o.user_id AND e.channel = o.channel AND e.sent_at IS NULL AND e.attempts >= 0 "
        "       AND e.id < o.id LIMIT :per)) < :per "
        "ORDER BY o.id LIMIT :limit");
    statement_guard g{st};
    st.bind(":platform", platform);
    st.bind(":after", after);
    st.bind(":limit", limit);
    st.bind(":per", line_length(per_destination));
    st.bind(":now", to_db(now));
    return read_outbox_rows(st, skip);
}

std::vector<outbox_row> store::unsent_to(const destination& to, instant now, int per_destination,
                                         const std::set<std::int64_t>* skip) {
    // Its first `per` unsent rows (the place counts rows still waiting for a
    // retry too), then those of them that are due.
    auto& st = prepared(
        "SELECT " OUTBOX_ROW_COLUMNS " FROM (SELECT id, next_attempt_at FROM outbox "
        "  WHERE platform = :platform AND kind = :kind AND user_id = :user AND channel = :channel "
        "    AND sent_at IS NULL AND attempts >= 0 ORDER BY id LIMIT :per) AS line "
        "JOIN outbox o ON o.id = line.id "
        "WHERE line.next_attempt_at IS NULL OR line.next_attempt_at <= :now");
    statement_guard g{st};
    st.bind(":platform", to.platform);
    st.bind(":kind", to_string(to.kind));
    st.bind(":user", to.user);
    st.bind(":channel", to.channel);
    st.bind(":per", line_length(per_destination));
    st.bind(":now", to_db(now));
    // In id order, sorted here: an ORDER BY made SQLite set up a sorter for
    // the few rows of every delivery.
    auto rows = read_outbox_rows(st, skip);
    std::sort(rows.begin(), rows.end(), [](const outbox_row& a, const outbox_row& b) { return a.id < b.id; });
    return rows;
}

std::int64_t store::last_outbox_id() {
    auto& st = prepared("SELECT COALESCE(MAX(id), 0) FROM outbox");
    statement_guard g{st};
    st.executeStep();
    return st.getColumn(0).getInt64();
}

#undef OUTBOX_ROW_COLUMNS

void store::mark_sent(std::int64_t id, instant at) {
    auto& st = prepared("UPDATE outbox SET sent_at = :at, attempts = attempts + 1 WHERE id = :id");
    statement_guard g{st};
    st.bind(":at", to_db(at));
    st.bind(":id", id);
    st.exec();
}

void store::mark_attempt_started(std::int64_t id, instant at) {
    auto& st = prepared("UPDATE outbox SET attempt_started_at = :at WHERE id = :id");
    statement_guard g{st};
    st.bind(":at", to_db(at));
    st.bind(":id", id);
    st.exec();
}

void store::set_aside(std::int64_t id, const std::string& reason) {
    // sent_at stays NULL and attempts -1 marks it.
    auto& st = prepared("UPDATE outbox SET attempts = -1, last_error = :reason WHERE id = :id");
    statement_guard g{st};
    st.bind(":reason", reason);
    st.bind(":id", id);
    st.exec();
}

void store::mark_failed(std::int64_t id, const std::string& error, bool maybe_delivered,
                        std::optional<instant> next_attempt) {
    auto& st = prepared(
        "UPDATE outbox SET attempts = attempts + 1, last_error = :error, next_attempt_at = :next, "
        "attempt_started_at = CASE WHEN :maybe THEN attempt_started_at END WHERE id = :id");
    statement_guard g{st};
    st.bind(":error", error);
    st.bind(":maybe", maybe_delivered ? 1 : 0);
    if (next_attempt) st.bind(":next", to_db(*next_attempt));
    else st.bind(":next");
    st.bind(":id", id);
    st.exec();
}

std::vector<store::set_aside_row> store::set_aside_rows(int limit) {
    auto& st = prepared(
        "SELECT id, platform, kind, user_id, channel, last_error, substr(body, 1, 400), created_at, attempts "
        "FROM outbox WHERE sent_at IS NULL AND attempts < 0 ORDER BY id LIMIT :limit");
    statement_guard g{st};
    st.bind(":limit", limit);
    std::vector<set_aside_row> out;
    while (st.executeStep()) {
        set_aside_row r;
        r.id = st.getColumn(0).getInt64();
        r.platform = st.getColumn(1).getString();
        r.kind = st.getColumn(2).getString();
        r.user = st.getColumn(3).getString();
        r.channel = st.getColumn(4).getString();
        r.reason = st.getColumn(5).getString();
        r.preview = st.getColumn(6).getString();
        r.created_at = from_db(st.getColumn(7).getInt64());
        out.push_back(std::move(r));
    }
    return out;
}

int store::requeue(std::int64_t id) {
    auto& st = prepared(
        "UPDATE outbox SET attempts = 0, next_attempt_at = NULL, last_error = '' "
        "WHERE sent_at IS NULL AND attempts < 0 AND (:id = 0 OR id = :id)");
    statement_guard g{st};
    st.bind(":id", id);
    return st.exec();
}

std::int64_t store::unsent_count() {
    auto& st = prepared("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL");
    statement_guard g{st};
    st.executeStep();
    return st.getColumn(0).getInt64();
}

std::vector<outbox_status> store::outbox_statuses() {
    auto& st = prepared(
        "SELECT platform, SUM(attempts >= 0), SUM(attempts < 0), MIN(CASE WHEN attempts >= 0 THEN created_at END) "
        "FROM outbox WHERE sent_at IS NULL GROUP BY platform ORDER BY platform");
    statement_guard g{st};
    std::vector<outbox_status> out;
    while (st.executeStep()) {
        outbox_status s;
        s.platform = st.getColumn(0).getString();
        s.waiting = st.getColumn(1).getInt64();
        s.set_aside = st.getColumn(2).getInt64();
        if (!st.getColumn(3).isNull()) s.oldest_waiting = from_db(st.getColumn(3).getInt64());
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace ritualbot
