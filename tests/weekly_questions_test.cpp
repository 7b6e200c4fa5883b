// A team's own weekly-update questions: config validation, the conversation,
// the digest, the risk and focus questions, a change of questions mid-week,
// and fixing one answer (/update edit 3).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "handlers/weekly_update.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;

namespace {

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

// Everything sent to `where` since the last look (sent() hands each message out once).
std::string all_to(const std::vector<sent_message>& msgs, const std::string& where) {
    std::string out;
    for (const auto& m : msgs)
        if (m.where() == where) out += m.text + "\n";
    return out;
}
std::string all_to(test_bot& bot, const std::string& where) { return all_to(bot.sent(), where); }

// alpha asks three questions of its own; beta keeps the template's four.
const char* const own_questions = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
managers = ["maria"]
members = ["alice", "bob"]

[teams.weekly_update]
questions = [
  { label = "Shipped", text = "What did you ship this week?" },
  { label = "Blockers", text = "What slows you down?" },
  { label = "Next week", text = "What comes next week?" },
]
risk = "Blockers"
focus = "Next week"

[[teams]]
name = "beta"
channel = "#beta"
timezone = "Europe/Berlin"
managers = ["mike"]
members = ["carol"]
)";

std::vector<std::string> errors_of(const std::string& toml) {
    std::vector<std::string> out;
    for (const auto& e : load_config_string(toml).errors) out.push_back(std::to_string(e.line) + ": " + e.message);
    return out;
}

bool any_error(const std::string& toml, const std::string& needle) {
    for (const auto& e : errors_of(toml))
        if (has(e, needle)) return true;
    return false;
}

std::string team_with(const std::string& weekly_update_table) {
    return "[[teams]]\nname = \"alpha\"\nchannel = \"#alpha\"\nmembers = [\"alice\"]\n\n[teams.weekly_update]\n" +
           weekly_update_table;
}

std::string questions(int n, const std::string& extra = "") {
    std::string s = "questions = [\n";
    for (int i = 1; i <= n; ++i)
        s += "  { label = \"L" + std::to_string(i) + "\", text = \"Question " + std::to_string(i) + "?\" },\n";
    return s + "]\n" + extra;
}

}  // namespace

TEST(WeeklyQuestionsConfig, TheTemplatesFourQuestionsAreTheDefault) {
    config cfg = must_load(own_questions);
    const question_set& beta = cfg.questions_of(*cfg.find_team("beta"));
    ASSERT_EQ(beta.size(), 4);
    EXPECT_EQ(beta.questions[0].text, "What goal did I work toward?");
    EXPECT_EQ(beta.risk, "At risk");
    EXPECT_EQ(beta.focus, "Next");
    const question_set& alpha = cfg.questions_of(*cfg.find_team("alpha"));
    ASSERT_EQ(alpha.size(), 3);
    EXPECT_EQ(alpha.questions[1].label, "Blockers");
    EXPECT_EQ(alpha.risk, "Blockers");
    EXPECT_EQ(alpha.focus, "Next week");
}

TEST(WeeklyQuestionsConfig, GlobalQuestionsApplyToTeamsWithoutTheirOwn) {
    config cfg = must_load(R"(
[[teams]]
name = "alpha"
channel = "#alpha"
members = ["alice"]

[rituals.weekly_update]
questions = [{ label = "Done", text = "What did you do?" }, { label = "Doing", text = "What are you doing?" }]
focus = "Doing"
)");
    const question_set& qs = cfg.questions_of(*cfg.find_team("alpha"));
    ASSERT_EQ(qs.size(), 2);
    EXPECT_EQ(qs.risk, "");  // not named: no risk question
    EXPECT_EQ(qs.focus, "Doing");
}

