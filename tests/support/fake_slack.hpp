#pragma once
// A fake Slack for tests (protocols.md part C): one Beast server on
// 127.0.0.1 (plain, or TLS with a test certificate) that serves the Web API
// under /api/ and the Socket Mode websocket under /link/. It runs on its own
// thread; every method here is thread-safe.
//
// Web API: apps.connections.open (needs Bearer xapp-), auth.test,
// chat.postMessage (ts strings; the answer echoes the message with the
// bot's profile, blocks and metadata, as Slack's does; optional 1/s/channel
// limit -> 429 Retry-After), chat.postEphemeral, chat.update, conversations.open,
// conversations.members and users.list (paged by next_cursor), users.info,
// views.open (a trigger id works once, within 3 s), and the external file
// upload: files.getUploadURLExternal (filename, length > 0, else
// missing_argument) answers a file id and an upload_url on this server's own
// loopback (/upload/<file>, no token needed, bytes stored, HTTP 200 "OK -
// <length>"); files.completeUploadExternal (`files`: [{id, title}]) accepts
// only ids whose bytes arrived with the announced length (file_not_found
// otherwise) and shares a file only when channel_id is given. An image block
// in chat.postMessage / postEphemeral must name a completed file
// (slack_file.id) or an image_url, and carry alt_text (at most 2000
// characters), else invalid_blocks as Slack answers. Logical errors are HTTP
// 200 with ok:false. Injected faults: 429s, 5xx, dropped connections, lost acks.
//
// Rate-limit tiers (on by default, `enforce_tiers`): every method has Slack's
// per-minute allowance, counted per method over a sliding `tier_window`
// (60 s unless a test scales it down); past it the call gets HTTP 429 with
// Retry-After (seconds until the oldest call leaves the window) and
// {"ok":false,"error":"ratelimited"}. Tiers, from docs.slack.dev method
// metadata (slack-ruby/slack-api-ref docs.slack.dev/methods/*.json) and
// api.slack.com/apis/rate-limits:
//   Tier 2 (20/min): users.list
//   Tier 3 (50/min): apps.connections.open, conversations.open, chat.update,
//                    conversations.history, and any method not listed here
//   Tier 4 (100/min): users.info, conversations.members, chat.postEphemeral, views.open,
//                     files.getUploadURLExternal, files.completeUploadExternal
//   Special: auth.test (modelled as 100/min); chat.postMessage 1/s per
//            channel, modelled as 60 per channel per window (short bursts pass).
//
// What the real Slack does and this fake does not:
// - tiers are "N+ per minute" with undisclosed burst allowances; the fake
//   applies exactly N in any sliding window, no burst beyond it;
// - chat.postMessage's workspace-wide cap (undocumented number) is not modelled;
// - limits are per workspace and app; the fake has one workspace, one app;
// - a users.list or conversations.members page may hold fewer than `limit`
//   items before the end; the fake always fills pages; cursors never expire;
// - no `limit_required` / HTTP 500 for an unpaged users.list of a big team;
// - user_change / team_join only when a test sends them (Slack sends one
//   for every profile change, to every app subscribed);
// - Events API delivery caps (30,000/hour, app_rate_limited) are not modelled;
// - uploads: Slack processes a file asynchronously after
//   files.completeUploadExternal, and a post naming it at once may be refused
//   (invalid_blocks) until it is ready (python-slack-sdk#1521,
//   slack-github-action#413); the fake's file is ready at once unless a test
//   asks (`refuse_new_files`). Slack's upload URL is on files.slack.com and
//   also takes multipart bodies; it checks the file type and workspace upload
//   policies (file_uploads_disabled, ...); the fake checks none of that, and
//   the error for bytes that never arrived (file_not_found) is the fake's
//   choice, not documented by Slack.
//
// conversations.history (newest first, `oldest`, cursor paging, message
// metadata only with include_all_metadata=true) returns what chat.postMessage
// stored, metadata included; a ts is the wall-clock time in microseconds.
//
// Socket Mode: hello on connect; envelopes pushed to the newest connection;
// acks recorded with their latency; an events_api envelope not acked within
// `redeliver_after` comes again with retry_attempt+1 (at most 3 times);
// disconnect frames on demand; at most 10 connections; pings.
//
// Where the real Slack may differ (what the fake claims, and on what):
// - Slash commands: Slack documents retries for events_api envelopes; for an
//   unacked slash_commands envelope it documents only that the person sees
//   an error after 3 s. The fake redelivers those too (option
//   redeliver_commands), so the bot's "same answer in the redelivery's ack"
//   path is exercised; where Slack does not redeliver, the person sees
//   Slack's timeout error and types the command again (nothing is applied
//   twice: the first envelope's effects are committed under its id).
// - conversations.history is read-after-write consistent here; Slack's is in
//   practice, but not by contract. Since 2025 Slack limits it to 1 call a
//   minute and 15 messages for non-Marketplace apps installed outside their
//   own workspace (api.slack.com/apis/rate-limits); an app created for its
//   own workspace, as ritualbot's, keeps Tier 3.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace boost::asio::ssl {
class context;
}

