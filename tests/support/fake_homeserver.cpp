#include "tests/support/fake_homeserver.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>

namespace ritualbot::testing {

using nlohmann::json;
using steady = std::chrono::steady_clock;

namespace {

std::string decode(const std::string& s) {
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::vector<std::string> segments(const std::string& path) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= path.size()) {
        auto slash = path.find('/', start);
        if (slash == std::string::npos) slash = path.size();
        if (slash > start) out.push_back(decode(path.substr(start, slash - start)));
        start = slash + 1;
    }
    return out;
}

loopback_response ok_json(const json& j) { return loopback_response::json(200, j.dump()); }

}  // namespace

loopback_response fake_homeserver::matrix_error(int status, const std::string& errcode, const std::string& error) {
    return loopback_response::json(status, json{{"errcode", errcode}, {"error", error}}.dump());
}

loopback_response fake_homeserver::rate_limited(int retry_after_ms) {
    auto r = loopback_response::json(
        429, json{{"errcode", "M_LIMIT_EXCEEDED"}, {"error", "Too many requests"}, {"retry_after_ms", retry_after_ms}}.dump());
    r.headers.push_back({"Retry-After", std::to_string((retry_after_ms + 999) / 1000)});
    return r;
}

struct fake_homeserver::impl {
    struct session {
        std::string user;
        std::string device;
    };
    struct room {
        std::set<std::string> joined;
        std::map<std::string, json> invited;  // user -> {inviter, is_direct, pos}
        bool encrypted = false;
        std::string creator;
    };
    struct logged_event {
        std::int64_t pos;
        std::string room;
        json event;
    };
    struct waiter {
        std::string user;
        std::int64_t since;  // -1: initial
        steady::time_point deadline;
        loopback_responder respond;
    };
    struct fault {
        std::string method;
        std::string path_part;
        int times;
        loopback_response response;
        bool after = false;
    };

    std::mutex m;
    std::map<std::string, std::string> passwords;
    std::map<std::string, session> tokens;
    std::map<std::string, room> rooms;
    std::vector<logged_event> log;
    std::map<std::string, std::map<std::string, std::pair<json, std::int64_t>>> account_data;  // user -> type -> (content, pos)
    std::map<std::string, std::string> txns;  // "user|device|path" -> event id
    std::map<std::string, stored_media> media;  // mxc URI -> bytes
    std::vector<waiter> waiters;
    std::vector<fault> faults;
    std::map<std::string, int> counters;
    std::int64_t pos = 0;
    std::int64_t last_ts = 0;
    std::function<std::int64_t()> clock;  // null: the wall clock
    txn_scope scope = txn_scope::access_token;
    std::size_t timeline_limit = 50;
    int next_id = 0;
    std::atomic<bool> stopping{false};
    std::thread ticker;
    std::condition_variable tick;

    std::string new_id(const char* prefix) { return prefix + std::to_string(++next_id); }

    std::int64_t now_ms() {
        const std::int64_t t = clock ? clock()
                                     : std::chrono::duration_cast<std::chrono::milliseconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count();
        last_ts = std::max(last_ts + 1, t);
        return last_ts;
    }

    json& add_event(const std::string& room_id, const std::string& sender, const std::string& type, json content,
                    const std::string& state_key = "", const std::string& txn = "") {
        json e = {{"event_id", new_id("$ev")},
                  {"type", type},
                  {"sender", sender},
                  {"origin_server_ts", now_ms()},
                  {"content", std::move(content)}};
        if (!state_key.empty() || type == "m.room.encryption") e["state_key"] = state_key;
        if (!txn.empty()) e["unsigned"] = {{"transaction_id", txn}};
        log.push_back({++pos, room_id, std::move(e)});
        return log.back().event;
    }

