#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "bot/matrix/matrix_api.hpp"
#include "bot/matrix/matrix_html.hpp"
#include "bot/matrix/sync_response.hpp"
#include "bot/net/tls.hpp"
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
sync_timeout_seconds = 1

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

using MatrixTransport = matrix_fixture;

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

TEST(MatrixSync, ACutTimelineIsAGapAndMessagesPagesAreRead) {
    std::string error;
    auto s = matrix::parse_sync_response(json::parse(R"({"next_batch":"s9","rooms":{"join":{
        "!a:x":{"timeline":{"events":[],"limited":true,"prev_batch":"t5"}},
        "!b:x":{"timeline":{"events":[],"limited":false,"prev_batch":"t6"}},
        "!c:x":{"timeline":{"events":[],"limited":true}}}}})"),
                                         "@bot:x", error);
    ASSERT_TRUE(s) << error;
    ASSERT_EQ(s->gaps.size(), 1u);
    EXPECT_EQ(s->gaps[0].room, "!a:x");
    EXPECT_EQ(s->gaps[0].prev_batch, "t5");

    auto page = matrix::parse_messages_page(json::parse(R"({"start":"t5","end":"t3","chunk":[
        {"event_id":"$2","type":"m.room.message","sender":"@alice:x","content":{"msgtype":"m.text","body":"two"}},
        {"event_id":"$1","type":"m.room.message","sender":"@alice:x","content":{"msgtype":"m.text","body":"one"}}]})"),
                                            "!a:x", "@bot:x", error);
    ASSERT_TRUE(page) << error;
    ASSERT_EQ(page->events.size(), 2u);
    EXPECT_EQ(page->events[1].body, "one");
    EXPECT_EQ(page->events[1].room, "!a:x");
    EXPECT_EQ(page->end, "t3");
    auto last = matrix::parse_messages_page(json::parse(R"({"start":"t3","chunk":[]})"), "!a:x", "@bot:x", error);
    ASSERT_TRUE(last);
    EXPECT_TRUE(last->end.empty());
    EXPECT_FALSE(matrix::parse_messages_page(json::parse(R"({"start":"t3"})"), "!a:x", "@bot:x", error));
    EXPECT_FALSE(matrix::parse_messages_page(json::parse("[]"), "!a:x", "@bot:x", error));
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

