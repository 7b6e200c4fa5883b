#include <gtest/gtest.h>

#include "bot/slack/envelope_handler.hpp"
#include "handlers/dispatcher.hpp"
#include "handlers/weekly_update.hpp"
#include "storage/eowd_store.hpp"
#include "storage/person_store.hpp"
#include "storage/store.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::slack;
using ritualbot::testing::at;
using ritualbot::testing::must_load;

namespace {

// The ack's payload as JSON (null for a plain ack).
nlohmann::json ack_json(const envelope_result& r) {
    return r.ack_payload.empty() ? nlohmann::json() : nlohmann::json::parse(r.ack_payload);
}

}  // namespace
using json = nlohmann::json;

namespace {

const char* const slack_config = R"(
[[teams]]
name = "alpha"
platform = "slack"
channel = "C0ALPHA"
timezone = "Europe/Berlin"
managers = ["UMGR"]
members = ["UALICE", "UBOB"]

[rituals.eowd]
enabled = true
)";

struct SlackEnvelopeHandler : ::testing::Test {
    config cfg = must_load(slack_config);
    manual_clock clk{at("2026-11-19T14:30:00Z")};
    store db{":memory:"};
    dispatcher dispatch{cfg, db, clk};
    envelope_handler handler{cfg, db, clk, dispatch};

    SlackEnvelopeHandler() { handler.set_identity({"UBOT", "BBOT"}); }

    envelope_result feed(const json& envelope) { return handler.handle(parse_frame(envelope.dump())); }

    static json dm(const std::string& event_id, const std::string& user, const std::string& text, int retry = 0) {
        return json{{"envelope_id", "env-" + event_id + "-" + std::to_string(retry)},
                    {"type", "events_api"},
                    {"retry_attempt", retry},
                    {"payload",
                     {{"event_id", event_id},
                      {"event",
                       {{"type", "message"},
                        {"channel", "D0" + user},
                        {"channel_type", "im"},
                        {"user", user},
                        {"text", text},
                        {"ts", "1.000001"}}}}}};
    }

    std::vector<outbox_row> unsent() { return db.unsent("slack", 1000); }
};

}  // namespace

TEST_F(SlackEnvelopeHandler, DirectMessageGoesToTheDispatcherAndIsAcked) {
    auto r = feed(dm("Ev1", "UALICE", "/update"));
    EXPECT_TRUE(r.ack);
    EXPECT_TRUE(r.dispatched);
    EXPECT_EQ(r.dm_user, "UALICE");
    EXPECT_EQ(r.dm_channel, "D0UALICE");
    auto rows = unsent();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].item.to.kind, destination_kind::direct);
    EXPECT_EQ(rows[0].item.to.user, "UALICE");
    EXPECT_NE(rows[0].item.body.plain_text().find("Question 1 of 4"), std::string::npos);
}

TEST_F(SlackEnvelopeHandler, ADirectMessageEventFromAChannelIsNeverTakenForThePersonsDM) {
    auto forged = dm("Ev9", "UALICE", "/update");
    forged["payload"]["event"]["channel"] = "C0ALPHA";
    auto r = feed(forged);
    EXPECT_TRUE(r.ack);
    EXPECT_TRUE(r.dm_channel.empty());  // the reply is a DM the bot opens itself
    auto rows = unsent();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].item.to.kind, destination_kind::direct);
    EXPECT_TRUE(rows[0].item.to.channel.empty());
}

TEST_F(SlackEnvelopeHandler, SlackEscapesInUserTextAreUndoneBeforeHandling) {
    feed(dm("Ev1", "UALICE", "/update"));
    feed(dm("Ev2", "UALICE", "ship &lt;b&gt; &amp; c"));
    auto row = db.find_update("UALICE", "2026-W47");
    ASSERT_TRUE(row);
    EXPECT_EQ(row->text_at(0), "ship <b> & c");
}

