// The bot against the fake Slack over real sockets on 127.0.0.1.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "tests/support/fake_slack.hpp"
#include "tests/support/slack_test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

// Members left out: the channel's members are the team.
const char* const team_config_toml = R"(
[[teams]]
name = "alpha"
platform = "slack"
channel = "C0ALPHA"
timezone = "Europe/Berlin"
managers = ["UMGR"]
)";

void add_workspace(fake_slack& slack) {
    slack.add_user("UALICE", "Europe/Berlin");
    slack.add_user("UBOB", "America/New_York");
    slack.add_user("UMGR", "Europe/Berlin");
    slack.add_user("UHELPER", "UTC", /*is_bot=*/true);
    slack.add_user("UBOT", "UTC", true);
    slack.set_channel_members("C0ALPHA", {"UBOT", "UALICE", "UBOB", "UMGR", "UHELPER"});
}

bool any_contains(const std::vector<json>& messages, const std::string& needle) {
    for (const auto& m : messages)
        if (fake_slack::text_of(m).find(needle) != std::string::npos) return true;
    return false;
}

struct SlackE2E : ::testing::Test {
    fake_slack slack{make_options()};
    std::unique_ptr<slack_test_bot> bot;

    virtual fake_slack_options make_options() {
        fake_slack_options o;
        o.redeliver_after = 300ms;
        return o;
    }

    void start(const std::string& at_iso = "2026-11-19T09:00:00Z") {
        add_workspace(slack);
        bot = std::make_unique<slack_test_bot>(team_config_toml, at_iso, slack);
        ASSERT_TRUE(bot->start());
    }

    bool wait_dm(const std::string& user, const std::string& needle, std::chrono::milliseconds t = 5s) {
        return bot->run_until([&] { return any_contains(slack.dms_to(user), needle); }, t);
    }
};

}  // namespace

TEST_F(SlackE2E, DirectMessageIsAnsweredThroughChatPostMessage) {
    start();
    const auto env = slack.send_dm("UALICE", "/update");
    ASSERT_TRUE(wait_dm("UALICE", "Question 1 of 4"));
    EXPECT_TRUE(slack.ack_of(env));
    EXPECT_TRUE(bot->run_until([&] { return bot->unsent() == 0; }));
    // The bot learned who it is, its team from the channel (bots left out) and the zones.
    EXPECT_EQ(bot->slack->self().user_id, "UBOT");
    EXPECT_EQ(bot->cfg.teams[0].members, (std::vector<std::string>{"UALICE", "UBOB", "UMGR"}));
    EXPECT_EQ(bot->cfg.timezone_of("UBOB"), "America/New_York");
    for (const auto& c : slack.calls()) {
        if (c.method == "apps.connections.open") EXPECT_EQ(c.token, "xapp-1-test");
        else EXPECT_EQ(c.token, "xoxb-1-test");
    }
}

