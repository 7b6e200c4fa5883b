#include <gtest/gtest.h>

#include "storage/dependency_store.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;

namespace {

const char* const teams = R"(
[org]
admins = ["olga"]

[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
managers = ["maria"]
members = ["alice"]

[[teams]]
name = "beta"
channel = "#beta"
timezone = "America/New_York"
managers = ["mike"]
members = ["carol"]

[[teams]]
name = "platform"
channel = "#platform"
managers = ["paula"]
members = ["pat"]
aliases = ["infra"]
)";

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

}  // namespace

TEST(DepCommand, AddStoresEveryField) {
    test_bot bot(teams, "2026-11-16T08:00:00Z");
    bot.say("maria", "/dep add platform -> alpha \"Auth v2\" type=blocking due=2026-12-20 owner=@pat");
    EXPECT_TRUE(has(bot.last_text_to("@maria"), "Registered #1: platform \u2500\u2500blocks\u2500\u2500\u25B6 alpha (Auth v2, due Dec 20) MEDIUM"));
    auto dep = dependency_store(*bot.db).find(1);
    ASSERT_TRUE(dep);
    EXPECT_EQ(dep->provider, "platform");
    EXPECT_EQ(dep->consumer, "alpha");
    EXPECT_EQ(dep->what, "Auth v2");
    EXPECT_EQ(dep->type, dep_type::blocking);
    EXPECT_EQ(dep->status, dep_status::not_started);
    EXPECT_EQ(dep->due, "2026-12-20");
    EXPECT_EQ(dep->owner, "pat");
    EXPECT_EQ(dep->created_by, "maria");
}

TEST(DepCommand, OwnerMayBeAMatrixId) {
    test_bot bot(teams, "2026-11-16T08:00:00Z");
    bot.say("maria", "/dep add platform -> alpha \"Auth v2\" type=blocking due=2026-12-20 owner=@pat:example.org");
    auto dep = dependency_store(*bot.db).find(1);
    ASSERT_TRUE(dep) << bot.last_text_to("@maria");
    EXPECT_EQ(dep->owner, "@pat:example.org");
    EXPECT_TRUE(has(bot.last_text_to("@maria"), "owner @pat:example.org.")) << bot.last_text_to("@maria");
    EXPECT_FALSE(has(bot.last_text_to("@maria"), "@@"));
    bot.say("maria", "/dep list");
    EXPECT_TRUE(has(bot.last_text_to("@maria"), "@pat:example.org"));
    EXPECT_FALSE(has(bot.last_text_to("@maria"), "@@"));
}

TEST(DepCommand, AddAcceptsAliasesChannelsAndAnArrowWithoutSpaces) {
    test_bot bot(teams, "2026-11-16T08:00:00Z");
    bot.say("mike", "!dep add infra->#beta Event bus type=NON-BLOCKING", "#beta");
    EXPECT_TRUE(has(bot.last_text_to("@mike"), "Registered #1: platform \u2500\u2500feeds\u2500\u2500\u25B6 beta (Event bus) LOW"));
}

TEST(DepCommand, OnlyManagersOfEitherTeamMayEdit) {
    test_bot bot(teams, "2026-11-16T08:00:00Z");
    bot.say("mike", "/dep add platform -> alpha \"Auth v2\" type=blocking");
    EXPECT_TRUE(has(bot.last_text_to("@mike"), "Only managers of platform or alpha"));
    bot.say("alice", "/dep add platform -> alpha \"Auth v2\" type=blocking");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Only managers"));
    bot.say("olga", "/dep add platform -> alpha \"Auth v2\" type=blocking");
    EXPECT_TRUE(has(bot.last_text_to("@olga"), "Only managers"));
    EXPECT_EQ(dependency_store(*bot.db).count(), 0);

    bot.say("paula", "/dep add platform -> alpha \"Auth v2\" type=blocking");  // provider's manager
    bot.sent();
    bot.say("alice", "/dep status 1 done");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Only its owner and the managers of platform or alpha may change #1"));
    bot.say("mike", "/dep due 1 2026-12-01");
    EXPECT_TRUE(has(bot.last_text_to("@mike"), "Only managers"));
    bot.say("maria", "/dep status 1 in-progress");  // consumer's manager
    EXPECT_TRUE(has(bot.last_text_to("@maria"), "#1 is now in-progress"));
    // Everyone reads.
    bot.say("carol", "/dep list");
    EXPECT_TRUE(has(bot.last_text_to("@carol"), "Auth v2"));
}