TEST(WeeklyQuestionsConfig, ValidationErrorsSayWhatIsWrong) {
    EXPECT_TRUE(any_error(team_with(questions(1)), "has 1 question; a weekly update asks from 2 to 8"));
    EXPECT_TRUE(any_error(team_with(questions(9)), "has 9 questions; a weekly update asks from 2 to 8"));
    EXPECT_TRUE(any_error(team_with("questions = []\n"), "has 0 questions"));
    EXPECT_TRUE(errors_of(team_with(questions(2))).empty());
    EXPECT_TRUE(errors_of(team_with(questions(8))).empty());
    EXPECT_TRUE(any_error(team_with(R"(questions = [{ label = "Goal", text = "a?" }, { label = "goal", text = "b?" }])"),
                          "label 'goal' is used twice"));
    EXPECT_TRUE(any_error(team_with(R"(questions = [{ text = "a?" }, { label = "B", text = "b?" }])"),
                          "question 1 needs a label"));
    EXPECT_TRUE(any_error(team_with(R"(questions = [{ label = "A" }, { label = "B", text = "b?" }])"),
                          "question 1 needs a text"));
    EXPECT_TRUE(any_error(team_with("questions = [{ label = \"A\", text = \"" + std::string(201, 'x') +
                                    "\" }, { label = \"B\", text = \"b?\" }]"),
                          "at most 200 characters (it has 201)"));
    EXPECT_TRUE(any_error(team_with(R"(questions = [{ label = "A label far too long for a digest", text = "a?" }, { label = "B", text = "b?" }])"),
                          "must be one line of at most 24 characters"));
    EXPECT_TRUE(any_error(team_with(R"(questions = [{ label = "3", text = "a?" }, { label = "B", text = "b?" }])"),
                          "must not be a number"));
    EXPECT_TRUE(any_error(team_with(questions(3, "risk = \"Risks\"\n")), "risk = \"Risks\" names no question (labels: L1, L2, L3"));
    EXPECT_TRUE(any_error(team_with(questions(3, "focus = \"Later\"\n")), "focus = \"Later\" names no question"));
    EXPECT_TRUE(any_error(team_with(R"(questions = [{ label = "A", text = "a?", hint = "x" }, { label = "B", text = "b?" }])"),
                          "unknown key 'hint'"));
    EXPECT_TRUE(any_error(team_with("questions = [\"What?\", \"Why?\"]\n"), "questions must be a list of tables"));
    EXPECT_TRUE(any_error(team_with("color = \"red\"\n"), "unknown key 'color' in team 'alpha' [teams.weekly_update]"));
    // Errors carry their line.
    auto errs = errors_of(team_with(questions(3, "risk = \"Nope\"\n")));
    ASSERT_FALSE(errs.empty());
    EXPECT_EQ(errs[0].rfind("12: ", 0), 0u) << errs[0];
}

TEST(WeeklyQuestions, ThePromptTheDigestAndNextWeekUseTheTeamsQuestions) {
    test_bot bot(own_questions, "2026-11-16T08:00:00Z");
    bot.advance_to("2026-11-19T14:00:00Z");
    auto prompts = bot.sent();
    auto prompt = all_to(prompts, "@alice");
    EXPECT_TRUE(has(prompt, "Question 1 of 3: What did you ship this week?")) << prompt;
    EXPECT_TRUE(has(all_to(prompts, "@carol"), "Question 1 of 4: What goal did I work toward?"));
    bot.say("alice", "The parser");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Question 2 of 3: What slows you down?"));
    bot.say("alice", "Blocked by beta on the schema");
    // The risk question is read for hidden dependencies.
    auto maria = all_to(bot, "@maria");
    EXPECT_TRUE(has(maria, "Possible hidden dependency")) << maria;
    bot.say("alice", "The lexer");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "is complete"));
    auto row = bot.db->find_update("alice", "2026-W47");
    ASSERT_TRUE(row);
    EXPECT_EQ(row->status, update_status::done);
    EXPECT_EQ(row->step, 3);
    ASSERT_EQ(row->answers.size(), 3u);
    EXPECT_EQ(row->answers[1].label, "Blockers");
    EXPECT_EQ(row->answers[1].question, "What slows you down?");
    EXPECT_EQ(row->answers[1].role, "risk");
    EXPECT_EQ(row->answers[2].role, "focus");

    bot.say("bob", "/update");
    bot.say("bob", "Docs");
    bot.advance_to("2026-11-20T15:00:00Z");
    auto digest = all_to(bot, "#alpha");
    EXPECT_TRUE(has(digest, "Shipped: The parser")) << digest;
    EXPECT_TRUE(has(digest, "Blockers: Blocked by beta on the schema")) << digest;
    EXPECT_TRUE(has(digest, "Next week: The lexer")) << digest;
    EXPECT_TRUE(has(digest, "Missing: bob (1 of 3 answered).")) << digest;
    EXPECT_TRUE(has(digest, "alice: Blocked by beta on the schema")) << digest;  // risks raised
    EXPECT_TRUE(has(digest, "alice: The lexer")) << digest;                      // next week's focus
    EXPECT_FALSE(has(digest, "Goal:")) << digest;

    bot.advance_to("2026-11-26T14:00:00Z");
    auto next = bot.sent_to("@alice").back().text;
    EXPECT_TRUE(has(next, "Last week you said you would focus on: \u201CThe lexer\u201D")) << next;
}

