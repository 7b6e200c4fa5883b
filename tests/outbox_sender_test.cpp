#include <gtest/gtest.h>

#include <sqlite3.h>

#include <cstring>
#include <deque>

#include "bot/outbox_sender.hpp"
#include "storage/store.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using ritualbot::testing::at;

namespace {

// A platform that answers each delivery with the next scripted result.
class scripted_transport final : public transport {
public:
    std::deque<delivery_result> results;
    std::vector<std::string> delivered;  // users, in delivery order

    std::string platform() const override { return "console"; }
    void deliver(const outbox_row& row, std::function<void(delivery_result)> done) override {
        delivered.push_back(row.item.to.user);
        delivery_result r;
        r.ok = true;
        if (!results.empty()) {
            r = results.front();
            results.pop_front();
        }
        done(r);
    }
};

outgoing dm(const std::string& user) { return {{"console", destination_kind::direct, user, ""}, message("hi")}; }

}  // namespace

TEST(OutboxSender, ARetryableFailureIsTriedAgainOnceItsWaitHasPassed) {
    store db(":memory:");
    manual_clock clk(at("2026-11-19T10:00:00Z"));
    db.enqueue(dm("alice"), clk.now());
    scripted_transport t;
    t.results.push_back({false, true, std::chrono::seconds(0), "HTTP 503"});
    outbox_sender sender(db, clk);
    sender.add_transport(t);

    sender.flush();
    EXPECT_EQ(db.unsent_count(), 1);
    sender.flush();  // too soon: a failing row is not hammered on every flush
    EXPECT_EQ(t.delivered.size(), 1u);
    clk.advance(std::chrono::seconds(1));
    sender.flush();
    EXPECT_EQ(db.unsent_count(), 0);
    EXPECT_EQ(t.delivered, (std::vector<std::string>{"alice", "alice"}));
}

TEST(OutboxSender, ARowThatKeepsFailingIsSetAsideAfterTwoDaysAndTheOperatorCanRequeueIt) {
    store db(":memory:");
    manual_clock clk(at("2026-11-19T10:00:00Z"));
    db.enqueue(dm("alice"), clk.now());
    scripted_transport t;
    for (int i = 0; i < 1000; ++i) t.results.push_back({false, true, std::chrono::seconds(0), "HTTP 503"});
    outbox_sender sender(db, clk);
    sender.add_transport(t);
    int flushes = 0;
    while (db.set_aside_rows(10).empty() && flushes < 10000) {
        sender.flush();
        clk.advance(std::chrono::minutes(1));
        ++flushes;
    }
    auto aside = db.set_aside_rows(10);
    ASSERT_EQ(aside.size(), 1u);
    EXPECT_NE(aside[0].reason.find("gave up after"), std::string::npos) << aside[0].reason;
    EXPECT_NE(aside[0].reason.find("HTTP 503"), std::string::npos);
    // Backed off: a quarter of an hour at most between tries, so about 200 tries in 48 hours, not 2,880.
    EXPECT_LE(t.delivered.size(), 250u);
    EXPECT_GE(clk.now() - at("2026-11-19T10:00:00Z"), std::chrono::hours(47));
    EXPECT_EQ(sender.counters().at("console").set_aside, 1u);
    EXPECT_EQ(db.requeue(aside[0].id), 1);
    EXPECT_TRUE(db.set_aside_rows(10).empty());
    t.results.clear();
    sender.flush();
    EXPECT_EQ(db.unsent_count(), 0);
}

TEST(OutboxSender, ARefusedRowIsSetAsideAndTheRestStillGoes) {
    store db(":memory:");
    manual_clock clk(at("2026-11-19T10:00:00Z"));
    db.enqueue(dm("gone"), clk.now());
    db.enqueue(dm("bob"), clk.now());
    scripted_transport t;
    t.results.push_back({false, false, std::chrono::seconds(0), "channel_not_found"});
    outbox_sender sender(db, clk);
    sender.add_transport(t);

    sender.flush();
    sender.flush();
    // The refused row is never offered again; it stays in the table with its reason.
    EXPECT_EQ(t.delivered, (std::vector<std::string>{"gone", "bob"}));
    EXPECT_EQ(db.unsent("console", 10).size(), 0u);
    SQLite::Statement q(db.database(), "SELECT attempts, last_error FROM outbox WHERE user_id = 'gone'");
    ASSERT_TRUE(q.executeStep());
    EXPECT_EQ(q.getColumn(0).getInt(), -1);
    EXPECT_EQ(q.getColumn(1).getString(), "channel_not_found");
}