TEST(DepCommand, TheOwnerMaySetTheStatus) {
    test_bot bot(teams, "2026-11-16T08:00:00Z");
    bot.say("maria", "/dep add platform -> alpha \"Auth v2\" type=blocking owner=@pat");
    bot.sent();
    bot.say("pat", "/dep status 1 in-progress");
    EXPECT_TRUE(has(bot.last_text_to("@pat"), "#1 is now in-progress")) << bot.last_text_to("@pat");
    EXPECT_EQ(dependency_store(*bot.db).find(1)->status, dep_status::in_progress);
    // The due date stays with the managers.
    bot.say("pat", "/dep due 1 2026-12-01");
    EXPECT_TRUE(has(bot.last_text_to("@pat"), "Only managers of platform or alpha may change #1"));
}

TEST(DepCommand, StatusRecordsWhenItWasResolvedAndReopened) {
    test_bot bot(teams, "2026-11-16T08:00:00Z");
    bot.say("maria", "/dep add platform -> alpha \"Auth v2\" type=blocking");
    bot.say("maria", "/dep status #1 available");
    dependency_store deps(*bot.db);
    EXPECT_TRUE(deps.find(1)->resolved_at.has_value());
    bot.say("maria", "/dep status 1 in-progress");
    EXPECT_FALSE(deps.find(1)->resolved_at.has_value());
}

TEST(DepCommand, DueChangesAndClearsTheDate) {
    test_bot bot(teams, "2026-11-16T08:00:00Z");
    bot.say("maria", "/dep add platform -> alpha \"Auth v2\" type=blocking due=2026-12-20");
    bot.say("maria", "/dep due 1 2027-01-15");
    EXPECT_TRUE(has(bot.last_text_to("@maria"), "#1 is now due Jan 15"));
    bot.say("maria", "/dep due 1 none");
    EXPECT_TRUE(has(bot.last_text_to("@maria"), "#1 now has no due date"));
    EXPECT_EQ(dependency_store(*bot.db).find(1)->due, "");
}

TEST(DepCommand, MalformedCommandsGetTheirUsage) {
    test_bot bot(teams, "2026-11-16T08:00:00Z");
    const std::vector<std::pair<std::string, std::string>> cases{
        {"/dep add", "Name the providing team"},
        {"/dep add platform alpha \"x\" type=blocking", "Name the providing team"},
        {"/dep add nosuch -> alpha \"x\" type=blocking", "no team called 'nosuch'"},
        {"/dep add platform -> alpha \"x\" type=urgent", "type must be blocking, non-blocking or soft"},
        {"/dep add platform -> alpha \"x\"", "type=blocking"},
        {"/dep add platform -> alpha type=blocking", "Say what is needed"},
        {"/dep add platform -> alpha \"x\" type=blocking due=next-week", "due must be a date"},
        {"/dep add platform -> alpha \"x\" type=blocking due=2026-02-30", "due must be a date"},
        {"/dep add platform -> alpha \"x\" type=blocking owner=@", "owner must be a user"},
        {"/dep add platform -> alpha \"x\" type=blocking type=soft", "type is given twice"},
        {"/dep add alpha -> alpha \"x\" type=blocking", "cannot depend on itself"},
        {"/dep add platform -> alpha \"" + std::string(300, 'x') + "\" type=blocking", "keep it under 200"},
        {"/dep status", "Give a dependency number and a status"},
        {"/dep status 1 shipped", "not-started, in-progress, available, done"},
        {"/dep status abc done", "is not a dependency number"},
        {"/dep status 99 done", "There is no dependency #99"},
        {"/dep due 1", "Give a dependency number and a date"},
        {"/dep due 1 soon", "looks like 2026-12-08"},
        {"/dep list nosuch", "no team called 'nosuch'"},
        {"/dep graph alpha beta", "at most one team"},
        {"/dep frobnicate", "I don't understand /dep frobnicate"},
        {"/dep add platform -> alpha \"unclosed type=blocking", "a quote is not closed"},
    };
    for (const auto& [command, expected] : cases) {
        bot.say("maria", command);
        const std::string reply = bot.last_text_to("@maria");
        EXPECT_TRUE(has(reply, expected)) << command << "\n---\n" << reply;
    }
    EXPECT_EQ(dependency_store(*bot.db).count(), 0);
}

