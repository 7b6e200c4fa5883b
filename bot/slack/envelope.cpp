#include "bot/slack/envelope.hpp"

#include "bot/net/json_dom.hpp"

namespace ritualbot::slack {

namespace {

using net::int_of;
using net::text_of;
using net::true_of;
using simdjson::dom::element;
using simdjson::dom::object;

const nlohmann::json& empty_object() {
    static const nlohmann::json e = nlohmann::json::object();
    return e;
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
            ev.user_object = value.is_object() ? tree_of(value) : nlohmann::json::object();
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

void read_frame(element root, frame& f) {
    object top;
    if (root.get(top) != simdjson::SUCCESS) {
        f.error = "not a JSON object";
        return;
    }
    f.error.clear();
    element payload;
    bool has_payload = false;
    for (auto [key, value] : top) {
        if (key == "type") {
            f.type = text_of(value);
        } else if (key == "envelope_id") {
            f.envelope_id = text_of(value);
        } else if (key == "accepts_response_payload") {
            f.accepts_response_payload = true_of(value);
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
        return;
    }
    f.approximate_connection_time = 0;
    if (f.type == "disconnect") {
        f.kind = frame_kind::disconnect;
        return;
    }
    f.reason.clear();
    f.kind = frame_kind::unknown;
    if (f.type != "events_api" && f.type != "slash_commands" && f.type != "interactive") return;
    object body;
    if (f.envelope_id.empty()) {
        f.kind = frame_kind::invalid;
        f.error = f.type + " envelope without an envelope_id";
    } else if (!has_payload || payload.get(body) != simdjson::SUCCESS) {
        f.kind = frame_kind::invalid;
        f.error = f.type + " envelope without a payload object";
    } else if (f.type == "events_api") {
        f.kind = frame_kind::events_api;
        f.event = read_event_callback(body);
    } else if (f.type == "slash_commands") {
        f.kind = frame_kind::slash_commands;
        f.command = read_slash_command(body);
    } else {
        f.payload = tree_of(payload);
        if (f.payload.is_object()) {
            f.kind = frame_kind::interactive;
        } else {  // not expected of a text simdjson accepted; never passed on
            f.payload = nullptr;
            f.kind = frame_kind::invalid;
            f.error = "interactive payload could not be read";
        }
    }
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
    f.error = "not JSON";
    net::read_json(
        text, [&f](element root) { return read_frame(root, f), true; }, false);
    return f;
}

std::string ack_frame(const std::string& envelope_id, std::string_view payload_json) {
    const std::string id = nlohmann::json(envelope_id).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    // Sized once: acks wait for their group's commit, and appending the
    // closing brace to a string just filled doubled its capacity.
    std::string out;
    out.reserve(16 + id.size() + 11 + payload_json.size() + 1);
    out = R"({"envelope_id":)";
    out += id;
    if (!payload_json.empty()) {
        out += R"(,"payload":)";
        out += payload_json;
    }
    out += '}';
    return out;
}

}  // namespace ritualbot::slack
