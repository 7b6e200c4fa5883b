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
    EXPECT_EQ(f.event.event_id, "Ev1");
    EXPECT_EQ(f.event.type, "message");
    EXPECT_TRUE(f.payload.is_null());  // only an interactive payload becomes a tree
}

TEST(SlackEnvelope, SlashCommandAcceptsAResponse) {
    auto f = parse_frame(R"({"envelope_id":"s1","type":"slash_commands","accepts_response_payload":true,
        "payload":{"command":"/update","text":"skip","user_id":"U1","channel_id":"C1"}})");
    EXPECT_EQ(f.kind, frame_kind::slash_commands);
    EXPECT_TRUE(f.accepts_response_payload);
    EXPECT_EQ(f.retry_attempt, 0);
    EXPECT_EQ(f.command.command, "/update");
    EXPECT_EQ(f.command.text, "skip");
    EXPECT_EQ(f.command.user_id, "U1");
    EXPECT_EQ(f.command.channel_id, "C1");
}

TEST(SlackEnvelope, EventFieldsAsTheHandlerReadsThem) {
    auto f = parse_frame(R"({"envelope_id":"e2","type":"events_api","payload":{"event_id":"Ev2","event":{
        "type":"message","user":"U7","channel":"D7","channel_type":"im","text":"a \"quoted\" line\nand \u00e9",
        "bot_id":null,"subtype":7,"blocks":[{"type":"rich_text"}]}}})");
    ASSERT_EQ(f.kind, frame_kind::events_api);
    EXPECT_EQ(f.event.user, "U7");
    EXPECT_EQ(f.event.channel, "D7");
    EXPECT_EQ(f.event.channel_type, "im");
    EXPECT_EQ(f.event.text, "a \"quoted\" line\nand \u00e9");
    EXPECT_TRUE(f.event.has_bot_id);   // present, whatever its value
    EXPECT_TRUE(f.event.has_subtype);
    EXPECT_EQ(f.event.subtype, "");     // not a string
    EXPECT_TRUE(f.event.user_object.empty());

    auto change = parse_frame(R"({"envelope_id":"e3","type":"events_api","payload":{"event":{"type":"user_change",
        "user":{"id":"U9","tz":"Europe/Paris","deleted":false,"profile":{"title":"x"}}}}})");
    ASSERT_EQ(change.kind, frame_kind::events_api);
    EXPECT_EQ(change.event.event_id, "");
    EXPECT_EQ(change.event.user, "");  // an object, not a user id
    EXPECT_EQ(change.event.user_object.value("tz", ""), "Europe/Paris");
    EXPECT_EQ(change.event.user_object["profile"].value("title", ""), "x");
}

// As a JSON tree would read them: the last of a repeated key counts, and a
// value of another type leaves the field empty.
TEST(SlackEnvelope, RepeatedKeysCountWithTheirLastValue) {
    auto f = parse_frame(R"({"type":"hello","type":"slash_commands","envelope_id":"s1","envelope_id":"s2",
        "payload":{"command":"/eowd","user_id":"U1","user_id":"U2","text":"list","text":3,"channel_id":"C1"},
        "retry_attempt":1,"retry_attempt":"x"})");
    ASSERT_EQ(f.kind, frame_kind::slash_commands);
    EXPECT_EQ(f.envelope_id, "s2");
    EXPECT_EQ(f.command.user_id, "U2");
    EXPECT_EQ(f.command.text, "");
    EXPECT_EQ(f.retry_attempt, 0);

    auto ev = parse_frame(R"({"type":"events_api","envelope_id":"e","payload":{"event_id":"Ev1",
        "event":{"type":"message","user":"U1","bot_id":"B1"},"event":{"type":"app_mention","user":"U3"}}})");
    ASSERT_EQ(ev.kind, frame_kind::events_api);
    EXPECT_EQ(ev.event.type, "app_mention");
    EXPECT_EQ(ev.event.user, "U3");
    EXPECT_FALSE(ev.event.has_bot_id);  // it was in the first "event", which the second replaced
    EXPECT_EQ(ev.event.event_id, "Ev1");
}

TEST(SlackEnvelope, InteractivePayloadBecomesATree) {
    auto f = parse_frame(R"({"envelope_id":"i1","type":"interactive","payload":{"type":"block_actions",
        "user":{"id":"U1"},"actions":[{"action_id":"update.skip","value":"caf\u00e9 \"x\""}],"n":1.5,"big":12345678901}})");
    ASSERT_EQ(f.kind, frame_kind::interactive);
    EXPECT_EQ(string_field(f.payload, "type"), "block_actions");
    EXPECT_EQ(f.payload["actions"][0].value("value", ""), "caf\u00e9 \"x\"");
    EXPECT_EQ(f.payload.value("n", 0.0), 1.5);
    EXPECT_EQ(f.payload.value("big", std::int64_t{0}), 12345678901);
}

// Frames past the size read by the kept parser are read by a parser of their
// own; the kept one still reads the next small frame.
TEST(SlackEnvelope, LargeFramesAreReadToo) {
    const std::string long_text(100000, 'x');
    auto big = parse_frame(R"({"envelope_id":"b1","type":"slash_commands","payload":{"command":"/update","text":")" +
                           long_text + R"(","user_id":"U1"}})");
    ASSERT_EQ(big.kind, frame_kind::slash_commands);
    EXPECT_EQ(big.command.text, long_text);
    auto small = parse_frame(R"({"envelope_id":"b2","type":"slash_commands","payload":{"command":"/okr","user_id":"U1"}})");
    ASSERT_EQ(small.kind, frame_kind::slash_commands);
    EXPECT_EQ(small.command.command, "/okr");
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
    // Broken anywhere, even inside a key the bot never reads, is not JSON.
    EXPECT_EQ(parse_frame(R"({"type":"slash_commands","envelope_id":"x","payload":{"command":"/okr"},"extra":[tru]})").kind,
              frame_kind::invalid);
    EXPECT_EQ(parse_frame(R"({"type":"slash_commands","envelope_id":"x","payload":{"command":"/okr"}})" "\n{").kind,
              frame_kind::invalid);
    EXPECT_EQ(parse_frame("{\"type\":\"slash_commands\",\"envelope_id\":\"x\",\"payload\":{\"text\":\"\xff\"}}").kind,
              frame_kind::invalid);  // not UTF-8
    EXPECT_EQ(parse_frame(std::string(2000, '[') + std::string(2000, ']')).kind, frame_kind::invalid);
}

TEST(SlackEnvelope, AckFrames) {
    EXPECT_EQ(ack_frame("abc"), R"({"envelope_id":"abc"})");
    nlohmann::json p{{"text", "hi"}};
    EXPECT_EQ(ack_frame("abc", p.dump()), R"({"envelope_id":"abc","payload":{"text":"hi"}})");
}
