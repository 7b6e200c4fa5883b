#pragma once
// What the bot needs from one /sync response (protocols.md B4), read
// tolerantly: every key but next_batch may be absent, unknown keys and
// event types are skipped, a wrongly typed field drops that event only.
#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ritualbot::matrix {

// The content key in which the bot marks each message it sends with its
// outbox row's txnId, so that a send whose answer was lost across a crash or
// a re-login can be looked for in the room before it is sent again.
inline constexpr const char* outbox_marker_key = "ritualbot.outbox_row";

struct timeline_event {
    // own_join: the bot's own m.room.member join (not a profile change of a member already joined).
    enum class kind { message, encrypted, encryption_enabled, member_left, own_join };
    kind what = kind::message;
    std::string room;
    std::string event_id;
    std::string sender;
    std::int64_t ts = 0;  // origin_server_ts, ms since the epoch (0 when absent)
    std::string msgtype;  // m.text, m.notice, m.emote, ...
    std::string body;
    std::string marker;    // content[outbox_marker_key] of the bot's own messages
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