    // The sync answer for `user` after `since` (-1: initial); empty when there is nothing new.
    std::optional<json> sync_body(const std::string& user, std::int64_t since, bool force) {
        json rooms_join = json::object(), rooms_invite = json::object();
        bool any = false;
        // Rooms `user` joined after `since`: like Synapse, their first sync
        // carries the recent timeline, messages from before the join included.
        std::set<std::string> newly_joined;
        if (since >= 0)
            for (const auto& e : log)
                if (e.pos > since && e.event["type"] == "m.room.member" && e.event.value("state_key", "") == user &&
                    e.event["content"].value("membership", "") == "join")
                    newly_joined.insert(e.room);
        for (const auto& e : log) {
            if (e.pos <= since && !newly_joined.count(e.room)) continue;
            auto r = rooms.find(e.room);
            if (r == rooms.end() || !r->second.joined.count(user)) continue;
            json& timeline = rooms_join[e.room]["timeline"];
            if (!timeline.contains("events")) timeline = {{"events", json::array()}, {"limited", false}, {"prev_batch", "p0"}};
            timeline["events"].push_back(e.event);
            timeline["positions"].push_back(e.pos);
            any = true;
        }
        // Like Synapse: at most `timeline_limit` events a room, the newest; a cut
        // timeline is "limited" and its prev_batch is where /messages goes on.
        for (auto& [id, tl] : rooms_join.items()) {
            auto& evs = tl["timeline"]["events"];
            const json positions = tl["timeline"]["positions"];
            tl["timeline"].erase("positions");
            if (evs.size() > timeline_limit) {
                const std::size_t first = evs.size() - timeline_limit;
                json kept = json::array();
                for (std::size_t i = first; i < evs.size(); ++i) kept.push_back(evs[i]);
                evs = kept;
                tl["timeline"]["limited"] = true;
                tl["timeline"]["prev_batch"] = "s" + std::to_string(positions[first].get<std::int64_t>() - 1);
            }
        }
        for (const auto& [id, r] : rooms) {
            auto inv = r.invited.find(user);
            if (inv == r.invited.end() || inv->second["pos"].get<std::int64_t>() <= since) continue;
            json member = {{"type", "m.room.member"},
                           {"state_key", user},
                           {"sender", inv->second["inviter"]},
                           {"content", {{"membership", "invite"}, {"is_direct", inv->second["is_direct"]}}}};
            rooms_invite[id] = json{{"invite_state", {{"events", json::array({member})}}}};
            any = true;
        }
        json account = json::array();
        for (const auto& [type, data] : account_data[user]) {
            if (data.second <= since) continue;
            account.push_back({{"type", type}, {"content", data.first}});
            any = true;
        }
        if (!any && !force) return std::nullopt;
        return json{{"next_batch", "s" + std::to_string(pos)},
                    {"rooms", {{"join", rooms_join}, {"invite", rooms_invite}, {"leave", json::object()}}},
                    {"account_data", {{"events", account}}},
                    {"presence", {{"events", json::array()}}}};
    }

    void wake_locked() {
        const auto now = steady::now();
        for (auto it = waiters.begin(); it != waiters.end();) {
            auto body = sync_body(it->user, it->since, now >= it->deadline);
            if (body) {
                it->respond(ok_json(*body));
                it = waiters.erase(it);
            } else {
                ++it;
            }
        }
    }

    loopback_response unauthorized(const std::string& errcode) {
        auto r = matrix_error(401, errcode, errcode == "M_MISSING_TOKEN" ? "Missing access token" : "Unknown access token");
        if (errcode == "M_UNKNOWN_TOKEN") {
            json j = json::parse(r.body);
            j["soft_logout"] = false;
            r.body = j.dump();
        }
        return r;
    }

