#include <gtest/gtest.h>

#include "handlers/context.hpp"
#include "handlers/eowd.hpp"
#include "storage/eowd_store.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;

namespace {

// Week 2026-W47: Mon 16 Nov .. Sun 22 Nov; Berlin is UTC+1. Sign-ups open
// Mon 09:00Z, close Fri 11:00Z, the EOWD is at Fri 14:00Z, the digest 15:00Z.
const std::string team_alpha = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
managers = ["maria"]
members = ["alice", "bob", "carol", "dave"]

[[members]]
id = "bob"
timezone = "America/New_York"
)";

const std::string two_slots = R"(
[rituals.eowd]
enabled = true
slots = 2
)";

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

std::vector<std::string> texts(const std::vector<sent_message>& msgs) {
    std::vector<std::string> out;
    for (const auto& m : msgs) out.push_back(m.text);
    return out;
}

struct eowd_bot : test_bot {
    explicit eowd_bot(const std::string& rituals = two_slots, const std::string& start = "2026-11-16T09:30:00Z")
        : test_bot(team_alpha + rituals, start) {}

    std::string reply(const std::string& user, const std::string& text, const std::string& channel = "") {
        say(user, text, channel);
        return last_text_to("@" + user);
    }
};

}  // namespace

TEST(EowdSlots, FirstSignUpsPresentTheRestWaitInOrder) {
    std::vector<eowd_signup_row> rows(4);
    for (int i = 0; i < 4; ++i) rows[i].member = std::string(1, static_cast<char>('a' + i));
    auto lineup = split_lineup(rows, 3);
    ASSERT_EQ(lineup.presenters.size(), 3u);
    ASSERT_EQ(lineup.waitlist.size(), 1u);
    EXPECT_EQ(lineup.presenters[2].member, "c");
    EXPECT_EQ(lineup.waitlist[0].member, "d");
    EXPECT_TRUE(split_lineup({}, 6).presenters.empty());
}

TEST(EowdSignup, IsStoredAndTheAgendaIsPostedAtClose) {
    eowd_bot bot;
    std::string r = bot.reply("alice", "/eowd signup Ranking notebook -- is the offline evaluation sound?");
    EXPECT_TRUE(has(r, "You're on the agenda: slot 1 at Fri 20 Nov 15:00 CET at the alpha EOWD")) << r;
    EXPECT_TRUE(has(r, "Input wanted: is the offline evaluation sound?")) << r;

    eowd_store store(*bot.db);
    auto row = store.find_signup("alpha", "2026-W47", "alice");
    ASSERT_TRUE(row);
    EXPECT_EQ(row->topic, "Ranking notebook");
    EXPECT_EQ(row->input_wanted, "is the offline evaluation sound?");

    bot.advance_to("2026-11-20T10:59:59Z");
    EXPECT_TRUE(bot.sent_to("#alpha").empty());
    bot.advance_to("2026-11-20T11:00:00Z");  // Fri 12:00 Berlin
    auto posts = bot.sent_to("#alpha");
    ASSERT_EQ(posts.size(), 1u);
    EXPECT_TRUE(has(posts[0].text, "End of Week Debrief \u2014 alpha, Fri 20 Nov 15:00 CET")) << posts[0].text;
    EXPECT_TRUE(has(posts[0].text, "15:00 alice: Ranking notebook. Input wanted: is the offline evaluation sound?"))
        << posts[0].text;
}

TEST(EowdSignup, TheInvitationHasASignUpButtonAndTellsTheConsoleCommand) {
    eowd_bot bot(two_slots, "2026-11-16T08:00:00Z");
    bot.advance_to("2026-11-16T08:59:59Z");
    EXPECT_TRUE(bot.sent_to("#alpha").empty());
    bot.advance_to("2026-11-16T09:00:00Z");  // Mon 10:00 Berlin
    auto posts = bot.sent_to("#alpha");
    ASSERT_EQ(posts.size(), 1u);
    EXPECT_TRUE(has(posts[0].text, "sign-ups are open")) << posts[0].text;
    EXPECT_TRUE(has(posts[0].text, "The alpha EOWD is on Fri 20 Nov 15:00 CET: 2 slots of 10 minutes")) << posts[0].text;
    EXPECT_TRUE(has(posts[0].text, "/eowd signup <topic> -- <input wanted>")) << posts[0].text;
    EXPECT_TRUE(has(posts[0].text, "Sign-ups close Fri 20 Nov 12:00 CET")) << posts[0].text;
    bool button = false;
    for (const auto& b : posts[0].body.blocks())
        for (const auto& btn : b.buttons) button |= btn.action_id == "eowd.signup" && btn.label == "Sign up";
    EXPECT_TRUE(button);
}

