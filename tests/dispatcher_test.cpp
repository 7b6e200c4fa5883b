#include <gtest/gtest.h>

#include "handlers/context.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;

namespace {
const char* const team = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
managers = ["maria"]
members = ["alice", "bob"]
)";

bool contains(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }
}  // namespace

TEST(Dispatcher, ADuplicateEventIsAppliedOnce) {
    test_bot bot(team, "2026-11-19T14:30:00Z");
    auto first = bot.say("alice", "/update", "", "evt-1");
    EXPECT_TRUE(first.applied);
    EXPECT_EQ(first.outbox_ids.size(), 1u);
    auto again = bot.say("alice", "/update", "", "evt-1");
    EXPECT_TRUE(again.duplicate);
    EXPECT_TRUE(again.outbox_ids.empty());
    bot.sent();
    bot.say("alice", "Ship the parser", "", "evt-2");
    bot.say("alice", "Ship the parser", "", "evt-2");  // redelivered: not a second answer
    bot.say("alice", "Parser merged", "", "evt-3");
    auto row = bot.db->find_update("alice", "2026-W47");
    ASSERT_TRUE(row);
    EXPECT_EQ(row->text_at(0), "Ship the parser");
    EXPECT_EQ(row->text_at(1), "Parser merged");
    EXPECT_EQ(row->step, 2);
}

TEST(Dispatcher, AnAnswerThatChangedNothingLeavesNoDedupeKeyAndOneThatDidDoes) {
    test_bot bot(team, "2026-11-19T14:30:00Z");
    // As a Slack slash command: the answer rides in the ack, not the outbox.
    auto ask = [&](const std::string& text, const std::string& key) {
        incoming in;
        in.platform = "console";
        in.user = "alice";
        in.text = text;
        in.dedupe_key = key;
        return bot.dispatch->handle(in, {}, [](handler_context& ctx) {
            std::string all;
            for (const auto& item : ctx.held()) all += item.body.plain_text();
            ctx.drop_held();
            return all;
        });
    };
    const auto help = ask("/ritual help", "s-help");
    EXPECT_TRUE(help.applied);
    EXPECT_TRUE(contains(help.ack_answer, "/update")) << help.ack_answer;
    EXPECT_FALSE(bot.db->event_seen("s-help"));  // a read: a redelivery is answered afresh
    EXPECT_TRUE(contains(ask("/ritual help", "s-help").ack_answer, "/update"));

    const auto skip = ask("/update skip on holiday", "s-skip");
    EXPECT_TRUE(skip.applied);
    EXPECT_TRUE(bot.db->event_seen("s-skip"));  // a write: remembered with its answer
    const auto again = ask("/update skip on holiday", "s-skip");
    EXPECT_TRUE(again.duplicate);
    EXPECT_EQ(again.ack_answer, skip.ack_answer);
}

TEST(Dispatcher, UnknownCommandGetsTheListOfCommands) {
    test_bot bot(team, "2026-11-19T14:30:00Z");
    bot.say("alice", "/frobnicate now");
    auto text = bot.last_text_to("@alice");
    EXPECT_TRUE(contains(text, "I don't know the command /frobnicate")) << text;
    EXPECT_TRUE(contains(text, "The commands are /update, /ritual, /okr, /dep, /eowd and /learn;")) << text;
    EXPECT_TRUE(contains(text, "/ritual help"));
}

TEST(Dispatcher, MalformedSubcommandsGetTheirUsage) {
    test_bot bot(team, "2026-11-19T14:30:00Z");
    bot.say("alice", "/update frobnicate");
    EXPECT_TRUE(contains(bot.last_text_to("@alice"), "Usage:"));
    bot.say("alice", "/ritual digest");
    EXPECT_TRUE(contains(bot.last_text_to("@alice"), "Usage: /ritual"));
    bot.say("alice", "/update edit now please");  // names no question: the team's questions are listed
    EXPECT_TRUE(contains(bot.last_text_to("@alice"), "no question \u201Cnow please\u201D. Its questions are: 1 Goal"));
    bot.say("alice", "/update skip \"unclosed");
    EXPECT_TRUE(contains(bot.last_text_to("@alice"), "could not read that command"));
}

TEST(Dispatcher, ChannelChatterGetsAHintNotSilence) {
    test_bot bot(team, "2026-11-19T14:30:00Z");
    bot.say("alice", "hello bot", "#alpha");
    auto msgs = bot.sent();
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].to.kind, destination_kind::private_reply);
    EXPECT_TRUE(contains(msgs[0].text, "only understand commands"));
}