TEST_F(MatrixTransport, AnswersACommandInADirectRoom) {
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

namespace {

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

int count_with(const std::vector<std::string>& texts, const std::string& needle) {
    int n = 0;
    for (const auto& t : texts) n += has(t, needle);
    return n;
}

}  // namespace

TEST_F(MatrixTransport, AWholeWeekOverMatrix) {
    auto bot = start(temp_db("week"), with_token());
    ASSERT_TRUE(bot->run_until([&] { return hs.joined_rooms(bot_id).count(team_room) > 0; }));

    // Thursday 15:00 Berlin: the prompts open DM rooms (createRoom, recorded in m.direct).
    bot->advance_to("2026-11-19T14:00:00Z");
    std::string alice_dm, maria_dm;
    ASSERT_TRUE(bot->run_until([&] {
        alice_dm = hs.direct_room(bot_id, alice);
        maria_dm = hs.direct_room(bot_id, maria);
        return !alice_dm.empty() && !maria_dm.empty() && !hs.notices_in(alice_dm, bot_id).empty() &&
               !hs.notices_in(maria_dm, bot_id).empty();
    }));
    EXPECT_NE(alice_dm, maria_dm);
    EXPECT_EQ(hs.count("create_room"), 2);
    EXPECT_TRUE(has(hs.notices_in(alice_dm, bot_id).front(), "Question 1 of 4"));
    hs.join(alice_dm, alice);
    hs.join(maria_dm, maria);

    // Alice answers one question at a time in her DM.
    const std::pair<const char*, const char*> steps[] = {
        {"Ship the parser", "Question 2 of 4"},
        {"Parser merged", "Question 3 of 4"},
        {"blocked by nobody", "Question 4 of 4"},
        {"Release 1.2", "complete"},
    };
    std::size_t seen = 1;
    for (const auto& [answer, next] : steps) {
        hs.post(alice_dm, alice, answer);
        auto notices = wait_for_notices(*bot, alice_dm, ++seen);
        ASSERT_EQ(notices.size(), seen) << answer;
        EXPECT_TRUE(has(notices.back(), next)) << notices.back();
    }
    // Maria skips with a command; her edit of an old message and a notice from another bot are ignored.
    hs.post(maria_dm, maria, "/update skip on holiday");
    ASSERT_EQ(wait_for_notices(*bot, maria_dm, 2).size(), 2u);
    hs.post(maria_dm, maria, "* edited", "m.text", json{{"m.relates_to", {{"rel_type", "m.replace"}, {"event_id", "$x"}}}});
    hs.post(maria_dm, "@otherbot:fake.test", "I am a bot", "m.notice");
    // People chatting in the team room are left alone; a command there is answered.
    hs.post(team_room, alice, "lunch anyone?");
    hs.post(team_room, maria, "!ritual schedule");
    bot->run_until([&] { return hs.notices_in(team_room, bot_id).size() + hs.notices_in(maria_dm, bot_id).size() > 2; });
    bot->run_for(200ms);
    EXPECT_EQ(hs.notices_in(maria_dm, bot_id).size() + hs.notices_in(team_room, bot_id).size(), 3u);

    auto row = bot->db->find_update(alice, "2026-W47");
    ASSERT_TRUE(row);
    EXPECT_EQ(row->status, update_status::done);
    EXPECT_EQ(row->text_at(0), "Ship the parser");

    // Friday 16:00 Berlin: the digest goes to the team room as one notice with HTML.
    const std::size_t before = hs.notices_in(team_room, bot_id).size();
    bot->advance_to("2026-11-20T15:00:00Z");
    auto team_notices = wait_for_notices(*bot, team_room, before + 1);
    ASSERT_EQ(team_notices.size(), before + 1);
    const std::string digest = team_notices.back();
    EXPECT_TRUE(has(digest, "weekly digest")) << digest;
    EXPECT_TRUE(has(digest, "Ship the parser")) << digest;
    EXPECT_TRUE(has(digest, "1 of 2")) << digest;
    // The notice, then the chart as its own m.image event (tests/matrix_chart_test.cpp).
    json last;
    for (const json& e : hs.events_in(team_room))
        if (e["sender"] == bot_id && e["content"].value("msgtype", "") == "m.notice") last = e;
    EXPECT_TRUE(bot->run_until([&] { return hs.events_in(team_room).back()["content"].value("msgtype", "") == "m.image"; }));
    const std::string html = last["content"]["formatted_body"].get<std::string>();
    EXPECT_TRUE(has(html, "<h4>")) << html;
    EXPECT_TRUE(has(html, "Ship the parser")) << html;
    EXPECT_TRUE(bot->run_until([&] { return bot->db->unsent_count() == 0; }));
}

TEST_F(MatrixTransport, RestartInTheMiddleLosesAndRepeatsNothing) {
    const std::string path = temp_db("restart");
    std::string dm;
    std::optional<std::string> position_before_answers;
    {
        auto bot = start(path, with_token());
        bot->advance_to("2026-11-19T14:00:00Z");
        ASSERT_TRUE(bot->run_until([&] {
            dm = hs.direct_room(bot_id, alice);
            return !dm.empty() && !hs.notices_in(dm, bot_id).empty();
        }));
        bot->run_for(100ms);
        position_before_answers = matrix_store(*bot->db).next_batch();
        hs.post(dm, alice, "Ship the parser");
        ASSERT_EQ(wait_for_notices(*bot, dm, 2).size(), 2u);
    }
    // While the bot is down Alice answers the next question.
    hs.post(dm, alice, "Parser merged");
    {
        auto bot = start(path, with_token(), "2026-11-19T15:00:00Z");
        auto notices = wait_for_notices(*bot, dm, 3);
        ASSERT_EQ(notices.size(), 3u);
        EXPECT_TRUE(has(notices.back(), "Question 3 of 4")) << notices.back();
        bot->run_for(200ms);
    }
    // A crash before the sync position was committed: the bot reads both answers again.
    {
        store db(path);
        auto tx = db.begin();
        matrix_store(db).set_next_batch(*position_before_answers);
        tx->commit();
    }
    {
        auto bot = start(path, with_token(), "2026-11-19T15:30:00Z");
        bot->run_for(300ms);
        hs.post(dm, alice, "nothing at risk");
        auto notices = wait_for_notices(*bot, dm, 4);
        bot->run_for(200ms);
        notices = hs.notices_in(dm, bot_id);
        EXPECT_EQ(notices.size(), 4u);
        EXPECT_EQ(count_with(notices, "Question 1 of 4"), 1);
        EXPECT_EQ(count_with(notices, "Question 2 of 4"), 1);
        EXPECT_EQ(count_with(notices, "Question 3 of 4"), 1);
        EXPECT_EQ(count_with(notices, "Question 4 of 4"), 1);
        auto row = bot->db->find_update(alice, "2026-W47");
        ASSERT_TRUE(row);
        EXPECT_EQ(row->text_at(0), "Ship the parser");
        EXPECT_EQ(row->text_at(1), "Parser merged");
        EXPECT_EQ(row->text_at(2), "nothing at risk");
    }
    EXPECT_EQ(hs.count("create_room"), 2) << "one DM each for alice and maria, reused after restarts";
}

TEST_F(MatrixTransport, MessagesBeyondACutTimelineAreReadBackAfterAnOutage) {
    const std::string path = temp_db("gap");
    {
        auto bot = start(path, with_token());
        ASSERT_TRUE(bot->run_until([&] { return hs.joined_rooms(bot_id).count(team_room) > 0; }));
        bot->run_for(100ms);
    }
    // While the bot is down, a command in the team room is buried under 120
    // other messages: the next /sync shows only the newest 50 of the room.
    hs.post(team_room, alice, "!ritual help");
    for (int i = 0; i < 120; ++i) hs.post(team_room, maria, "chatter " + std::to_string(i));
    hs.post(team_room, alice, "!ritual schedule");
    {
        auto bot = start(path, with_token(), "2026-11-16T10:00:00Z");
        std::string dm;
        ASSERT_TRUE(bot->run_until([&] {
            dm = hs.direct_room(bot_id, alice);
            return !dm.empty() && hs.notices_in(dm, bot_id).size() >= 2;
        })) << "the buried command was not answered";
        bot->run_for(200ms);
        auto notices = hs.notices_in(dm, bot_id);
        ASSERT_EQ(notices.size(), 2u);
        EXPECT_TRUE(has(notices[0], "/ritual schedule")) << notices[0];  // the help, first
        EXPECT_TRUE(has(notices[1], "Your schedule")) << notices[1];
        EXPECT_GE(hs.count("messages"), 2) << "read back page by page (100 a page)";
    }
    // Another outage, and the homeserver refuses the read-back: the bot says
    // so in its log and goes on with what /sync gave it.
    hs.post(team_room, alice, "!ritual help");
    for (int i = 0; i < 60; ++i) hs.post(team_room, maria, "more chatter " + std::to_string(i));
    hs.post(team_room, alice, "!ritual schedule");
    hs.fail_next("GET", "/messages", 1, fake_homeserver::matrix_error(403, "M_FORBIDDEN", "No history for you"));
    {
        auto bot = start(path, with_token(), "2026-11-16T11:00:00Z");
        const std::string dm = hs.direct_room(bot_id, alice);
        ASSERT_TRUE(bot->run_until([&] { return hs.notices_in(dm, bot_id).size() >= 3; }));
        bot->run_for(200ms);
        auto notices = hs.notices_in(dm, bot_id);
        ASSERT_EQ(notices.size(), 3u) << "the buried command is lost, the newest is answered";
        EXPECT_TRUE(has(notices[2], "Your schedule")) << notices[2];
        EXPECT_TRUE(bot->fatal.empty());
    }
}

TEST_F(MatrixTransport, ASendRetriedWithTheSameTxnIdPostsOnce) {
    auto bot = start(temp_db("txn"), with_token());
    const std::string dm = open_dm(*bot, alice);
    // The homeserver posts the message, but its answer is lost on the way back.
    hs.fail_next("PUT", "/send/", 1, loopback_response::drop(), /*after_handling=*/true);
    hs.post(dm, alice, "!ritual help");
    ASSERT_TRUE(bot->run_until([&] { return hs.count("send_request") >= 2 && bot->db->unsent_count() == 0; }));
    bot->run_for(100ms);
    EXPECT_EQ(hs.count("send_request"), 2);
    EXPECT_EQ(hs.notices_in(dm, bot_id).size(), 1u);
}

TEST_F(MatrixTransport, RateLimitIsHonoured) {
    auto bot = start(temp_db("ratelimit"), with_token());
    const std::string dm = open_dm(*bot, alice);
    hs.fail_next("PUT", "/send/", 2, fake_homeserver::rate_limited(300));  // Retry-After: 1 s wins over 300 ms
    const auto start_time = std::chrono::steady_clock::now();
    hs.post(dm, alice, "!ritual help");
    ASSERT_EQ(wait_for_notices(*bot, dm, 1).size(), 1u);
    const auto waited = std::chrono::steady_clock::now() - start_time;
    EXPECT_GE(waited, 1900ms) << "two 429s with Retry-After: 1";
    EXPECT_EQ(hs.count("send_request"), 1) << "the 429s were answered before the send was counted";

    // /sync rate limited too: it waits and resumes.
    hs.fail_next("GET", "/sync", 1, fake_homeserver::rate_limited(100));
    bot->run_for(300ms);
    hs.post(dm, alice, "!ritual help");
    EXPECT_EQ(wait_for_notices(*bot, dm, 2).size(), 2u);
}

TEST_F(MatrixTransport, DroppedConnectionsAnd5xxResume) {
    auto bot = start(temp_db("drop"), with_token());
    const std::string dm = open_dm(*bot, alice);
    bot->run_for(100ms);
    EXPECT_TRUE(bot->transport->connected());
    hs.fail_next("GET", "/sync", 3, fake_homeserver::matrix_error(502, "M_UNKNOWN", "Bad gateway"));
    hs.server().drop_all_connections();  // the long-poll in flight dies
    EXPECT_TRUE(bot->run_until([&] { return !bot->transport->connected(); })) << "/healthz must see the outage";
    hs.fail_next("GET", "/sync", 2, loopback_response::drop());
    hs.fail_next("PUT", "/send/", 1, loopback_response::text(503, "<html>down</html>"));
    hs.post(dm, alice, "!ritual help");
    auto notices = wait_for_notices(*bot, dm, 1);
    ASSERT_EQ(notices.size(), 1u);
    EXPECT_TRUE(bot->fatal.empty());
    EXPECT_TRUE(bot->run_until([&] { return bot->transport->connected(); }));
}

TEST_F(MatrixTransport, BrokenJsonFromTheServerIsSurvived) {
    auto bot = start(temp_db("json"), with_token());
    const std::string dm = open_dm(*bot, alice);
    bot->run_for(100ms);
    hs.fail_next("GET", "/sync", 1, loopback_response::json(200, "{\"next_batch\": \"s9\", \"rooms\": {"));
    hs.fail_next("GET", "/sync", 1, loopback_response::json(200, "[\"not\", \"a\", \"sync\"]"));
    hs.fail_next("GET", "/sync", 1, loopback_response::raw_bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n{\"a\":"));
    hs.fail_next("PUT", "/send/", 1, loopback_response::json(200, "not json at all"));
    hs.post(dm, alice, "!ritual help");
    auto notices = wait_for_notices(*bot, dm, 1);
    EXPECT_GE(notices.size(), 1u);
    EXPECT_TRUE(bot->fatal.empty());
}

TEST_F(MatrixTransport, EncryptedRoomGetsOneNotice) {
    auto bot = start(temp_db("e2e"), with_token());
    const std::string secret = hs.create_room(alice, {}, /*encrypted=*/true);
    hs.invite(secret, alice, bot_id, true);
    ASSERT_TRUE(bot->run_until([&] { return hs.joined_rooms(bot_id).count(secret) > 0; }));
    hs.post_encrypted(secret, alice);
    hs.post_encrypted(secret, alice);
    auto notices = wait_for_notices(*bot, secret, 1);
    bot->run_for(200ms);
    notices = hs.notices_in(secret, bot_id);
    ASSERT_EQ(notices.size(), 1u);
    EXPECT_TRUE(has(notices[0], "unencrypted")) << notices[0];
}

TEST_F(MatrixTransport, InvitesFromStrangersAreDeclined) {
    auto bot = start(temp_db("stranger"), with_token());
    const std::string spam = hs.create_room(mallory, {});
    hs.invite(spam, mallory, bot_id, true);
    ASSERT_TRUE(bot->run_until([&] { return hs.count("leave") > 0; }));
    EXPECT_FALSE(hs.joined_rooms(bot_id).count(spam));
    EXPECT_FALSE(hs.is_invited(spam, bot_id));
}

TEST_F(MatrixTransport, UnknownTokenIsAClearFatalError) {
    auto bot = start(temp_db("token"), with_token());
    ASSERT_TRUE(bot->fatal.empty());
    hs.revoke_tokens();
    const std::string dm = hs.create_room(alice, {});
    hs.post(team_room, alice, "!ritual help");
    ASSERT_TRUE(bot->run_until([&] { return !bot->fatal.empty(); }));
    EXPECT_TRUE(has(bot->fatal, "M_UNKNOWN_TOKEN")) << bot->fatal;
    EXPECT_TRUE(has(bot->fatal, "MATRIX_ACCESS_TOKEN")) << bot->fatal;
}

TEST_F(MatrixTransport, PasswordLoginIsKeptAcrossRestarts) {
    const std::string path = temp_db("password");
    {
        auto bot = start(path, {"", "bot-password"});
        ASSERT_TRUE(bot->fatal.empty()) << bot->fatal;
        auto session = matrix_store(*bot->db).session();
        ASSERT_TRUE(session);
        EXPECT_EQ(session->device_id, "RITUALBOT");
    }
    {
        auto bot = start(path, {"", "bot-password"});
        ASSERT_TRUE(bot->fatal.empty()) << bot->fatal;
    }
    EXPECT_EQ(hs.count("login"), 1) << "the second start reuses the stored token and device";
    // A revoked token: one fresh login with the password, same device.
    hs.revoke_tokens();
    {
        auto bot = start(path, {"", "bot-password"});
        ASSERT_TRUE(bot->run_until([&] { return hs.count("login") == 2 && bot->synced(); }));
        EXPECT_TRUE(bot->fatal.empty()) << bot->fatal;
    }
    // Wrong password, nothing stored: fatal, and says what to check.
    hs.revoke_tokens();
    auto bot = std::make_unique<matrix_test_bot>(hs, config_for(team_room), "2026-11-16T09:00:00Z", temp_db("badpw"),
                                                 matrix::matrix_secrets{"", "wrong"});
    ASSERT_TRUE(bot->run_until([&] { return !bot->fatal.empty(); }));
    EXPECT_TRUE(has(bot->fatal, "MATRIX_PASSWORD")) << bot->fatal;
}

TEST(MatrixTls, WorksWithTheTestCaAndRefusesAnUntrustedServer) {
    fake_homeserver hs(/*tls=*/true);
    hs.add_user(bot_id);
    const std::string team_room = hs.create_room(maria, {alice});
    const std::string token = hs.issue_token(bot_id, "TLS");
    ASSERT_TRUE(hs.base_url().starts_with("https://"));

    auto options = matrix_test_bot::fast_options();
    net::tls_options trust;
    trust.system_store = false;
    trust.extra_ca_pem = shared_test_pki().ca_pem;
    options.tls = net::make_tls_client_context(trust);
    {
        matrix_test_bot bot(hs, config_for(team_room), "2026-11-16T09:00:00Z", temp_db("tls"), {token, ""}, options);
        ASSERT_TRUE(bot.run_until([&] { return bot.synced(); }));
        const std::string dm = hs.create_room(alice, {});
        hs.invite(dm, alice, bot_id, true);
        ASSERT_TRUE(bot.run_until([&] { return hs.joined_rooms(bot_id).count(dm) > 0; }));
        hs.post(dm, alice, "!ritual help");
        ASSERT_TRUE(bot.run_until([&] { return hs.notices_in(dm, bot_id).size() == 1; }));
    }
    {
        // Only the system store: the test CA is unknown, so nothing is sent and the bot keeps retrying.
        matrix_test_bot bot(hs, config_for(team_room), "2026-11-16T09:00:00Z", temp_db("tls-untrusted"), {token, ""});
        bot.run_for(500ms);
        EXPECT_FALSE(bot.synced());
        EXPECT_TRUE(bot.fatal.empty());
        EXPECT_EQ(hs.count("whoami"), 1) << "only the trusting bot got through";
    }
}

TEST_F(MatrixTransport, AMemberWhoLeftTheirDirectRoomGetsANewOne) {
    auto bot = start(temp_db("left"), with_token());
    const std::string first = open_dm(*bot, alice);
    hs.join(first, alice);
    hs.post(first, alice, "!ritual help");
    ASSERT_EQ(wait_for_notices(*bot, first, 1).size(), 1u);
    EXPECT_EQ(matrix_store(*bot->db).direct_room(alice), first);

    hs.leave(first, alice);
    ASSERT_TRUE(bot->run_until([&] { return !matrix_store(*bot->db).direct_room(alice); }));
    bot->advance_to("2026-11-19T14:00:00Z");  // the weekly prompt
    std::string second;
    ASSERT_TRUE(bot->run_until([&] {
        auto dm = matrix_store(*bot->db).direct_room(alice);
        second = dm.value_or("");
        return dm && *dm != first && !hs.notices_in(*dm, bot_id).empty();
    }));
    EXPECT_TRUE(has(hs.notices_in(second, bot_id).front(), "Question 1 of 4"));
    EXPECT_EQ(hs.notices_in(first, bot_id).size(), 1u);
    EXPECT_TRUE(hs.is_invited(second, alice));
}

TEST_F(MatrixTransport, ForbiddenWaitsAndRetriesARefusedMessageIsSetAside) {
    auto bot = start(temp_db("forbidden"), with_token());
    ASSERT_TRUE(bot->run_until([&] { return hs.joined_rooms(bot_id).count(team_room) > 0; }));
    // 403 (say the bot was not yet in the room): the message waits and goes out once it can.
    hs.fail_next("PUT", "/send/", 2, fake_homeserver::matrix_error(403, "M_FORBIDDEN", "User not in room"));
    hs.post(team_room, maria, "!ritual schedule");
    ASSERT_TRUE(bot->run_until([&] {
        return hs.notices_in(team_room, bot_id).size() + hs.notices_in(hs.direct_room(bot_id, maria), bot_id).size() == 1;
    }));
    // 400: never accepted; set aside, and the next message is not held up behind it.
    const std::string dm = open_dm(*bot, alice);
    hs.fail_next("PUT", "/send/", 1, fake_homeserver::matrix_error(400, "M_TOO_LARGE", "event too large"));
    hs.post(dm, alice, "!ritual help");
    bot->run_for(300ms);
    hs.post(dm, alice, "!ritual help");
    ASSERT_EQ(wait_for_notices(*bot, dm, 1).size(), 1u);
    EXPECT_TRUE(bot->fatal.empty());
}

TEST_F(MatrixTransport, ATokenRevokedWhileRunningLogsInAgainWithThePassword) {
    auto bot = start(temp_db("relogin"), {"", "bot-password"});
    const std::string dm = open_dm(*bot, alice);
    hs.revoke_tokens();
    hs.post(dm, alice, "!ritual help");
    ASSERT_EQ(wait_for_notices(*bot, dm, 1).size(), 1u);
    EXPECT_EQ(hs.count("login"), 2);
    // One /sync loop afterwards, not two: in 1.5 s with a 1 s long-poll, at most a few syncs.
    const int syncs = hs.count("sync");
    bot->run_for(1500ms);
    EXPECT_LE(hs.count("sync") - syncs, 3);
    hs.post(dm, alice, "!ritual help");
    EXPECT_EQ(wait_for_notices(*bot, dm, 2).size(), 2u);
    EXPECT_TRUE(bot->fatal.empty()) << bot->fatal;
}

TEST(MatrixCommands, AnOkrOwnerIsAMatrixId) {
    std::string toml = config_for("!team:fake.test");
    toml.replace(toml.find("HOMESERVER"), 10, "http://127.0.0.1:8008");
    test_bot bot(toml, "2026-11-16T09:00:00Z");
    bot.say(maria, "!okr add \"Faster builds\"", "!team:fake.test");
    bot.say(maria, "!okr kr add O1 \"Build under 5 min\" target=5 baseline=12 owner=@alice:fake.test", "!team:fake.test");
    std::string all;
    for (const auto& m : bot.sent()) all += m.text + "\n";
    EXPECT_EQ(all.find("I don't know"), std::string::npos) << all;
    EXPECT_NE(all.find("@alice:fake.test"), std::string::npos) << all;
    bot.say(maria, "!okr status gamma", "!team:fake.test");
    std::string status;
    for (const auto& m : bot.sent()) status += m.text + "\n";
    EXPECT_NE(status.find("@alice:fake.test"), std::string::npos) << status;
    EXPECT_EQ(status.find("@@"), std::string::npos) << status;
}

TEST_F(MatrixTransport, TheTeamsOwnQuestionsOneFixedAnswerAndTheHistoryOverMatrix) {
    const std::string toml = config_for(team_room) + R"(
[teams.weekly_update]
questions = [
  { label = "Shipped", text = "What did you ship?" },
  { label = "Blockers", text = "What slows you down?" },
]
risk = "Blockers"
)";
    auto bot = std::make_unique<matrix_test_bot>(hs, toml, "2026-11-16T09:00:00Z", temp_db("own_questions"),
                                                 with_token());
    ASSERT_TRUE(bot->run_until([&] { return bot->synced() || !bot->fatal.empty(); })) << "never synced";
    ASSERT_TRUE(bot->run_until([&] { return hs.joined_rooms(bot_id).count(team_room) > 0; }));
    bot->advance_to("2026-11-19T14:00:00Z");
    std::string alice_dm;
    ASSERT_TRUE(bot->run_until([&] {
        alice_dm = hs.direct_room(bot_id, alice);
        return !alice_dm.empty() && !hs.notices_in(alice_dm, bot_id).empty();
    }));
    EXPECT_TRUE(has(hs.notices_in(alice_dm, bot_id).front(), "Question 1 of 2: What did you ship?"));
    hs.join(alice_dm, alice);
    const std::pair<const char*, const char*> steps[] = {
        {"The parser", "Question 2 of 2: What slows you down?"},
        {"Review queue", "complete"},
        {"!update edit blockers", "Changing your answer to question 2 (Blockers)"},
        {"Security review", "stays as it was"},
        {"!update history 2", "2026-W47: answered"},
    };
    std::size_t seen = 1;
    for (const auto& [text, next] : steps) {
        hs.post(alice_dm, alice, text);
        auto notices = wait_for_notices(*bot, alice_dm, ++seen);
        ASSERT_EQ(notices.size(), seen) << text;
        EXPECT_TRUE(has(notices.back(), next)) << notices.back();
    }
    const std::size_t before = hs.notices_in(team_room, bot_id).size();
    bot->advance_to("2026-11-20T15:00:00Z");
    auto team_notices = wait_for_notices(*bot, team_room, before + 1);
    ASSERT_EQ(team_notices.size(), before + 1);
    const std::string digest = team_notices.back();
    EXPECT_TRUE(has(digest, "Shipped: The parser")) << digest;
    EXPECT_TRUE(has(digest, "Blockers: Security review")) << digest;
    EXPECT_FALSE(has(digest, "Review queue")) << digest;
}

