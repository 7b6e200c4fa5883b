// id_map: the compact map of per-member state (learned zones, DM channels).
// Checked against std::map over random inserts, updates and erases that
// cross its merges, with ids short and long.
#include "config/id_map.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

namespace ritualbot {
namespace {

TEST(ShortId, KeepsTheIdAndItsByteOrder) {
    for (std::string id : {"", "U", "U024BE7LH", "W0123456789ABCDE", "0123456789abcdef", "é✓"})
        EXPECT_EQ(short_id(id).str(), id);
    EXPECT_LT(short_id("U1"), short_id("U10"));
    EXPECT_LT(short_id("U10"), short_id("U2"));
    EXPECT_LT(short_id("A"), short_id("\xff"));  // bytes compare unsigned, as std::string and SQLite do
    EXPECT_TRUE(short_id::fits("0123456789abcdef"));
    EXPECT_FALSE(short_id::fits("0123456789abcdefg"));
    EXPECT_FALSE(short_id::fits(std::string("U\0X", 3)));
}

TEST(IdMap, FindTryEmplaceEraseAndLongIds) {
    id_map<int> m;
    EXPECT_TRUE(m.empty());
    EXPECT_EQ(m.find("U1"), nullptr);
    auto [v, added] = m.try_emplace("U1", 1);
    EXPECT_TRUE(added);
    EXPECT_EQ(*v, 1);
    auto [again, added_again] = m.try_emplace("U1", 2);
    EXPECT_FALSE(added_again);
    EXPECT_EQ(*again, 1);  // try_emplace keeps what is there
    m.insert_or_assign("U1", 3);
    EXPECT_EQ(*m.find("U1"), 3);

    const std::string matrix_id = "@someone.with.a.long.name:example.org";
    const std::string with_nul("U\0X", 3);
    m.insert_or_assign(matrix_id, 4);
    m.insert_or_assign(with_nul, 5);
    EXPECT_EQ(*m.find(matrix_id), 4);
    EXPECT_EQ(*m.find(with_nul), 5);
    EXPECT_EQ(m.find("U"), nullptr);  // not a prefix match
    EXPECT_EQ(m.size(), 3u);

    EXPECT_TRUE(m.erase("U1"));
    EXPECT_FALSE(m.erase("U1"));
    EXPECT_TRUE(m.erase(matrix_id));
    EXPECT_EQ(m.count("U1"), 0u);
    EXPECT_EQ(m.size(), 1u);
    m.clear();
    EXPECT_TRUE(m.empty());
}

TEST(IdMap, AgreesWithStdMapAcrossMerges) {
    id_map<std::string> m;
    std::map<std::string, std::string> want;
    std::mt19937 rng(12);
    auto random_id = [&] {
        // Mostly Slack-sized ids (several merges' worth), some 16-byte and longer ones.
        const int len = std::uniform_int_distribution<int>(0, 9)(rng) == 0 ? 14 + static_cast<int>(rng() % 6) : 9;
        std::string id = "U";
        for (int i = 1; i < len; ++i) id += "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[rng() % 6];
        return id;
    };
    for (int step = 0; step < 60000; ++step) {
        const std::string id = random_id();
        const auto op = rng() % 10;
        if (op < 6) {
            const std::string value = "D" + std::to_string(step);
            auto [v, added] = m.try_emplace(id, value);
            auto [w, want_added] = want.try_emplace(id, value);
            ASSERT_EQ(added, want_added) << id;
            ASSERT_EQ(*v, w->second) << id;
        } else if (op < 8) {
            m.insert_or_assign(id, "again" + std::to_string(step));
            want.insert_or_assign(id, "again" + std::to_string(step));
        } else if (op < 9) {
            ASSERT_EQ(m.erase(id), want.erase(id) > 0) << id;
        } else {
            const std::string* v = m.find(id);
            auto w = want.find(id);
            ASSERT_EQ(v != nullptr, w != want.end()) << id;
            if (v) ASSERT_EQ(*v, w->second) << id;
        }
        ASSERT_EQ(m.size(), want.size());
    }
    ASSERT_GT(want.size(), 2 * id_map<std::string>::kRecent);  // the merges were crossed
    std::map<std::string, std::string> seen;
    m.for_each([&](const std::string& id, const std::string& v) { EXPECT_TRUE(seen.emplace(id, v).second) << id; });
    EXPECT_EQ(seen, want);
    for (const auto& [id, v] : want) {
        const std::string* got = m.find(id);
        ASSERT_NE(got, nullptr) << id;
        EXPECT_EQ(*got, v);
    }
}

}  // namespace
}  // namespace ritualbot