TEST(WeeklyQuestions, WithoutRiskAndFocusQuestionsNothingIsReadAsEither) {
    const std::string toml = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
managers = ["maria"]
members = ["alice"]

[teams.weekly_update]
questions = [{ label = "Done", text = "What did you do?" }, { label = "Doing", text = "What are you doing?" }]

[[teams]]
name = "beta"
channel = "#beta"
members = ["carol"]
)";
    test_bot bot(toml, "2026-11-19T14:30:00Z");
    bot.say("alice", "/update");
    bot.say("alice", "blocked by beta");
    bot.say("alice", "waiting on beta");
    EXPECT_FALSE(has(all_to(bot, "@maria"), "hidden dependency"));
    bot.advance_to("2026-11-20T16:00:00Z");  // 16:00 UTC, the team's zone
    auto digest = all_to(bot, "#alpha");
    EXPECT_TRUE(has(digest, "Done: blocked by beta")) << digest;
    EXPECT_TRUE(has(digest, "No risks raised this week.")) << digest;
    EXPECT_TRUE(has(digest, "Nobody has said yet what they will focus on.")) << digest;
    bot.advance_to("2026-11-26T15:00:00Z");
    EXPECT_FALSE(has(bot.sent_to("@alice").back().text, "Last week you said"));
}

namespace {

// The same team before and after its manager edits the questions (and restarts).
const char* const before_change = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
members = ["alice"]
)";

std::string after_change(const std::string& questions_toml) {
    return std::string(before_change) + "\n[teams.weekly_update]\n" + questions_toml;
}

std::string temp_db(const std::string& name) {
    auto path = std::filesystem::temp_directory_path() / ("ritualbot_" + name + "_" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path);
    return path.string();
}

}  // namespace

TEST(WeeklyQuestions, ChangedQuestionsMidWeekKeepTheAnswersAndAskTheRest) {
    const std::string db = temp_db("questions_change");
    {
        test_bot bot(before_change, "2026-11-19T14:30:00Z", db);
        bot.say("alice", "/update");
        bot.say("alice", "Ship the parser");     // Goal
        bot.say("alice", "Parser merged");       // Changed; "What is at risk?" is pending
    }
    // The new questions keep "Goal", drop "Changed" and "At risk", add two.
    const std::string toml = after_change(R"(questions = [
  { label = "Goal", text = "What goal did I work toward?" },
  { label = "Help", text = "Where could you use help?" },
  { label = "Next", text = "What will I focus on next?" },
]
risk = "Help"
focus = "Next"
)");
    test_bot bot(toml, "2026-11-19T15:00:00Z", db);
    // The answer meant for "What is at risk?" has no question any more: not saved, and said so.
    bot.say("alice", "nothing at risk");
    auto text = bot.last_text_to("@alice");
    EXPECT_TRUE(has(text, "questions changed since I asked that one")) << text;
    EXPECT_TRUE(has(text, "this answer was not saved")) << text;
    EXPECT_TRUE(has(text, "Question 2 of 3: Where could you use help?")) << text;
    bot.say("alice", "Reviews of the lexer");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Question 3 of 3: What will I focus on next?"));
    bot.say("alice", "The lexer");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "is complete"));
    auto row = bot.db->find_update("alice", "2026-W47");
    ASSERT_TRUE(row);
    EXPECT_EQ(row->status, update_status::done);
    EXPECT_EQ(row->text_of("Goal"), "Ship the parser");
    EXPECT_EQ(row->text_of("Changed"), "Parser merged");  // kept, with its own question
    EXPECT_EQ(row->find("Changed")->question, "What changed because of my work?");
    EXPECT_EQ(row->text_of("At risk"), "");
    EXPECT_EQ(row->text_of("Help"), "Reviews of the lexer");

    bot.say("alice", "/update show");
    auto shown = bot.last_text_to("@alice");
    EXPECT_TRUE(has(shown, "Goal: Ship the parser")) << shown;
    EXPECT_TRUE(has(shown, "Help: Reviews of the lexer")) << shown;
    EXPECT_TRUE(has(shown, "Changed: Parser merged")) << shown;
    bot.advance_to("2026-11-20T15:00:00Z");
    auto digest = all_to(bot, "#alpha");
    EXPECT_TRUE(has(digest, "Participation: 1 of 1 answered.")) << digest;
    EXPECT_TRUE(has(digest, "Changed: Parser merged")) << digest;
    EXPECT_TRUE(has(digest, "alice: Reviews of the lexer")) << digest;  // the new risk question
    std::filesystem::remove(db);
}

TEST(WeeklyQuestions, AReorderedQuestionStillGetsItsOwnAnswer) {
    const std::string db = temp_db("questions_reorder");
    {
        test_bot bot(before_change, "2026-11-19T14:30:00Z", db);
        bot.say("alice", "/update");
        bot.say("alice", "Ship the parser");  // "What changed because of my work?" is pending
    }
    const std::string toml = after_change(R"(questions = [
  { label = "Next", text = "What will I focus on next?" },
  { label = "Changed", text = "What changed because of my work?" },
  { label = "Goal", text = "What goal did I work toward?" },
]
focus = "Next"
)");
    test_bot bot(toml, "2026-11-19T15:00:00Z", db);
    bot.say("alice", "Parser merged");
    auto row = bot.db->find_update("alice", "2026-W47");
    EXPECT_EQ(row->text_of("Changed"), "Parser merged");
    EXPECT_EQ(row->find("Changed")->position, 1);
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Question 1 of 3: What will I focus on next?"));
    // The next prompt or /update asks what is left of the new questions.
    bot.say("alice", "/update");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Question 1 of 3")) << bot.last_text_to("@alice");
    std::filesystem::remove(db);
}

