#pragma once
// ritualbot on Slack: the Socket Mode intake (envelopes -> dispatcher -> ack
// after commit) and the outbox's delivery through the Web API (Block Kit,
// DMs through conversations.open, ephemeral replies, pacing per channel).
// Before it is ready it learns who it is (auth.test), the workspace's users
// it stored before (the database: zones, bots, deactivated) and the members of
// teams whose config leaves `members` out (conversations.members, 1000 a
// page), then starts the socket. Zones are refreshed in the background:
// users.list (paced to its tier) when the stored copy is older than a day,
// user_change and team_join events as they come, and users.info only for the
// few team members users.list has not shown.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>

#include "bot/clock.hpp"
#include "bot/slack/block_kit.hpp"
#include "bot/slack/envelope_handler.hpp"
#include "bot/slack/socket_mode_client.hpp"
#include "bot/slack/web_api.hpp"
#include "bot/transport.hpp"
#include "bot/slack/call_pacer.hpp"
#include "bot/slack/member_directory.hpp"
#include "config/config.hpp"
#include "storage/slack_user_store.hpp"

namespace ritualbot {
class dispatcher;
struct chart_png;
class store;
}  // namespace ritualbot

namespace ritualbot::slack {

struct slack_options {
    socket_mode_options socket;            // app token, TLS, timeouts
    web_api_options api;                   // base path, retries
    std::chrono::milliseconds channel_interval{1000};  // chat.postMessage: one per second per channel...
    int channel_burst = 3;                              // ...after a short burst
    std::chrono::milliseconds members_refresh{std::chrono::minutes(60)};
    int members_page = 1000;               // conversations.members limit (Slack's maximum)
    // users.list: Tier 2 (20+ a minute); read again daily. Pages of 200 users,
    // as Slack's pagination guide recommends (100-200; 1000 at most): a page
    // of 1000 real user objects is about 1.6 MB, held whole while it is read,
    // the largest item of the bot's peak memory at 20,000 users. 200 a page
    // reads 20,000 users in 5 minutes instead of 1, behind the serving bot.
    int users_page = 200;
    int users_list_per_minute = 20;
    std::chrono::milliseconds users_refresh{std::chrono::hours(24)};
    std::chrono::milliseconds users_retry{std::chrono::minutes(5)};  // after a users.list walk failed
    // users.info (Tier 4, 100+ a minute) for team members users.list did not show: at most this many a walk.
    int lookups_per_refresh = 50;
    int users_info_per_minute = 50;
    // Group commit: at most this many envelopes share one transaction.
    std::size_t max_group = 256;
    // ...and is committed after this many passes of the event loop in a row
    // bring no new envelope, or once it is group_hold old
    // (slack_transport::check_group).
    int group_quiet_passes = 3;
    std::chrono::microseconds group_hold{2000};
    // Charts: files.getUploadURLExternal and files.completeUploadExternal
    // are Tier 4 (100+ a minute); half of it each, like users.info.
    int uploads_per_minute = 50;
    // Where the PNG bytes go (the upload_url Slack names); unset: charts are
    // sent as their alt text.
    http_upload upload;
    // A chart that cannot be uploaded (or that Slack will not show) after this
    // many tries goes out as its alt text: the text never waits for a picture.
    int max_image_failures = 3;
};

class slack_transport final : public transport {
public:
    slack_transport(boost::asio::io_context& io, config& cfg, store& db, const clock& clk, dispatcher& dispatch,
                    http_send http, std::string bot_token, slack_options options);
    ~slack_transport() override;

    std::string platform() const override { return "slack"; }
    void deliver(const outbox_row& row, std::function<void(delivery_result)> done) override;

    // `ready` runs once: identity, members and time zones are known and the
    // socket is starting. `committed` runs after every envelope that
    // committed something (the runtime flushes the outbox then).
    void start(std::function<void()> ready, std::function<void()> committed);
    void stop();

