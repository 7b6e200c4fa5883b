#pragma once
// A fake Matrix homeserver for tests (protocols.md B and C), on the
// loopback HTTP server: versions, login, whoami, filter upload, /sync with
// since/timeout (held until something happens; at most 50 events a room,
// cut timelines "limited" with a prev_batch), /messages backwards, join, leave, createRoom,
// account data, send with txnId idempotency, media upload (POST
// /_matrix/media/v3/upload: the bytes kept under an mxc://fake.test/... URI,
// Content-Type required), and errors in the spec's {errcode, error} shape.
// Faults are injected per route. An m.image event is recorded like any
// other; its `url` is not checked against the media store (nor is it by
// Synapse).
//
// What it does as Synapse does:
// - txnId scope: Synapse up to 1.84 (the issue's 1.67 included) keys a send's
//   idempotency on the ACCESS TOKEN (HttpTransactionCache: request path + token,
//   kept 30 to 60 min in memory; the persisted event_txn_id mapping is
//   (room, user, token_id, txn_id)). MSC3970 (Synapse PR #15318, made stable in
//   #15629, spec v1.7) changed it to (user, device). txn_scope::access_token
//   (the default) and txn_scope::device model both; a password re-login, even
//   with the same device_id, is a fresh scope under access_token.
// - The first /sync after a join carries the room's recent timeline, messages
//   from before the join included (history_visibility "shared"), the joiner's
//   own m.room.member join after them; "limited" when cut to the filter's limit.
// - origin_server_ts is the server's clock (wall clock, or set_clock()).
// - /messages honours the filter's "senders" and "types".
//
// What real Synapse does that this fake does not:
// - forget txnIds (the in-memory cache after 30-60 min; the persisted mapping
//   is pruned later, about a day, not re-checked in Synapse's source): here
//   they are kept forever;
// - history_visibility other than "shared" (joined/invited hide pre-join
//   history), room versions, power levels, redactions, edits' aggregation;
// - filters other than the timeline limit and /messages' senders/types
//   (the /sync filter's types, lazy loading, state deltas of a gap);
// - federation, presence, typing, receipts, to-device, E2EE keys, refresh
//   tokens, soft logout (every unknown token is soft_logout: false);
// - rate limits unless injected with fail_next; the 65,536-byte event limit;
// - media: no max_upload_size (Synapse: 50M by default), no thumbnails, no
//   download endpoints (tests read the store with media()), no media
//   retention or quarantine; every upload is a new URI (Synapse's too).
//
// Thread-safe: the server thread serves the bot, the test thread arranges
// rooms and posts messages as people.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
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

    // How sends are made idempotent (see the top of this file).
    enum class txn_scope { access_token, device };
    void set_txn_scope(txn_scope scope);
    // Where origin_server_ts comes from (ms since the epoch); null: the wall clock.
    // Timestamps never go backwards, whatever the source says.
    void set_clock(std::function<std::int64_t()> now_ms);

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
    struct stored_media {
        std::string content_type;
        std::string filename;  // ?filename=, "" when none
        std::string bytes;
        std::string uploader;
    };
    // The media behind an mxc:// URI; nullopt when there is none.
    std::optional<stored_media> media(const std::string& mxc_uri);
    std::vector<nlohmann::json> events_in(const std::string& room);
    // Bodies of the m.notice events `sender` posted in `room`.
    std::vector<std::string> notices_in(const std::string& room, const std::string& sender);
    // The room `user` shares with `bot` as a DM (created by the bot, or the bot's m.direct), "" when none.
    std::string direct_room(const std::string& bot, const std::string& user);
    std::set<std::string> joined_rooms(const std::string& user);
    bool is_invited(const std::string& room, const std::string& user);
    int count(const std::string& what);  // "login", "whoami", "sync", "messages", "send_request", "create_room", "leave",
                                         // "media_upload"

    // The next `times` requests whose path contains `path_part` (and method, unless empty) get `response`;
    // with `after_handling` the request takes effect first and only its answer is replaced (a lost answer).
    void fail_next(const std::string& method, const std::string& path_part, int times, loopback_response response,
                   bool after_handling = false);
    void clear_faults();  // the injected faults not used up are dropped
    static loopback_response matrix_error(int status, const std::string& errcode, const std::string& error);
    static loopback_response rate_limited(int retry_after_ms);

private:
    struct impl;
    std::shared_ptr<impl> impl_;
    std::unique_ptr<loopback_http_server> server_;
};

}  // namespace ritualbot::testing
