#include "storage/migrations.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>
#include <spdlog/spdlog.h>

#include <stdexcept>
#include <string>

namespace ritualbot {

namespace {

// Append-only: never edit a migration that has shipped; add the next one.
constexpr const char* migrations[] = {
    // 1: the core — dedupe keys, scheduled runs, weekly updates, the outbox.
    R"sql(
CREATE TABLE processed_events (
    dedupe_key TEXT PRIMARY KEY,
    processed_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE job_runs (
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    period TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    ran_at INTEGER NOT NULL,
    PRIMARY KEY (kind, target, period)
) WITHOUT ROWID;

CREATE TABLE scheduler_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    horizon INTEGER NOT NULL
);

CREATE TABLE weekly_updates (
    member TEXT NOT NULL,
    week TEXT NOT NULL,
    team TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('in_progress', 'done', 'skipped')),
    step INTEGER NOT NULL DEFAULT 0,
    skip_reason TEXT NOT NULL DEFAULT '',
    goal TEXT NOT NULL DEFAULT '',
    changed TEXT NOT NULL DEFAULT '',
    risk TEXT NOT NULL DEFAULT '',
    focus TEXT NOT NULL DEFAULT '',
    started_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (member, week)
) WITHOUT ROWID;
CREATE INDEX weekly_updates_by_week ON weekly_updates (week);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    platform TEXT NOT NULL,
    kind TEXT NOT NULL,
    user_id TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    sent_at INTEGER
);
CREATE INDEX outbox_unsent ON outbox (platform, id) WHERE sent_at IS NULL;
)sql",
    // 2: OKRs — hand-set periods, objectives, key results, their check-in
    // history, and the check-in conversations waiting for an owner's answer.
    R"sql(
CREATE TABLE okr_periods (
    team TEXT NOT NULL,
    key TEXT NOT NULL,
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_at INTEGER NOT NULL,
    PRIMARY KEY (team, key)
) WITHOUT ROWID;

CREATE TABLE okr_objectives (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    team TEXT NOT NULL,
    period TEXT NOT NULL,
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    archived INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (team, period, number)
);

CREATE TABLE okr_key_results (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    objective_id INTEGER NOT NULL REFERENCES okr_objectives (id),
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    baseline REAL NOT NULL,
    target REAL NOT NULL,
    current REAL NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    UNIQUE (objective_id, number)
);
CREATE INDEX okr_key_results_by_owner ON okr_key_results (owner);

CREATE TABLE okr_checkins (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kr_id INTEGER NOT NULL REFERENCES okr_key_results (id),
    value REAL NOT NULL,
    previous REAL NOT NULL,
    who TEXT NOT NULL,
    at INTEGER NOT NULL,
    comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX okr_checkins_by_kr ON okr_checkins (kr_id, at);

CREATE TABLE okr_pending_checkins (
    owner TEXT NOT NULL,
    kr_id INTEGER NOT NULL REFERENCES okr_key_results (id),
    asked_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (owner, kr_id)
) WITHOUT ROWID;
)sql",
    // 3: cross-team dependencies and the alerts already raised about them.
    R"sql(
CREATE TABLE dependencies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    provider TEXT NOT NULL,
    consumer TEXT NOT NULL,
    what TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('blocking', 'non-blocking', 'soft')),
    status TEXT NOT NULL DEFAULT 'not-started'
        CHECK (status IN ('not-started', 'in-progress', 'available', 'done')),
    due TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    resolved_at INTEGER
);
CREATE INDEX dependencies_by_provider ON dependencies (provider);
CREATE INDEX dependencies_by_consumer ON dependencies (consumer);

CREATE TABLE dependency_alerts (
    condition TEXT NOT NULL,
    subject TEXT NOT NULL,
    week TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    PRIMARY KEY (condition, subject, week)
) WITHOUT ROWID;
)sql",
    // 4: EOWD sign-ups (slots and waitlist are their order) and the monthly
    // learning sessions' proposals and picks.
    R"sql(
CREATE TABLE eowd_signups (
    team TEXT NOT NULL,
    week TEXT NOT NULL,
    member TEXT NOT NULL,
    seq INTEGER NOT NULL,
    topic TEXT NOT NULL,
    input_wanted TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (team, week, member)
) WITHOUT ROWID;
CREATE UNIQUE INDEX eowd_signups_in_order ON eowd_signups (team, week, seq);

