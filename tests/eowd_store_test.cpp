#include <gtest/gtest.h>

#include "storage/eowd_store.hpp"
#include "storage/store.hpp"

using namespace ritualbot;

namespace {

eowd_signup_row signup(const std::string& member, const std::string& topic) {
    eowd_signup_row r;
    r.team = "alpha";
    r.week = "2026-W47";
    r.member = member;
    r.topic = topic;
    return r;
}

}  // namespace

TEST(EowdStore, SignUpsKeepTheirOrderAndAnUpdateKeepsItsPlace) {
    store db(":memory:");
    eowd_store eowds(db);
    EXPECT_EQ(eowds.save_signup(signup("alice", "A")).seq, 1);
    EXPECT_EQ(eowds.save_signup(signup("bob", "B")).seq, 2);
    auto again = *eowds.find_signup("alpha", "2026-W47", "alice");
    again.topic = "A2";
    again.kind = "notebook";
    eowds.save_signup(again);
    auto all = eowds.signups("alpha", "2026-W47");
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].member, "alice");
    EXPECT_EQ(all[0].topic, "A2");
    EXPECT_EQ(all[0].kind, "notebook");
    EXPECT_TRUE(eowds.remove_signup("alpha", "2026-W47", "alice"));
    EXPECT_FALSE(eowds.remove_signup("alpha", "2026-W47", "alice"));
    EXPECT_EQ(eowds.save_signup(signup("alice", "back")).seq, 3);  // the end of the queue
    EXPECT_TRUE(eowds.signups("alpha", "2026-W48").empty());
    EXPECT_TRUE(eowds.signups("beta", "2026-W47").empty());
}

TEST(EowdStore, ARolledBackTransactionLeavesNoSignUpOrPick) {
    store db(":memory:");
    eowd_store eowds(db);
    {
        auto tx = db.begin();
        eowds.save_signup(signup("alice", "A"));
        const auto id = eowds.add_proposal({0, "alpha", "alice", "Bandits", instant{}});
        eowds.pick({"alpha", "2026-12", id, "maria", instant{}});
    }  // no commit
    EXPECT_TRUE(eowds.signups("alpha", "2026-W47").empty());
    EXPECT_TRUE(eowds.proposals("alpha").empty());
    EXPECT_FALSE(eowds.session("alpha", "2026-12"));
}

TEST(EowdStore, ProposalsAndPicks) {
    store db(":memory:");
    eowd_store eowds(db);
    const auto a = eowds.add_proposal({0, "alpha", "alice", "Bandits", instant{}});
    const auto b = eowds.add_proposal({0, "alpha", "bob", "Airflow", instant{}});
    eowds.add_proposal({0, "beta", "dave", "Other team", instant{}});
    EXPECT_EQ(eowds.proposals("alpha").size(), 2u);
    eowds.pick({"alpha", "2026-12", a, "maria", instant{}});
    eowds.pick({"alpha", "2026-12", b, "maria", instant{}});  // replaces
    eowds.pick({"alpha", "2026-11", a, "maria", instant{}});
    auto s = eowds.session("alpha", "2026-12");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->proposal_id, b);
    auto all = eowds.sessions("alpha");
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].month, "2026-11");
    EXPECT_EQ(eowds.find_proposal(a)->topic, "Bandits");
    EXPECT_FALSE(eowds.find_proposal(999));
}
