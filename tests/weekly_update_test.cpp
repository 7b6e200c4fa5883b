#include <gtest/gtest.h>

#include <array>

#include "handlers/text.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;

namespace {

const char* const two_zones = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
managers = ["maria"]
members = ["alice", "bob"]

[[members]]
id = "bob"
timezone = "America/New_York"
)";

}  // namespace

TEST(WeeklyUpdate, PromptComesAtEachMembersLocalTime) {
    test_bot bot(two_zones, "2026-11-16T08:00:00Z");
    bot.advance_to("2026-11-19T13:59:59Z");
    EXPECT_TRUE(bot.sent().empty());
    bot.advance_to("2026-11-19T14:00:00Z");  // Thu 15:00 in Berlin
    auto msgs = bot.sent();
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].where(), "@alice");
    EXPECT_NE(msgs[0].text.find("Question 1 of 4: What goal did I work toward?"), std::string::npos);
    bot.advance_to("2026-11-19T20:00:00Z");  // Thu 15:00 in New York
    EXPECT_EQ(bot.sent_to("@bob").size(), 1u);
}

namespace {
bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

void answer_all(test_bot& bot, const std::string& user, const std::array<std::string, 4>& answers) {
    for (const auto& a : answers) bot.say(user, a);
}
}  // namespace

TEST(WeeklyUpdate, FourQuestionsOneAtATimeThenAConfirmation) {
    test_bot bot(two_zones, "2026-11-16T08:00:00Z");
    bot.advance_to("2026-11-19T14:00:00Z");
    bot.sent();
    bot.say("alice", "Ship the parser");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Question 2 of 4: What changed because of my work?"));
    bot.say("alice", "Parser merged");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Question 3 of 4: What is at risk?"));
    bot.say("alice", "none");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Question 4 of 4: What will I focus on next?"));
    bot.say("alice", "Release 1.2");
    auto done = bot.last_text_to("@alice");
    EXPECT_TRUE(has(done, "complete")) << done;
    EXPECT_TRUE(has(done, "Fri 20 Nov 16:00 CET")) << done;
    auto row = bot.db->find_update("alice", "2026-W47");
    ASSERT_TRUE(row);
    EXPECT_EQ(row->status, update_status::done);
    EXPECT_EQ(row->text_at(3), "Release 1.2");
    bot.say("alice", "one more thing");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "/update edit"));
}

TEST(WeeklyUpdate, FirstPromptRecallsLastWeeksFocus) {
    test_bot bot(two_zones, "2026-11-16T08:00:00Z");
    bot.advance_to("2026-11-19T14:00:00Z");
    answer_all(bot, "alice", {"g", "c", "r", "Release 1.2"});
    bot.advance_to("2026-11-26T14:00:00Z");
    auto prompt = bot.sent_to("@alice").back().text;
    EXPECT_TRUE(has(prompt, "Last week you said you would focus on: \u201CRelease 1.2\u201D")) << prompt;
    EXPECT_TRUE(has(prompt, "week 2026-W48"));
}

TEST(WeeklyUpdate, OneReminderOnlyToThoseNotFinished) {
    test_bot bot(two_zones, "2026-11-16T08:00:00Z");
    bot.advance_to("2026-11-19T14:00:00Z");
    answer_all(bot, "alice", {"g", "c", "r", "f"});
    bot.advance_to("2026-11-20T14:00:00Z");  // past both reminders, before the digest
    auto alice = bot.sent_to("@alice");
    for (const auto& m : alice) EXPECT_FALSE(has(m.text, "Reminder")) << m.text;
    bot.advance_to("2026-11-20T14:00:01Z");
    bot.sent();
    bot.advance_to("2026-11-20T14:59:00Z");
    EXPECT_TRUE(bot.sent().empty());
    // Bob (New York) was prompted at 20:00Z and reminded 4 h later, once.
    EXPECT_EQ(*bot.db->job_ran_at("weekly_reminder", "bob", "2026-W47"), at("2026-11-20T00:00:00Z"));
}

TEST(WeeklyUpdate, UpdateCommandStartsAndResumes) {
    test_bot bot(two_zones, "2026-11-17T10:00:00Z");  // Tuesday, before any prompt
    bot.say("alice", "/update");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Question 1 of 4"));
    bot.say("alice", "Goal");
    bot.sent();
    bot.say("alice", "/update");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Question 2 of 4"));
    // The Thursday prompt then re-asks where she stands instead of starting over.
    bot.advance_to("2026-11-19T14:00:00Z");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Question 2 of 4"));
}

