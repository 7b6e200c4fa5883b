// Every command that takes or shows a user works with the three shapes of
// user id the bot meets: console names ("alice"), Slack ids ("U0ALICE01")
// and Matrix ids ("@alice:example.org"). The handlers run through the
// dispatcher with a config whose teams list members in that shape.
#include <gtest/gtest.h>

#include "handlers/text.hpp"
#include "storage/store.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;

namespace {

struct id_shape {
    std::string name;
    std::string platform;
    std::string channel;  // alpha's room or channel
    std::string beta_channel;
    std::string alice, bob, maria, dave;
    std::string extra_toml;  // a [matrix] table where needed
};

std::ostream& operator<<(std::ostream& os, const id_shape& s) { return os << s.name; }

const id_shape console_shape{"console", "console", "#alpha", "#beta", "alice", "bob", "maria", "dave", ""};
const id_shape slack_shape{"slack", "slack", "C0ALPHA01", "C0BETA001", "U0ALICE01", "U0BOB0001", "U0MARIA01", "U0DAVE001", ""};
const id_shape matrix_shape{"matrix",
                            "matrix",
                            "!alpha:example.org",
                            "!beta:example.org",
                            "@alice:example.org",
                            "@bob:example.org",
                            "@maria:example.org",
                            "@dave:example.org",
                            "[matrix]\nhomeserver = \"https://matrix.example.org\"\nuser_id = \"@bot:example.org\"\n"};

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

std::string config_for(const id_shape& s) {
    return s.extra_toml + R"(
[[teams]]
name = "alpha"
platform = ")" + s.platform + R"("
channel = ")" + s.channel + R"("
timezone = "Europe/Berlin"
managers = [)" + quoted(s.maria) + R"(]
members = [)" + quoted(s.alice) + ", " + quoted(s.bob) + ", " + quoted(s.maria) + R"(]

[[teams]]
name = "beta"
platform = ")" + s.platform + R"("
channel = ")" + s.beta_channel + R"("
timezone = "Europe/Berlin"
managers = [)" + quoted(s.dave) + R"(]
members = [)" + quoted(s.dave) + R"(]

[rituals.eowd]
enabled = true

[rituals.learning]
enabled = true
)";
}

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

// Mon 16 Nov 2026 09:30Z: EOWD sign-ups are open, Q4's OKRs are current.
struct UserIdShapes : ::testing::TestWithParam<id_shape> {
    const id_shape& s = GetParam();
    test_bot bot{config_for(s), "2026-11-16T09:30:00Z"};
    int event = 0;

    // What `user` typed (in a DM unless `channel`), and every reply the bot wrote for it.
    std::string say(const std::string& user, const std::string& text, const std::string& channel = "") {
        incoming in;
        in.platform = s.platform;
        in.user = user;
        in.channel = channel;
        in.text = text;
        in.dedupe_key = s.platform + ":evt" + std::to_string(++event);
        bot.dispatch->handle(in);
        std::string out;
        for (const auto& row : bot.db->unsent(s.platform, 1000)) {
            out += row.item.body.plain_text() + "\n";
            bot.db->mark_sent(row.id, bot.clk.now());
        }
        return out;
    }

    // Nothing that says a person is unknown or lost its form on the way.
    void expect_clean(const std::string& reply) {
        EXPECT_FALSE(has(reply, "not a member")) << reply;
        EXPECT_FALSE(has(reply, "I don't know")) << reply;
        EXPECT_FALSE(has(reply, "not in any ritualbot team")) << reply;
        EXPECT_FALSE(has(reply, "Usage")) << reply;
        EXPECT_FALSE(has(reply, "@@")) << reply;
        EXPECT_FALSE(has(reply, "went wrong")) << reply;
        if (s.platform == "matrix") {
            // A Matrix id is never shown without its '@'.
            for (const std::string& id : {s.alice, s.bob, s.maria, s.dave}) {
                const std::string bare = id.substr(1);
                for (auto p = reply.find(bare); p != std::string::npos; p = reply.find(bare, p + 1))
                    EXPECT_TRUE(p > 0 && reply[p - 1] == '@') << "'" << bare << "' lost its '@' in: " << reply;
            }
        }
    }
};

TEST_P(UserIdShapes, UpdateShowForOneselfAndForATeammate) {
    std::string r = say(s.alice, "/update show");
    expect_clean(r);
    EXPECT_TRUE(has(r, "You have not written a weekly update yet")) << r;
    r = say(s.alice, "/update show " + user_mention(s.bob));
    expect_clean(r);
    EXPECT_TRUE(has(r, "not written a weekly update yet")) << r;
    r = say(s.alice, "/update show " + s.bob);  // the id as it is, without a leading '@'
    expect_clean(r);
    EXPECT_TRUE(has(r, "not written a weekly update yet")) << r;
    r = say(s.alice, "/update show " + user_mention(s.dave));
    EXPECT_TRUE(has(r, "only see the updates of people in your own teams")) << r;
}

