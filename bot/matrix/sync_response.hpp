#pragma once
// What the bot needs from one /sync response (protocols.md B4), read
// tolerantly: every key but next_batch may be absent, unknown keys and
// event types are skipped, a wrongly typed field drops that event only.
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ritualbot::matrix {

struct timeline_event {
    enum class kind { message, encrypted, encryption_enabled, member_left };
    kind what = kind::message;
    std::string room;
    std::string event_id;
    std::string sender;
    std::string msgtype;  // m.text, m.notice, m.emote, ...
    std::string body;
    bool is_edit = false;  // m.relates_to.rel_type == m.replace
};

struct room_invite {
    std::string room;
    std::string inviter;
    bool is_direct = false;
};

// A joined room whose timeline the server cut ("limited"): the events
// before prev_batch, back to the previous sync, were left out.
struct timeline_gap {
    std::string room;
    std::string prev_batch;
};

struct sync_response {
    std::string next_batch;
    std::vector<room_invite> invites;
    std::vector<timeline_event> events;  // joined rooms, in server order per room
    std::vector<timeline_gap> gaps;
    std::optional<std::map<std::string, std::vector<std::string>>> direct;  // m.direct when it changed
};

// nullopt (with `error`) when the JSON is not a sync response (no next_batch).
std::optional<sync_response> parse_sync_response(const nlohmann::json& j, const std::string& own_user, std::string& error);

// One page of GET /rooms/{room}/messages?dir=b: the events newest first and
// the token of the next (older) page, empty when there is none.
struct messages_page {
    std::vector<timeline_event> events;
    std::string end;
};

// nullopt (with `error`) when the JSON has no chunk.
std::optional<messages_page> parse_messages_page(const nlohmann::json& j, const std::string& room,
                                                 const std::string& own_user, std::string& error);

}  // namespace ritualbot::matrix
