#include "bot/matrix/sync_response.hpp"

#include <nlohmann/json.hpp>

namespace ritualbot::matrix {
namespace {

using nlohmann::json;

const json* member(const json& j, const char* key) {
    if (!j.is_object()) return nullptr;
    auto it = j.find(key);
    return it == j.end() ? nullptr : &*it;
}

std::string string_at(const json& j, const char* key) {
    const json* v = member(j, key);
    return v && v->is_string() ? v->get<std::string>() : std::string();
}

const json& object_at(const json& j, const char* key) {
    static const json empty = json::object();
    const json* v = member(j, key);
    return v && v->is_object() ? *v : empty;
}

const json& array_at(const json& j, const char* key) {
    static const json empty = json::array();
    const json* v = member(j, key);
    return v && v->is_array() ? *v : empty;
}

std::optional<timeline_event> read_event(const std::string& room, const json& e, const std::string& own_user) {
    timeline_event out;
    out.room = room;
    out.event_id = string_at(e, "event_id");
    out.sender = string_at(e, "sender");
    const std::string type = string_at(e, "type");
    const json& content = object_at(e, "content");
    if (out.event_id.empty() || out.sender.empty()) return std::nullopt;
    if (const json* ts = member(e, "origin_server_ts"); ts && ts->is_number_integer()) out.ts = ts->get<std::int64_t>();
    if (type == "m.room.message") {
        out.what = timeline_event::kind::message;
        out.msgtype = string_at(content, "msgtype");
        out.body = string_at(content, "body");
        out.marker = string_at(content, outbox_marker_key);
        out.is_edit = string_at(object_at(content, "m.relates_to"), "rel_type") == "m.replace";
        return out;
    }
    if (type == "m.room.encrypted") {
        out.what = timeline_event::kind::encrypted;
        return out;
    }
    if (type == "m.room.encryption") {
        out.what = timeline_event::kind::encryption_enabled;
        return out;
    }
    if (type == "m.room.member") {
        const std::string membership = string_at(content, "membership");
        const std::string target = string_at(e, "state_key");
        if ((membership == "leave" || membership == "ban") && !target.empty()) {
            out.what = timeline_event::kind::member_left;
            out.sender = target;  // whose membership ended
            return out;
        }
        // The bot's own join; a join after a join is a profile change, not a join.
        const std::string before = string_at(object_at(object_at(e, "unsigned"), "prev_content"), "membership");
        if (membership == "join" && target == own_user && !own_user.empty() && before != "join") {
            out.what = timeline_event::kind::own_join;
            return out;
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<sync_response> parse_sync_response(const json& j, const std::string& own_user, std::string& error) {
    if (!j.is_object()) {
        error = "the /sync answer is not a JSON object";
        return std::nullopt;
    }
    sync_response out;
    out.next_batch = string_at(j, "next_batch");
    if (out.next_batch.empty()) {
        error = "the /sync answer has no next_batch";
        return std::nullopt;
    }
    const json& rooms = object_at(j, "rooms");
    for (const auto& [room, data] : object_at(rooms, "invite").items()) {
        room_invite inv;
        inv.room = room;
        for (const json& e : array_at(object_at(data, "invite_state"), "events")) {
            if (string_at(e, "type") != "m.room.member" || string_at(e, "state_key") != own_user) continue;
            const json& content = object_at(e, "content");
            if (string_at(content, "membership") != "invite") continue;
            inv.inviter = string_at(e, "sender");
            const json* direct = member(content, "is_direct");
            inv.is_direct = direct && direct->is_boolean() && direct->get<bool>();
        }
        out.invites.push_back(std::move(inv));
    }
    for (const auto& [room, data] : object_at(rooms, "join").items()) {
        // State first (it precedes the timeline), then the timeline in order.
        for (const json& e : array_at(object_at(data, "state"), "events"))
            if (string_at(e, "type") == "m.room.encryption")
                if (auto ev = read_event(room, e, own_user)) out.events.push_back(std::move(*ev));
        const json& timeline = object_at(data, "timeline");
        for (const json& e : array_at(timeline, "events"))
            if (auto ev = read_event(room, e, own_user)) out.events.push_back(std::move(*ev));
        const json* limited = member(timeline, "limited");
        const std::string prev_batch = string_at(timeline, "prev_batch");
        if (limited && limited->is_boolean() && limited->get<bool>() && !prev_batch.empty())
            out.gaps.push_back({room, prev_batch});
    }
    for (const json& e : array_at(object_at(j, "account_data"), "events")) {
        if (string_at(e, "type") != "m.direct") continue;
        std::map<std::string, std::vector<std::string>> direct;
        for (const auto& [user, rooms_of_user] : object_at(e, "content").items()) {
            if (!rooms_of_user.is_array()) continue;
            for (const json& r : rooms_of_user)
                if (r.is_string()) direct[user].push_back(r.get<std::string>());
        }
        out.direct = std::move(direct);
    }
    return out;
}

std::optional<messages_page> parse_messages_page(const json& j, const std::string& room, const std::string& own_user,
                                                 std::string& error) {
    const json* chunk = j.is_object() ? member(j, "chunk") : nullptr;
    if (!chunk || !chunk->is_array()) {
        error = "no chunk in the /messages answer";
        return std::nullopt;
    }
    messages_page out;
    for (const json& e : *chunk)
        if (auto ev = read_event(room, e, own_user)) out.events.push_back(std::move(*ev));
    out.end = string_at(j, "end");
    return out;
}

}  // namespace ritualbot::matrix
