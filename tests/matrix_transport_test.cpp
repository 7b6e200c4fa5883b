#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "bot/matrix/matrix_api.hpp"
#include "bot/matrix/matrix_html.hpp"
#include "bot/matrix/sync_response.hpp"
#include "storage/matrix_store.hpp"
#include "tests/support/matrix_test_bot.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

const std::string bot_id = "@bot:fake.test";
const std::string alice = "@alice:fake.test";
const std::string maria = "@maria:fake.test";
const std::string mallory = "@mallory:fake.test";

std::string config_for(const std::string& team_room) {
    std::string toml = R"(
[matrix]
homeserver = "HOMESERVER"
user_id = "@bot:fake.test"

[[teams]]
name = "gamma"
platform = "matrix"
channel = "TEAMROOM"
timezone = "Europe/Berlin"
managers = ["@maria:fake.test"]
members = ["@alice:fake.test", "@maria:fake.test"]
)";
    toml.replace(toml.find("TEAMROOM"), 8, team_room);
    return toml;
}

std::string temp_db(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() / ("ritualbot-matrix-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto path = dir / (name + ".db");
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
    return path.string();
}

struct matrix_fixture : ::testing::Test {
    fake_homeserver hs;
    std::string team_room;
    std::string token;

    void SetUp() override {
        hs.add_user(bot_id, "bot-password");
        team_room = hs.create_room(maria, {alice});
        hs.invite(team_room, maria, bot_id, false);
        token = hs.issue_token(bot_id, "GIVEN");
    }

    matrix::matrix_secrets with_token() const { return {token, ""}; }

    std::unique_ptr<matrix_test_bot> start(const std::string& db_path, matrix::matrix_secrets secrets,
                                           const std::string& when = "2026-11-16T09:00:00Z") {
        auto bot = std::make_unique<matrix_test_bot>(hs, config_for(team_room), when, db_path, std::move(secrets));
        EXPECT_TRUE(bot->run_until([&] { return bot->synced() || !bot->fatal.empty(); })) << "never synced";
        return bot;
    }

    // Alice opens a DM with the bot the way Element does: createRoom + invite with is_direct.
    std::string open_dm(matrix_test_bot& bot, const std::string& user) {
        const std::string room = hs.create_room(user, {});
        hs.invite(room, user, bot_id, true);
        EXPECT_TRUE(bot.run_until([&] { return hs.joined_rooms(bot_id).count(room) > 0; }));
        return room;
    }

    std::vector<std::string> wait_for_notices(matrix_test_bot& bot, const std::string& room, std::size_t n) {
        bot.run_until([&] { return hs.notices_in(room, bot_id).size() >= n; });
        return hs.notices_in(room, bot_id);
    }
};

}  // namespace

TEST(MatrixHtml, RendersTablesListsAndEscapes) {
    message m;
    m.header("Digest <gamma>").section("a & b").list({"one", "two"}).table({{"KR", "progress"}, {"K1", "50%"}});
    m.actions({{"update.start", "Write my update", ""}});
    auto n = matrix::render_notice(m);
    EXPECT_EQ(n.formatted_body,
              "<h4>Digest &lt;gamma&gt;</h4><p>a &amp; b</p><ul><li>one</li><li>two</li></ul>"
              "<table><thead><tr><th>KR</th><th>progress</th></tr></thead><tbody><tr><td>K1</td><td>50%</td></tr></tbody></table>");
    EXPECT_NE(n.body.find("Digest <gamma>"), std::string::npos);
    EXPECT_NE(n.body.find("• one"), std::string::npos);
    EXPECT_EQ(n.body.find("Write my update"), std::string::npos);
}