TEST_F(SlackEnvelopeHandler, RetriedEventIsAckedAndAppliedOnce) {
    feed(dm("Ev1", "UALICE", "/update"));
    feed(dm("Ev2", "UALICE", "first goal"));
    const auto before = unsent().size();
    auto again = feed(dm("Ev2", "UALICE", "first goal", 1));
    EXPECT_TRUE(again.ack);
    EXPECT_EQ(again.ignored, "duplicate");
    EXPECT_EQ(unsent().size(), before);
    auto row = db.find_update("UALICE", "2026-W47");
    EXPECT_EQ(row->text_at(0), "first goal");
    EXPECT_TRUE(row->text_at(1).empty());
}

TEST_F(SlackEnvelopeHandler, OwnBotAndEditedMessagesAreIgnored) {
    auto own = dm("Ev1", "UBOT", "/update");
    EXPECT_FALSE(feed(own).ignored.empty());
    auto bot = dm("Ev2", "UALICE", "/update");
    bot["payload"]["event"]["bot_id"] = "B9";
    EXPECT_FALSE(feed(bot).ignored.empty());
    auto edit = dm("Ev3", "UALICE", "/update");
    edit["payload"]["event"]["subtype"] = "message_changed";
    EXPECT_FALSE(feed(edit).ignored.empty());
    auto join = dm("Ev4", "UALICE", "/update");
    join["payload"]["event"]["subtype"] = "channel_join";
    EXPECT_TRUE(feed(join).ack);
    auto channel_msg = dm("Ev5", "UALICE", "/update");
    channel_msg["payload"]["event"]["channel_type"] = "channel";
    feed(channel_msg);
    EXPECT_TRUE(unsent().empty());
}

TEST_F(SlackEnvelopeHandler, SlashCommandAckCarriesTheEphemeralResponse) {
    json env{{"envelope_id", "s1"},
             {"type", "slash_commands"},
             {"accepts_response_payload", true},
             {"payload",
              {{"command", "/update"}, {"text", "help"}, {"user_id", "UALICE"}, {"channel_id", "C0ALPHA"},
               {"trigger_id", "1.2.3"}}}};
    auto r = feed(env);
    ASSERT_TRUE(r.ack);
    ASSERT_FALSE(ack_json(r).is_null());
    EXPECT_EQ(ack_json(r)["response_type"], "ephemeral");
    EXPECT_NE(ack_json(r).dump().find("/update skip [reason]"), std::string::npos);
    // Delivered by the ack: marked sent in the transaction that committed it,
    // so nothing goes out again as an ephemeral message after a restart.
    EXPECT_TRUE(unsent().empty());
}

TEST_F(SlackEnvelopeHandler, ARedeliveredSlashCommandIsAnsweredAgainWithTheSameAnswerAndNotAppliedTwice) {
    json env{{"envelope_id", "s2"},
             {"type", "slash_commands"},
             {"accepts_response_payload", true},
             {"payload", {{"command", "/update"}, {"text", "skip on holiday"}, {"user_id", "UALICE"},
                          {"channel_id", "DALICE"}}}};
    auto first = feed(env);
    ASSERT_FALSE(ack_json(first).is_null());
    // The ack was lost with the process: Slack sends the envelope again.
    env["retry_attempt"] = 1;
    auto again = feed(env);
    EXPECT_EQ(again.ignored, "duplicate");
    ASSERT_TRUE(again.ack);
    EXPECT_EQ(ack_json(again), ack_json(first));
    EXPECT_TRUE(unsent().empty());
}

TEST_F(SlackEnvelopeHandler, EachSlashCommandGetsItsOwnAnswerWhenTheSameOneRepeats) {
    auto slash = [](const std::string& id, const std::string& command, const std::string& text) {
        return json{{"envelope_id", id},
                    {"type", "slash_commands"},
                    {"accepts_response_payload", true},
                    {"payload", {{"command", command}, {"text", text}, {"user_id", "UALICE"}, {"channel_id", "DALICE"}}}};
    };
    const auto help1 = ack_json(feed(slash("h1", "/ritual", "help")));
    const auto help2 = ack_json(feed(slash("h2", "/ritual", "help")));
    const auto other = ack_json(feed(slash("h3", "/update", "frobnicate")));
    const auto help3 = ack_json(feed(slash("h4", "/ritual", "help")));
    EXPECT_EQ(help1, help2);
    EXPECT_EQ(help1, help3);
    EXPECT_NE(other, help1);
    EXPECT_NE(other.dump().find("Usage"), std::string::npos) << other.dump();
}