    void handle(loopback_request req, loopback_responder respond) {
        std::lock_guard lock(m);
        const std::string path = req.path();
        for (auto it = faults.begin(); it != faults.end(); ++it) {
            if ((it->method.empty() || it->method == req.method) && path.find(it->path_part) != std::string::npos) {
                loopback_response r = it->response;
                const bool after = it->after;
                if (--it->times <= 0) faults.erase(it);
                if (!after) {
                    respond(r);
                    return;
                }
                respond = [original = std::move(respond), r](loopback_response) { original(r); };
                break;
            }
        }
        if (path == "/_matrix/media/v3/upload" && req.method == "POST") {
            // The spec: any bytes, Content-Type says what they are; answers the content_uri.
            auto tok = tokens.find(req.header("Authorization").starts_with("Bearer ")
                                       ? req.header("Authorization").substr(7)
                                       : std::string());
            if (tok == tokens.end()) {
                respond(unauthorized(req.header("Authorization").empty() ? "M_MISSING_TOKEN" : "M_UNKNOWN_TOKEN"));
                return;
            }
            ++counters["media_upload"];
            const std::string content_type = req.header("Content-Type");
            if (content_type.empty()) {
                respond(matrix_error(400, "M_UNKNOWN", "Missing Content-Type"));
                return;
            }
            const std::string uri = "mxc://fake.test/" + new_id("media");
            media[uri] = {content_type, req.query("filename"), req.body, tok->second.user};
            respond(ok_json({{"content_uri", uri}}));
            return;
        }
        const std::string prefix = "/_matrix/client/";
        if (path == "/_matrix/client/versions") {
            respond(ok_json({{"versions", {"v1.1", "v1.2", "v1.5", "v1.11"}}, {"unstable_features", json::object()}}));
            return;
        }
        if (!path.starts_with(prefix + "v3/")) {
            respond(matrix_error(404, "M_UNRECOGNIZED", "Unrecognized request"));
            return;
        }
        const std::vector<std::string> s = segments(path.substr(prefix.size() + 3));
        json body = req.body.empty() ? json::object() : json::parse(req.body, nullptr, false);
        if (body.is_discarded()) {
            respond(matrix_error(400, "M_NOT_JSON", "Content not JSON."));
            return;
        }
        if (s.size() == 1 && s[0] == "login" && req.method == "POST") {
            ++counters["login"];
            std::string user = body.value("/identifier/user"_json_pointer, std::string());
            if (!user.empty() && user[0] != '@') {
                for (const auto& [id, pw] : passwords)
                    if (id.substr(1, id.find(':') - 1) == user) user = id;
            }
            auto pw = passwords.find(user);
            if (pw == passwords.end() || pw->second.empty() || pw->second != body.value("password", "")) {
                respond(matrix_error(403, "M_FORBIDDEN", "Invalid username or password"));
                return;
            }
            const std::string device = body.value("device_id", new_id("DEV"));
            const std::string token = "syt_" + new_id("tok");
            tokens[token] = {user, device};
            respond(ok_json({{"user_id", user}, {"access_token", token}, {"device_id", device}}));
            return;
        }
        // Everything else needs a token.
        const std::string auth = req.header("Authorization");
        if (!auth.starts_with("Bearer ")) {
            respond(unauthorized("M_MISSING_TOKEN"));
            return;
        }
        auto tok = tokens.find(auth.substr(7));
        if (tok == tokens.end()) {
            respond(unauthorized("M_UNKNOWN_TOKEN"));
            return;
        }
        const session who = tok->second;
        if (s.size() == 2 && s[0] == "account" && s[1] == "whoami") {
            ++counters["whoami"];
            respond(ok_json({{"user_id", who.user}, {"device_id", who.device}, {"is_guest", false}}));
            return;
        }
        if (s.size() == 3 && s[0] == "user" && s[2] == "filter" && req.method == "POST") {
            respond(ok_json({{"filter_id", "1"}}));
            return;
        }
        if (s.size() == 1 && s[0] == "sync") {
            ++counters["sync"];
            const std::string since = req.query("since");
            const std::int64_t after = since.empty() ? -1 : std::stoll(since.substr(1));
            const auto timeout = std::chrono::milliseconds(std::stoll(req.query("timeout").empty() ? "0" : req.query("timeout")));
            if (auto b = sync_body(who.user, after, after < 0 || timeout.count() == 0)) {
                respond(ok_json(*b));
                return;
            }
            waiters.push_back({who.user, after, steady::now() + timeout, std::move(respond)});
            return;
        }
        if (s.size() == 3 && s[0] == "rooms" && s[2] == "messages" && req.method == "GET") {
            // Backwards from `from` down to (not including) `to`, newest first.
            ++counters["messages"];
            auto r = rooms.find(s[1]);
            if (r == rooms.end() || !r->second.joined.count(who.user)) {
                respond(matrix_error(403, "M_FORBIDDEN", "You are not in this room."));
                return;
            }
            auto token = [](const std::string& t, std::int64_t otherwise) {
                return t.size() > 1 && t[0] == 's' ? std::stoll(t.substr(1)) : otherwise;
            };
            const std::int64_t from = token(req.query("from"), pos);
            const std::int64_t to = token(req.query("to"), 0);
            const std::size_t limit = req.query("limit").empty() ? 10 : std::stoul(req.query("limit"));
            // The RoomEventFilter's senders and types (exact types only).
            const json filter = json::parse(req.query("filter"), nullptr, false);
            auto listed = [&](const char* key, const json& value) {
                if (!filter.is_object() || !filter.contains(key) || !filter[key].is_array()) return true;
                for (const json& v : filter[key])
                    if (v == value || v == "*") return true;
                return false;
            };
            json chunk = json::array();
            std::int64_t oldest = from;
            for (auto it = log.rbegin(); it != log.rend() && chunk.size() < limit; ++it) {
                if (it->room != s[1] || it->pos > from || it->pos <= to) continue;
                oldest = it->pos;
                if (!listed("senders", it->event["sender"]) || !listed("types", it->event["type"])) continue;
                chunk.push_back(it->event);
            }
            json body{{"chunk", chunk}, {"start", "s" + std::to_string(from)}};
            if (oldest != from) body["end"] = "s" + std::to_string(oldest - 1);
            respond(ok_json(body));
            return;
        }
        if ((s.size() == 2 && s[0] == "join") || (s.size() == 3 && s[0] == "rooms" && s[2] == "join")) {
            const std::string room_id = s[0] == "join" ? s[1] : s[1];
            auto r = rooms.find(room_id);
            if (r == rooms.end() || (!r->second.invited.count(who.user) && !r->second.joined.count(who.user))) {
                respond(matrix_error(403, "M_FORBIDDEN", "You are not invited to this room."));
                return;
            }
            join_locked(room_id, who.user);
            respond(ok_json({{"room_id", room_id}}));
            return;
        }
        if (s.size() == 3 && s[0] == "rooms" && s[2] == "leave") {
            ++counters["leave"];
            auto r = rooms.find(s[1]);
            if (r != rooms.end()) {
                r->second.invited.erase(who.user);
                if (r->second.joined.erase(who.user))
                    add_event(s[1], who.user, "m.room.member", {{"membership", "leave"}}, who.user);
            }
            respond(ok_json(json::object()));
            wake_locked();
            return;
        }
        if (s.size() == 5 && s[0] == "rooms" && s[2] == "send" && req.method == "PUT") {
            ++counters["send_request"];
            // Synapse <= 1.84: per access token; MSC3970 (1.85+): per device.
            const std::string key =
                who.user + "|" + (scope == txn_scope::device ? "device " + who.device : "token " + auth.substr(7)) + "|" + path;
            if (auto t = txns.find(key); t != txns.end()) {
                respond(ok_json({{"event_id", t->second}}));
                return;
            }
            auto r = rooms.find(s[1]);
            if (r == rooms.end() || !r->second.joined.count(who.user)) {
                respond(matrix_error(403, "M_FORBIDDEN", "User not in room"));
                return;
            }
            const json& e = add_event(s[1], who.user, s[3], body, "", s[4]);
            txns[key] = e["event_id"].get<std::string>();
            respond(ok_json({{"event_id", e["event_id"]}}));
            wake_locked();
            return;
        }
        if (s.size() == 1 && s[0] == "createRoom" && req.method == "POST") {
            ++counters["create_room"];
            const std::string id = new_id("!room") + ":fake.test";
            rooms[id].creator = who.user;
            join_locked(id, who.user);
            if (body.contains("invite") && body["invite"].is_array())
                for (const json& u : body["invite"])
                    if (u.is_string()) invite_locked(id, who.user, u.get<std::string>(), body.value("is_direct", false));
            respond(ok_json({{"room_id", id}}));
            return;
        }
        if (s.size() == 4 && s[0] == "user" && s[2] == "account_data") {
            if (s[1] != who.user) {
                respond(matrix_error(403, "M_FORBIDDEN", "Cannot access another user's account data"));
                return;
            }
            auto& data = account_data[who.user];
            if (req.method == "PUT") {
                data[s[3]] = {body, ++pos};
                respond(ok_json(json::object()));
                wake_locked();
            } else if (auto d = data.find(s[3]); d != data.end()) {
                respond(ok_json(d->second.first));
            } else {
                respond(matrix_error(404, "M_NOT_FOUND", "Account data not found"));
            }
            return;
        }
        respond(matrix_error(404, "M_UNRECOGNIZED", "Unrecognized request"));
    }