TEST(EowdSignup, AFullEowdPutsPeopleOnTheWaitlistAndAWithdrawalPromotesTheFirst) {
    eowd_bot bot;
    bot.say("alice", "/eowd signup Topic A");
    bot.say("bob", "/eowd signup Topic B -- naming ideas");
    std::string r = bot.reply("carol", "/eowd signup Topic C");
    EXPECT_TRUE(has(r, "All 2 slots of the alpha EOWD are taken: you are number 1 on the waitlist")) << r;
    r = bot.reply("dave", "/eowd signup Topic D");
    EXPECT_TRUE(has(r, "number 2 on the waitlist")) << r;
    bot.sent();

    bot.say("alice", "/eowd withdraw");
    auto msgs = bot.sent();
    ASSERT_EQ(msgs.size(), 3u) << ::testing::PrintToString(texts(msgs));
    EXPECT_EQ(msgs[0].where(), "@alice");
    EXPECT_TRUE(has(msgs[0].text, "You withdrew")) << msgs[0].text;
    EXPECT_EQ(msgs[1].where(), "@bob");  // moved up from slot 2 to slot 1: told the new time, in his zone
    EXPECT_TRUE(has(msgs[1].text, "you move up: you present slot 1 at Fri 20 Nov 09:00 EST, \u201CTopic B\u201D"))
        << msgs[1].text;
    EXPECT_EQ(msgs[2].where(), "@carol");  // the first on the waitlist is told
    EXPECT_TRUE(has(msgs[2].text, "A slot freed up at the alpha EOWD: you present, slot 2 at Fri 20 Nov 15:10 CET"))
        << msgs[2].text;
    EXPECT_TRUE(has(msgs[2].text, "Topic C")) << msgs[2].text;

    r = bot.reply("maria", "/eowd list");
    EXPECT_TRUE(has(r, "15:00 bob: Topic B. Input wanted: naming ideas")) << r;
    EXPECT_TRUE(has(r, "15:10 carol: Topic C")) << r;
    EXPECT_TRUE(has(r, "1. dave: Topic D")) << r;

    // Signing up again after withdrawing goes to the end of the queue.
    bot.say("alice", "/eowd signup Topic A again");
    r = bot.last_text_to("@alice");
    EXPECT_TRUE(has(r, "number 2 on the waitlist")) << r;
}

TEST(EowdSignup, WithdrawingFromTheWaitlistPromotesNobody) {
    eowd_bot bot;
    bot.say("alice", "/eowd signup A");
    bot.say("bob", "/eowd signup B");
    bot.say("carol", "/eowd signup C");
    bot.sent();
    std::string r = bot.reply("carol", "/eowd withdraw");
    EXPECT_TRUE(has(r, "You are off the waitlist")) << r;
    EXPECT_TRUE(bot.sent().empty());
    r = bot.reply("carol", "/eowd withdraw");
    EXPECT_TRUE(has(r, "You are not signed up")) << r;
}

TEST(EowdSignup, SigningUpTwiceUpdatesTheTopicAndKeepsTheSlot) {
    eowd_bot bot;
    bot.say("alice", "/eowd signup First idea");
    bot.say("bob", "/eowd signup B");
    std::string r = bot.reply("alice", "/eowd signup Better idea -- a second pair of eyes");
    EXPECT_TRUE(has(r, "Updated: slot 1 at Fri 20 Nov 15:00 CET")) << r;
    eowd_store store(*bot.db);
    auto all = store.signups("alpha", "2026-W47");
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].member, "alice");
    EXPECT_EQ(all[0].topic, "Better idea");
    EXPECT_EQ(all[0].input_wanted, "a second pair of eyes");
}

TEST(EowdSignup, TimesAreShownInTheAskersZone) {
    eowd_bot bot;
    std::string r = bot.reply("bob", "/eowd signup Parser");
    EXPECT_TRUE(has(r, "slot 1 at Fri 20 Nov 09:00 EST")) << r;  // 15:00 Berlin
    EXPECT_TRUE(has(r, "Tip: say what input you want")) << r;
}

TEST(EowdSignup, MalformedCommandsGetUsage) {
    eowd_bot bot;
    std::string r = bot.reply("alice", "/eowd signup");
    EXPECT_TRUE(has(r, "Tell me what you will present")) << r;
    r = bot.reply("alice", "/eowd signup    -- feedback please");
    EXPECT_TRUE(has(r, "Tell me what you will present")) << r;
    r = bot.reply("alice", "/eowd frobnicate");
    EXPECT_TRUE(has(r, "I don't understand /eowd frobnicate")) << r;
    EXPECT_TRUE(has(r, "Usage:")) << r;
    r = bot.reply("alice", "/eowd list everything");
    EXPECT_TRUE(has(r, "takes no arguments")) << r;
    r = bot.reply("alice", "/eowd signup " + std::string(300, 'x'));
    EXPECT_TRUE(has(r, "too long")) << r;
    r = bot.reply("alice", "/eowd");
    EXPECT_TRUE(has(r, "End of Week Debrief")) << r;
    r = bot.reply("nobody", "/eowd signup Hello");
    EXPECT_TRUE(has(r, "not in any ritualbot team")) << r;
    eowd_store store(*bot.db);
    EXPECT_TRUE(store.signups("alpha", "2026-W47").empty());
}