TEST_F(SlackE2E, AWholeWeekOverSlack) {
    start("2026-11-16T08:00:00Z");
    // Thursday 15:00 in Berlin: Alice and the manager are prompted; Bob in New York later.
    bot->advance_to("2026-11-19T14:00:30Z");
    ASSERT_TRUE(wait_dm("UALICE", "Question 1 of 4"));
    auto prompt = slack.dms_to("UALICE").front();
    EXPECT_EQ(prompt["blocks"][0]["type"], "header");
    EXPECT_TRUE(prompt.dump().find("update.start") != std::string::npos);
    EXPECT_TRUE(slack.dms_to("UBOB").empty());

    // Alice answers in the DM, one message per question.
    for (const char* answer : {"Ship the <b>beta</b>", "Login is 2x faster", "Nothing at risk", "Billing"})
        slack.send_dm("UALICE", answer);
    ASSERT_TRUE(wait_dm("UALICE", "is complete"));

    // The manager skips with the button.
    slack.click_button("UMGR", "update.skip", "2026-W47");
    ASSERT_TRUE(wait_dm("UMGR", "Skipped week 2026-W47"));

    // Bob: prompted at 15:00 New York, writes everything in the modal.
    bot->advance_to("2026-11-19T20:00:30Z");
    ASSERT_TRUE(wait_dm("UBOB", "Question 1 of 4"));
    slack.click_button("UBOB", "update.start", "2026-W47");
    ASSERT_TRUE(bot->run_until([&] { return !slack.calls("views.open").empty(); }));
    auto opened = slack.calls("views.open").back();
    ASSERT_EQ(opened.http_status, 200);
    const std::string submit = slack.submit_view("UBOB", opened.args["view"],
                                                 {{"q0", "Migrate the queue"},
                                                  {"q1", "Half the cost"},
                                                  {"q2", "blocked by nobody"},
                                                  {"q3", "Cleanup"}});
    ASSERT_TRUE(bot->run_until([&] { return slack.ack_of(submit).has_value(); }));
    EXPECT_FALSE(slack.ack_of(submit)->frame.contains("payload"));  // closes the modal
    ASSERT_TRUE(wait_dm("UBOB", "is saved"));

    // Friday 16:00 Berlin: the digest in the channel.
    bot->advance_to("2026-11-20T15:00:30Z");
    ASSERT_TRUE(bot->run_until([&] { return any_contains(slack.messages_to("C0ALPHA"), "weekly digest"); }));
    const auto digest = slack.messages_to("C0ALPHA");
    std::string all;
    for (const auto& m : digest) all += fake_slack::text_of(m) + "\n";
    EXPECT_NE(all.find("Participation: 2 of 3 answered"), std::string::npos) << all;
    EXPECT_NE(all.find("Migrate the queue"), std::string::npos);
    // What Alice typed is shown, escaped: no markup of hers reaches Slack as markup.
    EXPECT_NE(all.find("Ship the &lt;b&gt;beta&lt;/b&gt;"), std::string::npos) << all;
    EXPECT_TRUE(bot->run_until([&] { return bot->unsent() == 0; }));
}

TEST_F(SlackE2E, SlashCommandAckCarriesTheResponse) {
    start();
    const auto env = slack.send_slash("UALICE", "C0ALPHA", "/update", "help");
    ASSERT_TRUE(bot->run_until([&] { return slack.ack_of(env).has_value(); }));
    auto ack = *slack.ack_of(env);
    ASSERT_TRUE(ack.frame.contains("payload")) << ack.frame.dump();
    EXPECT_EQ(ack.frame["payload"]["response_type"], "ephemeral");
    EXPECT_NE(ack.frame["payload"].dump().find("/update skip [reason]"), std::string::npos);
    EXPECT_LT(ack.latency, 1s);
    // Said once, in the ack: nothing else goes out, and the outbox row is done.
    EXPECT_TRUE(bot->run_until([&] { return bot->unsent() == 0; }));
    bot->run_for(100ms);
    EXPECT_TRUE(slack.calls("chat.postEphemeral").empty());
    EXPECT_TRUE(slack.dms_to("UALICE").empty());
}

// A group commit waits for a few quiet turns of the event loop, bounded by
// group_hold; an idle loop makes those turns at once, so a lone envelope is
// not held: even with a hold of a minute its ack comes back within a second.
TEST_F(SlackE2E, ALoneEnvelopeIsCommittedAtOnceWhateverTheGroupHold) {
    add_workspace(slack);
    auto options = fast_slack_options();
    options.group_hold = std::chrono::minutes(1);
    bot = std::make_unique<slack_test_bot>(team_config_toml, "2026-11-19T09:00:00Z", slack, options);
    ASSERT_TRUE(bot->start());
    for (int i = 0; i < 3; ++i) {
        const auto env = slack.send_slash("UALICE", "C0ALPHA", "/update", "help");
        ASSERT_TRUE(bot->run_until([&] { return slack.ack_of(env).has_value(); }, 5s));
        EXPECT_LT(slack.ack_of(env)->latency, 1s);
    }
}

TEST_F(SlackE2E, AppMentionRunsACommandForThatChannel) {
    start();
    slack.send_mention("UMGR", "C0ALPHA", "update missing");
    ASSERT_TRUE(bot->run_until([&] { return !slack.calls("chat.postEphemeral").empty(); }));
    auto call = slack.calls("chat.postEphemeral").back();
    EXPECT_EQ(call.args["user"], "UMGR");
    EXPECT_EQ(call.args["channel"], "C0ALPHA");
    EXPECT_NE(fake_slack::text_of(call.args).find("alpha, week"), std::string::npos);
}

