#pragma once
// Socket Mode frames (protocols.md A3-A8), parsed into plain structs.
// Parsing is tolerant: unknown keys are ignored, missing optional keys take
// their defaults, a key given twice counts with its last value, and anything
// that is not a frame we know becomes `frame_kind::unknown` or
// `frame_kind::invalid` — never an exception.
//
// Every frame is read by simdjson (it validates the whole text, UTF-8
// included, at a tenth of the cost of building a tree). Slash commands and
// events, the frames that come by the thousand, are read straight into the
// fields the bot uses; only an interactive payload (a click, a form) becomes
// a JSON tree, as its handlers walk blocks and view states.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ritualbot::slack {

enum class frame_kind {
    hello,
    disconnect,
    events_api,
    slash_commands,
    interactive,
    unknown,  // well-formed JSON of a type we do not handle (logged, acked if it has an id)
    invalid,  // not JSON, or not an object
};

// What the bot reads of a slash_commands payload; "" when missing or not a string.
struct slash_command {
    std::string command;
    std::string text;
    std::string user_id;
    std::string channel_id;
};

// What the bot reads of an events_api payload and its `event`; strings are
// "" when missing or not a string.
struct event_callback {
    std::string event_id;
    std::string type;             // event.type
    std::string user;             // event.user when it is a string (message, app_mention)
    nlohmann::json user_object = nlohmann::json::object();  // event.user when it is an object (user_change, team_join)
    bool has_subtype = false;     // event.subtype present, of any type
    std::string subtype;
    bool has_bot_id = false;      // event.bot_id present, of any type
    std::string channel_type;
    std::string channel;
    std::string text;
};

struct frame {
    frame_kind kind = frame_kind::invalid;
    std::string type;          // as sent, for the log
    std::string envelope_id;   // empty for hello/disconnect
    std::string reason;        // disconnect reason
    slash_command command;     // slash_commands
    event_callback event;      // events_api
    nlohmann::json payload;    // interactive: the payload (an object); null for the others
    bool accepts_response_payload = false;
    int retry_attempt = 0;
    std::string retry_reason;
    int approximate_connection_time = 0;  // hello: seconds, 0 when absent
    std::string error;         // why it is invalid
};

frame parse_frame(std::string_view text);

// The ack frame: {"envelope_id": ...} plus an optional payload object.
// `payload_json` is the payload as JSON text (empty: a plain ack); it is
// written as it is, not parsed and dumped again.
std::string ack_frame(const std::string& envelope_id, std::string_view payload_json = {});

// Safe readers for payload fields: "" / false / 0 when missing or of another type.
std::string string_field(const nlohmann::json& j, std::string_view key);
const nlohmann::json& object_field(const nlohmann::json& j, std::string_view key);

}  // namespace ritualbot::slack