TEST(WeeklyUpdate, EditReasksEachQuestionAndSameKeepsAnAnswer) {
    test_bot bot(two_zones, "2026-11-19T14:30:00Z");
    bot.say("alice", "/update");
    answer_all(bot, "alice", {"g", "c", "r", "f"});
    bot.sent();
    bot.say("alice", "/update edit");
    auto text = bot.last_text_to("@alice");
    EXPECT_TRUE(has(text, "Question 1 of 4")) << text;
    EXPECT_TRUE(has(text, "Now: \u201Cg\u201D"));
    answer_all(bot, "alice", {"same", "changed more", "same", "same"});
    auto row = bot.db->find_update("alice", "2026-W47");
    EXPECT_EQ(row->text_at(0), "g");
    EXPECT_EQ(row->text_at(1), "changed more");
    EXPECT_EQ(row->status, update_status::done);
    EXPECT_EQ(row->step, 4);
}

TEST(WeeklyUpdate, SkipWithReasonShowsInTheDigest) {
    test_bot bot(two_zones, "2026-11-19T14:30:00Z");
    bot.say("bob", "/update skip on holiday");
    EXPECT_TRUE(has(bot.last_text_to("@bob"), "Skipped week 2026-W47 (on holiday)"));
    bot.say("alice", "/update");
    answer_all(bot, "alice", {"g", "c", "blocked by platform", "f"});
    bot.advance_to("2026-11-20T15:00:00Z");
    auto digest = bot.last_text_to("#alpha");
    EXPECT_TRUE(has(digest, "Participation: 1 of 2 answered.")) << digest;
    EXPECT_TRUE(has(digest, "Skipped: bob (on holiday).")) << digest;
    EXPECT_FALSE(has(digest, "Missing:")) << digest;
    EXPECT_TRUE(has(digest, "alice: blocked by platform")) << digest;
    // Skipping can be undone.
    bot.say("bob", "/update");
    EXPECT_TRUE(has(bot.last_text_to("@bob"), "Question 1 of 4"));
}

TEST(WeeklyUpdate, DigestListsMissingPeopleRisksAndFocus) {
    test_bot bot(two_zones, "2026-11-19T14:30:00Z");
    bot.say("alice", "/update");
    answer_all(bot, "alice", {"Parser", "Merged", "n/a", "Release 1.2"});
    bot.say("bob", "/update");
    bot.say("bob", "Docs");
    bot.advance_to("2026-11-20T15:00:00Z");
    auto digest = bot.last_text_to("#alpha");
    EXPECT_TRUE(has(digest, "alpha \u2014 weekly digest, week 2026-W47")) << digest;
    EXPECT_TRUE(has(digest, "Missing: bob (1 of 4 answered).")) << digest;
    EXPECT_TRUE(has(digest, "Goal: Parser"));
    EXPECT_TRUE(has(digest, "bob (unfinished)"));
    EXPECT_TRUE(has(digest, "No risks raised this week."));  // "n/a" is not a risk
    EXPECT_TRUE(has(digest, "alice: Release 1.2"));
}

TEST(WeeklyUpdate, ALateAnswerIsNeverStoredUnderAnotherQuestion) {
    test_bot bot(two_zones, "2026-11-19T14:30:00Z");
    bot.say("alice", "/update");
    bot.say("alice", "Goal");                // question 1 answered; question 2 pending
    bot.advance_to("2026-11-20T15:30:00Z");  // the digest has been posted
    bot.sent();
    bot.say("alice", "Late change");  // meant for last week's question 2
    auto text = bot.last_text_to("@alice");
    EXPECT_TRUE(has(text, "Your update for week 2026-W47 closed when its digest was posted")) << text;
    EXPECT_TRUE(has(text, "this answer to question 2 was not saved")) << text;
    EXPECT_TRUE(has(text, "Question 1 of 4")) << text;
    auto next = bot.db->find_update("alice", "2026-W48");
    ASSERT_TRUE(next);
    EXPECT_EQ(next->step, 0);
    EXPECT_TRUE(next->answers.empty());
    EXPECT_EQ(bot.db->find_update("alice", "2026-W47")->text_at(1), "");
    // The next message answers the new week's question 1.
    bot.say("alice", "New goal");
    EXPECT_EQ(bot.db->find_update("alice", "2026-W48")->text_at(0), "New goal");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Question 2 of 4"));
}