TEST_F(SlackE2E, RefreshOpensTheNextConnectionFirstAndLosesNothing) {
    start();
    slack.send_disconnect("refresh_requested");
    std::vector<std::string> sent;
    for (int i = 0; i < 5; ++i) sent.push_back(slack.send_dm("UALICE", "/update help"));
    ASSERT_TRUE(bot->run_until([&] { return slack.connections_opened() == 2 && slack.open_connections() == 1; }));
    for (int i = 0; i < 5; ++i) sent.push_back(slack.send_dm("UALICE", "/update help"));
    ASSERT_TRUE(bot->run_until([&] {
        for (const auto& id : sent)
            if (!slack.ack_of(id)) return false;
        return slack.dms_to("UALICE").size() >= 10;
    }));
    bot->run_for(200ms);
    EXPECT_EQ(slack.dms_to("UALICE").size(), 10u);
}

TEST_F(SlackE2E, AbruptDropReconnectsAndLosesNothing) {
    start();
    slack.drop_connections();
    const auto during = slack.send_dm("UALICE", "/update");
    ASSERT_TRUE(bot->run_until([&] { return slack.ack_of(during).has_value(); }));
    ASSERT_TRUE(wait_dm("UALICE", "Question 1 of 4"));
    EXPECT_GE(slack.connections_opened(), 2);
    EXPECT_EQ(slack.dms_to("UALICE").size(), 1u);
}

TEST_F(SlackE2E, RetriedEnvelopeIsAppliedOnce) {
    start();
    slack.send_dm("UALICE", "/update");
    ASSERT_TRUE(wait_dm("UALICE", "Question 1 of 4"));
    slack.ignore_next_acks(1);  // Slack did not get the ack: it sends the event again
    const auto env = slack.send_dm("UALICE", "My goal");
    ASSERT_TRUE(bot->run_until([&] { return slack.ack_of(env).has_value(); }));
    EXPECT_GE(slack.deliveries_of(env), 2);  // sent again (more than once on a slow machine)
    ASSERT_TRUE(wait_dm("UALICE", "Question 2 of 4"));
    bot->run_for(200ms);
    EXPECT_EQ(slack.dms_to("UALICE").size(), 2u);
    auto row = bot->db->find_update("UALICE", "2026-W47");
    ASSERT_TRUE(row);
    EXPECT_EQ(row->text_at(0), "My goal");
    EXPECT_TRUE(row->text_at(1).empty());
}

TEST_F(SlackE2E, RateLimitIsHonoured) {
    start();
    slack.rate_limit_next("chat.postMessage", 1, 1);
    const auto t0 = std::chrono::steady_clock::now();
    slack.send_dm("UALICE", "/update");
    ASSERT_TRUE(wait_dm("UALICE", "Question 1 of 4"));
    const auto waited = std::chrono::steady_clock::now() - t0;
    EXPECT_GE(waited, 1s);
    auto posts = slack.calls("chat.postMessage");
    ASSERT_EQ(posts.size(), 2u);
    EXPECT_EQ(posts[0].http_status, 429);
    EXPECT_EQ(posts[1].http_status, 200);
    EXPECT_TRUE(bot->run_until([&] { return bot->unsent() == 0; }));
}

// Slack takes about one message a second per channel after a short burst.
// A person who answers each question as soon as it comes gets the next ones
// paced too: the bucket is not forgotten between one message and the next.
TEST_F(SlackE2E, ADestinationWrittenOneMessageAtATimeIsStillPaced) {
    add_workspace(slack);
    auto options = fast_slack_options();
    options.channel_interval = 200ms;
    options.channel_burst = 2;
    bot = std::make_unique<slack_test_bot>(team_config_toml, "2026-11-19T09:00:00Z", slack, options);
    ASSERT_TRUE(bot->start());
    const auto t0 = std::chrono::steady_clock::now();
    slack.send_dm("UALICE", "/update");
    ASSERT_TRUE(wait_dm("UALICE", "Question 1 of 4"));
    for (int q = 2; q <= 4; ++q) {
        slack.send_dm("UALICE", "answer " + std::to_string(q - 1));
        ASSERT_TRUE(wait_dm("UALICE", "Question " + std::to_string(q) + " of 4"));
    }
    // Four posts, each after the one before: two from the burst, then one
    // per 200 ms (the bucket refills a little during the round trips).
    EXPECT_GE(std::chrono::steady_clock::now() - t0, 350ms);
    EXPECT_EQ(slack.ok_calls("chat.postMessage"), 4u);
}

