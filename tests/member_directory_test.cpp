// The Slack users the bot knows (bot/slack/member_directory): one entry per
// user, people with a usable zone being the config's learned_zones itself.
#include <gtest/gtest.h>

#include "bot/slack/member_directory.hpp"
#include "config/config.hpp"
#include "storage/slack_user_store.hpp"
#include "storage/store.hpp"

using namespace ritualbot;
using namespace ritualbot::slack;

namespace {

slack_user_row user(std::string id, std::string tz, bool is_bot = false, bool deleted = false) {
    return {std::move(id), std::move(tz), is_bot, deleted};
}

const std::string* learned(const config& cfg, const std::string& id) {
    const auto* zone = cfg.learned_zones.find(id);
    return zone ? *zone : nullptr;
}

}  // namespace

TEST(MemberDirectory, EachUserIsKeptOnceAndOnlyChangesCount) {
    config cfg;
    member_directory dir(cfg);
    EXPECT_TRUE(dir.update(user("U1", "Europe/Paris")));
    EXPECT_TRUE(dir.update(user("U2", "")));                  // no zone given
    EXPECT_TRUE(dir.update(user("U3", "Mars/Olympus_Mons")));  // not in the tz database
    EXPECT_TRUE(dir.update(user("B1", "UTC", true)));          // a bot
    EXPECT_EQ(dir.size(), 4u);
    for (const char* id : {"U1", "U2", "U3", "B1"}) EXPECT_TRUE(dir.known(id)) << id;
    EXPECT_FALSE(dir.known("U9"));
    // Only the person with a usable zone is in the config.
    ASSERT_NE(learned(cfg, "U1"), nullptr);
    EXPECT_EQ(*learned(cfg, "U1"), "Europe/Paris");
    EXPECT_EQ(cfg.learned_zones.size(), 1u);
    EXPECT_EQ(dir.unknown_zones(), 1u);
    EXPECT_TRUE(dir.not_a_person("B1"));
    EXPECT_FALSE(dir.not_a_person("U1"));
    EXPECT_FALSE(dir.not_a_person("U2"));

    // The same again changes nothing.
    EXPECT_FALSE(dir.update(user("U1", "Europe/Paris")));
    EXPECT_FALSE(dir.update(user("U2", "")));
    EXPECT_FALSE(dir.update(user("U3", "Mars/Olympus_Mons")));
    EXPECT_FALSE(dir.update(user("B1", "UTC", true)));
    EXPECT_EQ(dir.unknown_zones(), 1u);  // warned about once
}

TEST(MemberDirectory, UsersMoveBetweenTheConfigAndTheRestAsTheyChange) {
    config cfg;
    member_directory dir(cfg);
    ASSERT_TRUE(dir.update(user("U1", "Europe/Paris")));
    // A new zone.
    EXPECT_TRUE(dir.update(user("U1", "Asia/Tokyo")));
    EXPECT_EQ(*learned(cfg, "U1"), "Asia/Tokyo");
    // Deactivated: out of the config, not a person, still known.
    EXPECT_TRUE(dir.update(user("U1", "Asia/Tokyo", false, true)));
    EXPECT_EQ(learned(cfg, "U1"), nullptr);
    EXPECT_TRUE(dir.not_a_person("U1"));
    EXPECT_TRUE(dir.known("U1"));
    EXPECT_EQ(dir.size(), 1u);
    // Back, with a zone: in the config again, a person again.
    EXPECT_TRUE(dir.update(user("U1", "Asia/Tokyo")));
    EXPECT_EQ(*learned(cfg, "U1"), "Asia/Tokyo");
    EXPECT_FALSE(dir.not_a_person("U1"));
    EXPECT_EQ(dir.size(), 1u);
    // The zone taken away: the team's zone serves.
    EXPECT_TRUE(dir.update(user("U1", "")));
    EXPECT_EQ(learned(cfg, "U1"), nullptr);
    EXPECT_TRUE(dir.known("U1"));
    EXPECT_EQ(dir.size(), 1u);
}

TEST(MemberDirectory, ChannelTeamsLoseBotsAndDeactivatedUsers) {
    config cfg;
    team_config from_channel;
    from_channel.name = "alpha";
    from_channel.platform = "slack";
    from_channel.members_from_channel = true;
    from_channel.members = {"U1", "B1", "U2", "U3"};
    team_config listed = from_channel;
    listed.name = "beta";
    listed.members_from_channel = false;  // the config's own list is left as written
    cfg.teams = {from_channel, listed};
    member_directory dir(cfg);
    dir.update(user("U1", "UTC"));
    dir.update(user("B1", "UTC", true));
    dir.update(user("U2", "UTC", false, true));
    dir.filter_channel_teams();
    EXPECT_EQ(cfg.teams[0].members, (std::vector<std::string>{"U1", "U3"}));  // U3: not known yet, kept
    EXPECT_EQ(cfg.teams[1].members.size(), 4u);
}

// The start-up load: the stored users in id order into reserved room, read
// through a small page cache that is set back afterwards.
TEST(MemberDirectory, StoredUsersLoadIntoPlaceAndTheCacheIsSetBack) {
    store db(":memory:");
    slack_user_store users(db);
    std::vector<slack_user_row> rows;
    for (int i = 0; i < 5000; ++i)
        rows.push_back(user("U" + std::to_string(100000 + i * 7 % 5000), i % 10 == 0 ? "" : "Asia/Tokyo", i % 50 == 1));
    users.save(rows, instant{});
    const int cache_before = db.database().execAndGet("PRAGMA cache_size").getInt();

    config cfg;
    member_directory dir(cfg);
    dir.reserve(static_cast<std::size_t>(users.count()));
    users.for_each([&](const slack_user_row& u) { dir.update(u); });

    EXPECT_EQ(dir.size(), 5000u);
    EXPECT_EQ(cfg.learned_zones.size(), 5000u - 500u - 100u);  // less those without a zone, and bots
    for (const auto& r : rows) {
        EXPECT_TRUE(dir.known(r.id)) << r.id;
        const bool person_with_zone = !r.timezone.empty() && !r.is_bot;
        EXPECT_EQ(learned(cfg, r.id) != nullptr, person_with_zone) << r.id;
    }
    EXPECT_EQ(db.database().execAndGet("PRAGMA cache_size").getInt(), cache_before);
}