    void join_locked(const std::string& room_id, const std::string& user) {
        room& r = rooms[room_id];
        r.invited.erase(user);
        if (r.joined.insert(user).second) add_event(room_id, user, "m.room.member", {{"membership", "join"}}, user);
        wake_locked();
    }

    void invite_locked(const std::string& room_id, const std::string& inviter, const std::string& invitee, bool direct) {
        rooms[room_id].invited[invitee] = {{"inviter", inviter}, {"is_direct", direct}, {"pos", ++pos}};
        wake_locked();
    }
};

fake_homeserver::fake_homeserver(bool tls) : impl_(std::make_shared<impl>()) {
    loopback_server_options options;
    options.tls = tls;
    server_ = std::make_unique<loopback_http_server>(
        [i = impl_](loopback_request req, loopback_responder respond) { i->handle(std::move(req), std::move(respond)); },
        options);
    // Long-polls that run out of time are answered by this ticker.
    impl_->ticker = std::thread([i = impl_.get()] {
        std::unique_lock lock(i->m);
        while (!i->stopping) {
            i->tick.wait_for(lock, std::chrono::milliseconds(10));
            i->wake_locked();
        }
    });
}

fake_homeserver::~fake_homeserver() {
    {
        std::lock_guard lock(impl_->m);
        impl_->stopping = true;
        impl_->waiters.clear();
    }
    impl_->tick.notify_all();
    impl_->ticker.join();
    server_.reset();
}