TEST(WeeklyUpdate, ALateAnswerToQuestionOneOpensTheNextWeek) {
    test_bot bot(two_zones, "2026-11-19T14:30:00Z");
    bot.say("alice", "/update");             // question 1 pending
    bot.advance_to("2026-11-20T15:30:00Z");  // the digest has been posted
    bot.sent();
    bot.say("alice", "Late goal");
    auto text = bot.last_text_to("@alice");
    EXPECT_TRUE(has(text, "saved this answer to question 1 for week 2026-W48")) << text;
    EXPECT_EQ(bot.db->find_update("alice", "2026-W48")->text_at(0), "Late goal");
}

TEST(WeeklyUpdate, SameWithNothingToKeepIsRefused) {
    test_bot bot(two_zones, "2026-11-19T14:30:00Z");
    bot.say("alice", "/update");
    bot.say("alice", "Goal");
    bot.say("alice", "/update edit");
    bot.say("alice", "same");  // keeps "Goal"
    bot.sent();
    bot.say("alice", "same");  // question 2 has no answer to keep
    auto text = bot.last_text_to("@alice");
    EXPECT_TRUE(has(text, "no earlier answer to question 2 to keep")) << text;
    EXPECT_TRUE(has(text, "Question 2 of 4")) << text;
    auto row = bot.db->find_update("alice", "2026-W47");
    EXPECT_EQ(row->text_at(0), "Goal");
    EXPECT_EQ(row->text_at(1), "");
    EXPECT_EQ(row->step, 1);
    bot.say("alice", "Changed");
    EXPECT_EQ(bot.db->find_update("alice", "2026-W47")->text_at(1), "Changed");
}

TEST(WeeklyUpdate, ShowTakesAWeek) {
    test_bot bot(two_zones, "2026-11-19T14:30:00Z");
    bot.say("alice", "/update");
    answer_all(bot, "alice", {"old goal", "c", "r", "f"});
    bot.advance_to("2026-11-26T14:30:00Z");
    bot.say("alice", "/update");
    answer_all(bot, "alice", {"new goal", "c", "r", "f"});
    bot.sent();
    bot.say("bob", "/update show @alice 2026-W47");
    auto text = bot.last_text_to("@bob");
    EXPECT_TRUE(has(text, "Weekly update of alice, week 2026-W47")) << text;
    EXPECT_TRUE(has(text, "Goal: old goal")) << text;
    bot.say("alice", "/update show 2026-w47");
    text = bot.last_text_to("@alice");
    EXPECT_TRUE(has(text, "Goal: old goal")) << text;
    bot.say("bob", "/update show @alice 2026-W40");
    EXPECT_TRUE(has(bot.last_text_to("@bob"), "alice has no weekly update for week 2026-W40."));
    bot.say("bob", "/update show @alice 2026-W99");
    EXPECT_TRUE(has(bot.last_text_to("@bob"), "Write the week as YYYY-Www"));
    bot.say("bob", "/update show @");
    text = bot.last_text_to("@bob");
    EXPECT_TRUE(has(text, "Whose update?")) << text;
    EXPECT_FALSE(has(text, "is not a member")) << text;
}

TEST(WeeklyUpdate, ShowIsForTeammatesOnly) {
    const std::string toml = std::string(two_zones) + R"(
[[teams]]
name = "beta"
channel = "#beta"
members = ["carol"]
)";
    test_bot bot(toml, "2026-11-19T14:30:00Z");
    bot.say("alice", "/update");
    answer_all(bot, "alice", {"g", "c", "r", "f"});
    bot.say("bob", "/update show @alice");
    auto text = bot.last_text_to("@bob");
    EXPECT_TRUE(has(text, "Weekly update of alice, week 2026-W47")) << text;
    EXPECT_TRUE(has(text, "Goal: g"));
    bot.say("carol", "/update show alice");
    EXPECT_TRUE(has(bot.last_text_to("@carol"), "only see the updates of people in your own teams"));
    bot.say("carol", "/update show");
    EXPECT_TRUE(has(bot.last_text_to("@carol"), "not written a weekly update yet"));
}