TEST(EowdSignup, AnEmDashSeparatesTheInputLikeTwoHyphens) {
    eowd_bot bot;
    bot.say("alice", "/eowd signup Data set \u2014 is it biased?");
    eowd_store store(*bot.db);
    auto row = store.find_signup("alpha", "2026-W47", "alice");
    ASSERT_TRUE(row);
    EXPECT_EQ(row->topic, "Data set");
    EXPECT_EQ(row->input_wanted, "is it biased?");
}

TEST(EowdSignup, AKindCanBeGivenFirstOnTheCommandLine) {
    eowd_bot bot;
    std::string r = bot.reply("alice", "/eowd signup kind=Pull-Request Parser rewrite -- review the errors");
    EXPECT_TRUE(has(r, "You're on the agenda")) << r;
    eowd_store store(*bot.db);
    auto row = store.find_signup("alpha", "2026-W47", "alice");
    ASSERT_TRUE(row);
    EXPECT_EQ(row->kind, "pull request");
    EXPECT_EQ(row->topic, "Parser rewrite");
    EXPECT_EQ(row->input_wanted, "review the errors");
    r = bot.reply("bob", "/eowd signup kind=slides My talk");
    EXPECT_TRUE(has(r, "'slides' is not a kind of presentation; the kinds are notebook, pull-request")) << r;
    EXPECT_FALSE(store.find_signup("alpha", "2026-W47", "bob"));
    r = bot.reply("bob", "/eowd signup kind= My talk");
    EXPECT_TRUE(has(r, "not a kind of presentation")) << r;
    r = bot.reply("bob", "/eowd signup kind=data_set");
    EXPECT_TRUE(has(r, "Tell me what you will present")) << r;
    r = bot.reply("carol", "/eowd list");
    EXPECT_TRUE(has(r, "alice: Parser rewrite (pull request)")) << r;
}

TEST(EowdSignup, DisabledUnlessConfigured) {
    test_bot bot(team_alpha, "2026-11-16T09:30:00Z");
    bot.say("alice", "/eowd signup Topic");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "has no End of Week Debrief")) << bot.last_text_to("@alice");
    bot.advance_to("2026-11-21T00:00:00Z");
    for (const auto& m : bot.sent_to("#alpha")) EXPECT_FALSE(has(m.text, "EOWD")) << m.text;
}

TEST(EowdSignup, AFormSubmissionWithAKindEndsInTheSamePlace) {
    eowd_bot bot;
    incoming in{"console", "alice", "#alpha", "", ""};
    {
        auto tx = bot.db->begin();
        handler_context ctx(bot.cfg, *bot.db, bot.clk);
        eowd_sign_up(ctx, in, "Eval notebook", "which metric?", "notebook");
        eowd_sign_up(ctx, in, "Eval notebook", "", "slides");  // not a kind: refused
        tx->commit();
    }
    auto msgs = bot.sent();
    ASSERT_EQ(msgs.size(), 2u);
    EXPECT_TRUE(has(msgs[0].text, "You're on the agenda")) << msgs[0].text;
    EXPECT_TRUE(has(msgs[1].text, "'slides' is not a kind of presentation")) << msgs[1].text;
    std::string r = bot.reply("bob", "/eowd list");
    EXPECT_TRUE(has(r, "15:00 alice: Eval notebook (notebook). Input wanted: which metric?")) << r;
}

TEST(EowdSignup, HostileTextNeverBreaksAReply) {
    eowd_bot bot;
    std::string accents;
    for (int i = 0; i < 150; ++i) accents += "\u00e9";  // 150 characters, 300 bytes
    std::string r = bot.reply("alice", "/eowd signup " + accents);
    EXPECT_TRUE(has(r, "You're on the agenda")) << r;  // the limit counts characters
    r = bot.reply("alice", "/eowd " + std::string(59, 'a') + accents);
    EXPECT_TRUE(has(r, "I don't understand /eowd")) << r;  // clipped between characters, not inside one
    r = bot.reply("alice", "/learn " + std::string(59, 'a') + accents);
    EXPECT_TRUE(has(r, "I don't understand /learn")) << r;
    r = bot.reply("alice", "/eowd signup line one\nline two\t-- \"why?\"");
    EXPECT_TRUE(has(r, "Updated: slot 1")) << r;
    eowd_store store(*bot.db);
    auto row = store.find_signup("alpha", "2026-W47", "alice");
    ASSERT_TRUE(row);
    EXPECT_EQ(row->topic, "line one line two");
    EXPECT_EQ(row->input_wanted, "why?");
    r = bot.reply("alice", "/eowd signup " + std::string(30000, 'x'));
    EXPECT_TRUE(has(r, "too long")) << r;
    r = bot.reply("alice", "/eowd signup " + std::string(100000, 'x'));  // over any message: not even read
    EXPECT_TRUE(has(r, "I read at most 40000")) << r;
}
