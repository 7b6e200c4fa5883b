#include <gtest/gtest.h>

#include "storage/dependency_store.hpp"
#include "storage/migrations.hpp"
#include "storage/store.hpp"

using namespace ritualbot;

namespace {

const instant t0 = instant(std::chrono::seconds(1795000000));

dependency_row sample() {
    dependency_row d;
    d.provider = "platform";
    d.consumer = "alpha";
    d.what = "Auth v2";
    d.type = dep_type::non_blocking;
    d.status = dep_status::in_progress;
    d.due = "2026-12-01";
    d.owner = "pat";
    d.created_by = "maria";
    d.created_at = d.updated_at = t0;
    return d;
}

}  // namespace

TEST(DepStore, RoundTripsEveryField) {
    store db(":memory:");
    dependency_store deps(db);
    const std::int64_t id = deps.add(sample());
    auto d = deps.find(id);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->provider, "platform");
    EXPECT_EQ(d->consumer, "alpha");
    EXPECT_EQ(d->what, "Auth v2");
    EXPECT_EQ(d->type, dep_type::non_blocking);
    EXPECT_EQ(d->status, dep_status::in_progress);
    EXPECT_EQ(d->due, "2026-12-01");
    EXPECT_EQ(d->owner, "pat");
    EXPECT_EQ(d->created_at, t0);
    EXPECT_FALSE(d->resolved_at);

    d->status = dep_status::done;
    d->resolved_at = t0 + std::chrono::hours(1);
    deps.update(*d);
    EXPECT_EQ(deps.find(id)->resolved_at, t0 + std::chrono::hours(1));
    EXPECT_EQ(deps.involving("alpha").size(), 1u);
    EXPECT_EQ(deps.involving("platform").size(), 1u);
    EXPECT_TRUE(deps.involving("beta").empty());
    EXPECT_FALSE(deps.find(id + 1));
}

TEST(DepStore, AnAlertIsClaimedOncePerConditionSubjectAndWeek) {
    store db(":memory:");
    dependency_store deps(db);
    EXPECT_TRUE(deps.claim_alert("due_soon", "1", "2026-W47", t0));
    EXPECT_FALSE(deps.claim_alert("due_soon", "1", "2026-W47", t0));
    EXPECT_TRUE(deps.claim_alert("due_soon", "1", "2026-W48", t0));
    EXPECT_TRUE(deps.claim_alert("past_due", "1", "2026-W47", t0));
    EXPECT_TRUE(deps.claim_alert("due_soon", "2", "2026-W47", t0));
}

TEST(DepStore, AClaimRollsBackWithItsTransaction) {
    store db(":memory:");
    dependency_store deps(db);
    {
        auto tx = db.begin();
        EXPECT_TRUE(deps.claim_alert("hidden", "platform->alpha", "2026-W47", t0));
        // no commit: the alert's outbox row and its claim vanish together
    }
    EXPECT_FALSE(deps.alert_claimed("hidden", "platform->alpha", "2026-W47"));
    {
        auto tx = db.begin();
        EXPECT_TRUE(deps.claim_alert("hidden", "platform->alpha", "2026-W47", t0));
        tx->commit();
    }
    EXPECT_TRUE(deps.alert_claimed("hidden", "platform->alpha", "2026-W47"));
}

TEST(DepStore, InvalidValuesAreRejectedByTheSchema) {
    store db(":memory:");
    EXPECT_EQ(db.schema_version(), newest_schema_version());
    EXPECT_THROW(db.database().exec("INSERT INTO dependencies (provider, consumer, what, type, created_by, created_at, "
                                    "updated_at) VALUES ('a', 'b', 'c', 'urgent', 'm', 0, 0)"),
                 SQLite::Exception);
}
