#pragma once
// The Matrix transport: logs in (or uses a given access token), learns its
// own user id with whoami, long-polls /sync and hands each message to the
// dispatcher, and delivers outbox rows as m.notice events.
//
// Delivery guarantees:
// - the sync position (next_batch) commits in the same transaction as the
//   effects of the last event it covers; events of a batch before it carry
//   their own dedupe keys (the event id), so a crash anywhere re-reads the
//   batch and applies every event exactly once;
// - the first start (no stored position) skips the history, and nothing
//   older than that first start is ever answered; in a room joined later,
//   only events after the bot's own join are answered (its join event in the
//   timeline, else origin_server_ts against the time the join was asked for);
// - a send's txnId is derived from its outbox row, so a retry after a lost
//   answer is recognised by the homeserver and posts once. That holds only
//   under one access token on Synapse before 1.85 (per device after), so each
//   attempt is recorded before the request leaves, every message carries its
//   txnId in its content, and a row whose attempt started under another
//   token or in another process is first looked for in the room (/messages)
//   and only sent if it is not there.
// A row with charts is several events, each with its own txnId derived from
// the row's (the notice, then one m.image per chart, its PNG uploaded to the
// media repository first); a read-back counts which of them are already in
// the room and sends the rest. An upload a crash orphans is unused media.
// Sends are queued per room (order kept); 429s wait as told; 5xx, network
// errors and 403 (not in the room yet) back off and retry with the message
// kept at the head of its queue; a 400 sets the message aside; an unknown
// token is fatal unless a password can log in again.
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "bot/chart_png.hpp"
#include "bot/clock.hpp"
#include "bot/matrix/matrix_api.hpp"
#include "bot/net/backoff.hpp"
#include "bot/transport.hpp"
#include "config/config.hpp"
#include "handlers/dispatcher.hpp"
#include "storage/matrix_store.hpp"
#include "storage/store.hpp"

namespace boost::asio {
class io_context;
namespace ssl {
class context;
}
}  // namespace boost::asio

namespace ritualbot::matrix {

struct matrix_secrets {
    std::string access_token;  // MATRIX_ACCESS_TOKEN
    std::string password;      // MATRIX_PASSWORD
    // From the environment; empty strings when unset.
    static matrix_secrets from_environment();
};

struct matrix_hooks {
    // Handles one message in one transaction; `in_transaction` runs inside it before the commit.
    std::function<dispatch_result(const incoming&, const std::function<void()>& in_transaction)> dispatch;
    std::function<void()> dispatched;                    // messages were handled: deliver the outbox now
    std::function<void(const std::string& why)> fatal;  // the transport cannot go on
};

struct matrix_options {
    std::shared_ptr<boost::asio::ssl::context> tls;  // null: system CAs plus [matrix] ca_file
    net::backoff_options retry{std::chrono::milliseconds(1000), std::chrono::milliseconds(60000), 0.5};
};

class matrix_transport final : public transport {
public:
    matrix_transport(boost::asio::io_context& io, const config& cfg, store& db, const clock& clk,
                     matrix_secrets secrets, matrix_hooks hooks, matrix_options options = {});
    ~matrix_transport() override;

    std::string platform() const override { return "matrix"; }
    void deliver(const outbox_row& row, std::function<void(delivery_result)> done) override;

    void start();
    void stop();
    bool syncing() const { return syncing_; }
    // The /sync loop runs and its last request got an answer (for /healthz).
    bool connected() const { return syncing_ && sync_ok_; }
    const std::string& own_user() const { return user_id_; }
    std::uint64_t syncs_completed() const { return syncs_completed_; }

private:
    struct send_job {
        outbox_row row;
        std::function<void(delivery_result)> done;
        int attempts = 0;
        bool looked_up = false;  // read back from the room already, not found there
        std::size_t next_event = 0;  // events of the row sent so far (see row_events in the .cpp)
        struct media {
            std::string uri;  // mxc://...; empty: the chart could not be drawn or stored, its alt text goes instead
            int width = 0, height = 0;
            std::size_t size = 0;
        };
        std::map<std::size_t, media> charts;  // by chart number in the message
    };

    // Start-up.
    void begin_session();
    void login();
    void whoami();
    void upload_filter();
    // The /sync loop.
    void sync(std::uint64_t generation);
    void on_sync(api_result r, bool initial, std::uint64_t generation);
    struct gap_fill;
    void fill_gap(const std::shared_ptr<gap_fill>& fill, std::uint64_t generation);
    void apply_batch(const struct sync_response& batch, bool initial, std::uint64_t generation);
    void handle_batch(const struct sync_response& batch, bool initial);
    void handle_invites(const struct sync_response& batch);
    void remember_direct_rooms(const struct sync_response& batch);
    void warn_encrypted(const std::string& room);
    void retry_later(std::function<void()> what, std::chrono::milliseconds wait);
    // Joins a room, retrying rate limits and transient failures up to five times.
    void join_room(const std::string& room, int attempt);
    void retry_with_backoff(std::function<void()> what, const std::string& why);
    void unknown_token(const api_result& r, std::function<void()> resume);
    // Sends.
    void pump(const std::string& queue);
    void send_head(const std::string& queue);
    void put_head(const std::string& queue, const std::string& room);
    void upload_chart(const std::string& queue, const std::string& room, std::size_t chart, const std::string& svg);
    void upload_png(const std::string& queue, const std::string& room, std::size_t chart,
                    std::shared_ptr<chart_png> png);
    struct read_back_state;
    void read_back(const std::string& queue, const std::shared_ptr<read_back_state>& state);
    void finish_head(const std::string& queue, delivery_result result);
    void create_direct_room(const std::string& queue, const std::string& user);
    void put_direct_account_data();

    int send_job_attempts(const std::string& queue) const;
    std::chrono::milliseconds retry_delay(int failures) const;
    bool is_known_person(const std::string& user) const;
    std::string txn_id(const outbox_row& row) const;

    boost::asio::io_context& io_;
    const config& cfg_;
    const matrix_config& mcfg_;
    store& db_;
    matrix_store mdb_;
    const clock& clk_;
    matrix_secrets secrets_;
    matrix_hooks hooks_;
    matrix_options options_;
    std::unique_ptr<matrix_api> api_;
    net::backoff sync_backoff_;
    std::string user_id_;
    std::string filter_;  // a filter id, or the filter JSON itself
    std::string since_;
    bool syncing_ = false;
    bool sync_ok_ = false;
    bool stopped_ = false;
    bool relogged_ = false;
    bool logging_in_ = false;
    std::uint64_t sync_generation_ = 0;  // one /sync loop at a time, even across a re-login
    std::uint64_t syncs_completed_ = 0;
    nlohmann::json direct_map_ = nlohmann::json::object();  // our m.direct account data
    std::map<std::string, std::deque<send_job>> queues_;  // "!room" or "@user" (a DM) -> jobs in order
    std::set<std::string> busy_queues_;
    std::set<std::int64_t> attempted_;  // outbox rows sent under the current token by this process
    std::optional<instant> first_start_;  // unset: a database from before it was recorded
    bool fresh_database_ = false;         // this process made the first /sync of the database
    std::shared_ptr<bool> alive_;
};

}  // namespace ritualbot::matrix