TEST(WeeklyQuestions, AnUpdateFinishedBeforeTheChangeStaysFinished) {
    const std::string db = temp_db("questions_finished");
    {
        test_bot bot(before_change, "2026-11-19T14:30:00Z", db);
        bot.say("alice", "/update");
        for (const char* a : {"g", "c", "r", "f"}) bot.say("alice", a);
    }
    const std::string toml = after_change(R"(questions = [
  { label = "Goal", text = "What goal did I work toward?" },
  { label = "Mood", text = "How do you feel?" },
]
)");
    test_bot bot(toml, "2026-11-19T15:00:00Z", db);
    bot.say("alice", "/update");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "already complete"));
    // The new question can still be answered on its own.
    bot.say("alice", "/update edit mood");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Question 2 of 2: How do you feel?"));
    bot.say("alice", "Fine");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "The rest of your update for week 2026-W47 stays as it was"));
    auto row = bot.db->find_update("alice", "2026-W47");
    EXPECT_EQ(row->text_of("Mood"), "Fine");
    EXPECT_EQ(row->text_of("At risk"), "r");
    EXPECT_EQ(row->status, update_status::done);
    std::filesystem::remove(db);
}

TEST(WeeklyQuestions, EditOneAnswerByNumberOrLabel) {
    test_bot bot(before_change, "2026-11-19T14:30:00Z");
    bot.say("alice", "/update edit 3");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "nothing to edit for week 2026-W47"));
    bot.say("alice", "/update");
    for (const char* a : {"g", "c", "r", "f"}) bot.say("alice", a);
    bot.sent();
    bot.say("alice", "/update edit 3");
    auto text = bot.last_text_to("@alice");
    EXPECT_TRUE(has(text, "Changing your answer to question 3 (At risk)")) << text;
    EXPECT_TRUE(has(text, "Question 3 of 4: What is at risk?")) << text;
    EXPECT_TRUE(has(text, "Now: \u201Cr\u201D")) << text;
    bot.say("alice", "The vendor is late");
    text = bot.last_text_to("@alice");
    EXPECT_TRUE(has(text, "Saved. The rest of your update for week 2026-W47 stays as it was.")) << text;
    auto row = bot.db->find_update("alice", "2026-W47");
    EXPECT_EQ(row->status, update_status::done);
    EXPECT_EQ(row->text_of("At risk"), "The vendor is late");
    EXPECT_EQ(row->text_of("Next"), "f");
    EXPECT_FALSE(awaiting_answer(*row));
    bot.say("alice", "one more");  // not taken as an answer to question 4
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "is complete"));
    EXPECT_EQ(bot.db->find_update("alice", "2026-W47")->text_of("Next"), "f");

    bot.say("alice", "/update edit next");  // a label, any case
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Question 4 of 4"));
    bot.say("alice", "same");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "stays as it was"));
    EXPECT_EQ(bot.db->find_update("alice", "2026-W47")->text_of("Next"), "f");

    bot.say("alice", "/update edit 9");
    text = bot.last_text_to("@alice");
    EXPECT_TRUE(has(text, "no question 9")) << text;
    EXPECT_TRUE(has(text, "1 Goal, 2 Changed, 3 At risk, 4 Next")) << text;
    bot.say("alice", "/update edit mood");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "no question \u201Cmood\u201D"));
    bot.say("alice", "/update edit 0");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "no question 0"));

    // Plain /update edit still walks through every question.
    bot.say("alice", "/update edit");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Question 1 of 4"));
    bot.say("alice", "same");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Question 2 of 4"));
}

TEST(WeeklyQuestions, EditOneWhileStillAnsweringGoesOnWithWhatIsLeft) {
    test_bot bot(before_change, "2026-11-19T14:30:00Z");
    bot.say("alice", "/update");
    bot.say("alice", "g");
    bot.say("alice", "c");
    bot.say("alice", "/update edit 1");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Question 1 of 4"));
    bot.say("alice", "a better goal");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Question 3 of 4")) << bot.last_text_to("@alice");
    auto row = bot.db->find_update("alice", "2026-W47");
    EXPECT_EQ(row->text_of("Goal"), "a better goal");
    EXPECT_EQ(row->status, update_status::in_progress);
    bot.say("alice", "/update skip away");
    bot.say("alice", "/update edit 2");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "You skipped week 2026-W47"));
}