TEST(Dispatcher, StrangersAreToldHowToJoin) {
    test_bot bot(team, "2026-11-19T14:30:00Z");
    bot.say("mallory", "hi");
    EXPECT_TRUE(contains(bot.last_text_to("@mallory"), "not in any ritualbot team"));
    bot.say("mallory", "/update");
    EXPECT_TRUE(contains(bot.last_text_to("@mallory"), "not in any ritualbot team"));
}

TEST(Dispatcher, HugeAnswerIsRefusedAndNotStored) {
    test_bot bot(team, "2026-11-19T14:30:00Z");
    bot.say("alice", "/update");
    bot.sent();
    bot.say("alice", std::string(5000, 'x'));
    EXPECT_TRUE(contains(bot.last_text_to("@alice"), "please keep it under 4000"));
    EXPECT_EQ(bot.db->find_update("alice", "2026-W47")->text_at(0), "");
}

TEST(Dispatcher, AFailingHandlerRollsBackAndSaysSo) {
    test_bot bot(team, "2026-11-19T14:30:00Z");
    // Make every write of an update fail, as a full disk or a bug would.
    bot.db->database().exec(
        "CREATE TRIGGER fail_updates BEFORE INSERT ON weekly_updates BEGIN SELECT RAISE(ABORT, 'disk on fire'); END");
    auto r = bot.say("alice", "/update", "", "evt-9");
    EXPECT_FALSE(r.applied);
    EXPECT_TRUE(contains(bot.last_text_to("@alice"), "something went wrong"));
    EXPECT_FALSE(bot.db->event_seen("evt-9"));  // so a redelivery can try again
    EXPECT_FALSE(bot.db->find_update("alice", "2026-W47"));
}

TEST(Dispatcher, InvalidUtf8IsAnsweredNotAFailure) {
    test_bot bot(team, "2026-11-19T14:30:00Z");
    // A command word of broken bytes, and one cut by the 40-character clip inside "é".
    bot.say("alice", "/fr\xff\xfeob");
    auto text = bot.last_text_to("@alice");
    EXPECT_TRUE(contains(text, "I don't know the command")) << text;
    bot.say("alice", "/" + std::string(39, 'a') + "\xc3\xa9" + "tail");
    text = bot.last_text_to("@alice");
    EXPECT_TRUE(contains(text, "I don't know the command /" + std::string(39, 'a') + "\xc3\xa9.")) << text;
}

TEST(Dispatcher, AMessageOverSlacksLimitIsRefusedBeforeItIsRead) {
    test_bot bot(team, "2026-11-19T14:30:00Z");
    std::string words = "/okr";
    for (int i = 0; i < 30000; ++i) words += " a";  // 60,004 characters
    bot.say("alice", words);
    auto text = bot.last_text_to("@alice");
    EXPECT_TRUE(contains(text, "That message is 60004 characters long; I read at most 40000.")) << text;
    bot.say("alice", "/update");
    bot.say("alice", std::string(50000, 'x'));  // as an answer: not stored either
    EXPECT_TRUE(contains(bot.last_text_to("@alice"), "I read at most 40000")) << bot.last_text_to("@alice");
    auto row = bot.db->find_update("alice", "2026-W47");
    ASSERT_TRUE(row);
    EXPECT_EQ(row->text_at(0), "");
}

TEST(Dispatcher, ASlashAnswerToAPendingQuestionIsTheAnswer) {
    test_bot bot(team, "2026-11-19T14:30:00Z");
    bot.say("alice", "/update");
    bot.say("alice", "Search");
    bot.sent();
    bot.say("alice", "/v2/search endpoint shipped");
    auto text = bot.last_text_to("@alice");
    EXPECT_TRUE(contains(text, "\u201C/v2/search\u201D is not one of my commands, so I took your message as the answer"))
        << text;
    EXPECT_TRUE(contains(text, "Question 3 of 4")) << text;
    EXPECT_EQ(bot.db->find_update("alice", "2026-W47")->text_at(1), "/v2/search endpoint shipped");
    // A known command still runs.
    bot.say("alice", "/update help");
    EXPECT_TRUE(contains(bot.last_text_to("@alice"), "Usage:"));
    // A bare "/", "!" or "//" is neither: nothing is saved.
    for (const char* bare : {"/", "!", "//"}) {
        bot.say("alice", bare);
        text = bot.last_text_to("@alice");
        EXPECT_TRUE(contains(text, "is neither a command nor an answer, so nothing was saved")) << text;
    }
    EXPECT_EQ(bot.db->find_update("alice", "2026-W47")->text_at(2), "");
}

TEST(Dispatcher, AnUnknownCommandIsNamedAsTyped) {
    test_bot bot(team, "2026-11-19T14:30:00Z");
    bot.say("alice", "!important: the build is red");
    auto text = bot.last_text_to("@alice");
    EXPECT_TRUE(contains(text, "I don't know the command !important. The commands")) << text;
}