TEST(MatrixSync, ParsesInvitesTimelineAndDirectTolerantly) {
    const json j = json::parse(R"({
      "next_batch":"s72595_4483_1934",
      "rooms":{
        "join":{"!abc:example.org":{
          "timeline":{"events":[
            {"event_id":"$ev1","type":"m.room.message","sender":"@alice:example.org","origin_server_ts":1,
             "content":{"msgtype":"m.text","body":"hi"},"unsigned":{"age":1234}},
            {"event_id":"$ev2","type":"m.room.message","sender":"@alice:example.org",
             "content":{"msgtype":"m.text","body":"* hi","m.relates_to":{"rel_type":"m.replace","event_id":"$ev1"}}},
            {"event_id":"$ev3","type":"m.room.encrypted","sender":"@bob:example.org","content":{"ciphertext":"x"}},
            {"type":"m.room.message","content":"not an object"},
            {"event_id":"$ev4","type":"m.reaction","sender":"@bob:example.org","content":{}}
          ],"limited":false}}},
        "invite":{"!xyz:example.org":{"invite_state":{"events":[
          {"type":"m.room.member","state_key":"@bot:example.org","sender":"@alice:example.org",
           "content":{"membership":"invite","is_direct":true}},
          {"type":"m.room.name","state_key":"","sender":"@alice:example.org","content":{"name":"Ops"}}]}}}},
      "account_data":{"events":[{"type":"m.direct","content":{"@alice:example.org":["!xyz:example.org"],"@x":7}}]},
      "unknown_key":{"whatever":true}
    })");
    std::string error;
    auto s = matrix::parse_sync_response(j, "@bot:example.org", error);
    ASSERT_TRUE(s) << error;
    EXPECT_EQ(s->next_batch, "s72595_4483_1934");
    ASSERT_EQ(s->events.size(), 3u);
    EXPECT_EQ(s->events[0].body, "hi");
    EXPECT_FALSE(s->events[0].is_edit);
    EXPECT_TRUE(s->events[1].is_edit);
    EXPECT_EQ(s->events[2].what, matrix::timeline_event::kind::encrypted);
    ASSERT_EQ(s->invites.size(), 1u);
    EXPECT_EQ(s->invites[0].inviter, "@alice:example.org");
    EXPECT_TRUE(s->invites[0].is_direct);
    ASSERT_TRUE(s->direct);
    EXPECT_EQ(s->direct->at("@alice:example.org").front(), "!xyz:example.org");

    EXPECT_FALSE(matrix::parse_sync_response(json::parse(R"({"rooms":{}})"), "@bot:example.org", error));
    EXPECT_FALSE(matrix::parse_sync_response(json::parse("[1,2]"), "@bot:example.org", error));
    EXPECT_TRUE(matrix::parse_sync_response(json::parse(R"({"next_batch":"s1","rooms":[]})"), "@b:x", error));
}

TEST(MatrixApi, ClassifiesErrors) {
    auto result = [](int status, std::string body, std::vector<net::http_header> headers = {}) {
        net::http_result r;
        r.response = net::http_response{status, std::move(headers), std::move(body)};
        return matrix::classify(r, std::chrono::system_clock::now());
    };
    EXPECT_EQ(result(200, R"({"event_id":"$1"})").what, matrix::api_result::outcome::ok);
    auto limited = result(429, R"({"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":2000})");
    EXPECT_EQ(limited.what, matrix::api_result::outcome::rate_limited);
    EXPECT_EQ(limited.retry_after, 2000ms);
    auto header_wins = result(429, R"({"errcode":"M_LIMIT_EXCEEDED","retry_after_ms":2000})", {{"Retry-After", "3"}});
    EXPECT_EQ(header_wins.retry_after, 3000ms);
    auto token = result(401, R"({"errcode":"M_UNKNOWN_TOKEN","error":"Unknown token","soft_logout":true})");
    EXPECT_EQ(token.what, matrix::api_result::outcome::unknown_token);
    EXPECT_TRUE(token.soft_logout);
    EXPECT_EQ(result(502, "<html>bad gateway</html>").what, matrix::api_result::outcome::retryable);
    EXPECT_EQ(result(200, "{broken").what, matrix::api_result::outcome::retryable);
    EXPECT_EQ(result(403, R"({"errcode":"M_FORBIDDEN","error":"no"})").what, matrix::api_result::outcome::failed);
    net::http_result lost;
    lost.error_kind = net::http_error_kind::io;
    lost.error = "connection lost";
    EXPECT_EQ(matrix::classify(lost, std::chrono::system_clock::now()).what, matrix::api_result::outcome::retryable);
}

TEST_F(matrix_fixture, AnswersACommandInADirectRoom) {
    hs.post(team_room, alice, "old message from before the bot started");
    auto bot = start(temp_db("dm"), with_token());
    ASSERT_TRUE(bot->fatal.empty()) << bot->fatal;
    EXPECT_EQ(bot->transport->own_user(), bot_id);
    EXPECT_TRUE(bot->run_until([&] { return hs.joined_rooms(bot_id).count(team_room) > 0; }))
        << "the team room's invite is accepted";

    const std::string dm = open_dm(*bot, alice);
    hs.post(dm, alice, "!ritual help");
    auto notices = wait_for_notices(*bot, dm, 1);
    ASSERT_EQ(notices.size(), 1u);
    EXPECT_NE(notices[0].find("/okr"), std::string::npos);

    const auto events = hs.events_in(dm);
    const json& last = events.back();
    EXPECT_EQ(last["content"]["msgtype"], "m.notice");
    EXPECT_EQ(last["content"]["format"], "org.matrix.custom.html");
    EXPECT_FALSE(last["content"]["formatted_body"].get<std::string>().empty());
    EXPECT_TRUE(hs.notices_in(team_room, bot_id).empty()) << "history is not answered";
}
