#include <gtest/gtest.h>

#include "bot/slack/block_kit.hpp"

using namespace ritualbot;
using namespace ritualbot::slack;

TEST(SlackBlockKit, EscapesUserTextSoNothingBecomesAMentionOrLink) {
    message m;
    m.header("Week <1> & more");
    m.section("Risk: <!channel> see <https://evil.example|your bank> & stuff");
    m.list({"<@U123> did it"});
    auto out = render(m);
    ASSERT_EQ(out.size(), 1u);
    const std::string dumped = out[0].blocks.dump();
    EXPECT_EQ(dumped.find("<!channel>"), std::string::npos);
    EXPECT_EQ(dumped.find("<https://"), std::string::npos);
    EXPECT_EQ(dumped.find("<@U123>"), std::string::npos);
    EXPECT_NE(dumped.find("&lt;!channel&gt;"), std::string::npos);
    EXPECT_NE(dumped.find("&amp; stuff"), std::string::npos);
    EXPECT_EQ(out[0].text.find("<!channel>"), std::string::npos);
    // The header is plain_text, which Slack does not parse: shown as typed.
    EXPECT_EQ(out[0].blocks[0]["type"], "header");
    EXPECT_EQ(out[0].blocks[0]["text"]["type"], "plain_text");
    EXPECT_EQ(out[0].blocks[0]["text"]["text"], "Week <1> & more");
}

TEST(SlackBlockKit, RendersEveryBlockKind) {
    message m;
    m.header("Weekly update").section("Question 1 of 4").context("Answer here").divider();
    m.actions({{"update.start", "Write my update", "2026-W47"}, {"update.skip", "Skip this week", "2026-W47"}});
    m.table({{"KR", "progress"}, {"KR1.1", "40%"}});
    auto out = render(m);
    ASSERT_EQ(out.size(), 1u);
    const auto& b = out[0].blocks;
    ASSERT_EQ(b.size(), 6u);
    EXPECT_EQ(b[0]["type"], "header");
    EXPECT_EQ(b[1]["type"], "section");
    EXPECT_EQ(b[1]["text"]["type"], "mrkdwn");
    EXPECT_EQ(b[2]["type"], "context");
    EXPECT_EQ(b[3]["type"], "divider");
    EXPECT_EQ(b[4]["type"], "actions");
    EXPECT_EQ(b[4]["elements"][0]["action_id"], "update.start");
    EXPECT_EQ(b[4]["elements"][0]["value"], "2026-W47");
    EXPECT_EQ(b[4]["elements"][1]["text"]["text"], "Skip this week");
    EXPECT_EQ(b[5]["text"]["text"], "```\nKR     progress\nKR1.1  40%\n```");
    EXPECT_NE(out[0].text.find("Question 1 of 4"), std::string::npos);
}

TEST(SlackBlockKit, SplitsToSlackLimits) {
    message m;
    m.header(std::string(400, 'h'));
    for (int i = 0; i < 120; ++i) m.section("section " + std::to_string(i));
    m.section(std::string(7000, 'x'));
    auto out = render(m);
    ASSERT_GE(out.size(), 3u);
    std::size_t sections = 0;
    for (const auto& part : out) {
        EXPECT_LE(part.blocks.size(), max_blocks_per_message);
        EXPECT_LE(part.text.size(), max_fallback_chars + 3);
        std::size_t chars = 0;
        for (const auto& b : part.blocks) {
            if (b["type"] == "section") {
                ++sections;
                const auto n = b["text"]["text"].get<std::string>().size();
                EXPECT_LE(n, max_section_chars);
                chars += n;
            }
            if (b["type"] == "header") {
                EXPECT_LE(b["text"]["text"].get<std::string>().size(), max_header_chars);
            }
        }
        EXPECT_LE(chars, max_message_block_chars);
    }
    EXPECT_EQ(sections, 120u + 3u);  // 7000 characters make three sections
    EXPECT_EQ(out[0].blocks[1]["text"]["text"], "section 0");
}

TEST(SlackBlockKit, SplitNeverCutsAnEntityOrACharacter) {
    std::string text;
    for (int i = 0; i < 2000; ++i) text += "é&<";
    const std::string escaped = escape(text);
    for (const auto& part : split_text(escaped, 3000)) {
        EXPECT_LE(part.size(), 3000u);
        EXPECT_EQ(unescape(escape(unescape(part))), unescape(part));
        // No torn entity at either end.
        auto amp = part.rfind('&');
        if (amp != std::string::npos) {
            EXPECT_NE(part.find(';', amp), std::string::npos);
        }
        EXPECT_NE(static_cast<unsigned char>(part.front()) & 0xC0, 0x80);
    }
    std::string joined;
    for (const auto& part : split_text(escaped, 3000)) joined += part;
    EXPECT_EQ(unescape(joined), text);
}

TEST(SlackBlockKit, UnescapeReversesEscape) {
    EXPECT_EQ(escape("a & b < c > d \"e\""), "a &amp; b &lt; c &gt; d \"e\"");
    EXPECT_EQ(unescape("a &amp; b &lt; c &gt; d &amp;lt;"), "a & b < c > d &lt;");
}
