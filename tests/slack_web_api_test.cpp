// web_api::read_status against the tree reader it stands in for: the same
// ok and error for every answer, hostile ones included, and no tree built.
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "bot/slack/web_api.hpp"

using namespace ritualbot::slack;

namespace {

struct status {
    bool object = false;
    bool ok = false;
    std::string error;
};

status by_status_reader(const std::string& body) {
    api_result r;
    status s;
    s.object = web_api::read_status(body, r);
    s.ok = r.ok;
    s.error = r.error;
    EXPECT_TRUE(r.body.is_null()) << body;
    return s;
}

// What web_api's default reader makes of it (read_json_body).
status by_tree(const std::string& body) {
    status s;
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return s;
    s.object = true;
    s.ok = j.contains("ok") && j["ok"].is_boolean() && j["ok"].get<bool>();
    if (!s.ok) s.error = j.contains("error") && j["error"].is_string() ? j["error"].get<std::string>() : "unknown_error";
    return s;
}

}  // namespace

TEST(SlackWebApi, StatusReaderReadsWhatTheTreeReads) {
    const std::string echo(20000, 'x');  // past the kept parser's size
    const std::string bodies[] = {
        R"({"ok":true,"channel":"D1","ts":"1.000100","message":{"type":"message","ok":false,"error":"nested",
            "blocks":[{"type":"section","text":{"type":"mrkdwn","text":"caf\u00e9 \"quoted\""}}]}})",
        R"({"ok":false,"error":"channel_not_found"})",
        R"({"ok":false})",
        R"({"ok":false,"error":42})",
        R"({"ok":"true"})",
        R"({"error":"invalid_auth"})",
        R"({"ok":true,"ok":false,"error":"a","error":"not_in_channel"})",
        R"({"ok":false,"ok":true})",
        R"({"ok":true,"message":{"text":")" + echo + R"("}})",
        R"([{"ok":true}])",
        R"("ok")",
        R"({"ok":true)",
        R"({"ok":tru})",
        R"({"ok":true} {"ok":false})",
        "{\"ok\":true,\"text\":\"\xff\"}",
        "",
        "<html>502 Bad Gateway</html>",
    };
    for (const std::string& body : bodies) {
        const status want = by_tree(body), got = by_status_reader(body);
        EXPECT_EQ(got.object, want.object) << body.substr(0, 200);
        if (!want.object) continue;
        EXPECT_EQ(got.ok, want.ok) << body.substr(0, 200);
        EXPECT_EQ(got.error, want.error) << body.substr(0, 200);
    }
}
