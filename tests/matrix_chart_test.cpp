// Charts on Matrix, against the fake homeserver: the digest and /okr status
// are a notice (the text, as before) followed by an m.image event whose mxc://
// media is the chart's PNG; each event has a txnId derived from the outbox
// row's, so a restart sends the missing ones only.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "bot/chart_png.hpp"
#include "handlers/svg_chart.hpp"
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
    auto dir = std::filesystem::temp_directory_path() / ("ritualbot-matrix-chart-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto path = dir / (name + ".db");
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
    return path.string();
}

struct MatrixCharts : ::testing::Test {
    fake_homeserver hs;
    std::string team_room;
    std::string token;

    void SetUp() override {
        hs.add_user(bot_id, "bot-password");
        team_room = hs.create_room(maria, {alice});
        hs.invite(team_room, maria, bot_id, false);
        token = hs.issue_token(bot_id, "GIVEN");
    }

    std::unique_ptr<matrix_test_bot> start(const std::string& db_path, const std::string& when) {
        auto bot = std::make_unique<matrix_test_bot>(hs, config_for(team_room), when, db_path,
                                                     matrix::matrix_secrets{token, ""});
        EXPECT_TRUE(bot->run_until([&] { return bot->synced() || !bot->fatal.empty(); })) << "never synced";
        EXPECT_TRUE(bot->run_until([&] { return hs.joined_rooms(bot_id).count(team_room) > 0; }));
        return bot;
    }

    std::vector<json> bot_events(const std::string& room, const std::string& msgtype) {
        std::vector<json> out;
        for (const json& e : hs.events_in(room))
            if (e.value("sender", "") == bot_id && e["content"].value("msgtype", "") == msgtype) out.push_back(e);
        return out;
    }

    // An m.image event: its media is a PNG of twice the chart's size, and info says so.
    void expect_chart(const json& event) {
        const json& c = event["content"];
        EXPECT_FALSE(c.value("body", "").empty());
        const std::string url = c.value("url", "");
        ASSERT_TRUE(url.starts_with("mxc://")) << c.dump();
        auto media = hs.media(url);
        ASSERT_TRUE(media) << url;
        EXPECT_EQ(media->content_type, "image/png");
        EXPECT_EQ(media->uploader, bot_id);
        auto size = png_size(media->bytes);
        ASSERT_TRUE(size) << "not a PNG";
        EXPECT_EQ(size->first, 2 * chart_width);
        EXPECT_EQ(size->second, 2 * chart_height);
        EXPECT_EQ(c["info"]["mimetype"], "image/png");
        EXPECT_EQ(c["info"]["w"], size->first);
        EXPECT_EQ(c["info"]["h"], size->second);
        EXPECT_EQ(c["info"]["size"], media->bytes.size());
    }
};

}  // namespace

TEST_F(MatrixCharts, TheDigestIsANoticeAndAParticipationChart) {
    auto bot = start(temp_db("digest"), "2026-11-20T09:00:00Z");
    bot->advance_to("2026-11-20T15:00:00Z");  // Friday 16:00 Berlin
    ASSERT_TRUE(bot->run_until([&] { return !bot_events(team_room, "m.image").empty(); }));
    const auto notices = bot_events(team_room, "m.notice");
    const auto images = bot_events(team_room, "m.image");
    ASSERT_EQ(images.size(), 1u);
    ASSERT_FALSE(notices.empty());
    const std::string text = notices.back()["content"]["body"].get<std::string>();
    EXPECT_NE(text.find("weekly digest"), std::string::npos) << text;
    EXPECT_NE(text.find("Participation: 0 of 2 answered"), std::string::npos) << text;
    EXPECT_EQ(text.find("[chart]"), std::string::npos) << "the chart's words are the image's body";
    expect_chart(images[0]);
    EXPECT_NE(images[0]["content"]["body"].get<std::string>().find("Participation, last 12 weeks"), std::string::npos);
    // The notice first, then the image; each with its own transaction id from the same row.
    const auto all = hs.events_in(team_room);
    EXPECT_EQ(all.back()["content"]["msgtype"], "m.image");
    const std::string notice_txn = notices.back()["unsigned"]["transaction_id"].get<std::string>();
    EXPECT_EQ(images[0]["unsigned"]["transaction_id"], notice_txn + "-i0");
    EXPECT_EQ(hs.count("media_upload"), 1);
    EXPECT_TRUE(bot->run_until([&] { return bot->db->unsent_count() == 0; }));
}

TEST_F(MatrixCharts, OkrStatusCarriesTheKeyResultChart) {
    auto bot = start(temp_db("okr"), "2026-11-20T09:00:00Z");
    const std::string dm = hs.create_room(maria, {});
    hs.invite(dm, maria, bot_id, true);
    ASSERT_TRUE(bot->run_until([&] { return hs.joined_rooms(bot_id).count(dm) > 0; }));
    auto say = [&](const std::string& text, std::size_t notices) {
        hs.post(dm, maria, text);
        EXPECT_TRUE(bot->run_until([&] { return bot_events(dm, "m.notice").size() >= notices; })) << text;
    };
    say("!okr add \"Faster builds\"", 1);
    say("!okr kr add O1 \"Build time\" target=10 baseline=30 unit=min", 2);
    hs.post(dm, maria, "!okr status");
    ASSERT_TRUE(bot->run_until([&] { return !bot_events(dm, "m.image").empty(); }));
    const auto notices = bot_events(dm, "m.notice");
    EXPECT_NE(notices.back()["content"]["body"].get<std::string>().find("Build time"), std::string::npos);
    const auto images = bot_events(dm, "m.image");
    ASSERT_EQ(images.size(), 1u);
    expect_chart(images[0]);
    EXPECT_NE(images[0]["content"]["body"].get<std::string>().find("KR1.1"), std::string::npos);
}

TEST_F(MatrixCharts, ARestartAfterTheNoticeSendsOnlyTheChart) {
    const std::string path = temp_db("restart");
    {
        auto bot = start(path, "2026-11-20T09:00:00Z");
        // The image event's send fails until the bot is gone: the notice is out, the chart is not.
        hs.fail_next("PUT", "-i0", 1000, fake_homeserver::matrix_error(502, "M_UNKNOWN", "bad gateway"));
        bot->advance_to("2026-11-20T15:00:00Z");
        ASSERT_TRUE(bot->run_until([&] { return !bot_events(team_room, "m.notice").empty(); }));
        bot->run_for(200ms);
        EXPECT_TRUE(bot_events(team_room, "m.image").empty());
        EXPECT_EQ(bot->db->unsent_count(), 1);
    }
    hs.clear_faults();
    // Another process, another token: the row is read back from the room first.
    hs.revoke_tokens();
    token = hs.issue_token(bot_id, "OTHER");
    auto bot = start(path, "2026-11-20T15:01:00Z");
    bot->outbox->flush();
    ASSERT_TRUE(bot->run_until([&] { return !bot_events(team_room, "m.image").empty(); }));
    EXPECT_TRUE(bot->run_until([&] { return bot->db->unsent_count() == 0; }));
    EXPECT_EQ(bot_events(team_room, "m.image").size(), 1u);
    int digests = 0;
    for (const auto& n : bot_events(team_room, "m.notice"))
        digests += n["content"]["body"].get<std::string>().find("weekly digest") != std::string::npos;
    EXPECT_EQ(digests, 1) << "the notice is not sent again";
    expect_chart(bot_events(team_room, "m.image")[0]);
}