TEST_P(UserIdShapes, AnsweringTheWeeklyQuestionsAndShowingThem) {
    expect_clean(say(s.alice, "/update"));
    expect_clean(say(s.alice, "Ship the parser"));
    expect_clean(say(s.alice, "Parser merged"));
    expect_clean(say(s.alice, "nothing at risk"));
    std::string r = say(s.alice, "the lexer next");
    expect_clean(r);
    auto row = bot.db->find_update(s.alice, "2026-W47");
    ASSERT_TRUE(row);
    EXPECT_EQ(row->text_at(0), "Ship the parser");
    EXPECT_EQ(row->text_at(3), "the lexer next");
    r = say(s.alice, "/update show");
    expect_clean(r);
    EXPECT_TRUE(has(r, "Ship the parser")) << r;
    r = say(s.bob, "/update show " + user_mention(s.alice));
    expect_clean(r);
    EXPECT_TRUE(has(r, "Ship the parser")) << r;
    EXPECT_TRUE(has(r, s.alice)) << r;
}

TEST_P(UserIdShapes, UpdateSkip) {
    std::string r = say(s.bob, "/update skip on holiday");
    expect_clean(r);
    EXPECT_TRUE(has(r, "Skipped week")) << r;
    auto row = bot.db->find_update(s.bob, "2026-W47");
    ASSERT_TRUE(row);
    EXPECT_EQ(row->status, update_status::skipped);
    r = say(s.alice, "/update show " + user_mention(s.bob));
    expect_clean(r);
    EXPECT_TRUE(has(r, "on holiday")) << r;
}

TEST_P(UserIdShapes, OkrOwnersStatusAndSet) {
    std::string r = say(s.maria, "/okr add \"Faster builds\"");
    expect_clean(r);
    r = say(s.maria, "/okr kr add O1 \"Build under 5 min\" target=5 baseline=12 unit=min owner=" + user_mention(s.alice));
    expect_clean(r);
    EXPECT_TRUE(has(r, user_mention(s.alice))) << r;
    r = say(s.maria, "/okr status");
    expect_clean(r);
    EXPECT_TRUE(has(r, user_mention(s.alice))) << r;
    // The owner sets its value; someone else may not.
    r = say(s.alice, "/okr set KR1.1 8");
    expect_clean(r);
    EXPECT_FALSE(has(r, "Only")) << r;
    r = say(s.bob, "/okr set KR1.1 7");
    EXPECT_TRUE(has(r, "Only")) << r;
    EXPECT_TRUE(has(r, user_mention(s.alice))) << r;
    EXPECT_FALSE(has(r, "@@")) << r;
    r = say(s.alice, "/okr status alpha");
    expect_clean(r);
    EXPECT_TRUE(has(r, "8")) << r;
}

TEST_P(UserIdShapes, DependencyOwner) {
    std::string r = say(s.maria, "/dep add beta -> alpha \"Auth v2\" type=blocking due=2026-12-20 owner=" +
                                     user_mention(s.bob));
    expect_clean(r);
    EXPECT_TRUE(has(r, user_mention(s.bob))) << r;
    r = say(s.maria, "/dep list");
    expect_clean(r);
    EXPECT_TRUE(has(r, user_mention(s.bob))) << r;
}

TEST_P(UserIdShapes, EowdSignupListWithdraw) {
    std::string r = say(s.alice, "/eowd signup Parser rewrite -- naming ideas");
    expect_clean(r);
    r = say(s.bob, "/eowd list");
    expect_clean(r);
    EXPECT_TRUE(has(r, "Parser rewrite")) << r;
    EXPECT_TRUE(has(r, s.alice)) << r;
    r = say(s.alice, "/eowd withdraw");
    expect_clean(r);
    r = say(s.bob, "/eowd list");
    expect_clean(r);
    EXPECT_FALSE(has(r, "Parser rewrite")) << r;
}

TEST_P(UserIdShapes, LearningSessions) {
    std::string r = say(s.alice, "/learn propose Bandits in production");
    expect_clean(r);
    r = say(s.bob, "/learn list");
    expect_clean(r);
    EXPECT_TRUE(has(r, "Bandits in production")) << r;
    r = say(s.maria, "/learn pick 1");
    expect_clean(r);
}

TEST_P(UserIdShapes, RitualHelpInADmAndInTheTeamRoom) {
    std::string r = say(s.alice, "/ritual help");
    expect_clean(r);
    EXPECT_TRUE(has(r, "/okr")) << r;
    r = say(s.alice, "!ritual help", s.channel);
    expect_clean(r);
    EXPECT_TRUE(has(r, "/okr")) << r;
}

INSTANTIATE_TEST_SUITE_P(AllShapes, UserIdShapes, ::testing::Values(console_shape, slack_shape, matrix_shape),
                         [](const ::testing::TestParamInfo<id_shape>& info) { return info.param.name; });

}  // namespace

TEST(UserIdFromMention, EveryShape) {
    EXPECT_EQ(user_id_from_mention("@alice"), "alice");
    EXPECT_EQ(user_id_from_mention("alice"), "alice");
    EXPECT_EQ(user_id_from_mention("@U0ALICE01"), "U0ALICE01");
    EXPECT_EQ(user_id_from_mention("<@U0ALICE01>"), "U0ALICE01");
    EXPECT_EQ(user_id_from_mention("<@U0ALICE01|alice>"), "U0ALICE01");
    EXPECT_EQ(user_id_from_mention("@alice:example.org"), "@alice:example.org");
    EXPECT_EQ(user_mention("@alice:example.org"), "@alice:example.org");
    EXPECT_EQ(user_mention("U0ALICE01"), "@U0ALICE01");
}