TEST(WeeklyUpdate, MissingIsForManagers) {
    test_bot bot(two_zones, "2026-11-19T14:30:00Z");
    bot.say("alice", "/update");
    answer_all(bot, "alice", {"g", "c", "r", "f"});
    bot.say("bob", "/update missing");
    EXPECT_TRUE(has(bot.last_text_to("@bob"), "is for managers"));
    bot.say("maria", "/update missing", "#alpha");
    auto msgs = bot.sent();
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].to.kind, destination_kind::private_reply);
    EXPECT_TRUE(has(msgs[0].text, "1 of 2 not done yet")) << msgs[0].text;
    EXPECT_TRUE(has(msgs[0].text, "bob"));
    EXPECT_FALSE(has(msgs[0].text, "alice"));
}

TEST(WeeklyUpdate, ManagersWhoAreNotMembersHaveNoUpdate) {
    test_bot bot(two_zones, "2026-11-19T14:30:00Z");
    bot.say("maria", "/update");
    EXPECT_TRUE(has(bot.last_text_to("@maria"), "not listed as a member"));
}

TEST(Ritual, DigestPreviewGoesToTheAskerOnly) {
    test_bot bot(two_zones, "2026-11-19T14:30:00Z");
    bot.say("alice", "/update");
    bot.say("alice", "Goal");
    bot.sent();
    bot.say("maria", "/ritual digest preview", "#alpha");
    auto msgs = bot.sent();
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].where(), "@maria");
    EXPECT_TRUE(has(msgs[0].text, "Preview, only you see this")) << msgs[0].text;
    EXPECT_TRUE(has(msgs[0].text, "Goal: Goal"));
    EXPECT_FALSE(bot.db->job_ran("digest", "alpha", "2026-W47"));
    bot.say("alice", "/ritual digest preview nosuchteam");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "no team called"));
}

TEST(Ritual, ScheduleIsInTheAskersTimeZone) {
    test_bot bot(two_zones, "2026-11-17T10:00:00Z");
    bot.say("bob", "/ritual schedule");
    auto text = bot.last_text_to("@bob");
    EXPECT_TRUE(has(text, "Next weekly-update prompt: Thu 19 Nov 15:00 EST")) << text;
    EXPECT_TRUE(has(text, "Next alpha digest: Fri 20 Nov 10:00 EST")) << text;
    EXPECT_TRUE(has(text, "not started"));
}

TEST(Ritual, HelpListsTheCommands) {
    test_bot bot(two_zones, "2026-11-17T10:00:00Z");
    for (const char* cmd : {"/ritual help", "/ritual", "!help", "/update help"}) {
        bot.say("alice", cmd);
        auto text = bot.last_text_to("@alice");
        EXPECT_TRUE(has(text, "/update skip")) << cmd << "\n" << text;
    }
}

TEST(WeeklyUpdate, HiddenDirectionAndBrokenBytesAreNeutralisedWhereOthersReadThem) {
    EXPECT_EQ(shown_text("a\u202Eevil\u202C b\u2066x\u2069\u200Dc\u200B\uFEFF"), "aevil bxc");
    EXPECT_EQ(shown_text("ok\xff\xfe!"), "ok\uFFFD\uFFFD!");
    EXPECT_EQ(shown_text("\xc3"), "\uFFFD");  // cut inside a character
    EXPECT_EQ(shown_text("\xed\xa0\x80"), "\uFFFD\uFFFD\uFFFD");  // a surrogate is not UTF-8
    EXPECT_EQ(shown_text("line 1\nline\t2 \u00e9\U0001F600"), "line 1\nline\t2 \u00e9\U0001F600");
    EXPECT_EQ(shown_text("bell\x07\x1b[31m"), "bell[31m");

    test_bot bot(two_zones, "2026-11-19T14:30:00Z");
    bot.say("alice", "/update");
    answer_all(bot, "alice", {"g\u202Egnp.exe", "c", "blocked \xff by platform", "f"});
    bot.say("bob", "/update show @alice");
    auto shown = bot.last_text_to("@bob");
    EXPECT_TRUE(has(shown, "Goal: ggnp.exe")) << shown;
    EXPECT_FALSE(has(shown, "\u202E")) << shown;
    bot.advance_to("2026-11-20T15:00:00Z");
    auto digest = bot.last_text_to("#alpha");
    EXPECT_TRUE(has(digest, "Goal: ggnp.exe")) << digest;
    EXPECT_TRUE(has(digest, "alice: blocked \uFFFD by platform")) << digest;
    EXPECT_FALSE(has(digest, "\u202E")) << digest;
}
