#include <gtest/gtest.h>

#include "bot/slack/envelope.hpp"

using namespace ritualbot::slack;

TEST(SlackEnvelope, ParsesHelloWithConnectionTime) {
    auto f = parse_frame(R"({"type":"hello","num_connections":1,"connection_info":{"app_id":"A1234"},
        "debug_info":{"host":"applink-1","build_number":54,"approximate_connection_time":3600}})");
    EXPECT_EQ(f.kind, frame_kind::hello);
    EXPECT_EQ(f.approximate_connection_time, 3600);
}

TEST(SlackEnvelope, ParsesDisconnectReason) {
    auto f = parse_frame(R"({"type":"disconnect","reason":"refresh_requested","debug_info":{"host":"wss-111"}})");
    EXPECT_EQ(f.kind, frame_kind::disconnect);
    EXPECT_EQ(f.reason, "refresh_requested");
}

TEST(SlackEnvelope, ParsesEventsApiWithRetry) {
    auto f = parse_frame(R"({"envelope_id":"e1","type":"events_api","payload":{"event_id":"Ev1","event":{"type":"message"}},
        "accepts_response_payload":false,"retry_attempt":2,"retry_reason":"timeout","extra":[1,2]})");
    EXPECT_EQ(f.kind, frame_kind::events_api);
    EXPECT_EQ(f.envelope_id, "e1");
    EXPECT_EQ(f.retry_attempt, 2);
    EXPECT_EQ(f.retry_reason, "timeout");
    EXPECT_EQ(string_field(f.payload, "event_id"), "Ev1");
}

TEST(SlackEnvelope, SlashCommandAcceptsAResponse) {
    auto f = parse_frame(R"({"envelope_id":"s1","type":"slash_commands","accepts_response_payload":true,
        "payload":{"command":"/update","text":"skip","user_id":"U1","channel_id":"C1"}})");
    EXPECT_EQ(f.kind, frame_kind::slash_commands);
    EXPECT_TRUE(f.accepts_response_payload);
    EXPECT_EQ(f.retry_attempt, 0);
}

TEST(SlackEnvelope, BrokenAndStrangeFramesAreValuesNotExceptions) {
    EXPECT_EQ(parse_frame("{not json").kind, frame_kind::invalid);
    EXPECT_EQ(parse_frame("[1,2,3]").kind, frame_kind::invalid);
    EXPECT_EQ(parse_frame("").kind, frame_kind::invalid);
    EXPECT_EQ(parse_frame(R"({"type":"events_api","payload":{}})").kind, frame_kind::invalid);  // no envelope_id
    EXPECT_EQ(parse_frame(R"({"type":"events_api","envelope_id":"x","payload":"text"})").kind, frame_kind::invalid);
    auto unknown = parse_frame(R"({"type":"brand_new_thing","envelope_id":"u1","payload":{}})");
    EXPECT_EQ(unknown.kind, frame_kind::unknown);
    EXPECT_EQ(unknown.envelope_id, "u1");
    auto typed_wrong = parse_frame(R"({"type":"events_api","envelope_id":7,"payload":{},"retry_attempt":"x"})");
    EXPECT_EQ(typed_wrong.kind, frame_kind::invalid);
}

TEST(SlackEnvelope, AckFrames) {
    EXPECT_EQ(ack_frame("abc"), R"({"envelope_id":"abc"})");
    nlohmann::json p{{"text", "hi"}};
    EXPECT_EQ(ack_frame("abc", p.dump()), R"({"envelope_id":"abc","payload":{"text":"hi"}})");
}