// A 5xx or Slack's internal_error may come after the message was posted
// ("some aspect of the operation may have succeeded"): chat.postMessage is
// not repeated blindly. The row waits, and before the next try the bot reads
// the conversation for the row's metadata.
TEST_F(SlackE2E, AnUnclearPostIsNotRepeatedBlindlyTheConversationIsReadFirst) {
    start();
    slack.fail_next("chat.postMessage", 1, 503);
    slack.send_dm("UALICE", "/update");
    ASSERT_TRUE(bot->run_until([&] { return slack.calls("chat.postMessage").size() == 1; }));
    bot->run_for(100ms);
    EXPECT_EQ(slack.calls("chat.postMessage").size(), 1u);  // no blind second post
    EXPECT_EQ(bot->unsent(), 1);
    bot->clk.advance(2s);  // its wait has passed
    bot->flush();
    ASSERT_TRUE(wait_dm("UALICE", "Question 1 of 4"));
    EXPECT_EQ(slack.calls("conversations.history").size(), 1u);
    EXPECT_EQ(slack.dms_to("UALICE").size(), 1u);
    EXPECT_TRUE(bot->run_until([&] { return bot->unsent() == 0; }));
}

TEST_F(SlackE2E, APostThatLandedDespiteAnErrorIsFoundAndNotPostedAgain) {
    start();
    slack.send_dm("UALICE", "/update");
    ASSERT_TRUE(wait_dm("UALICE", "Question 1 of 4"));
    ASSERT_TRUE(bot->run_until([&] { return bot->unsent() == 0; }));
    // The same row, as if the answer to its post had been lost: the
    // attempt is on record, the outcome is not.
    SQLite::Statement undo(bot->db->database(),
                           "UPDATE outbox SET sent_at = NULL, attempt_started_at = strftime('%s', 'now')");
    undo.exec();
    bot->outbox->recheck();  // changed behind its back
    bot->flush();
    EXPECT_TRUE(bot->run_until([&] { return bot->unsent() == 0; }));
    EXPECT_EQ(slack.calls("conversations.history").size(), 1u);
    EXPECT_EQ(slack.dms_to("UALICE").size(), 1u);  // found by its metadata, not posted twice
}

TEST_F(SlackE2E, RefusedForGoodIsSetAsideNotRetried) {
    start();
    slack.fail_next_with("chat.postMessage", 1, "channel_not_found");
    slack.send_dm("UALICE", "/update");
    ASSERT_TRUE(bot->run_until([&] { return !slack.calls("chat.postMessage").empty(); }));
    EXPECT_TRUE(bot->run_until([&] { return bot->db->unsent("slack", 100).empty(); }));  // set aside
    bot->flush();
    bot->run_for(100ms);
    EXPECT_EQ(slack.calls("chat.postMessage").size(), 1u);
}

TEST_F(SlackE2E, BrokenJsonAndUnknownEnvelopesAreSkipped) {
    start();
    slack.send_raw("{this is not json");
    slack.send_raw("[1,2,3]");
    slack.send_raw(R"({"type":"brand_new","envelope_id":"odd-1","payload":{}})");
    slack.send_raw(R"({"type":"events_api","envelope_id":"odd-2","payload":{"event":{"type":"reaction_added"}}})");
    const auto env = slack.send_dm("UALICE", "/update");
    ASSERT_TRUE(wait_dm("UALICE", "Question 1 of 4"));
    EXPECT_TRUE(bot->run_until([&] { return slack.ack_of("odd-1") && slack.ack_of("odd-2") && slack.ack_of(env); }));
    EXPECT_EQ(slack.connections_opened(), 1);
}