TEST(DepCommand, HugeCommandIsRefused) {
    test_bot bot(teams, "2026-11-16T08:00:00Z");
    bot.say("maria", "/dep add platform -> alpha " + std::string(5000, 'x') + " type=blocking");
    EXPECT_TRUE(has(bot.last_text_to("@maria"), "characters long"));
    EXPECT_EQ(dependency_store(*bot.db).count(), 0);
}

TEST(DepCommand, HelpExplainsEveryCommand) {
    test_bot bot(teams, "2026-11-16T08:00:00Z");
    for (const char* text : {"/dep", "/dep help", "/dep HELP"}) {
        bot.say("alice", text);
        const std::string reply = bot.last_text_to("@alice");
        for (const char* word : {"/dep add", "/dep status", "/dep due", "/dep list", "/dep risks", "/dep graph"})
            EXPECT_TRUE(has(reply, word)) << text << " lacks " << word;
    }
    bot.say("alice", "/ritual help");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "/dep add <provider> -> <consumer>"));
}

TEST(DepCommand, RisksListsOpenOnesHighestFirst) {
    test_bot bot(teams, "2026-11-16T08:00:00Z");
    bot.say("maria", "/dep add platform -> alpha \"Theme\" type=soft");                         // low
    bot.say("maria", "/dep add platform -> alpha \"Auth v2\" type=blocking due=2027-02-01");   // medium
    bot.say("maria", "/dep add beta -> alpha \"Export\" type=blocking due=2026-11-25");        // high
    bot.say("maria", "/dep add beta -> alpha \"Done thing\" type=blocking");
    bot.say("maria", "/dep status 4 done");                                                    // none
    bot.say("mike", "/dep add platform -> beta \"Queue\" type=blocking due=2026-11-20");       // high, earlier
    bot.sent();
    bot.say("alice", "/dep risks alpha");
    const std::string alpha = bot.last_text_to("@alice");
    const auto high = alpha.find("HIGH  #3 beta");
    const auto medium = alpha.find("MEDIUM  #2 platform");
    const auto low = alpha.find("LOW  #1 platform");
    ASSERT_NE(high, std::string::npos) << alpha;
    ASSERT_NE(medium, std::string::npos) << alpha;
    ASSERT_NE(low, std::string::npos) << alpha;
    EXPECT_LT(high, medium);
    EXPECT_LT(medium, low);
    EXPECT_FALSE(has(alpha, "Done thing"));
    EXPECT_FALSE(has(alpha, "Queue"));  // not alpha's

    bot.say("alice", "/dep risks");
    const std::string all = bot.last_text_to("@alice");
    EXPECT_LT(all.find("HIGH  #5"), all.find("HIGH  #3"));  // due earlier first
}

