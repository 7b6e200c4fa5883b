// Matrix, issue 11: history from before the bot's join is never answered,
// and a send whose answer was lost across a re-login posts once.
#include <gtest/gtest.h>

#include <filesystem>

#include "storage/matrix_store.hpp"
#include "tests/support/matrix_test_bot.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;
using namespace std::chrono_literals;

namespace {

const std::string bot_id = "@bot:fake.test";
const std::string alice = "@alice:fake.test";
const std::string maria = "@maria:fake.test";

std::string config_for(const std::string& team_room) {
    return R"(
[matrix]
homeserver = "HOMESERVER"
user_id = "@bot:fake.test"
sync_timeout_seconds = 1

[[teams]]
name = "gamma"
platform = "matrix"
channel = ")" + team_room + R"("
timezone = "Europe/Berlin"
managers = ["@maria:fake.test"]
members = ["@alice:fake.test", "@maria:fake.test"]
)";
}

std::string temp_db(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() / ("ritualbot-matrix-once-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto path = dir / (name + ".db");
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
    return path.string();
}

struct MatrixExactlyOnce : ::testing::Test {
    fake_homeserver hs;
    std::string team_room;

    void SetUp() override {
        hs.add_user(bot_id, "bot-password");
        team_room = hs.create_room(maria, {alice});
    }

    std::unique_ptr<matrix_test_bot> start(const std::string& db_path, matrix::matrix_secrets secrets) {
        auto bot = std::make_unique<matrix_test_bot>(hs, config_for(team_room), "2026-11-16T09:00:00Z", db_path,
                                                     std::move(secrets));
        EXPECT_TRUE(bot->run_until([&] { return bot->synced() || !bot->fatal.empty(); })) << "never synced";
        return bot;
    }

    // Everything the bot posted anywhere.
    std::size_t all_notices() {
        std::size_t n = 0;
        for (const auto& room : hs.joined_rooms(bot_id)) n += hs.notices_in(room, bot_id).size();
        return n;
    }
};

}  // namespace

// Synapse 1.67 as seen: invited before the first start, joined after it; the
// first sync after the join carries the room's history, including a command.
TEST_F(MatrixExactlyOnce, ACommandFromBeforeTheJoinIsNotAnswered) {
    hs.post(team_room, alice, "!ritual help");  // before the bot ever ran
    hs.invite(team_room, maria, bot_id, false);
    auto bot = start(temp_db("team-join"), {hs.issue_token(bot_id, "GIVEN"), ""});
    ASSERT_TRUE(bot->run_until([&] { return hs.joined_rooms(bot_id).count(team_room) > 0; }));
    bot->run_for(1500ms);  // the sync after the join, with the history

    // The fake delivered the history with the join, as Synapse does.
    EXPECT_EQ(all_notices(), 0u) << "the old !ritual help was answered";

    hs.post(team_room, alice, "!ritual help");
    ASSERT_TRUE(bot->run_until([&] { return all_notices() >= 1; }));
    bot->run_for(300ms);
    EXPECT_EQ(all_notices(), 1u);
}

// Messages posted after the bot started but before it joined (a DM opened
// with a message first): newer than the first start, yet before the join.
TEST_F(MatrixExactlyOnce, ADirectRoomsMessagesBeforeTheJoinAreNotAnswered) {
    auto bot = start(temp_db("dm-join"), {hs.issue_token(bot_id, "GIVEN"), ""});
    const std::string dm = hs.create_room(alice, {});
    hs.post(dm, alice, "!ritual help");
    hs.post(dm, alice, "!okr status");
    bot->run_for(300ms);
    hs.invite(dm, alice, bot_id, true);
    ASSERT_TRUE(bot->run_until([&] { return hs.joined_rooms(bot_id).count(dm) > 0; }));
    bot->run_for(1500ms);
    EXPECT_TRUE(hs.notices_in(dm, bot_id).empty());

    // The history really came with the join (the own join after the old messages).
    const auto events = hs.events_in(dm);
    ASSERT_GE(events.size(), 3u);

    hs.post(dm, alice, "!ritual help");
    ASSERT_TRUE(bot->run_until([&] { return hs.notices_in(dm, bot_id).size() >= 1; }));
    bot->run_for(300ms);
    EXPECT_EQ(hs.notices_in(dm, bot_id).size(), 1u);
    auto join = matrix_store(*bot->db).room_join_of(dm);
    ASSERT_TRUE(join);
    EXPECT_TRUE(join->seen);
}

// A send that took effect but whose answer said the token is gone: the bot
// logs in again (a new token: a new txnId scope on Synapse 1.67), finds its
// message in the room, and does not post it twice.
TEST_F(MatrixExactlyOnce, ASendAcrossAReloginPostsOnce) {
    hs.set_txn_scope(fake_homeserver::txn_scope::access_token);
    hs.invite(team_room, maria, bot_id, false);
    auto bot = start(temp_db("relogin-send"), {"", "bot-password"});
    const std::string dm = hs.create_room(alice, {});
    hs.invite(dm, alice, bot_id, true);
    ASSERT_TRUE(bot->run_until([&] { return hs.joined_rooms(bot_id).count(dm) > 0; }));
    bot->run_for(1200ms);

    hs.fail_next("PUT", "/send/", 1, fake_homeserver::matrix_error(401, "M_UNKNOWN_TOKEN", "Unknown access token"),
                 /*after_handling=*/true);
    hs.post(dm, alice, "!ritual help");
    // The answer says the token is gone: a re-login, then the row is looked for before it goes again.
    ASSERT_TRUE(bot->run_until([&] { return hs.count("login") >= 2 && hs.notices_in(dm, bot_id).size() >= 1; }));
    bot->run_for(1500ms);
    EXPECT_EQ(hs.notices_in(dm, bot_id).size(), 1u) << "posted twice across the re-login";
    EXPECT_TRUE(bot->fatal.empty()) << bot->fatal;
}

// The lost answer under the same token: the same txnId is recognised.
TEST_F(MatrixExactlyOnce, ALostAnswerIsRetriedWithTheSameTxnIdAndMarked) {
    auto bot = start(temp_db("lost-answer"), {hs.issue_token(bot_id, "GIVEN"), ""});
    const std::string dm = hs.create_room(alice, {});
    hs.invite(dm, alice, bot_id, true);
    ASSERT_TRUE(bot->run_until([&] { return hs.joined_rooms(bot_id).count(dm) > 0; }));
    bot->run_for(1200ms);
    hs.fail_next("PUT", "/send/", 2, fake_homeserver::matrix_error(502, "M_UNKNOWN", "Bad gateway"), true);
    hs.post(dm, alice, "!ritual help");
    ASSERT_TRUE(bot->run_until([&] { return hs.count("send_request") >= 3; }));
    bot->run_for(500ms);
    const auto events = hs.events_in(dm);
    int posted = 0;
    for (const auto& e : events)
        if (e["sender"] == bot_id && e["type"] == "m.room.message") {
            ++posted;
            EXPECT_TRUE(e["content"].contains("ritualbot.outbox_row")) << e.dump();
        }
    EXPECT_EQ(posted, 1);
}
