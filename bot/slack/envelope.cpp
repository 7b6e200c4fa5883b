#include "bot/slack/envelope.hpp"

#include <simdjson.h>

namespace ritualbot::slack {

namespace {

using simdjson::dom::element;
using simdjson::dom::object;

const nlohmann::json& empty_object() {
    static const nlohmann::json e = nlohmann::json::object();
    return e;
}

// "" when not a string, as string_field does for a tree.
std::string text_of(element e) {
    std::string_view s;
    if (e.get(s) != simdjson::SUCCESS) return {};
    return std::string(s);
}

// 0 when not an integer (1.0 and "1" are not), as the tree reader did.
int int_of(element e) {
    std::int64_t i = 0;
    if (e.get(i) == simdjson::SUCCESS) return static_cast<int>(i);
    std::uint64_t u = 0;
    if (e.get(u) == simdjson::SUCCESS) return static_cast<int>(u);
    return 0;
}

// A nested object handed to code that walks trees (rare frames only).
nlohmann::json tree_of(element e) {
    return nlohmann::json::parse(simdjson::minify(e), nullptr, /*allow_exceptions=*/false);
}

// Each loop below visits every key and assigns what it finds, so a key given
// twice counts with its last value, and a value of another type clears it.
slash_command read_slash_command(object payload) {
    slash_command c;
    for (auto [key, value] : payload) {
        if (key == "command") c.command = text_of(value);
        else if (key == "text") c.text = text_of(value);
        else if (key == "user_id") c.user_id = text_of(value);
        else if (key == "channel_id") c.channel_id = text_of(value);
    }
    return c;
}

void read_event(object event, event_callback& ev) {
    for (auto [key, value] : event) {
        if (key == "type") {
            ev.type = text_of(value);
        } else if (key == "user") {
            ev.user = text_of(value);
            object user;
            ev.user_object = value.get(user) == simdjson::SUCCESS ? tree_of(value) : nlohmann::json::object();
        } else if (key == "subtype") {
            ev.has_subtype = true;
            ev.subtype = text_of(value);
        } else if (key == "bot_id") {
            ev.has_bot_id = true;
        } else if (key == "channel_type") {
            ev.channel_type = text_of(value);
        } else if (key == "channel") {
            ev.channel = text_of(value);
        } else if (key == "text") {
            ev.text = text_of(value);
        }
    }
}

event_callback read_event_callback(object payload) {
    event_callback ev;
    for (auto [key, value] : payload) {
        if (key == "event_id") {
            ev.event_id = text_of(value);
        } else if (key == "event") {
            // The last "event" counts whole, as in a tree.
            event_callback fresh;
            fresh.event_id = std::move(ev.event_id);
            ev = std::move(fresh);
            object event;
            if (value.get(event) == simdjson::SUCCESS) read_event(event, ev);
        }
    }
    return ev;
}

// Frames up to this size are read by one parser kept for the thread; a larger
// one gets its own, freed after it, so one big frame does not keep its
// buffers (about 15 bytes per byte of text) for the life of the process.
constexpr std::size_t kept_parser_limit = 16 * 1024;

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
    thread_local simdjson::dom::parser kept;
    simdjson::dom::parser one_off;
    simdjson::dom::parser& parser = text.size() <= kept_parser_limit ? kept : one_off;
    element root;
    if (parser.parse(text.data(), text.size(), /*realloc_if_needed=*/true).get(root) != simdjson::SUCCESS) {
        f.error = "not JSON";
        return f;
    }
    object top;
    if (root.get(top) != simdjson::SUCCESS) {
        f.error = "not a JSON object";
        return f;
    }
    element payload;
    bool has_payload = false;
    for (auto [key, value] : top) {
        if (key == "type") {
            f.type = text_of(value);
        } else if (key == "envelope_id") {
            f.envelope_id = text_of(value);
        } else if (key == "accepts_response_payload") {
            bool b = false;
            f.accepts_response_payload = value.get(b) == simdjson::SUCCESS && b;
        } else if (key == "retry_attempt") {
            f.retry_attempt = int_of(value);
        } else if (key == "retry_reason") {
            f.retry_reason = text_of(value);
        } else if (key == "reason") {
            f.reason = text_of(value);
        } else if (key == "debug_info") {
            f.approximate_connection_time = 0;
            object debug;
            if (value.get(debug) != simdjson::SUCCESS) continue;
            for (auto [k, v] : debug)
                if (k == "approximate_connection_time") f.approximate_connection_time = int_of(v);
        } else if (key == "payload") {
            payload = value;
            has_payload = true;
        }
    }

    if (f.type == "hello") {
        f.kind = frame_kind::hello;
        f.reason.clear();
        return f;
    }
    f.approximate_connection_time = 0;
    if (f.type == "disconnect") {
        f.kind = frame_kind::disconnect;
        return f;
    }
    f.reason.clear();
    f.kind = frame_kind::unknown;
    if (f.type != "events_api" && f.type != "slash_commands" && f.type != "interactive") return f;
    if (f.envelope_id.empty()) {
        f.kind = frame_kind::invalid;
        f.error = f.type + " envelope without an envelope_id";
        return f;
    }
    object body;
    if (!has_payload || payload.get(body) != simdjson::SUCCESS) {
        f.kind = frame_kind::invalid;
        f.error = f.type + " envelope without a payload object";
        return f;
    }
    if (f.type == "events_api") {
        f.kind = frame_kind::events_api;
        f.event = read_event_callback(body);
    } else if (f.type == "slash_commands") {
        f.kind = frame_kind::slash_commands;
        f.command = read_slash_command(body);
    } else {
        f.payload = tree_of(payload);
        if (!f.payload.is_object()) {  // not expected of a text simdjson accepted; never passed on
            f.payload = nullptr;
            f.error = "interactive payload could not be read";
            return f;
        }
        f.kind = frame_kind::interactive;
    }
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