namespace {

// Holds every delivery to one user (a channel blocked for minutes by a
// Retry-After); delivers the others at once.
class one_blocked_transport final : public transport {
public:
    std::string blocked;
    std::vector<std::function<void(delivery_result)>> held;
    std::vector<std::string> delivered;
    std::string platform() const override { return "console"; }
    void deliver(const outbox_row& row, std::function<void(delivery_result)> done) override {
        if (row.item.to.user == blocked) return held.push_back(std::move(done));
        delivered.push_back(row.item.to.user);
        delivery_result ok;
        ok.ok = true;
        done(ok);
    }
};

}  // namespace

TEST(OutboxSender, OneBlockedDestinationsBacklogDoesNotHoldBackAnybodyElse) {
    store db(":memory:");
    manual_clock clk(at("2026-11-19T10:00:00Z"));
    for (int i = 0; i < 3000; ++i) db.enqueue(dm("alice"), clk.now());
    for (const char* u : {"bob", "carol", "dave"}) db.enqueue(dm(u), clk.now());
    one_blocked_transport t;
    t.blocked = "alice";
    outbox_sender sender(db, clk);
    sender.add_transport(t);
    sender.flush();
    EXPECT_EQ(t.delivered, (std::vector<std::string>{"bob", "carol", "dave"}));
    EXPECT_EQ(t.held.size(), static_cast<std::size_t>(outbox_sender::per_destination));
    // Alice's line moves on as her first messages go out, in order.
    int woken = 0;
    sender.set_wake([&] { ++woken; });
    for (auto& done : t.held) {
        delivery_result ok;
        ok.ok = true;
        done(ok);
    }
    EXPECT_EQ(woken, outbox_sender::per_destination);
    t.held.clear();
    sender.flush();
    EXPECT_EQ(t.held.size(), static_cast<std::size_t>(outbox_sender::per_destination));
    EXPECT_EQ(db.unsent_count(), 3000 - outbox_sender::per_destination);
}

namespace {

// A platform whose deliveries finish when the test says so.
class held_transport final : public transport {
public:
    std::vector<std::function<void(delivery_result)>> pending;
    std::string platform() const override { return "console"; }
    void deliver(const outbox_row&, std::function<void(delivery_result)> done) override {
        pending.push_back(std::move(done));
    }
};

void insert_behind_its_back(store& db, const std::string& user) {
    db.database().exec(
        "INSERT INTO outbox (platform, kind, user_id, channel, body, created_at) VALUES ('console', 'direct', '" +
        user + "', '', '[]', 0)");
}

}  // namespace

TEST(OutboxSender, AsksTheDatabaseAgainOnlyWhenSomethingChangedOrASecondPassed) {
    store db(":memory:");
    manual_clock clk(at("2026-11-19T10:00:00Z"));
    held_transport t;
    outbox_sender sender(db, clk);
    sender.add_transport(t);
    db.enqueue(dm("alice"), clk.now());
    EXPECT_EQ(sender.flush(), 1);
    EXPECT_EQ(sender.flush(), 0);

    insert_behind_its_back(db, "bob");  // not through this store: not seen at once
    EXPECT_EQ(sender.flush(), 0);
    db.enqueue(dm("carol"), clk.now());  // an enqueue: the database is asked, bob comes too
    EXPECT_EQ(sender.flush(), 2);

    insert_behind_its_back(db, "dan");
    EXPECT_EQ(sender.flush(), 0);
    clk.advance(std::chrono::seconds(1));  // a retry coming due is found within a second
    EXPECT_EQ(sender.flush(), 1);

    insert_behind_its_back(db, "erin");
    t.pending.front()({true, false, std::chrono::seconds(0), ""});  // a delivery finished
    EXPECT_EQ(sender.flush(), 1);
    insert_behind_its_back(db, "frank");
    sender.recheck();
    EXPECT_EQ(sender.flush(), 1);
    EXPECT_EQ(t.pending.size(), 6u);
}

namespace {

// A platform that keeps each delivery (its row) until the test finishes it.
class recording_transport final : public transport {
public:
    struct held {
        std::int64_t id;
        std::string user;
        std::function<void(delivery_result)> done;
    };
    std::vector<held> pending;
    std::string platform() const override { return "console"; }
    void deliver(const outbox_row& row, std::function<void(delivery_result)> done) override {
        pending.push_back({row.id, row.item.to.user, std::move(done)});
    }
    // Finishes the delivery of the n-th held row (ok).
    void finish(std::size_t n) {
        auto done = std::move(pending[n].done);
        pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(n));
        done({true, false, std::chrono::seconds(0), ""});
    }
    std::vector<std::int64_t> ids_for(const std::string& user) const {
        std::vector<std::int64_t> out;
        for (const auto& h : pending)
            if (h.user == user) out.push_back(h.id);
        return out;
    }
};

}  // namespace

