// The image block of the platform-neutral message: kept in the outbox as
// JSON (old rows and unknown kinds still read), printed as its alt text,
// rendered as a Slack image block waiting for its file, left out of the
// Matrix notice; and held slash-command answers keep their charts apart.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bot/matrix/matrix_html.hpp"
#include "bot/slack/block_kit.hpp"
#include "handlers/context.hpp"
#include "storage/message.hpp"
#include "storage/store.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using json = nlohmann::json;

namespace {

const std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"260\"></svg>";

message digest_like() {
    message m;
    m.header("alpha \u2014 weekly digest").section("Participation: 2 of 3 answered.");
    m.image("Participation, last 12 weeks (alpha). 2026-W47: 2 of 3.", svg);
    m.section("Risks raised");
    return m;
}

}  // namespace

TEST(MessageImage, RoundTripsThroughTheOutboxJson) {
    const message m = digest_like();
    const json j = m;
    EXPECT_EQ(j[2]["kind"], "image");
    EXPECT_EQ(j[2]["svg"], svg);
    const message back = j.get<message>();
    ASSERT_EQ(back.blocks().size(), 4u);
    EXPECT_EQ(back.blocks()[2].kind, block_kind::image);
    EXPECT_EQ(back.blocks()[2].text, "Participation, last 12 weeks (alpha). 2026-W47: 2 of 3.");
    EXPECT_EQ(back.blocks()[2].svg, svg);
    EXPECT_EQ(json(back), j);
}

TEST(MessageImage, RowsFromBeforeImagesAndUnknownKindsStillRead) {
    // A row written before the image kind existed.
    const json old = json::parse(R"([{"kind":"header","text":"Digest"},{"kind":"section","text":"Hi"}])");
    const message m = old.get<message>();
    EXPECT_EQ(m.plain_text(), "Digest\nHi");
    EXPECT_FALSE(m.has_images());
    // A kind of a newer build: skipped, the rest goes out.
    const json newer = json::parse(R"([{"kind":"section","text":"Hi"},{"kind":"video","url":"x"},{"kind":"context","text":"end"}])");
    message n;
    ASSERT_NO_THROW(n = newer.get<message>());
    EXPECT_EQ(n.plain_text(), "Hi\nend");
    EXPECT_EQ(json(n).size(), 2u);
    EXPECT_FALSE(matrix::render_notice(n).formatted_body.empty());
    EXPECT_EQ(slack::render(n).at(0).blocks.size(), 2u);
}

TEST(MessageImage, PlainTextShowsTheAltText) {
    const message m = digest_like();
    EXPECT_NE(m.plain_text().find("[chart] Participation, last 12 weeks (alpha). 2026-W47: 2 of 3."),
              std::string::npos)
        << m.plain_text();
    EXPECT_TRUE(m.has_images());
    EXPECT_EQ(m.without_images().blocks().size(), 3u);
    EXPECT_EQ(m.only_images().blocks().size(), 1u);
}

TEST(MessageImage, SlackRendersAnImageBlockWaitingForItsFile) {
    auto parts = slack::render(digest_like());
    ASSERT_EQ(parts.size(), 1u);
    ASSERT_EQ(parts[0].images.size(), 1u);
    const json& block = parts[0].blocks[parts[0].images[0].block];
    EXPECT_EQ(block["type"], "image");
    EXPECT_EQ(block["slack_file"]["id"], "");
    EXPECT_EQ(block["alt_text"], "Participation, last 12 weeks (alpha). 2026-W47: 2 of 3.");
    EXPECT_EQ(parts[0].images[0].svg, svg);
    EXPECT_EQ(parts[0].blocks[0]["type"], "header");
    EXPECT_EQ(slack::image_block("F1", "a").dump(), R"({"alt_text":"a","slack_file":{"id":"F1"},"type":"image"})");
    EXPECT_EQ(slack::image_stand_in("x < y")["type"], "context");
    EXPECT_NE(slack::image_stand_in("x < y").dump().find("[chart] x &lt; y"), std::string::npos);
}

TEST(MessageImage, MatrixNoticeLeavesTheChartToItsOwnEvent) {
    const auto n = matrix::render_notice(digest_like());
    EXPECT_EQ(n.body.find("[chart]"), std::string::npos) << n.body;
    EXPECT_NE(n.body.find("Risks raised"), std::string::npos);
    EXPECT_EQ(n.formatted_body.find("svg"), std::string::npos);
}

TEST(MessageImage, AHeldAnswerKeepsItsChartApartForTheOutbox) {
    const config cfg = ritualbot::testing::must_load(R"(
[[teams]]
name = "alpha"
platform = "slack"
channel = "C0ALPHA"
timezone = "UTC"
members = ["UALICE"]
)");
    store db(":memory:");
    manual_clock clk(ritualbot::testing::at("2026-11-19T09:00:00Z"));
    auto tx = db.begin();
    handler_context ctx(cfg, db, clk);
    incoming in;
    in.platform = "slack";
    in.user = "UALICE";
    in.channel = "C0ALPHA";
    ctx.hold_messages_to("UALICE");
    ctx.reply(in, digest_like());
    // The ack may carry the text; the chart waits.
    ASSERT_EQ(ctx.held().size(), 1u);
    EXPECT_FALSE(ctx.held()[0].body.has_images());
    EXPECT_EQ(ctx.held()[0].body.blocks().size(), 3u);
    EXPECT_TRUE(ctx.enqueued().empty());
    ctx.drop_held();  // the ack carries the text
    ctx.release_held();
    // The chart alone goes to the outbox, privately to the asker.
    ASSERT_EQ(ctx.enqueued().size(), 1u);
    const auto rows = db.unsent("slack", 10, clk.now());
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].item.to.kind, destination_kind::private_reply);
    EXPECT_EQ(rows[0].item.to.user, "UALICE");
    ASSERT_EQ(rows[0].item.body.blocks().size(), 1u);
    EXPECT_EQ(rows[0].item.body.blocks()[0].kind, block_kind::image);
}