namespace ritualbot::testing {

struct fake_slack_options {
    boost::asio::ssl::context* tls = nullptr;  // serve https:// and wss:// with this
    std::chrono::milliseconds redeliver_after{2000};
    bool redeliver_commands = true;  // unacked slash_commands envelopes come again too (see above)
    // Slack retries an event 3 times, spread over minutes (Events API:
    // at once, after 1 and after 5 minutes); the fake compresses that to
    // `redeliver_after`, so a test of a slow bot may allow more attempts.
    int max_redeliveries = 3;
    int posts_per_channel_per_second = 0;      // 0: no limit
    std::chrono::milliseconds ping_interval{0};  // 0: no pings
    bool enforce_tiers = true;                   // Slack's per-method rate-limit tiers (see above)
    std::chrono::milliseconds tier_window{60000};  // a test that calls fast may shrink the minute
    std::string bot_user = "UBOT";
    std::string bot_id = "BBOT";
    // Keep each ack's JSON (ack_record::frame). A benchmark turns this off:
    // the envelope id is then read from the text without parsing the answer.
    bool keep_ack_frames = true;
};

struct api_call {
    std::string method;
    nlohmann::json args;  // JSON body, or the query/form fields as strings
    std::string token;    // the Bearer token it came with
    int http_status = 200;
    bool ok = false;      // the answer said ok:true
};

struct uploaded_file {
    std::string id;
    std::string filename;
    std::size_t length = 0;  // as announced to files.getUploadURLExternal
    std::string bytes;       // what arrived at the upload URL
    bool bytes_arrived = false;
    bool completed = false;  // files.completeUploadExternal took it
    std::string title;
    std::string shared_to;   // channel_id given to files.completeUploadExternal, if any
};

struct ack_record {
    nlohmann::json frame;  // what the bot sent
    std::chrono::steady_clock::duration latency{};  // from our send to its arrival
};

class fake_slack {
public:
    explicit fake_slack(fake_slack_options options = {});
    ~fake_slack();
    fake_slack(const fake_slack&) = delete;
    fake_slack& operator=(const fake_slack&) = delete;

    std::string api_base_url() const;  // http://127.0.0.1:PORT/api/ (https:// with TLS)
    unsigned short port() const;

    // The workspace.
    void add_user(const std::string& id, const std::string& tz, bool is_bot = false, bool deleted = false);
    // Any object as a users.list entry (after the real users), e.g. garbage.
    void add_raw_list_entry(nlohmann::json entry);
    // The user's profile changes here and a user_change event goes to the bot.
    std::string change_user(const std::string& id, const std::string& tz, bool is_bot = false, bool deleted = false);
    // Any events_api inner event; returns its envelope id.
    std::string send_event(nlohmann::json event);
    void set_channel_members(const std::string& channel, std::vector<std::string> members);

    // Envelopes to the bot; each returns its envelope id.
    std::string send_dm(const std::string& user, const std::string& text);
    std::string send_mention(const std::string& user, const std::string& channel, const std::string& text);
    std::string send_slash(const std::string& user, const std::string& channel, const std::string& command,
                           const std::string& text);
    std::string click_button(const std::string& user, const std::string& action_id, const std::string& value);
    std::string submit_view(const std::string& user, const nlohmann::json& view,
                            const std::map<std::string, std::string>& values_by_block);
    std::string send_envelope(nlohmann::json envelope);  // fills in envelope_id when missing
    // The envelopes send_slash and send_dm push, without sending them (ids filled in).
    nlohmann::json slash_envelope(const std::string& user, const std::string& channel, const std::string& command,
                                  const std::string& text);
    nlohmann::json dm_envelope(const std::string& user, const std::string& text);
    // A benchmark's stream: sends these envelopes in order, keeping at most
    // `window` unacknowledged, each next one sent from the fake's own thread
    // as an ack arrives (no redelivery). ack_count() tells the progress.
    void feed(std::vector<nlohmann::json> envelopes, int window);
    void send_raw(const std::string& frame);             // anything, on the newest connection
    void send_disconnect(const std::string& reason);     // on every open connection
    void drop_connections();                              // TCP close, no close frame
    void ignore_next_acks(int n);                         // as if they were lost
    void refuse_connections(bool refuse);                 // websocket upgrades fail

    // Faults on the Web API.
    void rate_limit_next(const std::string& method, int count, int retry_after_seconds);
    void fail_next(const std::string& method, int count, int http_status);
    void fail_next_with(const std::string& method, int count, const std::string& slack_error);

    // The next `n` posts naming a freshly completed file are refused with
    // invalid_blocks, as Slack does while it still processes the upload.
    void refuse_new_files(int n);

    // What happened.
    std::vector<uploaded_file> uploads() const;
    std::optional<uploaded_file> upload_of(const std::string& file_id) const;
    std::vector<api_call> calls(const std::string& method = "") const;
    std::size_t ok_calls(const std::string& method) const;  // answered ok:true, counted without copying
    std::size_t rate_limited_calls() const;  // answered 429 (tiers or injected)
    std::optional<ack_record> ack_of(const std::string& envelope_id) const;
    std::vector<ack_record> acks() const;
    std::size_t ack_count() const;
    int deliveries_of(const std::string& envelope_id) const;
    int connections_opened() const;
    int open_connections() const;
    std::string last_trigger_id() const;
    // Posted messages (chat.postMessage) to a channel, or to a user's DM
    // (every call answered HTTP 200, refused ones included; see api_call::ok).
    std::vector<nlohmann::json> messages_to(const std::string& channel) const;
    std::vector<nlohmann::json> dms_to(const std::string& user) const;
    std::string dm_channel_of(const std::string& user) const { return "D" + user; }
    // The text of every block of a posted message, joined by newlines.
    static std::string text_of(const nlohmann::json& message_args);

    // Runs `step` (e.g. the bot's io_context for a little while) until `done` or the timeout.
    static bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout,
                           const std::function<void()>& step = {});

    struct impl;

private:
    std::shared_ptr<impl> impl_;
};

}  // namespace ritualbot::testing