void fake_homeserver::set_txn_scope(txn_scope scope) {
    std::lock_guard lock(impl_->m);
    impl_->scope = scope;
}

void fake_homeserver::set_clock(std::function<std::int64_t()> now_ms) {
    std::lock_guard lock(impl_->m);
    impl_->clock = std::move(now_ms);
}

void fake_homeserver::add_user(const std::string& user_id, const std::string& password) {
    std::lock_guard lock(impl_->m);
    impl_->passwords[user_id] = password;
}

std::string fake_homeserver::issue_token(const std::string& user_id, const std::string& device_id) {
    std::lock_guard lock(impl_->m);
    const std::string token = "syt_" + impl_->new_id("given");
    impl_->tokens[token] = {user_id, device_id};
    return token;
}

void fake_homeserver::revoke_tokens() {
    std::lock_guard lock(impl_->m);
    impl_->tokens.clear();
}

std::string fake_homeserver::create_room(const std::string& creator, const std::vector<std::string>& joined, bool encrypted) {
    std::lock_guard lock(impl_->m);
    const std::string id = impl_->new_id("!team") + ":fake.test";
    impl_->rooms[id].creator = creator;
    impl_->join_locked(id, creator);
    for (const auto& u : joined) impl_->join_locked(id, u);
    if (encrypted) {
        impl_->rooms[id].encrypted = true;
        impl_->add_event(id, creator, "m.room.encryption", {{"algorithm", "m.megolm.v1.aes-sha2"}});
    }
    impl_->wake_locked();
    return id;
}

void fake_homeserver::join(const std::string& room, const std::string& user) {
    std::lock_guard lock(impl_->m);
    impl_->join_locked(room, user);
}

void fake_homeserver::leave(const std::string& room, const std::string& user) {
    std::lock_guard lock(impl_->m);
    if (impl_->rooms[room].joined.erase(user))
        impl_->add_event(room, user, "m.room.member", {{"membership", "leave"}}, user);
    impl_->wake_locked();
}