TEST_F(SlackEnvelopeHandler, AppMentionRunsTheCommandInThatChannel) {
    json env{{"envelope_id", "m1"},
             {"type", "events_api"},
             {"payload",
              {{"event_id", "EvM"},
               {"event",
                {{"type", "app_mention"},
                 {"user", "UMGR"},
                 {"channel", "C0ALPHA"},
                 {"text", "<@UBOT> update missing"},
                 {"ts", "2.000001"}}}}}};
    auto r = feed(env);
    EXPECT_TRUE(r.ack);
    auto rows = unsent();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].item.to.kind, destination_kind::private_reply);
    EXPECT_EQ(rows[0].item.to.user, "UMGR");
    EXPECT_NE(rows[0].item.body.plain_text().find("alpha, week"), std::string::npos);
}

TEST_F(SlackEnvelopeHandler, WriteMyUpdateButtonOpensThePrefilledModal) {
    feed(dm("Ev1", "UALICE", "/update"));
    feed(dm("Ev2", "UALICE", "the goal"));
    json env{{"envelope_id", "b1"},
             {"type", "interactive"},
             {"payload",
              {{"type", "block_actions"},
               {"user", {{"id", "UALICE"}}},
               {"trigger_id", "t-1"},
               {"actions", json::array({{{"action_id", "update.start"}, {"value", "2026-W47"}}})}}}};
    auto r = feed(env);
    EXPECT_TRUE(r.ack);
    EXPECT_EQ(r.open_view_trigger, "t-1");
    EXPECT_EQ(r.open_view["callback_id"], "weekly_update");
    EXPECT_EQ(r.open_view["private_metadata"], "2026-W47\nGoal\nChanged\nAt risk\nNext");  // the week, the labels
    EXPECT_EQ(r.open_view["blocks"][1]["element"]["initial_value"], "the goal");
    EXPECT_EQ(r.open_view["blocks"].size(), 5u);
}

TEST_F(SlackEnvelopeHandler, SkipButtonSkipsTheWeek) {
    json env{{"envelope_id", "b2"},
             {"type", "interactive"},
             {"payload",
              {{"type", "block_actions"},
               {"user", {{"id", "UBOB"}}},
               {"trigger_id", "t-2"},
               {"actions", json::array({{{"action_id", "update.skip"}, {"value", "2026-W47"}}})}}}};
    auto r = feed(env);
    EXPECT_TRUE(r.dispatched);
    auto row = db.find_update("UBOB", "2026-W47");
    ASSERT_TRUE(row);
    EXPECT_EQ(row->status, update_status::skipped);
}

TEST_F(SlackEnvelopeHandler, LaterButtonPutsThePromptOffByTheDefault) {
    db.save_update(new_update("UBOB", "2026-W47", "alpha", clk.now()));  // the prompt came
    json env{{"envelope_id", "b3"},
             {"type", "interactive"},
             {"payload",
              {{"type", "block_actions"},
               {"user", {{"id", "UBOB"}}},
               {"trigger_id", "t-3"},
               {"actions", json::array({{{"action_id", "update.later"}, {"value", "2026-W47"}}})}}}};
    auto r = feed(env);
    EXPECT_TRUE(r.dispatched);
    auto snoozes = person_store(db).snoozes("UBOB", "2026-W47");
    ASSERT_EQ(snoozes.size(), 1u);
    EXPECT_EQ(snoozes[0].until, at("2026-11-19T16:30:00Z"));  // the default, 2h
    auto due = db.deferred_jobs_due(at("2026-11-19T16:30:00Z"));
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].kind, "weekly_snooze");
    EXPECT_EQ(due[0].period, "2026-W47#1");
    auto rows = unsent();
    ASSERT_FALSE(rows.empty());
    EXPECT_NE(rows.back().item.body.plain_text().find("OK, I will ask again"), std::string::npos);
}

