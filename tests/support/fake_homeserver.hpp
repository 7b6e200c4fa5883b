#pragma once
// A fake Matrix homeserver for tests (protocols.md B and C), on the
// loopback HTTP server: versions, login, whoami, filter upload, /sync with
// since/timeout (held until something happens; at most 50 events a room,
// cut timelines "limited" with a prev_batch), /messages backwards, join, leave, createRoom,
// account data, send with txnId idempotency per device, and errors in the
// spec's {errcode, error} shape. Faults are injected per route.
//
// Thread-safe: the server thread serves the bot, the test thread arranges
// rooms and posts messages as people.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/loopback_http_server.hpp"

namespace ritualbot::testing {

class fake_homeserver {
public:
    explicit fake_homeserver(bool tls = false);
    ~fake_homeserver();

    std::string base_url() const { return server_->base_url(); }
    loopback_http_server& server() { return *server_; }

    // Accounts.
    void add_user(const std::string& user_id, const std::string& password = "");
    std::string issue_token(const std::string& user_id, const std::string& device_id);  // an access token
    void revoke_tokens();                                                            // every token stops working

    // Rooms and people.
    std::string create_room(const std::string& creator, const std::vector<std::string>& joined, bool encrypted = false);
    void join(const std::string& room, const std::string& user);
    void leave(const std::string& room, const std::string& user);
    void invite(const std::string& room, const std::string& inviter, const std::string& invitee, bool is_direct);
    std::string post(const std::string& room, const std::string& sender, const std::string& body,
                     const std::string& msgtype = "m.text", const nlohmann::json& extra_content = nullptr);
    std::string post_encrypted(const std::string& room, const std::string& sender);

    void set_account_data(const std::string& user, const std::string& type, const nlohmann::json& content);

    // What happened.
    std::vector<nlohmann::json> events_in(const std::string& room);
    // Bodies of the m.notice events `sender` posted in `room`.
    std::vector<std::string> notices_in(const std::string& room, const std::string& sender);
    // The room `user` shares with `bot` as a DM (created by the bot, or the bot's m.direct), "" when none.
    std::string direct_room(const std::string& bot, const std::string& user);
    std::set<std::string> joined_rooms(const std::string& user);
    bool is_invited(const std::string& room, const std::string& user);
    int count(const std::string& what);  // "login", "whoami", "sync", "messages", "send_request", "create_room", "leave"

    // The next `times` requests whose path contains `path_part` (and method, unless empty) get `response`;
    // with `after_handling` the request takes effect first and only its answer is replaced (a lost answer).
    void fail_next(const std::string& method, const std::string& path_part, int times, loopback_response response,
                   bool after_handling = false);
    static loopback_response matrix_error(int status, const std::string& errcode, const std::string& error);
    static loopback_response rate_limited(int retry_after_ms);

private:
    struct impl;
    std::shared_ptr<impl> impl_;
    std::unique_ptr<loopback_http_server> server_;
};

}  // namespace ritualbot::testing
