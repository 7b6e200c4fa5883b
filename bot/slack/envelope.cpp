#include "bot/slack/envelope.hpp"

namespace ritualbot::slack {

namespace {
const nlohmann::json& empty_object() {
    static const nlohmann::json e = nlohmann::json::object();
    return e;
}
}  // namespace

std::string string_field(const nlohmann::json& j, std::string_view key) {
    if (!j.is_object()) return {};
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return {};
    return it->get<std::string>();
}

const nlohmann::json& object_field(const nlohmann::json& j, std::string_view key) {
    if (!j.is_object()) return empty_object();
    auto it = j.find(key);
    if (it == j.end() || !it->is_object()) return empty_object();
    return *it;
}

frame parse_frame(std::string_view text) {
    frame f;
    nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
        f.error = "not JSON";
        return f;
    }
    if (!j.is_object()) {
        f.error = "not a JSON object";
        return f;
    }
    f.type = string_field(j, "type");
    f.envelope_id = string_field(j, "envelope_id");
    if (auto it = j.find("accepts_response_payload"); it != j.end() && it->is_boolean())
        f.accepts_response_payload = it->get<bool>();
    if (auto it = j.find("retry_attempt"); it != j.end() && it->is_number_integer())
        f.retry_attempt = it->get<int>();
    f.retry_reason = string_field(j, "retry_reason");

    if (f.type == "hello") {
        f.kind = frame_kind::hello;
        const auto& debug = object_field(j, "debug_info");
        if (auto it = debug.find("approximate_connection_time"); it != debug.end() && it->is_number_integer())
            f.approximate_connection_time = it->get<int>();
        return f;
    }
    if (f.type == "disconnect") {
        f.kind = frame_kind::disconnect;
        f.reason = string_field(j, "reason");
        return f;
    }
    f.kind = frame_kind::unknown;
    if (f.type != "events_api" && f.type != "slash_commands" && f.type != "interactive") return f;
    if (f.envelope_id.empty()) {
        f.kind = frame_kind::invalid;
        f.error = f.type + " envelope without an envelope_id";
        return f;
    }
    auto p = j.find("payload");
    if (p == j.end() || !p->is_object()) {
        f.kind = frame_kind::invalid;
        f.error = f.type + " envelope without a payload object";
        return f;
    }
    f.payload = std::move(*p);
    f.kind = f.type == "events_api"       ? frame_kind::events_api
             : f.type == "slash_commands" ? frame_kind::slash_commands
                                          : frame_kind::interactive;
    return f;
}

std::string ack_frame(const std::string& envelope_id, std::string_view payload_json) {
    std::string out = R"({"envelope_id":)";
    out += nlohmann::json(envelope_id).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (!payload_json.empty()) {
        out += R"(,"payload":)";
        out += payload_json;
    }
    out += '}';
    return out;
}

}  // namespace ritualbot::slack
