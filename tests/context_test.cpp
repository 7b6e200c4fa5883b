#include <gtest/gtest.h>

#include "bot/clock.hpp"
#include "handlers/context.hpp"
#include "storage/store.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using ritualbot::testing::at;

namespace {

team_config team_on(std::string name, std::string platform, std::vector<std::string> members) {
    team_config t;
    t.name = std::move(name);
    t.platform = std::move(platform);
    t.members = std::move(members);
    return t;
}

}  // namespace

TEST(Context, AUserIsReachedOnTheirFirstTeamsPlatform) {
    config cfg;
    cfg.teams = {team_on("gamma", "matrix", {"@alice:example.org"}), team_on("alpha", "slack", {"U0BOB"})};
    store db(":memory:");
    manual_clock clk(at("2026-11-19T10:00:00Z"));
    handler_context ctx(cfg, db, clk);
    EXPECT_EQ(ctx.platform_of("@alice:example.org"), "matrix");
    EXPECT_EQ(ctx.platform_of("U0BOB"), "slack");
}

TEST(Context, SomeoneOutsideEveryTeamIsReachedWhereTheirIdBelongs) {
    config cfg;
    cfg.teams = {team_on("alpha", "slack", {"U0BOB"}), team_on("gamma", "matrix", {"@alice:example.org"})};
    store db(":memory:");
    manual_clock clk(at("2026-11-19T10:00:00Z"));
    handler_context ctx(cfg, db, clk);
    EXPECT_EQ(ctx.platform_of("@olga:example.org"), "matrix");  // an org admin in no team
    EXPECT_EQ(ctx.platform_of("U0ADMIN"), "slack");
    EXPECT_EQ(ctx.platform_of("olga"), "slack");  // no telling: the first team's platform

    config console_only;
    console_only.teams = {team_on("alpha", "console", {"alice"})};
    handler_context console_ctx(console_only, db, clk);
    EXPECT_EQ(console_ctx.platform_of("UADMIN"), "console");
}
