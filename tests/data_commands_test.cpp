// The operator's data subcommands through the real binary: export (JSON and
// CSV, filters, errors), backup (while another connection writes) and forget
// (nothing of the person left in the files, everybody else's data kept).
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "storage/store.hpp"
#include "tests/support/console_runner.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot::testing;
using json = nlohmann::json;

namespace {

// quinn42 is the person forgotten below: an id that appears nowhere by chance.
const char* const config_text = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
managers = ["maria"]
members = ["alice", "bob", "quinn42"]

[[teams]]
name = "beta"
channel = "#beta"
timezone = "Europe/Berlin"
managers = ["mike"]
members = ["pat"]

[rituals.eowd]
enabled = true

[rituals.learning]
enabled = true
)";

// Week 2026-W47: EOWD sign-ups, an OKR owned by quinn42 and its check-in, a
// dependency naming quinn42, a learning proposal, the weekly updates (alice
// names quinn42 as a blocker), the digest; quinn42's own reminder setting and
// time off.
const char* const script = R"(:time 2026-11-16T09:00:00Z
@quinn42> /ritual settings reminder off
@quinn42 #alpha> /eowd signup Quinn's benchmark -- is the method sound?
@alice #alpha> /eowd signup =1+2 -- evil, "quoted"
@maria #alpha> /okr add "Accelerate delivery"
@maria #alpha> /okr kr add O1 "Reduce CI build time" target=5 baseline=12 unit=min owner=@quinn42
@maria #alpha> /dep add beta -> alpha "Auth v2, reviewed by quinn42" type=blocking due=2026-11-27 owner=@quinn42
@quinn42> /learn propose Profiling with perf
@pat> /learn propose Bandits
:time 2026-11-18T10:00:00Z
@quinn42> 10
:time 2026-11-19T14:00:00Z
@alice> Ship the parser
@alice> Parser merged, "2x" faster
@alice> Waiting on quinn42 for the review
@alice> Release 1.2
@quinn42> Quinn's goal
@quinn42> Quinn's change
@quinn42> none
@quinn42> Quinn's focus
@bob> /update skip on holiday
:time 2026-11-20T15:00:00Z
@quinn42> /update away 2026-11-30 Quinn's leave
:quit
)";

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// A week of the bot in a fresh directory.
std::string fresh_week(const std::string& name) {
    const std::string dir = temp_dir(name);
    auto run = run_console(dir, config_text, script, "--virtual-clock 2026-11-16T08:00:00Z");
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return dir;
}

std::string db_args(const std::string& dir) {
    return "--config " + shell_quote(dir + "/config.toml") + " --database " + shell_quote(dir + "/bot.db");
}

json export_json(const std::string& dir, const std::string& extra = "") {
    auto r = run_command("export --format json " + db_args(dir) + " " + extra);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
}

const json* find_row(const json& rows, const std::string& key, const std::string& value) {
    for (const auto& r : rows)
        if (r.contains(key) && r[key].is_string() && r[key].get<std::string>() == value) return &r;
    return nullptr;
}

}  // namespace

TEST(DataExport, JsonHasEveryTableWithTheQuestionOfEachAnswer) {
    const std::string dir = fresh_week("export_json");
    const json doc = export_json(dir);
    const json& t = doc["tables"];
    for (const char* name : {"weekly_updates", "okr_objectives", "okr_key_results", "okr_checkins", "dependencies",
                             "eowd_signups", "learning_proposals", "learning_sessions"})
        EXPECT_TRUE(t.contains(name)) << name;

    const json* risk = find_row(t["weekly_updates"], "answer", "Waiting on quinn42 for the review");
    ASSERT_NE(risk, nullptr) << t["weekly_updates"].dump(1);
    EXPECT_EQ((*risk)["member"], "alice");
    EXPECT_EQ((*risk)["team"], "alpha");
    EXPECT_EQ((*risk)["week"], "2026-W47");
    EXPECT_EQ((*risk)["question"], "What is at risk?");
    EXPECT_EQ((*risk)["question_label"], "At risk");
    EXPECT_EQ((*risk)["question_number"], 3);
    int alices = 0;  // one row per answer
    for (const auto& row : t["weekly_updates"]) alices += row["member"] == "alice" ? 1 : 0;
    EXPECT_EQ(alices, 4);
    const json* skipped = find_row(t["weekly_updates"], "member", "bob");
    ASSERT_NE(skipped, nullptr);
    EXPECT_EQ((*skipped)["status"], "skipped");
    EXPECT_EQ((*skipped)["skip_reason"], "on holiday");
    EXPECT_TRUE((*skipped)["answer"].is_null());  // a skipped week: one row, no answer

    ASSERT_EQ(t["okr_key_results"].size(), 1u);
    EXPECT_EQ(t["okr_key_results"][0]["key_result"], "KR1.1");
    EXPECT_EQ(t["okr_key_results"][0]["owner"], "quinn42");
    ASSERT_EQ(t["okr_checkins"].size(), 1u) << t["okr_checkins"].dump(1);
    EXPECT_EQ(t["okr_checkins"][0]["value"], 10.0);
    EXPECT_EQ(t["okr_checkins"][0]["at"], "2026-11-18T10:00:00Z");
    ASSERT_EQ(t["dependencies"].size(), 1u);
    EXPECT_EQ(t["dependencies"][0]["provider"], "beta");
    EXPECT_TRUE(t["dependencies"][0]["resolved_at"].is_null());
    EXPECT_EQ(t["eowd_signups"].size(), 2u);
    EXPECT_EQ(t["learning_proposals"].size(), 2u);
}