CREATE TABLE learning_proposals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    team TEXT NOT NULL,
    proposer TEXT NOT NULL,
    topic TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX learning_proposals_by_team ON learning_proposals (team);

CREATE TABLE learning_sessions (
    team TEXT NOT NULL,
    month TEXT NOT NULL,
    proposal_id INTEGER NOT NULL REFERENCES learning_proposals (id),
    picked_by TEXT NOT NULL,
    picked_at INTEGER NOT NULL,
    PRIMARY KEY (team, month)
) WITHOUT ROWID;
)sql",
    // 5: Matrix — the login session and sync position (key/value), each
    // member's direct-message room, and rooms already warned about (encryption).
    R"sql(
CREATE TABLE matrix_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE matrix_direct_rooms (
    user_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE matrix_room_warnings (
    room_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    warned_at INTEGER NOT NULL,
    PRIMARY KEY (room_id, kind)
) WITHOUT ROWID;
)sql",
    // 6: exactly once — a job that asked to run later (a reminder behind a
    // prompt that went out late), the start of a delivery attempt (recorded
    // before a request that cannot be repeated safely leaves), and the answer
    // an event's acknowledgement carries (a redelivered slash command gets it again).
    R"sql(
CREATE TABLE deferred_jobs (
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    period TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    window_end INTEGER NOT NULL,
    PRIMARY KEY (kind, target, period)
) WITHOUT ROWID;
ALTER TABLE outbox ADD COLUMN attempt_started_at INTEGER;
ALTER TABLE outbox ADD COLUMN next_attempt_at INTEGER;
CREATE TABLE ack_answers (
    dedupe_key TEXT PRIMARY KEY,
    answer TEXT NOT NULL,
    answered_at INTEGER NOT NULL
) WITHOUT ROWID;
)sql",
    // 7: Slack — what users.list and user_change said of each workspace user:
    // the zone (empty when Slack gives none), and whether it is a bot or a
    // deactivated account. Read at start, so a restart asks Slack nothing per member;
    // and when users.list was last read to its end (slack_state 'users_listed_at').
    R"sql(
CREATE TABLE slack_users (
    user_id TEXT PRIMARY KEY,
    timezone TEXT NOT NULL,
    is_bot INTEGER NOT NULL,
    deleted INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE slack_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
)sql",
    // 8: Matrix exactly-once — rooms the bot asked to join (so history from
    // before its join is never answered) and send attempts that started (so a
    // send whose answer was lost is looked for in the room before it goes again).
    R"sql(
CREATE TABLE matrix_room_joins (
    room_id TEXT PRIMARY KEY,
    requested_at INTEGER NOT NULL,
    join_seen INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE matrix_send_attempts (
    outbox_id INTEGER PRIMARY KEY,
    room_id TEXT NOT NULL,
    txn_id TEXT NOT NULL,
    started_at INTEGER NOT NULL
);
)sql",
    // 9: hidden-dependency suggestions, so the person who got one can dismiss it
    // (/dep dismiss <id>): a dismissed pair of teams with the same words is
    // not suggested again, and /metrics counts both per team.
    R"sql(
CREATE TABLE dependency_suggestions (
    id INTEGER PRIMARY KEY,
    provider TEXT NOT NULL,
    consumer TEXT NOT NULL,
    words TEXT NOT NULL,
    week TEXT NOT NULL,
    member TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    dismissed_at INTEGER,
    dismissed_by TEXT
);
CREATE INDEX dependency_suggestions_pair ON dependency_suggestions (provider, consumer, words);
)sql",
    // 10: Slack — each member's DM channel with the bot, so a restart does not
    // call conversations.open (50 a minute) once per person with a message waiting.
    R"sql(
CREATE TABLE slack_dm_channels (
    user_id TEXT PRIMARY KEY,
    channel TEXT NOT NULL
) WITHOUT ROWID;
)sql",
    // 11: weekly updates — each answer in its own row with the question it
    // answered (label, text, place, risk/focus role), so a team may have its own
    // questions and change them without misfiling an answer; the label of the
    // question pending. The four answer columns of version 1 move here.
    R"sql(