    const identity& self() const { return handler_.self(); }
    std::size_t unknown_zones() const { return directory_.unknown_zones(); }
    socket_mode_client& socket() { return *socket_; }

private:
    struct channel_queue;
    struct job;
    void learn_identity();
    void load_users();
    void resolve_members(std::function<void()> then);
    void schedule_member_refresh();
    void schedule_users_walk(std::chrono::milliseconds after);
    void walk_users(std::string cursor, int pages);
    void lookup_unknown_members();
    void learn_users(const std::vector<slack_user_row>& users, const char* source);
    // Runs `call` when `pacer` allows it.
    void paced(call_pacer& pacer, std::function<void()> call);
    void on_envelope(const frame& f, ack_writer write_ack);
    void request_flush();
    void schedule_group_commit();
    void check_group(std::size_t seen, int quiet_passes);
    void remember_dm_channel(const std::string& user, const std::string& channel);
    void enqueue(std::shared_ptr<job> j);
    void drop_idle_queue(const std::string& key);
    void sweep_refilling();
    void pump(const std::string& key);
    void run_job(const std::string& key, std::shared_ptr<job> j);
    void post_parts(std::shared_ptr<job> j, std::string channel);
    void post_part(std::shared_ptr<job> j, std::string channel, instant started, std::size_t index);
    void find_posted_parts(std::shared_ptr<job> j, std::string channel, instant since, std::string cursor, int page);
    void post_ephemeral_parts(const std::string& key, std::shared_ptr<job> j);
    void finish_job(const std::string& key, std::shared_ptr<job> j, delivery_result r);
    // The part's charts uploaded and their file ids in its image blocks
    // (or their alt text in their place), then `then`.
    void prepare_images(const std::string& key, std::shared_ptr<job> j, std::size_t index, std::function<void()> then);
    void upload_chart(const pending_image& image, std::function<void(std::string file_id, std::string error, bool retryable)> done);
    void upload_png(std::shared_ptr<chart_png> png, std::string title,
                    std::function<void(std::string file_id, std::string error, bool retryable)> done);
    // Runs `call` when `pacer` allows it, on a timer of its own.
    void after_pace(call_pacer& pacer, std::function<void()> call);
    // A refusal of a part with charts (invalid_blocks: the file is not
    // processed yet) may pass later; counted, so that it ends.
    bool image_refusal(std::shared_ptr<job> j, std::size_t index, const std::string& error);

    boost::asio::io_context& io_;
    config& cfg_;
    store& db_;
    const clock& clk_;
    slack_options options_;
    web_api api_;
    envelope_handler handler_;
    std::unique_ptr<socket_mode_client> socket_;
    std::function<void()> ready_, committed_;
    // user -> D... channel: 32 bytes each, where a std::map took 112
    // (config/id_map.hpp). A channel id longer than 16 bytes would be looked
    // up with conversations.open each time (Slack's are 9 to 11).
    id_map<short_id> dm_channels_;
    member_directory directory_;                     // the workspace's users as last heard of
    slack_user_store users_;
    call_pacer users_list_pacer_, users_info_pacer_;
    call_pacer upload_url_pacer_, upload_complete_pacer_;
    // Charts uploaded for an outbox row not yet delivered: (part, image) -> file id.
    std::map<std::int64_t, std::map<std::pair<std::size_t, std::size_t>, std::string>> uploaded_;
    std::map<std::int64_t, int> image_failures_;
    bool users_listed_ = false;                       // users.list read to its end at least once
    bool walking_users_ = false;
    bool looking_up_ = false;
    std::map<std::string, std::unique_ptr<channel_queue>> queues_;
    // Destinations without a queue whose bucket is not full yet: when it will
    // be, and the end of a 429's wait (see drop_idle_queue).
    struct bucket_refill {
        std::chrono::steady_clock::time_point full_at, not_before;
    };
    std::unordered_map<std::string, bucket_refill> refilling_;
    bool refill_sweep_armed_ = false;
    std::map<std::int64_t, int> parts_posted_;         // long messages: parts already out
    // Rows whose earlier post may have landed (a crash, a lost answer): read
    // the conversation before posting them again. Holds the attempt's start.
    std::map<std::int64_t, instant> uncertain_;
    struct refresh_timer;
    std::unique_ptr<refresh_timer> refresh_;
    int identity_failures_ = 0;
    bool stopped_ = false;
    bool flush_posted_ = false;
    bool group_check_posted_ = false;
    std::chrono::steady_clock::time_point group_opened_;  // when the group's first check was posted
    std::shared_ptr<bool> alive_;
};

// Reads the environment: SLACK_APP_TOKEN, SLACK_BOT_TOKEN, SLACK_API_BASE_URL.
struct slack_environment {
    std::string app_token, bot_token;
    std::string api_base_url = "https://slack.com/api/";
    std::string error;  // set when something required is missing or malformed
};
slack_environment read_slack_environment();

bool uses_slack(const config& cfg);

}  // namespace ritualbot::slack
