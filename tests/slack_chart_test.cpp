// Charts in Slack, against the fake Slack: the digest and /okr status carry a
// chart uploaded the external way (files.getUploadURLExternal, the bytes,
// files.completeUploadExternal without a channel) and shown by an image
// block in the one chat.postMessage / postEphemeral, the text still there.
#include <gtest/gtest.h>

#include "bot/chart_png.hpp"
#include "handlers/svg_chart.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/slack_test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

const char* const config_toml = R"(
[[teams]]
name = "alpha"
platform = "slack"
channel = "C0ALPHA"
timezone = "Europe/Berlin"
managers = ["UMGR"]
)";

// The image blocks of a posted message.
std::vector<json> images_of(const json& message_args) {
    std::vector<json> out;
    if (message_args.contains("blocks") && message_args["blocks"].is_array())
        for (const auto& b : message_args["blocks"])
            if (b.value("type", "") == "image") out.push_back(b);
    return out;
}

struct SlackCharts : ::testing::Test {
    fake_slack slack{[] {
        fake_slack_options o;
        o.redeliver_after = 300ms;
        return o;
    }()};
    std::unique_ptr<slack_test_bot> bot;

    void start(const std::string& at_iso = "2026-11-20T09:00:00Z") {
        slack.add_user("UALICE", "Europe/Berlin");
        slack.add_user("UBOB", "America/New_York");
        slack.add_user("UMGR", "Europe/Berlin");
        slack.add_user("UBOT", "UTC", true);
        slack.set_channel_members("C0ALPHA", {"UBOT", "UALICE", "UBOB", "UMGR"});
        bot = std::make_unique<slack_test_bot>(config_toml, at_iso, slack);
        ASSERT_TRUE(bot->start());
    }

    // The digests Slack took (refused posts left out).
    std::vector<json> digests() {
        std::vector<json> out;
        for (const auto& c : slack.calls("chat.postMessage"))
            if (c.ok && c.args.value("channel", "") == "C0ALPHA" &&
                fake_slack::text_of(c.args).find("weekly digest") != std::string::npos)
                out.push_back(c.args);
        return out;
    }
    std::optional<json> digest() {
        auto d = digests();
        if (d.empty()) return std::nullopt;
        return d.front();
    }

    // The file an image block names: completed, private, a PNG of twice the chart's size.
    void expect_uploaded_chart(const json& image) {
        ASSERT_TRUE(image.contains("slack_file")) << image.dump();
        const std::string id = image["slack_file"].value("id", "");
        auto file = slack.upload_of(id);
        ASSERT_TRUE(file) << "no upload " << id;
        EXPECT_TRUE(file->completed);
        EXPECT_EQ(file->shared_to, "") << "completed without channel_id: shared nowhere on its own";
        EXPECT_EQ(file->bytes.size(), file->length);
        auto size = png_size(file->bytes);
        ASSERT_TRUE(size) << "not a PNG";
        EXPECT_EQ(size->first, 2 * chart_width);
        EXPECT_EQ(size->second, 2 * chart_height);
        EXPECT_FALSE(image.value("alt_text", "").empty());
    }
};

}  // namespace

TEST_F(SlackCharts, TheDigestCarriesTheParticipationChart) {
    start();
    bot->advance_to("2026-11-20T15:00:30Z");  // Friday 16:00 Berlin
    ASSERT_TRUE(bot->run_until([&] { return digest().has_value(); }));
    const json d = *digest();
    const std::string text = fake_slack::text_of(d);
    EXPECT_NE(text.find("Participation: 0 of 3 answered"), std::string::npos) << text;
    EXPECT_NE(text.find("Risks raised"), std::string::npos) << text;
    const auto images = images_of(d);
    ASSERT_EQ(images.size(), 1u) << d.dump();
    expect_uploaded_chart(images[0]);
    const std::string alt = images[0]["alt_text"].get<std::string>();
    EXPECT_NE(alt.find("Participation, last 12 weeks"), std::string::npos) << alt;
    EXPECT_NE(alt.find("2026-W47: 0 of 3"), std::string::npos) << alt;
    // One upload, then the post; the post is the only message with the chart.
    EXPECT_EQ(slack.uploads().size(), 1u);
    EXPECT_EQ(slack.calls("files.getUploadURLExternal").size(), 1u);
    EXPECT_EQ(slack.calls("files.completeUploadExternal").size(), 1u);
    EXPECT_FALSE(slack.calls("files.completeUploadExternal")[0].args.contains("channel_id"));
    EXPECT_TRUE(bot->run_until([&] { return bot->unsent() == 0; }));
}