TEST_F(SlackEnvelopeHandler, AManagerSetsTimeOffWithASlackMentionInADm) {
    // In a message event Slack writes a mention as <@U…>; the bot reads the id from it.
    auto r = feed(dm("Ev-away", "UMGR", "/update away <@UBOB> 2026-12-24 parental leave"));
    EXPECT_TRUE(r.dispatched);
    auto off = person_store(db).time_off("UBOB");
    ASSERT_TRUE(off);
    EXPECT_EQ(off->until, "2026-12-24");
    EXPECT_EQ(off->reason, "parental leave");
    EXPECT_EQ(off->set_by, "UMGR");
    int told = 0;
    for (const auto& row : unsent())
        if (row.item.to.user == "UBOB" && row.item.body.plain_text().find("@UMGR marked you as away") != std::string::npos)
            ++told;
    EXPECT_EQ(told, 1);
}

namespace {
json submission(const std::string& envelope, const std::string& user, std::array<std::string, 4> answers,
                const std::string& week = "2026-W47") {
    json values = json::object();
    for (int i = 0; i < 4; ++i)
        values["q" + std::to_string(i)] = {{"answer", {{"type", "plain_text_input"}, {"value", answers[i]}}}};
    return json{{"envelope_id", envelope},
                {"type", "interactive"},
                {"accepts_response_payload", true},
                {"payload",
                 {{"type", "view_submission"},
                  {"user", {{"id", user}}},
                  {"view",
                   {{"id", "V1"},
                    {"callback_id", "weekly_update"},
                    {"private_metadata", week},
                    {"state", {{"values", values}}}}}}}};
}
}  // namespace

TEST_F(SlackEnvelopeHandler, ModalSubmissionSavesAllFourAnswersOnce) {
    auto r = feed(submission("v1", "UALICE", {"goal", "changed", "nothing", "focus"}));
    EXPECT_TRUE(r.ack);
    EXPECT_TRUE(ack_json(r).is_null());  // closes the modal
    auto row = db.find_update("UALICE", "2026-W47");
    ASSERT_TRUE(row);
    EXPECT_EQ(row->status, update_status::done);
    EXPECT_EQ(row->text_at(3), "focus");
    auto rows = unsent();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_NE(rows[0].item.body.plain_text().find("is saved"), std::string::npos);
    auto again = feed(submission("v1", "UALICE", {"goal", "changed", "nothing", "focus"}));
    EXPECT_EQ(again.ignored, "duplicate");
    EXPECT_EQ(unsent().size(), 1u);
}

TEST_F(SlackEnvelopeHandler, ModalValidationErrorsComeBackInTheAck) {
    auto r = feed(submission("v2", "UALICE", {"goal", "  ", "risk", "focus"}));
    ASSERT_FALSE(ack_json(r).is_null());
    EXPECT_EQ(ack_json(r)["response_action"], "errors");
    EXPECT_TRUE(ack_json(r)["errors"].contains("q1"));
    EXPECT_FALSE(db.find_update("UALICE", "2026-W47"));
    auto stale = feed(submission("v3", "UALICE", {"a", "b", "c", "d"}, "2026-W46"));
    EXPECT_TRUE(ack_json(stale)["errors"].contains("q0"));
}

TEST_F(SlackEnvelopeHandler, HostilePayloadsAreSkippedNotThrown) {
    for (const char* text : {R"({"envelope_id":"h1","type":"events_api","payload":{"event":"nope"}})",
                             R"({"envelope_id":"h2","type":"events_api","payload":{"event":{"type":"message","user":5}}})",
                             R"({"envelope_id":"h3","type":"slash_commands","payload":{"command":7}})",
                             R"({"envelope_id":"h4","type":"interactive","payload":{"type":"block_actions","actions":"x"}})",
                             R"({"envelope_id":"h5","type":"interactive","payload":{"type":"view_submission","view":[]}})"}) {
        EXPECT_NO_THROW(handler.handle(parse_frame(text))) << text;
    }
    EXPECT_TRUE(unsent().empty());
}