TEST(DataExport, TeamAndSinceFilterTheRows) {
    const std::string dir = fresh_week("export_filters");
    const json beta = export_json(dir, "--team beta")["tables"];
    ASSERT_FALSE(beta["weekly_updates"].empty());  // pat was prompted and has not answered
    for (const auto& row : beta["weekly_updates"]) EXPECT_EQ(row["member"], "pat");
    EXPECT_TRUE(beta["okr_checkins"].empty());
    EXPECT_EQ(beta["dependencies"].size(), 1u);  // beta provides it
    ASSERT_EQ(beta["learning_proposals"].size(), 1u);
    EXPECT_EQ(beta["learning_proposals"][0]["proposer"], "pat");

    // Check-ins by their instant, weekly rows by their week.
    EXPECT_EQ(export_json(dir, "--since 2026-11-18")["tables"]["okr_checkins"].size(), 1u);
    const json later = export_json(dir, "--since 2026-11-19")["tables"];
    EXPECT_TRUE(later["okr_checkins"].empty());
    EXPECT_FALSE(later["weekly_updates"].empty());  // 19 Nov is in week 47
    EXPECT_TRUE(export_json(dir, "--since 2026-11-23")["tables"]["weekly_updates"].empty());
}

TEST(DataExport, CsvIsOneQuotedFilePerTableWithFormulasNeutralised) {
    const std::string dir = fresh_week("export_csv");
    auto r = run_command("export --format csv --out " + shell_quote(dir + "/csv") + " " + db_args(dir));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* name : {"weekly_updates", "okr_objectives", "okr_key_results", "okr_checkins", "dependencies",
                             "eowd_signups", "learning_proposals", "learning_sessions"})
        EXPECT_TRUE(std::filesystem::exists(dir + "/csv/" + name + ".csv")) << name;
    const std::string updates = read_all(dir + "/csv/weekly_updates.csv");
    EXPECT_EQ(updates.rfind("team,week,member,status,skip_reason,question_number,question_label,question,answer,started_at,"
                            "updated_at\r\n", 0), 0u) << updates;
    EXPECT_TRUE(has(updates, ",2,Changed,What changed because of my work?,\"Parser merged, \"\"2x\"\" faster\",")) << updates;
    const std::string eowd = read_all(dir + "/csv/eowd_signups.csv");
    EXPECT_TRUE(has(eowd, ",'=1+2,\"evil, \"\"quoted\"\"\",")) << eowd;
    const std::string deps = read_all(dir + "/csv/dependencies.csv");
    EXPECT_TRUE(has(deps, "\"Auth v2, reviewed by quinn42\"")) << deps;
}