// Between two reads of every unsent row, the sender reads only new rows and
// the lines of destinations that had a row delivered; the rule stays the same:
// a destination's oldest rows first, at most per_destination at a time.
TEST(OutboxSender, ANewRowBehindAFullLineWaitsItsTurnAndTheLineMovesWhenOneIsDelivered) {
    store db(":memory:");
    manual_clock clk(at("2026-11-19T10:00:00Z"));
    recording_transport t;
    outbox_sender sender(db, clk);
    sender.add_transport(t);
    std::vector<std::int64_t> alice;
    for (int i = 0; i < 4; ++i) alice.push_back(db.enqueue(dm("alice"), clk.now()));
    EXPECT_EQ(sender.flush(), outbox_sender::per_destination);
    EXPECT_EQ(t.ids_for("alice"), (std::vector<std::int64_t>{alice[0], alice[1], alice[2]}));

    alice.push_back(db.enqueue(dm("alice"), clk.now()));
    const std::int64_t bob = db.enqueue(dm("bob"), clk.now());
    EXPECT_EQ(sender.flush(), 1);  // bob's; alice's new row is fifth in her line
    EXPECT_EQ(t.ids_for("bob"), (std::vector<std::int64_t>{bob}));

    t.finish(0);  // alice's first
    EXPECT_EQ(sender.flush(), 1);
    EXPECT_EQ(t.ids_for("alice"), (std::vector<std::int64_t>{alice[1], alice[2], alice[3]}));
    t.finish(0);
    t.finish(0);
    EXPECT_EQ(sender.flush(), 1);  // her fifth: the fourth was handed over already
    EXPECT_EQ(t.ids_for("alice"), (std::vector<std::int64_t>{alice[3], alice[4]}));
    EXPECT_EQ(sender.flush(), 0);
}

TEST(OutboxSender, RowsLeftOutForWantOfRoomGoWhenRoomIsFreeAgain) {
    store db(":memory:");
    manual_clock clk(at("2026-11-19T10:00:00Z"));
    recording_transport t;
    outbox_sender sender(db, clk);
    sender.add_transport(t);
    const int rows = static_cast<int>(outbox_sender::max_in_flight) + 100;
    for (int i = 0; i < rows; ++i) db.enqueue(dm("u" + std::to_string(i)), clk.now());
    int handed = sender.flush();
    EXPECT_LT(handed, rows);  // no more than there is room for
    // Deliveries finish a few at a time, as a platform's answers come back;
    // the clock stands still, so no row waits for the once-a-second read.
    while (!t.pending.empty()) {
        for (int k = 0; k < 40 && !t.pending.empty(); ++k) t.finish(0);
        handed += sender.flush();
    }
    EXPECT_EQ(handed, rows);
    EXPECT_EQ(db.unsent_count(), 0);
}

namespace {

// Counts the statements run on a store's connection whose SQL contains `needle`.
struct statement_counter {
    std::string needle;
    int count = 0;
    statement_counter(store& db, std::string what) : needle(std::move(what)), db_(db) {
        sqlite3_trace_v2(db_.database().getHandle(), SQLITE_TRACE_STMT, &on_statement, this);
    }
    ~statement_counter() { sqlite3_trace_v2(db_.database().getHandle(), 0, nullptr, nullptr); }
    static int on_statement(unsigned, void* self, void* stmt, void*) {
        auto* c = static_cast<statement_counter*>(self);
        if (const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(stmt)); sql && std::strstr(sql, c->needle.c_str()))
            ++c->count;
        return 0;
    }

private:
    store& db_;
};

}  // namespace

// Under a backlog, a delivery that finishes does not make the next flush
// number every unsent row again (ROW_NUMBER over the platform's backlog):
// that read happens once a second, the rest reads one destination's line.
TEST(OutboxSender, ADeliveryUnderABacklogReadsItsLineNotTheWholeBacklog) {
    store db(":memory:");
    manual_clock clk(at("2026-11-19T10:00:00Z"));
    for (int i = 0; i < 200; ++i) db.enqueue(dm("alice"), clk.now());
    recording_transport t;
    outbox_sender sender(db, clk);
    sender.add_transport(t);
    statement_counter whole(db, "ROW_NUMBER()");
    EXPECT_EQ(sender.flush(), outbox_sender::per_destination);
    EXPECT_EQ(whole.count, 1);
    for (int i = 0; i < 20; ++i) {
        t.finish(0);
        EXPECT_EQ(sender.flush(), 1);
    }
    EXPECT_EQ(whole.count, 1);  // twenty deliveries, no whole read
    clk.advance(std::chrono::seconds(1));
    t.finish(0);
    EXPECT_EQ(sender.flush(), 1);
    EXPECT_EQ(whole.count, 2);  // a second later, once
    EXPECT_EQ(db.unsent_count(), 200 - 21);
}