TEST_F(SlackE2E, ChannelMembersAreReadAgainLater) {
    add_workspace(slack);
    auto options = fast_slack_options();
    options.members_refresh = 150ms;
    bot = std::make_unique<slack_test_bot>(team_config_toml, "2026-11-19T09:00:00Z", slack, options);
    ASSERT_TRUE(bot->start());
    slack.add_user("UNEW", "Asia/Tokyo");
    slack.set_channel_members("C0ALPHA", {"UBOT", "UALICE", "UMGR", "UHELPER", "UNEW"});  // Bob left, a new one came
    ASSERT_TRUE(bot->run_until(
        [&] {
            return bot->cfg.teams[0].members == std::vector<std::string>{"UALICE", "UMGR", "UNEW"} &&
                   bot->cfg.timezone_of("UNEW") == "Asia/Tokyo";  // its users.info follows the listing
        },
        5s));
    bot->run_for(400ms);  // and again: the bot stays out
    EXPECT_EQ(bot->cfg.teams[0].members, (std::vector<std::string>{"UALICE", "UMGR", "UNEW"}));
}

// The members' DM channels are kept as 16-byte ids (config/id_map.hpp): a
// prompt to someone whose channel is known needs no conversations.open, even
// after a restart; a channel id too long for that is opened again each time
// and still used.
TEST_F(SlackE2E, DmChannelsAreOpenedOnceAndKeptAcrossARestartLongOnesEachTime) {
    const std::string db_path = (std::filesystem::temp_directory_path() /
                                 ("ritualbot-dm-channels-" + std::to_string(::getpid()) + ".db"))
                                    .string();
    std::filesystem::remove(db_path);
    const std::string long_user = "U0123456789ABCDE";  // 16 characters: its channel "D…" is 17
    add_workspace(slack);
    slack.add_user(long_user, "Europe/Berlin");
    slack.set_channel_members("C0ALPHA", {"UBOT", "UALICE", "UBOB", "UMGR", "UHELPER", long_user});
    auto opens_for = [&](const std::string& user) {
        std::size_t n = 0;
        for (const auto& c : slack.calls("conversations.open"))
            if (c.args.value("users", "") == user) ++n;
        return n;
    };

    bot = std::make_unique<slack_test_bot>(team_config_toml, "2026-11-16T08:00:00Z", slack, fast_slack_options(),
                                           nullptr, db_path);
    ASSERT_TRUE(bot->start());
    bot->advance_to("2026-11-19T14:00:30Z");  // Thursday 15:00 in Berlin: the weekly prompts
    ASSERT_TRUE(wait_dm("UALICE", "Question 1 of 4"));
    ASSERT_TRUE(wait_dm(long_user, "Question 1 of 4"));
    ASSERT_TRUE(bot->run_until([&] { return bot->unsent() == 0; }));
    EXPECT_EQ(opens_for("UALICE"), 1u);
    EXPECT_EQ(opens_for(long_user), 1u);
    const std::size_t alice_dms = slack.dms_to("UALICE").size(), long_dms = slack.dms_to(long_user).size();

    bot.reset();  // a restart: the next week's prompts
    bot = std::make_unique<slack_test_bot>(team_config_toml, "2026-11-23T08:00:00Z", slack, fast_slack_options(),
                                           nullptr, db_path);
    ASSERT_TRUE(bot->start());
    bot->advance_to("2026-11-26T14:00:30Z");
    ASSERT_TRUE(bot->run_until([&] {
        return slack.dms_to("UALICE").size() > alice_dms && slack.dms_to(long_user).size() > long_dms;
    }));
    ASSERT_TRUE(bot->run_until([&] { return bot->unsent() == 0; }));
    EXPECT_EQ(opens_for("UALICE"), 1u);  // from the database, kept in memory
    EXPECT_GT(opens_for(long_user), 1u);  // not kept in memory: opened again, and posted to
    EXPECT_EQ(slack.dms_to(long_user).back().value("channel", ""), "D" + long_user);
    bot.reset();
    std::filesystem::remove(db_path);
    std::filesystem::remove(db_path + "-wal");
    std::filesystem::remove(db_path + "-shm");
}