TEST(DataExport, RefusesWhatItCannotDoWithAClearMessage) {
    const std::string dir = fresh_week("export_errors");
    auto csv_stdout = run_command("export --format csv " + db_args(dir));
    EXPECT_EQ(csv_stdout.exit_code, 1);
    EXPECT_TRUE(has(csv_stdout.err, "CSV is one file per table: give --out DIR")) << csv_stdout.err;
    auto team = run_command("export --format json --team gamma " + db_args(dir));
    EXPECT_EQ(team.exit_code, 1);
    EXPECT_TRUE(has(team.err, "unknown team 'gamma'; the teams in the config are: alpha, beta")) << team.err;
    for (const char* bad : {"2026-13-01", "2026-02-30", "yesterday", "2026-11-1"}) {
        auto since = run_command("export --format json --since " + std::string(bad) + " " + db_args(dir));
        EXPECT_EQ(since.exit_code, 1) << bad;
        EXPECT_TRUE(has(since.err, "--since needs a date such as 2026-11-01")) << since.err;
    }
    auto under_file = run_command("export --format csv --out " + shell_quote(dir + "/config.toml/out") + " " + db_args(dir));
    EXPECT_EQ(under_file.exit_code, 1);
    EXPECT_TRUE(has(under_file.err, "cannot create the directory")) << under_file.err;
    auto no_db = run_command("export --format json --config " + shell_quote(dir + "/config.toml") + " --database " +
                             shell_quote(dir + "/missing.db"));
    EXPECT_EQ(no_db.exit_code, 1);
    EXPECT_TRUE(has(no_db.err, "no database at")) << no_db.err;
    EXPECT_FALSE(std::filesystem::exists(dir + "/missing.db"));
}

TEST(DataBackup, CopiesAConsistentSnapshotWhileAnotherConnectionWrites) {
    const std::string dir = fresh_week("backup_live");
    // Another connection commits one dedupe key after another while the backup runs.
    std::atomic<bool> stop{false};
    std::atomic<int> written{0};
    std::thread writer([&] {
        ritualbot::store db(dir + "/bot.db");
        for (int i = 0; !stop && i < 100000; ++i) {
            auto tx = db.begin();
            db.record_event("live-" + std::to_string(i), at("2026-11-21T10:00:00Z"));
            tx->commit();
            written = i + 1;
        }
    });
    while (written < 200) std::this_thread::yield();
    auto r = run_command("backup " + shell_quote(dir + "/copy.db") + " " + db_args(dir));
    const int before_end = written;
    stop = true;
    writer.join();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(has(r.out, "integrity check ok")) << r.out;
    EXPECT_FALSE(std::filesystem::exists(dir + "/copy.db.partial"));

    SQLite::Database copy(dir + "/copy.db", SQLite::OPEN_READONLY);
    EXPECT_EQ(copy.execAndGet("PRAGMA integrity_check").getString(), "ok");
    EXPECT_EQ(copy.execAndGet("PRAGMA journal_mode").getString(), "delete");
    // One snapshot: the first n keys, for some n the writer had reached, with no gap.
    const int n = copy.execAndGet("SELECT count(*) FROM processed_events WHERE dedupe_key LIKE 'live-%'").getInt();
    EXPECT_GE(n, 200);
    EXPECT_LE(n, before_end);
    EXPECT_EQ(copy.execAndGet("SELECT max(CAST(substr(dedupe_key, 6) AS INTEGER)) FROM processed_events WHERE "
                              "dedupe_key LIKE 'live-%'").getInt(), n - 1);
    // And the week's rows.
    EXPECT_EQ(copy.execAndGet("SELECT count(*) FROM weekly_updates").getInt(), 4);  // alice, bob, quinn42, pat
    // The copy is a database the bot opens.
    auto exported = run_command("export --format json --config " + shell_quote(dir + "/config.toml") + " --database " +
                                shell_quote(dir + "/copy.db"));
    EXPECT_EQ(exported.exit_code, 0) << exported.err;
    EXPECT_TRUE(has(exported.out, "Waiting on quinn42 for the review"));
}

TEST(DataBackup, RefusesToOverwriteWithoutForce) {
    const std::string dir = fresh_week("backup_force");
    const std::string target = shell_quote(dir + "/copy.db");
    ASSERT_EQ(run_command("backup " + target + " " + db_args(dir)).exit_code, 0);
    const auto first_size = std::filesystem::file_size(dir + "/copy.db");
    auto again = run_command("backup " + target + " " + db_args(dir));
    EXPECT_EQ(again.exit_code, 1);
    EXPECT_TRUE(has(again.err, "already exists; choose another name or add --force")) << again.err;
    EXPECT_EQ(std::filesystem::file_size(dir + "/copy.db"), first_size);
    auto forced = run_command("backup " + target + " --force " + db_args(dir));
    EXPECT_EQ(forced.exit_code, 0) << forced.err;
    auto bad_dir = run_command("backup " + shell_quote(dir + "/no/such/dir/copy.db") + " " + db_args(dir));
    EXPECT_EQ(bad_dir.exit_code, 1);
    EXPECT_TRUE(has(bad_dir.err, "backup failed:")) << bad_dir.err;
}