CREATE TABLE weekly_update_answers (
    member TEXT NOT NULL,
    week TEXT NOT NULL,
    label TEXT NOT NULL,
    position INTEGER NOT NULL,
    question TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL,
    PRIMARY KEY (member, week, label)
) WITHOUT ROWID;
INSERT INTO weekly_update_answers (member, week, label, position, question, role, answer)
    SELECT member, week, 'Goal', 0, 'What goal did I work toward?', '', goal FROM weekly_updates WHERE goal <> '';
INSERT INTO weekly_update_answers (member, week, label, position, question, role, answer)
    SELECT member, week, 'Changed', 1, 'What changed because of my work?', '', changed FROM weekly_updates
    WHERE changed <> '';
INSERT INTO weekly_update_answers (member, week, label, position, question, role, answer)
    SELECT member, week, 'At risk', 2, 'What is at risk?', 'risk', risk FROM weekly_updates WHERE risk <> '';
INSERT INTO weekly_update_answers (member, week, label, position, question, role, answer)
    SELECT member, week, 'Next', 3, 'What will I focus on next?', 'focus', focus FROM weekly_updates
    WHERE focus <> '';
ALTER TABLE weekly_updates ADD COLUMN asked TEXT NOT NULL DEFAULT '';
ALTER TABLE weekly_updates ADD COLUMN single_edit INTEGER NOT NULL DEFAULT 0;
UPDATE weekly_updates SET asked = CASE step WHEN 0 THEN 'Goal' WHEN 1 THEN 'Changed' WHEN 2 THEN 'At risk'
                                            WHEN 3 THEN 'Next' ELSE '' END
    WHERE status <> 'skipped';
ALTER TABLE weekly_updates DROP COLUMN goal;
ALTER TABLE weekly_updates DROP COLUMN changed;
ALTER TABLE weekly_updates DROP COLUMN risk;
ALTER TABLE weekly_updates DROP COLUMN focus;
)sql",
    // 12: time off (/update away): no prompts or reminders, and the digest says
    // "away" instead of "missing". One stretch per person; ends_at is the end
    // of the last day away in their zone, or when they came back.
    R"sql(
CREATE TABLE time_off (
    member TEXT PRIMARY KEY,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    until TEXT NOT NULL,
    reason TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX time_off_ends ON time_off (ends_at);
)sql",
    // 13: each person's own zone, prompt time and reminder (/ritual settings).
    R"sql(
CREATE TABLE person_settings (
    member TEXT PRIMARY KEY,
    timezone TEXT NOT NULL DEFAULT '',
    prompt TEXT NOT NULL DEFAULT '',
    reminder INTEGER NOT NULL DEFAULT 1,
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;
)sql",
    // 14: prompts put off (/update later), counted per person and week; the
    // message itself is a deferred job (kind weekly_snooze).
    R"sql(
CREATE TABLE update_snoozes (
    member TEXT NOT NULL,
    week TEXT NOT NULL,
    number INTEGER NOT NULL,
    until_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (member, week, number)
) WITHOUT ROWID;
)sql",
    // 15: weekly updates and their answers keyed week first, (week, member)
    // and (week, member, label), so a week's rows are stored together: the
    // digest of a 1,000-member team reads one range of pages per table instead
    // of a page per member (bench/digest_bench.cpp); one member's history goes
    // through the indexes by (member, week). Replaces weekly_updates_by_week.
    R"sql(
CREATE TABLE weekly_updates_by_week_first (
    member TEXT NOT NULL,
    week TEXT NOT NULL,
    team TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('in_progress', 'done', 'skipped')),
    step INTEGER NOT NULL DEFAULT 0,
    skip_reason TEXT NOT NULL DEFAULT '',
    asked TEXT NOT NULL DEFAULT '',
    single_edit INTEGER NOT NULL DEFAULT 0,
    started_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (week, member)
) WITHOUT ROWID;
INSERT INTO weekly_updates_by_week_first
    (member, week, team, status, step, skip_reason, asked, single_edit, started_at, updated_at)
    SELECT member, week, team, status, step, skip_reason, asked, single_edit, started_at, updated_at
    FROM weekly_updates;
DROP TABLE weekly_updates;
ALTER TABLE weekly_updates_by_week_first RENAME TO weekly_updates;
CREATE INDEX weekly_updates_by_member ON weekly_updates (member, week);
CREATE TABLE weekly_update_answers_by_week_first (
    member TEXT NOT NULL,
    week TEXT NOT NULL,
    label TEXT NOT NULL,
    position INTEGER NOT NULL,
    question TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL,
    PRIMARY KEY (week, member, label)
) WITHOUT ROWID;
INSERT INTO weekly_update_answers_by_week_first (member, week, label, position, question, role, answer)
    SELECT member, week, label, position, question, role, answer FROM weekly_update_answers;