TEST_F(SlackEnvelopeHandler, ButtonsWhoseValueIsACommandRunOnlyTheirOwnCommand) {
    json env{{"envelope_id", "b9"},
             {"type", "interactive"},
             {"payload",
              {{"type", "block_actions"},
               {"user", {{"id", "UMGR"}}},
               {"actions", json::array({{{"action_id", "dep.register"}, {"value", "/update skip"}}})}}}};
    auto r = feed(env);
    EXPECT_FALSE(r.ignored.empty());
    EXPECT_TRUE(unsent().empty());
}

namespace {
json eowd_button(const std::string& envelope, const std::string& user, const std::string& trigger) {
    json payload{{"type", "block_actions"},
                 {"user", {{"id", user}}},
                 {"channel", {{"id", "C0ALPHA"}}},
                 {"actions", json::array({{{"action_id", "eowd.signup"}, {"value", "alpha 2026-W47"}}})}};
    if (!trigger.empty()) payload["trigger_id"] = trigger;
    return json{{"envelope_id", envelope}, {"type", "interactive"}, {"payload", payload}};
}

json eowd_submission(const std::string& envelope, const std::string& user, const std::string& topic,
                     const json& kind, const std::string& input) {
    json values{{"topic", {{"value", {{"type", "plain_text_input"}, {"value", topic}}}}},
                {"kind", {{"value", {{"type", "static_select"}, {"selected_option", kind}}}}},
                {"input", {{"value", {{"type", "plain_text_input"}, {"value", input}}}}}};
    return json{{"envelope_id", envelope},
                {"type", "interactive"},
                {"payload",
                 {{"type", "view_submission"},
                  {"user", {{"id", user}}},
                  {"view",
                   {{"id", "V9"},
                    {"callback_id", "eowd_signup"},
                    {"private_metadata", "alpha"},
                    {"state", {{"values", values}}}}}}}};
}
}  // namespace

TEST_F(SlackEnvelopeHandler, EowdSignUpButtonOpensAFormWithTopicKindAndInput) {
    auto r = feed(eowd_button("e1", "UALICE", "t-9"));
    EXPECT_EQ(r.open_view_trigger, "t-9");
    const json& view = r.open_view;
    EXPECT_EQ(view["callback_id"], "eowd_signup");
    EXPECT_EQ(view["private_metadata"], "alpha");
    ASSERT_EQ(view["blocks"].size(), 4u);
    EXPECT_EQ(view["blocks"][1]["block_id"], "topic");
    EXPECT_EQ(view["blocks"][1]["element"]["max_length"], 200);
    const json& options = view["blocks"][2]["element"]["options"];
    ASSERT_EQ(options.size(), 5u);
    EXPECT_EQ(options[1]["value"], "pull request");
    EXPECT_EQ(options[3]["value"], "data set");
    EXPECT_TRUE(view["blocks"][3]["optional"].get<bool>());
    EXPECT_TRUE(unsent().empty());  // nothing happens until the form is sent
}

