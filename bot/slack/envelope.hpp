#pragma once
// Socket Mode frames (protocols.md A3-A8), parsed into plain structs.
// Parsing is tolerant: unknown keys are ignored, missing optional keys take
// their defaults, and anything that is not a frame we know becomes
// `frame_kind::unknown` or `frame_kind::invalid` — never an exception.
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

struct frame {
    frame_kind kind = frame_kind::invalid;
    std::string type;          // as sent, for the log
    std::string envelope_id;   // empty for hello/disconnect
    std::string reason;        // disconnect reason
    nlohmann::json payload;    // events_api/slash_commands/interactive payload (an object)
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