TEST_F(SlackCharts, OkrStatusAnswersInTheAckAndTheChartFollowsPrivately) {
    start();
    auto ack_text = [&](const std::string& env) {
        EXPECT_TRUE(bot->run_until([&] { return slack.ack_of(env).has_value(); }));
        auto a = slack.ack_of(env);
        return a ? a->frame.dump() : std::string();
    };
    EXPECT_NE(ack_text(slack.send_slash("UMGR", "C0ALPHA", "/okr", "add \"Faster builds\"")).find("Added O1"),
              std::string::npos);
    EXPECT_NE(ack_text(slack.send_slash("UMGR", "C0ALPHA", "/okr",
                                        "kr add O1 \"Build time\" target=10 baseline=30 unit=min"))
                  .find("KR1.1"),
              std::string::npos);
    const auto env = slack.send_slash("UMGR", "C0ALPHA", "/okr", "status");
    const std::string answer = ack_text(env);
    EXPECT_NE(answer.find("Build time"), std::string::npos) << answer;
    EXPECT_EQ(answer.find("\"image\""), std::string::npos) << "an ack carries no image";
    // The chart: an ephemeral message to the asker, after the ack.
    ASSERT_TRUE(bot->run_until([&] { return !slack.calls("chat.postEphemeral").empty(); }));
    const auto call = slack.calls("chat.postEphemeral").back();
    EXPECT_EQ(call.args["user"], "UMGR");
    EXPECT_EQ(call.args["channel"], "C0ALPHA");
    const auto images = images_of(call.args);
    ASSERT_EQ(images.size(), 1u) << call.args.dump();
    expect_uploaded_chart(images[0]);
    EXPECT_NE(images[0]["alt_text"].get<std::string>().find("KR1.1 0% (expected"), std::string::npos)
        << images[0]["alt_text"];
    EXPECT_TRUE(bot->run_until([&] { return bot->unsent() == 0; }));
}

TEST_F(SlackCharts, AFileSlackIsStillProcessingIsPostedOnARetryWithoutUploadingAgain) {
    start();
    slack.refuse_new_files(1);  // the first post naming it: invalid_blocks
    bot->advance_to("2026-11-20T15:00:30Z");
    ASSERT_TRUE(bot->run_until([&] { return slack.calls("chat.postMessage").size() >= 1; }));
    bot->run_for(100ms);
    ASSERT_FALSE(digest().has_value());
    EXPECT_EQ(bot->unsent(), 1);
    bot->clk.advance(3s);  // the row's short wait has passed
    bot->flush();
    ASSERT_TRUE(bot->run_until([&] { return digest().has_value(); }));
    ASSERT_EQ(images_of(*digest()).size(), 1u);
    expect_uploaded_chart(images_of(*digest())[0]);
    EXPECT_EQ(slack.uploads().size(), 1u);
    EXPECT_EQ(digests().size(), 1u) << "posted once";
    EXPECT_EQ(slack.calls("chat.postMessage").size(), 2u) << "refused once, then taken";
}

TEST_F(SlackCharts, WithoutTheUploadScopeTheDigestGoesWithTheAltText) {
    start();
    slack.fail_next_with("files.getUploadURLExternal", 1, "missing_scope");
    bot->advance_to("2026-11-20T15:00:30Z");
    ASSERT_TRUE(bot->run_until([&] { return digest().has_value(); }));
    const json d = *digest();
    EXPECT_TRUE(images_of(d).empty());
    const std::string text = fake_slack::text_of(d);
    EXPECT_NE(text.find("[chart] Participation, last 12 weeks"), std::string::npos) << text;
    EXPECT_NE(text.find("Participation: 0 of 3 answered"), std::string::npos) << text;
    EXPECT_TRUE(bot->run_until([&] { return bot->unsent() == 0; }));
}