TEST_F(MatrixTransport, TimeOffOwnPromptTimeAndSnoozeOverMatrix) {
    auto bot = start(temp_db("personal"), with_token());
    ASSERT_TRUE(bot->run_until([&] { return hs.joined_rooms(bot_id).count(team_room) > 0; }));
    const std::string alice_dm = open_dm(*bot, alice);
    const std::string maria_dm = open_dm(*bot, maria);

    hs.post(alice_dm, alice, "!update away 2026-11-20 offsite");
    auto to_alice = wait_for_notices(*bot, alice_dm, 1);
    ASSERT_EQ(to_alice.size(), 1u);
    EXPECT_TRUE(has(to_alice[0], "You are away until 2026-11-20 (inclusive): offsite")) << to_alice[0];

    hs.post(maria_dm, maria, "!ritual settings prompt Wed 10:00");
    ASSERT_EQ(wait_for_notices(*bot, maria_dm, 1).size(), 1u);
    bot->advance_to("2026-11-18T09:00:00Z");  // Wed 10:00 Berlin
    auto to_maria = wait_for_notices(*bot, maria_dm, 2);
    ASSERT_EQ(to_maria.size(), 2u);
    EXPECT_TRUE(has(to_maria[1], "Question 1 of 4")) << to_maria[1];
    hs.post(maria_dm, maria, "!update later 1h");
    ASSERT_EQ(wait_for_notices(*bot, maria_dm, 3).size(), 3u);
    bot->advance_to("2026-11-18T10:00:00Z");
    to_maria = wait_for_notices(*bot, maria_dm, 4);
    ASSERT_EQ(to_maria.size(), 4u);
    EXPECT_TRUE(has(to_maria[3], "Back to your weekly update")) << to_maria[3];

    const std::size_t before = hs.notices_in(team_room, bot_id).size();
    bot->advance_to("2026-11-20T15:00:00Z");
    auto team_notices = wait_for_notices(*bot, team_room, before + 1);
    ASSERT_EQ(team_notices.size(), before + 1);
    EXPECT_TRUE(has(team_notices.back(), "Away: @alice:fake.test (away until 2026-11-20 (inclusive): offsite)"))
        << team_notices.back();
    EXPECT_EQ(hs.notices_in(alice_dm, bot_id).size(), 1u);  // no prompt, no reminder while away
}
