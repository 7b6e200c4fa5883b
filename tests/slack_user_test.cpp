// read_users_list_page (a SAX reader that keeps only a few fields) against
// what the JSON tree and read_slack_user make of the same users.list answers.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bot/slack/slack_user.hpp"

using namespace ritualbot;
using namespace ritualbot::slack;
using json = nlohmann::json;

namespace {

// The same page read through the tree, as the bot read users.list before.
users_list_page read_through_tree(const std::string& body) {
    users_list_page page;
    json j = json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return page;
    page.object = true;
    auto ok = j.find("ok");
    page.ok = ok != j.end() && ok->is_boolean() && ok->get<bool>();
    if (!page.ok) {
        auto e = j.find("error");
        page.error = e != j.end() && e->is_string() ? e->get<std::string>() : "unknown_error";
    }
    if (auto m = j.find("members"); m != j.end() && m->is_array())
        for (const auto& item : *m) {
            if (auto u = read_slack_user(item)) page.users.push_back(*u);
            else ++page.unreadable;
        }
    if (auto meta = j.find("response_metadata"); meta != j.end() && meta->is_object())
        if (auto c = meta->find("next_cursor"); c != meta->end() && c->is_string()) page.next_cursor = c->get<std::string>();
    return page;
}

void expect_same(const std::string& body) {
    SCOPED_TRACE(body);
    const users_list_page got = read_users_list_page(body);
    const users_list_page want = read_through_tree(body);
    EXPECT_EQ(got.object, want.object);
    EXPECT_EQ(got.ok, want.ok);
    EXPECT_EQ(got.error, want.error);
    EXPECT_EQ(got.unreadable, want.unreadable);
    EXPECT_EQ(got.next_cursor, want.next_cursor);
    ASSERT_EQ(got.users.size(), want.users.size());
    for (std::size_t i = 0; i < got.users.size(); ++i) {
        EXPECT_EQ(got.users[i].id, want.users[i].id);
        EXPECT_EQ(got.users[i].timezone, want.users[i].timezone);
        EXPECT_EQ(got.users[i].is_bot, want.users[i].is_bot);
        EXPECT_EQ(got.users[i].deleted, want.users[i].deleted);
    }
}

}  // namespace

TEST(SlackUser, UsersListPageReadsWhatTheTreeReads) {
    // A realistic member: nested profile with its own "id"-like and "tz"-like keys must not leak out.
    const std::string real = R"({"id":"U0A1","team_id":"T1","name":"a","deleted":false,"tz":"Europe/Berlin",
        "profile":{"id":"UFAKE","tz":"Asia/Tokyo","is_bot":true,"fields":{"X":{"value":"1"}},"list":[1,{"a":[]}],
                   "image_24":"https://x/y.jpg"},"is_bot":false,"is_app_user":false,"updated":1767225600})";
    const std::string bodies[] = {
        R"({"ok":true,"members":[)" + real + R"(],"response_metadata":{"next_cursor":"dXNlcjpVMEc5V0ZYTlo="}})",
        // The cursor comes first, members after; the last page has an empty cursor.
        R"({"response_metadata":{"next_cursor":""},"cache_ts":1,"members":[)" + real + "," + real + R"(],"ok":true})",
        // Hostile entries: not objects, ids of the wrong type or shape, fields of the wrong type, too long a zone.
        R"({"ok":true,"members":["just a string",null,3,[1,2],{"id":42},{"id":"bad id!"},{"id":""},
            {"id":"UODD","tz":12,"is_bot":"yes","deleted":null},{"id":"ULONG","tz":")" + std::string(80, 'z') + R"("},
            {"id":"USLACKBOT","tz":"UTC"},{"id":"UAPP","is_app_user":true},{"id":"UGONE","deleted":true,"tz":"UTC"},
            {"tz":"UTC"},{}]})",
        // A key given twice: the last one counts, in both.
        R"({"ok":true,"members":[{"id":"UFIRST","id":"USECOND","tz":"UTC","tz":"Europe/Paris"}]})",
        R"({"ok":true,"members":[{"id":"U1","id":5},{"id":"U2","is_bot":true,"is_bot":"yes"},
            {"id":"U3","tz":"UTC","tz":{"x":1}},{"id":"U4","deleted":true,"deleted":[true]},
            {"id":"U5","tz":"UTC","tz":null},{"id":"U6","is_app_user":true,"is_app_user":1}]})",
        // members and response_metadata of the wrong types; a nested "members" that is not the answer's.
        R"({"ok":true,"members":{"id":"U1"},"response_metadata":"next"})",
        R"({"ok":true,"x":{"members":[{"id":"UNESTED"}]},"response_metadata":{"x":{"next_cursor":"deep"}}})",
        // Refusals.
        R"({"ok":false,"error":"ratelimited"})",
        R"({"ok":false})",
        R"({"ok":"true","members":[{"id":"U1"}]})",
        R"({"ok":false,"error":7})",
        // Not one JSON object.
        R"([{"ok":true}])",
        R"("ok")",
        R"({"ok":true,"members":[{"id":"U1"})",
        R"({"ok":true} trailing)",
        "",
    };
    for (const auto& body : bodies) expect_same(body);
}

TEST(SlackUser, UsersListPageKeepsOnlyTheUsefulFields) {
    const auto page = read_users_list_page(
        R"({"ok":true,"members":[{"id":"U1","tz":"Europe/Berlin","profile":{"tz":"Asia/Tokyo","id":"UX"}},
           {"id":"U2","is_app_user":true}],"response_metadata":{"next_cursor":"c2"}})");
    ASSERT_TRUE(page.object);
    EXPECT_TRUE(page.ok);
    EXPECT_EQ(page.error, "");
    ASSERT_EQ(page.users.size(), 2u);
    EXPECT_EQ(page.users[0].id, "U1");
    EXPECT_EQ(page.users[0].timezone, "Europe/Berlin");
    EXPECT_FALSE(page.users[0].is_bot);
    EXPECT_TRUE(page.users[1].is_bot);  // an app user is not a person
    EXPECT_EQ(page.next_cursor, "c2");
    EXPECT_EQ(read_users_list_page(R"({"ok":false,"error":"invalid_auth"})").error, "invalid_auth");
    EXPECT_FALSE(read_users_list_page("not json").object);
}