TEST_F(SlackEnvelopeHandler, EowdFormSignsUpWithKindAndInputOnce) {
    auto r = feed(eowd_submission("e2", "UALICE", "  Parser rewrite ",
                                  {{"text", {{"type", "plain_text"}, {"text", "pull request"}}}, {"value", "pull request"}},
                                  "is the error handling right?"));
    EXPECT_TRUE(r.ack);
    EXPECT_TRUE(ack_json(r).is_null());  // closes the modal
    EXPECT_TRUE(r.dispatched);
    eowd_store eowds(db);
    auto row = eowds.find_signup("alpha", "2026-W47", "UALICE");
    ASSERT_TRUE(row);
    EXPECT_EQ(row->topic, "Parser rewrite");
    EXPECT_EQ(row->kind, "pull request");
    EXPECT_EQ(row->input_wanted, "is the error handling right?");
    auto rows = unsent();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].item.to.user, "UALICE");
    EXPECT_EQ(rows[0].item.to.channel, "C0ALPHA");  // answered where the invitation was clicked
    EXPECT_NE(rows[0].item.body.plain_text().find("slot 1"), std::string::npos) << rows[0].item.body.plain_text();

    auto again = feed(eowd_submission("e2", "UALICE", "Parser rewrite", nullptr, ""));
    EXPECT_EQ(again.ignored, "duplicate");
    EXPECT_EQ(unsent().size(), 1u);

    // No kind chosen and no input: the topic changes, the place and the kind stay.
    feed(eowd_submission("e3", "UALICE", "Parser rewrite, part 2", nullptr, ""));
    row = eowds.find_signup("alpha", "2026-W47", "UALICE");
    EXPECT_EQ(row->topic, "Parser rewrite, part 2");
    EXPECT_EQ(row->kind, "pull request");
}

TEST_F(SlackEnvelopeHandler, EowdFormWithoutATopicOrWithABadKindSavesNothing) {
    auto r = feed(eowd_submission("e4", "UBOB", "   ", nullptr, "anything"));
    EXPECT_EQ(ack_json(r)["response_action"], "errors");
    EXPECT_TRUE(ack_json(r)["errors"].contains("topic"));
    auto forged = feed(eowd_submission("e5", "UBOB", "Talk", {{"value", "<!channel>"}}, ""));
    EXPECT_TRUE(ack_json(forged).is_null());
    eowd_store eowds(db);
    EXPECT_FALSE(eowds.find_signup("alpha", "2026-W47", "UBOB"));
    auto rows = unsent();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_NE(rows[0].item.body.plain_text().find("not a kind of presentation"), std::string::npos);
}

TEST_F(SlackEnvelopeHandler, EowdButtonAfterTheCloseSaysSoInsteadOfAForm) {
    clk.set(at("2026-11-20T12:30:00Z"));  // Friday 13:30 in Berlin: sign-ups closed at 12:00
    auto r = feed(eowd_button("e7", "UALICE", "t-7"));
    EXPECT_TRUE(r.open_view_trigger.empty());
    auto rows = unsent();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_NE(rows[0].item.body.plain_text().find("closed"), std::string::npos) << rows[0].item.body.plain_text();
    EXPECT_EQ(rows[0].item.to.channel, "C0ALPHA");
}

TEST_F(SlackEnvelopeHandler, EowdButtonForSomeoneOutsideTheTeamSaysSo) {
    auto r = feed(eowd_button("e8", "USTRANGER", "t-8"));
    EXPECT_TRUE(r.open_view_trigger.empty());
    auto rows = unsent();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_NE(rows[0].item.body.plain_text().find("Only members and managers of alpha"), std::string::npos)
        << rows[0].item.body.plain_text();
}

TEST_F(SlackEnvelopeHandler, EowdButtonWithoutATriggerSaysHowToSignUp) {
    auto r = feed(eowd_button("e6", "UBOB", ""));
    EXPECT_TRUE(r.open_view_trigger.empty());
    auto rows = unsent();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_NE(rows[0].item.body.plain_text().find("/eowd signup <topic>"), std::string::npos);
}

TEST_F(SlackEnvelopeHandler, DismissButtonRunsTheDismissCommand) {
    json env{{"envelope_id", "bd1"},
             {"type", "interactive"},
             {"payload",
              {{"type", "block_actions"},
               {"user", {{"id", "UMGR"}}},
               {"actions", json::array({{{"action_id", "dep.dismiss"}, {"value", "/dep dismiss 7"}}})}}}};
    auto r = feed(env);
    EXPECT_TRUE(r.ignored.empty()) << r.ignored;
    auto rows = unsent();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_NE(rows[0].item.body.plain_text().find("no hidden-dependency suggestion #7"), std::string::npos)
        << rows[0].item.body.plain_text();
    // Its value must be that command and nothing else.
    json other = env;
    other["envelope_id"] = "bd2";
    other["payload"]["actions"][0]["value"] = "/dep add platform -> alpha \"x\" type=blocking";
    EXPECT_FALSE(feed(other).ignored.empty());
}