void fake_homeserver::invite(const std::string& room, const std::string& inviter, const std::string& invitee, bool is_direct) {
    std::lock_guard lock(impl_->m);
    impl_->invite_locked(room, inviter, invitee, is_direct);
}

std::string fake_homeserver::post(const std::string& room, const std::string& sender, const std::string& body,
                                  const std::string& msgtype, const json& extra_content) {
    std::lock_guard lock(impl_->m);
    json content = {{"msgtype", msgtype}, {"body", body}};
    if (extra_content.is_object())
        for (const auto& [k, v] : extra_content.items()) content[k] = v;
    const std::string id = impl_->add_event(room, sender, "m.room.message", content)["event_id"].get<std::string>();
    impl_->wake_locked();
    return id;
}

std::string fake_homeserver::post_encrypted(const std::string& room, const std::string& sender) {
    std::lock_guard lock(impl_->m);
    const std::string id = impl_->add_event(room, sender, "m.room.encrypted",
                                            {{"algorithm", "m.megolm.v1.aes-sha2"}, {"ciphertext", "AwgAEn..."},
                                             {"device_id", "X"}, {"sender_key", "k"}, {"session_id", "s"}})["event_id"].get<std::string>();
    impl_->wake_locked();
    return id;
}

void fake_homeserver::set_account_data(const std::string& user, const std::string& type, const json& content) {
    std::lock_guard lock(impl_->m);
    impl_->account_data[user][type] = {content, ++impl_->pos};
    impl_->wake_locked();
}

std::optional<fake_homeserver::stored_media> fake_homeserver::media(const std::string& mxc_uri) {
    std::lock_guard lock(impl_->m);
    auto it = impl_->media.find(mxc_uri);
    if (it == impl_->media.end()) return std::nullopt;
    return it->second;
}

std::vector<json> fake_homeserver::events_in(const std::string& room) {
    std::lock_guard lock(impl_->m);
    std::vector<json> out;
    for (const auto& e : impl_->log)
        if (e.room == room) out.push_back(e.event);
    return out;
}

std::vector<std::string> fake_homeserver::notices_in(const std::string& room, const std::string& sender) {
    std::vector<std::string> out;
    for (const json& e : events_in(room))
        if (e["type"] == "m.room.message" && e["sender"] == sender && e["content"].value("msgtype", "") == "m.notice")
            out.push_back(e["content"].value("body", ""));
    return out;
}

std::string fake_homeserver::direct_room(const std::string& bot, const std::string& user) {
    std::lock_guard lock(impl_->m);
    auto& data = impl_->account_data[bot];
    if (auto d = data.find("m.direct"); d != data.end() && d->second.first.contains(user)) {
        const json& rooms = d->second.first[user];
        if (rooms.is_array() && !rooms.empty()) return rooms.back().get<std::string>();
    }
    for (const auto& [id, r] : impl_->rooms)
        if (r.creator == bot && (r.invited.count(user) || r.joined.count(user)) && r.joined.size() + r.invited.size() == 2)
            return id;
    return "";
}

std::set<std::string> fake_homeserver::joined_rooms(const std::string& user) {
    std::lock_guard lock(impl_->m);
    std::set<std::string> out;
    for (const auto& [id, r] : impl_->rooms)
        if (r.joined.count(user)) out.insert(id);
    return out;
}

bool fake_homeserver::is_invited(const std::string& room, const std::string& user) {
    std::lock_guard lock(impl_->m);
    auto r = impl_->rooms.find(room);
    return r != impl_->rooms.end() && r->second.invited.count(user);
}

int fake_homeserver::count(const std::string& what) {
    std::lock_guard lock(impl_->m);
    return impl_->counters[what];
}

void fake_homeserver::clear_faults() {
    std::lock_guard lock(impl_->m);
    impl_->faults.clear();
}

void fake_homeserver::fail_next(const std::string& method, const std::string& path_part, int times,
                                loopback_response response, bool after_handling) {
    std::lock_guard lock(impl_->m);
    impl_->faults.push_back({method, path_part, times, std::move(response), after_handling});
}

}  // namespace ritualbot::testing