TEST(DepCommand, GraphShowsWhoBlocksWhom) {
    test_bot bot(teams, "2026-11-16T08:00:00Z");
    bot.say("maria", "/dep add platform -> alpha \"Auth v2\" type=blocking due=2026-11-30");  // 14 days: high
    bot.say("mike", "/dep add alpha -> beta \"User API\" type=non-blocking");
    bot.say("mike", "/dep add platform -> beta \"Old\" type=blocking");
    bot.say("mike", "/dep status 3 available");
    bot.sent();
    bot.say("carol", "/dep graph");
    const std::string g = bot.last_text_to("@carol");
    // One line per open dependency, grouped by provider.
    EXPECT_TRUE(has(g, "alpha \u2500\u2500feeds\u2500\u2500\u25B6 beta (User API) LOW\n"
                       "platform \u2500\u2500blocks\u2500\u2500\u25B6 alpha (Auth v2, due Nov 30) HIGH\n"))
        << g;
    EXPECT_FALSE(has(g, "Old"));
    bot.say("carol", "/dep graph #beta");
    const std::string beta = bot.last_text_to("@carol");
    EXPECT_TRUE(has(beta, "User API"));
    EXPECT_FALSE(has(beta, "Auth v2"));
}

TEST(DepCommand, ListShowsATableAndSaysWhenEmpty) {
    test_bot bot(teams, "2026-11-16T08:00:00Z");
    bot.say("carol", "/dep list");
    EXPECT_TRUE(has(bot.last_text_to("@carol"), "No dependencies registered in any team."));
    bot.say("maria", "/dep add platform -> alpha \"Auth v2\" type=blocking owner=pat");
    bot.sent();
    bot.say("carol", "/dep list alpha");
    const std::string l = bot.last_text_to("@carol");
    EXPECT_TRUE(has(l, "Dependencies \u2014 alpha"));
    EXPECT_TRUE(has(l, "provider  consumer  what"));
    EXPECT_TRUE(has(l, "@pat"));
    bot.say("carol", "/dep list beta");
    EXPECT_TRUE(has(bot.last_text_to("@carol"), "No dependencies registered for beta"));
}

TEST(DepConfig, AliasesAndAdminsAreRead) {
    auto cfg = must_load(teams);
    EXPECT_EQ(cfg.org.admins, std::vector<std::string>{"olga"});
    EXPECT_TRUE(cfg.is_admin("olga"));
    EXPECT_FALSE(cfg.is_admin("maria"));
    EXPECT_EQ(cfg.find_team("platform")->aliases, std::vector<std::string>{"infra"});
}

TEST(DepConfig, BadAliasesAndAdminsAreRejectedWithTheirLine) {
    auto errors_of = [](const std::string& toml) {
        std::string all;
        for (const auto& e : load_config_string(toml, "t.toml").errors) all += format_config_error("t.toml", e) + "\n";
        return all;
    };
    const std::string base = "[[teams]]\nname = \"alpha\"\nchannel = \"#alpha\"\nmembers = [\"a\"]\n";
    EXPECT_TRUE(has(errors_of(base + "aliases = [\"beta\"]\n[[teams]]\nname = \"beta\"\nchannel = \"#beta\"\nmembers = [\"b\"]\n"),
                    "t.toml:5: team 'alpha': alias 'beta' is already a name or alias of team 'beta'"));
    EXPECT_TRUE(has(errors_of(base + "aliases = [\"#plat\"]\n"), "t.toml:5: team 'alpha': alias '#plat' must be words"));
    EXPECT_TRUE(has(errors_of(base + "aliases = \"plat\"\n"), "must be a list of strings"));
    EXPECT_TRUE(has(errors_of(base + "[org]\nadmins = [\"@olga\"]\n"), "t.toml:6: [org] admins: '@olga' is not a valid user id"));
    EXPECT_TRUE(has(errors_of(base + "[org]\nadmin = [\"olga\"]\n"), "t.toml:6: unknown key 'admin' in [org]"));
    EXPECT_TRUE(errors_of(base + "aliases = [\"ML team\", \"a-team\"]\n[org]\nadmins = [\"olga\"]\n").empty());
}

TEST(DepConfig, ExampleConfigLoads) {
    auto r = load_config_file(std::string(RITUALBOT_SOURCE_DIR) + "/config/example.toml");
    ASSERT_TRUE(r.cfg) << (r.errors.empty() ? "" : r.errors[0].message);
    EXPECT_FALSE(r.cfg->org.admins.empty());
}