DROP TABLE weekly_update_answers;
ALTER TABLE weekly_update_answers_by_week_first RENAME TO weekly_update_answers;
CREATE INDEX weekly_update_answers_by_member ON weekly_update_answers (member, week);
)sql",
    // 16: the web dashboard's links: the signing key (made at first start when
    // the environment gives none) and the generations that revoke links, per
    // user and for everyone (user_id '').
    R"sql(
CREATE TABLE dashboard_secret (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    secret BLOB NOT NULL
);
CREATE TABLE dashboard_generations (
    user_id TEXT PRIMARY KEY,
    generation INTEGER NOT NULL
) WITHOUT ROWID;
)sql",
    // 17: each weekly update keeps the member's answer streak through its week
    // (storage/update_streaks.hpp), so the digest of a big team reads one
    // number per member instead of two years of history. NULL on the rows
    // written before: computed from the history when asked.
    R"sql(
ALTER TABLE weekly_updates ADD COLUMN streak INTEGER;
)sql",
    // 18: a week's finished and skipped updates counted from an index alone
    // (the digest's participation chart of a big team: storage/participation_store).
    R"sql(
CREATE INDEX weekly_updates_by_week_status ON weekly_updates (week, status, member);
)sql",
    // 19: the outbox's lines, one per destination, read without a sort or the
    // rows' bodies: the sender numbers every unsent row of a platform (at most
    // once a second under a backlog), and between those reads asks only for
    // new rows and for the destinations whose rows were delivered.
    R"sql(
CREATE INDEX outbox_line ON outbox (platform, kind, user_id, channel, id, next_attempt_at)
    WHERE sent_at IS NULL AND attempts >= 0;
)sql",
    // 20: weekly_updates' status check as comparisons: SQLite builds a
    // temporary b-tree for an IN list of three or more values each time the
    // check runs, about a third of the cost of the update's upsert
    // (bench/README.md, seventh session). Same rows, same indexes.
    R"sql(
CREATE TABLE weekly_updates_checked (
    member TEXT NOT NULL,
    week TEXT NOT NULL,
    team TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status = 'in_progress' OR status = 'done' OR status = 'skipped'),
    step INTEGER NOT NULL DEFAULT 0,
    skip_reason TEXT NOT NULL DEFAULT '',
    asked TEXT NOT NULL DEFAULT '',
    single_edit INTEGER NOT NULL DEFAULT 0,
    started_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    streak INTEGER,
    PRIMARY KEY (week, member)
) WITHOUT ROWID;
INSERT INTO weekly_updates_checked
    (member, week, team, status, step, skip_reason, asked, single_edit, started_at, updated_at, streak)
    SELECT member, week, team, status, step, skip_reason, asked, single_edit, started_at, updated_at, streak
    FROM weekly_updates;
DROP TABLE weekly_updates;
ALTER TABLE weekly_updates_checked RENAME TO weekly_updates;
CREATE INDEX weekly_updates_by_member ON weekly_updates (member, week);
CREATE INDEX weekly_updates_by_week_status ON weekly_updates (week, status, member);
)sql",
};

constexpr int migration_count = static_cast<int>(sizeof migrations / sizeof migrations[0]);

}  // namespace

int newest_schema_version() { return migration_count; }

void apply_migrations(SQLite::Database& db, int up_to) {
    const int target = up_to < 0 || up_to > migration_count ? migration_count : up_to;
    int version = db.execAndGet("PRAGMA user_version").getInt();
    if (version > migration_count) {
        throw std::runtime_error("the database has schema version " + std::to_string(version) +
                                 ", newer than this ritualbot knows (" + std::to_string(migration_count) +
                                 "); run a newer ritualbot or restore a backup");
    }
    for (int v = version; v < target; ++v) {
        SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
        db.exec(migrations[v]);
        // PRAGMA takes no bound parameters; the value is our own integer.
        db.exec("PRAGMA user_version = " + std::to_string(v + 1));
        tx.commit();
        spdlog::info("database schema migrated to version {}", v + 1);
    }
}

}  // namespace ritualbot