TEST(DataForget, DryRunCountsAndChangesNothing) {
    const std::string dir = fresh_week("forget_dry");
    const std::string before = export_json(dir)["tables"].dump();
    auto r = run_command("forget quinn42 --dry-run " + db_args(dir));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(has(r.out, "Would remove (dry run, nothing changed) for 'quinn42':")) << r.out;
    EXPECT_TRUE(has(r.out, "weekly_updates: 1 deleted (their weekly updates)")) << r.out;
    EXPECT_TRUE(has(r.out, "eowd_signups: 1 deleted (their EOWD sign-ups)")) << r.out;
    EXPECT_TRUE(has(r.out, "okr_key_results: 1 owner removed")) << r.out;
    EXPECT_TRUE(has(r.out, "weekly_update_answers: 4 deleted (their answers)")) << r.out;
    EXPECT_TRUE(has(r.out, "weekly_update_answers: 1 mentions in answer redacted")) << r.out;
    EXPECT_TRUE(has(r.out, "time_off: 1 deleted (their time off)")) << r.out;
    EXPECT_TRUE(has(r.out, "person_settings: 1 deleted (their own settings)")) << r.out;
    EXPECT_TRUE(has(r.out, "dependencies: 1 mentions in what redacted")) << r.out;
    EXPECT_TRUE(has(r.out, "deleted (delivered messages that name them)")) << r.out;
    EXPECT_EQ(export_json(dir)["tables"].dump(), before);
}

TEST(DataForget, NothingOfThePersonRemainsInTheFilesAndOthersDataStays) {
    const std::string dir = fresh_week("forget_real");
    ASSERT_TRUE(has(read_all(dir + "/bot.db"), "quinn42"));
    auto r = run_command("forget quinn42 " + db_args(dir));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(has(r.out, "Removed for 'quinn42':")) << r.out;
    EXPECT_TRUE(has(r.out, "still in the config (alpha)")) << r.out;
    EXPECT_TRUE(has(r.out, "Every dashboard link made before now stops working")) << r.out;
    // Not in any table, nor in a free page or the write-ahead log.
    // Nor their words: their answers and the digest that quoted them.
    for (const char* f : {"/bot.db", "/bot.db-wal"}) {
        EXPECT_FALSE(has(read_all(dir + f), "quinn42")) << f;
        EXPECT_FALSE(has(read_all(dir + f), "Quinn's")) << f;
    }

    const json t = export_json(dir)["tables"];
    EXPECT_EQ(find_row(t["weekly_updates"], "member", "quinn42"), nullptr);
    const json* risk = find_row(t["weekly_updates"], "answer", "Waiting on [removed] for the review");
    ASSERT_NE(risk, nullptr) << t["weekly_updates"].dump(1);
    EXPECT_EQ((*risk)["member"], "alice");
    EXPECT_NE(find_row(t["weekly_updates"], "answer", "Parser merged, \"2x\" faster"), nullptr);
    ASSERT_EQ(t["okr_checkins"].size(), 1u);  // the KR's history stays, without its author
    EXPECT_EQ(t["okr_checkins"][0]["value"], 10.0);
    EXPECT_EQ(t["okr_checkins"][0]["who"], "");
    EXPECT_EQ(t["okr_key_results"][0]["owner"], "");
    EXPECT_EQ(t["dependencies"][0]["what"], "Auth v2, reviewed by [removed]");
    ASSERT_EQ(t["eowd_signups"].size(), 1u);
    EXPECT_EQ(t["eowd_signups"][0]["member"], "alice");
    ASSERT_EQ(t["learning_proposals"].size(), 1u);
    EXPECT_EQ(t["learning_proposals"][0]["proposer"], "pat");

    auto short_id = run_command("forget al " + db_args(dir));
    EXPECT_EQ(short_id.exit_code, 1);
    EXPECT_TRUE(has(short_id.err, "forget needs a user id of at least 3 characters")) << short_id.err;

    auto again = run_command("forget quinn42 " + db_args(dir));
    EXPECT_EQ(again.exit_code, 0);
    EXPECT_TRUE(has(again.out, "Nothing of 'quinn42' is in the database.")) << again.out;
}