namespace {

const char* const slack_own_questions = R"(
[[teams]]
name = "alpha"
platform = "slack"
channel = "C0ALPHA"
timezone = "Europe/Berlin"
managers = ["UMGR"]
members = ["UALICE", "UBOB"]

[teams.weekly_update]
questions = [
  { label = "Shipped", text = "What did you ship?" },
  { label = "Blockers", text = "What slows you down?" },
  { label = "Next", text = "What comes next?" },
]
risk = "Blockers"
focus = "Next"
)";

json own_submission(const std::string& envelope, const std::string& metadata, std::vector<std::string> answers) {
    json values = json::object();
    for (std::size_t i = 0; i < answers.size(); ++i)
        values["q" + std::to_string(i)] = {{"answer", {{"type", "plain_text_input"}, {"value", answers[i]}}}};
    return json{{"envelope_id", envelope},
                {"type", "interactive"},
                {"accepts_response_payload", true},
                {"payload",
                 {{"type", "view_submission"},
                  {"user", {{"id", "UALICE"}}},
                  {"view",
                   {{"id", "V1"},
                    {"callback_id", "weekly_update"},
                    {"private_metadata", metadata},
                    {"state", {{"values", values}}}}}}}};
}

}  // namespace

TEST(SlackWeeklyUpdateForm, TheFormAsksTheTeamsOwnQuestions) {
    config cfg = must_load(slack_own_questions);
    manual_clock clk{at("2026-11-19T14:30:00Z")};
    store db{":memory:"};
    dispatcher dispatch{cfg, db, clk};
    envelope_handler handler{cfg, db, clk, dispatch};
    handler.set_identity({"UBOT", "BBOT"});
    auto feed = [&](const json& envelope) { return handler.handle(parse_frame(envelope.dump())); };

    json click{{"envelope_id", "b1"},
               {"type", "interactive"},
               {"payload",
                {{"type", "block_actions"},
                 {"user", {{"id", "UALICE"}}},
                 {"trigger_id", "t-1"},
                 {"actions", json::array({{{"action_id", "update.start"}, {"value", "2026-W47"}}})}}}};
    auto opened = feed(click);
    ASSERT_EQ(opened.open_view["blocks"].size(), 4u);  // the team line and three questions
    EXPECT_EQ(opened.open_view["blocks"][2]["label"]["text"], "What slows you down?");
    EXPECT_EQ(opened.open_view["blocks"][3]["block_id"], "q2");
    EXPECT_EQ(opened.open_view["private_metadata"], "2026-W47\nShipped\nBlockers\nNext");

    auto saved = feed(own_submission("v1", "2026-W47\nShipped\nBlockers\nNext", {"parser", "reviews", "lexer"}));
    EXPECT_TRUE(ack_json(saved).is_null()) << saved.ack_payload;
    auto row = db.find_update("UALICE", "2026-W47");
    ASSERT_TRUE(row);
    EXPECT_EQ(row->status, update_status::done);
    EXPECT_EQ(row->text_of("Blockers"), "reviews");
    EXPECT_EQ(row->find("Blockers")->role, "risk");
    EXPECT_EQ(row->step, 3);

    // A form opened before the questions changed (here: the template's four) is refused, nothing saved.
    auto stale = feed(own_submission("v2", "2026-W47\nGoal\nChanged\nAt risk\nNext", {"a", "b", "c", "d"}));
    const auto stale_ack = ack_json(stale);
    ASSERT_FALSE(stale_ack.is_null());
    EXPECT_NE(stale_ack["errors"]["q0"].get<std::string>().find("questions changed"), std::string::npos);
    auto legacy = feed(own_submission("v3", "2026-W47", {"a", "b", "c", "d"}));
    EXPECT_TRUE(ack_json(legacy)["errors"].contains("q0"));
    EXPECT_EQ(db.find_update("UALICE", "2026-W47")->text_of("Shipped"), "parser");
}
