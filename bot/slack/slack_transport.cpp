#include "bot/slack/slack_transport.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdlib>
#include <deque>
#include <unordered_set>
#include <spdlog/spdlog.h>

#include "bot/chart_png.hpp"
#include "bot/fault.hpp"
#include "bot/free_memory.hpp"
#include "bot/slack/block_kit.hpp"
#include "bot/slack/slack_user.hpp"
#include "handlers/dispatcher.hpp"
#include "storage/slack_store.hpp"
#include "storage/store.hpp"

namespace ritualbot::slack {

namespace asio = boost::asio;
using json = nlohmann::json;
using steady = std::chrono::steady_clock;

struct slack_transport::job {
    outbox_row row;
    std::vector<rendered_message> parts;
    std::function<void(delivery_result)> done;
};

// Messages to one destination go out in order, one at a time, paced by a
// token bucket (Slack: about one message per second per channel, short
// bursts tolerated). A 429 empties the bucket until Retry-After has passed.
struct slack_transport::channel_queue {
    explicit channel_queue(asio::io_context& io, int burst) : timer(io), tokens(burst) {}
    std::deque<std::shared_ptr<job>> jobs;
    asio::steady_timer timer;
    bool busy = false;
    double tokens;
    steady::time_point refilled = steady::now();
    steady::time_point not_before{};
};

struct slack_transport::refresh_timer {
    explicit refresh_timer(asio::io_context& io)
        : timer(io), users(io), list_pace(io), info_pace(io), refill_sweep(io) {}
    asio::steady_timer timer;         // conversations.members again
    asio::steady_timer users;         // users.list again
    asio::steady_timer list_pace;     // the next users.list page
    asio::steady_timer info_pace;     // the next users.info
    asio::steady_timer refill_sweep;  // forget buckets full again (refilling_)
};

namespace {

// Our posts carry their outbox row in Slack's message metadata, so a post
// whose outcome was not recorded can be found again (conversations.history).
constexpr const char* outbox_metadata_type = "ritualbot_outbox";
constexpr int max_history_pages = 20;
// A Retry-After longer than this (a broken or hostile answer) is not obeyed.
constexpr std::chrono::seconds max_channel_wait{600};

// A chart of the part still waits for its file id.
bool images_pending(const rendered_message& part) {
    for (const auto& image : part.images) {
        const json& block = part.blocks[image.block];
        if (string_field(block, "type") == "image" && string_field(object_field(block, "slack_file"), "id").empty())
            return true;
    }
    return false;
}

std::string queue_key(const destination& to) {
    return to.kind == destination_kind::channel  ? to.channel
           : to.kind == destination_kind::direct ? "@" + to.user
                                                 : to.channel + "@" + to.user;
}

}  // namespace

bool uses_slack(const config& cfg) {
    for (const auto& t : cfg.teams)
        if (t.platform == "slack") return true;
    return false;
}

slack_environment read_slack_environment() {
    slack_environment env;
    auto get = [](const char* name) {
        const char* v = std::getenv(name);
        return v ? std::string(v) : std::string();
    };
    env.app_token = get("SLACK_APP_TOKEN");
    env.bot_token = get("SLACK_BOT_TOKEN");
    if (auto base = get("SLACK_API_BASE_URL"); !base.empty()) env.api_base_url = base;
    if (!env.api_base_url.empty() && env.api_base_url.back() != '/') env.api_base_url += '/';
    if (env.app_token.empty() || env.bot_token.empty())
        env.error = "a team is on Slack, so SLACK_APP_TOKEN (xapp-...) and SLACK_BOT_TOKEN (xoxb-...) must be set";
    else if (!env.app_token.starts_with("xapp-"))
        env.error = "SLACK_APP_TOKEN must be the app-level token (it starts with xapp-)";
    else if (!env.bot_token.starts_with("xoxb-"))
        env.error = "SLACK_BOT_TOKEN must be the bot token (it starts with xoxb-)";
    return env;
}

slack_transport::slack_transport(asio::io_context& io, config& cfg, store& db, const clock& clk,
                                 dispatcher& dispatch, http_send http, std::string bot_token, slack_options options)
    : io_(io),
      cfg_(cfg),
      db_(db),
      clk_(clk),
      options_(std::move(options)),
      api_(io, std::move(http), std::move(bot_token), options_.api),
      handler_(cfg, db, clk, dispatch),
      directory_(cfg),
      users_(db),
      users_list_pacer_(options_.users_list_per_minute, std::chrono::minutes(1)),
      users_info_pacer_(options_.users_info_per_minute, std::chrono::minutes(1)),
      upload_url_pacer_(options_.uploads_per_minute, std::chrono::minutes(1)),
      upload_complete_pacer_(options_.uploads_per_minute, std::chrono::minutes(1)),
      refresh_(std::make_unique<refresh_timer>(io)),
      alive_(std::make_shared<bool>(true)) {
    socket_ = std::make_unique<socket_mode_client>(
        io, api_, options_.socket, [this](const frame& f, ack_writer w) { on_envelope(f, std::move(w)); });
}

slack_transport::~slack_transport() {
    db_.settle();  // what was handled is committed; its acks go nowhere now, so Slack sends them again
    *alive_ = false;
}

void slack_transport::start(std::function<void()> ready, std::function<void()> committed) {
    ready_ = std::move(ready);
    committed_ = std::move(committed);
    try {
        for_each_slack_dm_channel(db_, [&](const std::string& user, std::string channel) {
            if (short_id::fits(channel)) dm_channels_.insert_or_assign(user, short_id(channel));
        });
    } catch (const std::exception& e) {
        spdlog::warn("slack: cannot read the stored DM channels ({}); opening them again as needed", e.what());
    }
    learn_identity();
}

void slack_transport::stop() {
    stopped_ = true;
    db_.settle();
    refresh_->timer.cancel();
    refresh_->users.cancel();
    refresh_->list_pace.cancel();
    refresh_->info_pace.cancel();
    refresh_->refill_sweep.cancel();
    socket_->stop();
    for (auto& [key, q] : queues_) q->timer.cancel();
}

void slack_transport::learn_identity() {
    std::weak_ptr<bool> alive = alive_;
    api_.post("auth.test", json::object(), [this, alive](api_result r) {
        if (alive.expired() || stopped_) return;
        if (!r.ok) {
            ++identity_failures_;
            auto wait = std::chrono::seconds(std::min(300, 5 << std::min(identity_failures_, 6)));
            spdlog::error("slack: auth.test failed ({}); check SLACK_BOT_TOKEN. Trying again in {} s", r.error,
                          wait.count());
            auto t = std::make_shared<asio::steady_timer>(io_, wait);
            t->async_wait([this, alive, t](boost::system::error_code ec) {
                if (!ec && !alive.expired()) learn_identity();
            });
            return;
        }
        identity id{string_field(r.body, "user_id"), string_field(r.body, "bot_id")};
        spdlog::info("slack: signed in as {} ({}) in {}", string_field(r.body, "user"), id.user_id,
                     string_field(r.body, "team"));
        handler_.set_identity(id);
        load_users();
        resolve_members([this, alive] {
            if (alive.expired() || stopped_) return;
            // Ready on what the database knows: the socket opens now, and
            // users.list (minutes on a big workspace) runs behind it.
            if (ready_) {
                auto ready = std::move(ready_);
                ready_ = nullptr;
                ready();
            }
            socket_->start();
            schedule_member_refresh();
            std::optional<instant> listed;
            try {
                listed = users_.listed_at();
            } catch (const std::exception& e) {
                spdlog::warn("slack: cannot read when users.list was last read ({}); reading it now", e.what());
            }
            std::chrono::milliseconds after{0};
            if (listed) {
                users_listed_ = true;
                const auto age = std::chrono::duration_cast<std::chrono::milliseconds>(clk_.now() - *listed);
                if (age < options_.users_refresh) after = options_.users_refresh - age;
            }
            schedule_users_walk(after);
            if (users_listed_) lookup_unknown_members();
        });
    });
}

// The users stored by earlier runs: zones known at once, no call per member.
void slack_transport::load_users() {
    std::size_t rows = 0;
    try {
        directory_.reserve(static_cast<std::size_t>(users_.count()));
        users_.for_each([&](const slack_user_row& u) {
            directory_.update(u);
            ++rows;
        });
    } catch (const std::exception& e) {
        spdlog::error("slack: cannot read the stored users ({}); zones come from Slack", e.what());
    }
    directory_.filter_channel_teams();
    give_back_free_memory();  // the rows' and the directory's transient arrays
    if (rows > 0)
        spdlog::info("slack: {} users from the database ({} with a zone)", rows, cfg_.learned_zones.size());
}

// Channel membership changes: look again now and then.
void slack_transport::schedule_member_refresh() {
    std::weak_ptr<bool> alive = alive_;
    refresh_->timer.expires_after(options_.members_refresh);
    refresh_->timer.async_wait([this, alive](boost::system::error_code ec) {
        if (ec || alive.expired() || stopped_) return;
        resolve_members([this, alive] {
            if (alive.expired() || stopped_) return;
            if (users_listed_) lookup_unknown_members();
            schedule_member_refresh();
        });
    });
}

void slack_transport::paced(call_pacer& pacer, std::function<void()> call) {
    auto& timer = &pacer == &users_list_pacer_ ? refresh_->list_pace : refresh_->info_pace;
    const auto wait = pacer.wait(steady::now());
    if (wait <= steady::duration::zero()) {
        pacer.record(steady::now());
        return call();
    }
    std::weak_ptr<bool> alive = alive_;
    timer.expires_after(wait);
    timer.async_wait([this, alive, &pacer, call = std::move(call)](boost::system::error_code ec) mutable {
        if (ec || alive.expired() || stopped_) return;
        paced(pacer, std::move(call));
    });
}

void slack_transport::schedule_users_walk(std::chrono::milliseconds after) {
    std::weak_ptr<bool> alive = alive_;
    refresh_->users.expires_after(after);
    refresh_->users.async_wait([this, alive](boost::system::error_code ec) {
        if (ec || alive.expired() || stopped_ || walking_users_) return;
        walking_users_ = true;
        walk_users("", 0);
    });
}

// users.list page by page (cursor), each page stored in one transaction and
// applied at once; at the end the next walk is a day away.
void slack_transport::walk_users(std::string cursor, int pages) {
    std::weak_ptr<bool> alive = alive_;
    paced(users_list_pacer_, [this, alive, cursor, pages] {
        std::map<std::string, std::string> q{{"limit", std::to_string(options_.users_page)}};
        if (!cursor.empty()) q["cursor"] = cursor;
        // Pages are read as they stream past, only the fields kept (read_users_list_page).
        auto page = std::make_shared<users_list_page>();
        auto read = [page](const std::string& body, api_result& r) {
            *page = read_users_list_page(body);
            r.ok = page->ok;
            r.error = page->error;
            return page->object;
        };
        api_.get("users.list", q, [this, alive, cursor, pages, page](api_result r) {
            if (alive.expired() || stopped_) return;
            if (!r.ok) {
                if (r.error == "ratelimited" && r.retry_after.count() > 0)
                    users_list_pacer_.hold_until(steady::now() + r.retry_after);
                spdlog::warn("slack: users.list stopped after {} pages ({}); zones stay as known, trying again in {} s",
                             pages, r.error,
                             std::chrono::duration_cast<std::chrono::seconds>(options_.users_retry).count());
                walking_users_ = false;
                return schedule_users_walk(options_.users_retry);
            }
            if (page->unreadable > 0)
                spdlog::warn("slack: users.list gave {} entries without a usable id; skipped", page->unreadable);
            learn_users(page->users, "users.list");
            const std::string next = std::move(page->next_cursor);
            *page = {};
            // A cursor that does not move, or an endless list, ends the walk.
            if (!next.empty() && next != cursor && pages + 1 < 100000) return walk_users(next, pages + 1);
            walking_users_ = false;
            users_listed_ = true;
            try {
                users_.set_listed_at(clk_.now());
            } catch (const std::exception& e) {
                spdlog::warn("slack: cannot record the users.list time ({})", e.what());
            }
            spdlog::info("slack: users.list read ({} pages, {} users known, {} with a zone)", pages + 1,
                         directory_.size(), cfg_.learned_zones.size());
            directory_.filter_channel_teams();
            schedule_users_walk(options_.users_refresh);
            lookup_unknown_members();
        }, read);
    });
}

// Stores and applies what Slack said of some users; only what changed is written.
void slack_transport::learn_users(const std::vector<slack_user_row>& users, const char* source) {
    std::vector<slack_user_row> changed;
    bool left = false;
    for (const auto& u : users) {
        if (!directory_.update(u)) continue;
        if (!is_person(u)) left = true;
        changed.push_back(u);
    }
    if (changed.empty()) return;
    try {
        users_.save(changed, clk_.now());
    } catch (const std::exception& e) {
        spdlog::error("slack: cannot store {} users from {} ({}); they are used until the next start", changed.size(),
                      source, e.what());
    }
    if (left) directory_.filter_channel_teams();
}

// Team members that users.list has not shown (they came after it, and no
// team_join reached us): users.info, a few at a time, paced to its tier.
void slack_transport::lookup_unknown_members() {
    if (looking_up_) return;
    auto unknown = std::make_shared<std::vector<std::string>>();
    std::unordered_set<std::string> seen;
    for (const auto& t : cfg_.teams) {
        if (t.platform != "slack") continue;
        for (const auto* list : {&t.members, &t.managers})
            for (const auto& u : *list)
                if (!directory_.known(u) && u != handler_.self().user_id && seen.insert(u).second &&
                    static_cast<int>(unknown->size()) < options_.lookups_per_refresh)
                    unknown->push_back(u);
    }
    if (unknown->empty()) return;
    looking_up_ = true;
    std::weak_ptr<bool> alive = alive_;
    auto step = std::make_shared<std::function<void(std::size_t)>>();
    *step = [this, alive, unknown, self = std::weak_ptr(step)](std::size_t i) {
        auto step = self.lock();
        if (alive.expired() || !step || stopped_) return;
        if (i >= unknown->size()) {
            looking_up_ = false;
            return;
        }
        paced(users_info_pacer_, [this, alive, unknown, step, i] {
            const std::string user = (*unknown)[i];
            api_.get("users.info", {{"user", user}}, [this, alive, step, user, i](api_result r) {
                if (alive.expired() || stopped_) return;
                std::optional<slack_user_row> u;
                if (r.ok) u = read_slack_user(object_field(r.body, "user"));
                if (u && u->id == user) learn_users({*u}, "users.info");
                else spdlog::warn("slack: nothing known of {} ({}); using the team's zone", user,
                                  r.ok ? "no usable user" : r.error);
                (*step)(i + 1);
            });
        });
    };
    (*step)(0);
}

// conversations.members for every team whose config leaves members out,
// following next_cursor to the end. A failure keeps what the team had.
void slack_transport::resolve_members(std::function<void()> then) {
    struct walk {
        std::vector<std::size_t> teams;
        std::size_t index = 0;
        std::vector<std::string> found;
        std::function<void()> then;
    };
    auto w = std::make_shared<walk>();
    w->then = std::move(then);
    for (std::size_t i = 0; i < cfg_.teams.size(); ++i)
        if (cfg_.teams[i].platform == "slack" && cfg_.teams[i].members_from_channel) w->teams.push_back(i);
    std::weak_ptr<bool> alive = alive_;
    auto page = std::make_shared<std::function<void(std::string)>>();
    // The function holds itself only weakly: the pending API call keeps it
    // alive, so it is freed when the walk ends or the transport stops.
    *page = [this, alive, w, self = std::weak_ptr(page)](std::string cursor) {
        auto page = self.lock();
        if (alive.expired() || !page) return;
        if (w->index >= w->teams.size()) {
            auto then = std::move(w->then);
            if (then) then();
            return;
        }
        team_config& team = cfg_.teams[w->teams[w->index]];
        std::map<std::string, std::string> q{{"channel", team.channel},
                                             {"limit", std::to_string(options_.members_page)}};
        if (!cursor.empty()) q["cursor"] = cursor;
        api_.get("conversations.members", q, [this, alive, w, page, &team](api_result r) {
            if (alive.expired()) return;
            if (!r.ok) {
                spdlog::error("slack: cannot list the members of {} for team {} ({}); {}", team.channel, team.name,
                              r.error,
                              r.error == "channel_not_found" || r.error == "not_in_channel"
                                  ? "invite the bot to the channel (/invite @ritualbot)"
                                  : "keeping the members known so far");
                w->found.clear();
                ++w->index;
                return (*page)("");
            }
            if (auto m = r.body.find("members"); m != r.body.end() && m->is_array())
                for (const auto& id : *m)
                    if (id.is_string() && id.get<std::string>() != handler_.self().user_id &&
                        !directory_.not_a_person(id.get<std::string>()))
                        w->found.push_back(id.get<std::string>());
            std::string next = string_field(object_field(r.body, "response_metadata"), "next_cursor");
            if (!next.empty()) return (*page)(next);
            if (team.members != w->found)
                spdlog::info("slack: team {} has {} members (the members of {})", team.name, w->found.size(),
                             team.channel);
            team.members = std::move(w->found);
            cfg_.members_changed();
            w->found.clear();
            ++w->index;
            (*page)("");
        });
    };
    (*page)("");
}

// Envelopes that arrive together are handled in one transaction (each in its
// own savepoint, so a failing one rolls back alone and gets its apology) and
// acknowledged after its one commit: no ack leaves before the commit that
// holds its effects.
void slack_transport::on_envelope(const frame& f, ack_writer write_ack) {
    try {
        db_.open_group();
    } catch (const std::exception& e) {
        spdlog::error("slack: {} envelope {} not handled, the database is not writable: {}; Slack will send it again",
                      f.type, f.envelope_id, e.what());
        return;
    }
    envelope_result r;
    {
        store::join_scope joined(db_);
        try {
            r = handler_.handle(f);
        } catch (const std::exception& e) {
            // Hostile or unexpected payloads must not take the socket down.
            spdlog::error("slack: {} envelope {} could not be handled: {}", f.type, f.envelope_id, e.what());
            r = envelope_result{};
        }
        if (!r.ignored.empty()) spdlog::debug("slack: {} envelope {}: {}", f.type, f.envelope_id, r.ignored);
        if (!r.dm_user.empty() && !r.dm_channel.empty()) remember_dm_channel(r.dm_user, r.dm_channel);
        if (!r.users.empty()) learn_users(r.users, f.type.c_str());  // stored before the ack
    }
    if (!r.ack) {
        spdlog::warn("slack: {} envelope {} not acknowledged; Slack will send it again", f.type, f.envelope_id);
        return;
    }
    // An answer carried by the ack was kept with the envelope's dedupe key:
    // an ack that never arrives means Slack sends the envelope again, and
    // the redelivery's ack carries the same answer.
    std::weak_ptr<bool> alive = alive_;
    db_.after_commit([this, alive, envelope = f.envelope_id, r = std::move(r), write_ack = std::move(write_ack)] {
        if (alive.expired()) return;
        fault_point("slack.after_commit");
        write_ack(ack_frame(envelope, r.ack_payload), [envelope](bool written) {
            if (!written)
                spdlog::warn("slack: the ack of envelope {} was not written; Slack will send it again", envelope);
        });
        if (!r.open_view_trigger.empty()) {
            api_.post("views.open", json{{"trigger_id", r.open_view_trigger}, {"view", r.open_view}},
                      [](api_result res) {
                          if (!res.ok) spdlog::warn("slack: the weekly update form did not open ({})", res.error);
                      });
        }
        if (r.dispatched) request_flush();
    });
    schedule_group_commit();
}

// The group is committed once group_quiet_passes passes through the event
// loop in a row brought no new envelope (the frames already read are in it),
// when it holds enough, or when it is group_hold old. Each pass polls the
// socket once: with one quiet pass, a loop busy posting replies committed DM
// answers four at a time, each commit writing the same index pages again;
// with three, about twenty (bench/README.md, seventh session). An idle loop
// makes its passes in microseconds.
void slack_transport::schedule_group_commit() {
    if (group_check_posted_) return;
    group_check_posted_ = true;
    group_opened_ = steady::now();
    std::weak_ptr<bool> alive = alive_;
    asio::post(io_, [this, alive] {
        if (!alive.expired()) check_group(0, 0);
    });
}

void slack_transport::check_group(std::size_t seen, int quiet_passes) {
    const std::size_t size = db_.group_size();
    const bool grew = size > seen;
    if (db_.group_open() && size < options_.max_group &&
        (grew || (quiet_passes + 1 < options_.group_quiet_passes &&
                  steady::now() - group_opened_ < options_.group_hold))) {
        std::weak_ptr<bool> alive = alive_;
        const int quiet = grew ? 0 : quiet_passes + 1;
        asio::post(io_, [this, alive, size, quiet] {
            if (!alive.expired()) check_group(size, quiet);
        });
        return;
    }
    group_check_posted_ = false;
    db_.commit_group();
}

// One outbox flush for a burst of envelopes: each flush reads the unsent
// rows, so flushing after every envelope of a burst would read them again
// and again while the acks wait.
void slack_transport::request_flush() {
    if (flush_posted_ || !committed_) return;
    flush_posted_ = true;
    std::weak_ptr<bool> alive = alive_;
    asio::post(io_, [this, alive] {
        if (alive.expired()) return;
        flush_posted_ = false;
        if (committed_) committed_();
    });
}

// Known DM channels are kept in the database: after a restart, a waiting
// message needs no conversations.open (Tier 3, 50 a minute).
void slack_transport::remember_dm_channel(const std::string& user, const std::string& channel) {
    if (short_id::fits(channel)) {
        const short_id id(channel);
        auto [known, inserted] = dm_channels_.try_emplace(user, id);
        if (!inserted && *known == id) return;
        *known = id;
    } else {
        dm_channels_.erase(user);  // not a Slack id we know the shape of: kept in the database only
    }
    try {
        remember_slack_dm_channel(db_, user, channel);
    } catch (const std::exception& e) {
        spdlog::warn("slack: cannot keep {}'s DM channel ({}); it is opened again after a restart", user, e.what());
    }
}

void slack_transport::deliver(const outbox_row& row, std::function<void(delivery_result)> done) {
    // Posted before the last stop, outcome unknown: look before posting again.
    if (row.attempt_started && !parts_posted_.count(row.id)) uncertain_.emplace(row.id, *row.attempt_started);
    auto j = std::make_shared<job>();
    j->row = row;
    j->done = std::move(done);
    try {
        j->parts = render(row.item.body);
    } catch (const std::exception& e) {
        delivery_result r;
        r.retryable = false;
        r.error = std::string("cannot render: ") + e.what();
        return j->done(r);
    }
    if (j->parts.empty()) {
        delivery_result ok;
        ok.ok = true;  // nothing to say
        return j->done(ok);
    }
    enqueue(std::move(j));
}

void slack_transport::enqueue(std::shared_ptr<job> j) {
    const std::string key = queue_key(j->row.item.to);
    auto& q = queues_[key];
    if (!q) {
        q = std::make_unique<channel_queue>(io_, options_.channel_burst);
        // Where the destination's last queue left its bucket.
        if (auto r = refilling_.find(key); r != refilling_.end()) {
            const double interval = static_cast<double>(options_.channel_interval.count());
            const auto now = steady::now();
            if (interval > 0 && r->second.full_at > now)
                q->tokens = std::max(0.0, options_.channel_burst -
                                              std::chrono::duration<double, std::milli>(r->second.full_at - now).count() /
                                                  interval);
            q->not_before = r->second.not_before;
            refilling_.erase(r);
        }
    }
    q->jobs.push_back(std::move(j));
    pump(key);
}

void slack_transport::pump(const std::string& key) {
    auto& q = *queues_[key];
    if (q.busy || q.jobs.empty() || stopped_) return;
    const auto now = steady::now();
    // Refill the bucket.
    const double interval = static_cast<double>(options_.channel_interval.count());
    if (interval > 0) {
        const double gained =
            std::chrono::duration<double, std::milli>(now - q.refilled).count() / interval;
        q.tokens = std::min<double>(options_.channel_burst, q.tokens + gained);
    } else {
        q.tokens = options_.channel_burst;
    }
    q.refilled = now;
    steady::time_point when = now;
    if (q.not_before > when) when = q.not_before;
    if (q.tokens < 1.0) {
        auto need = std::chrono::milliseconds(static_cast<long long>((1.0 - q.tokens) * interval) + 1);
        when = std::max(when, now + need);
    }
    if (when > now) {
        q.busy = true;
        q.timer.expires_at(when);
        std::weak_ptr<bool> alive = alive_;
        q.timer.async_wait([this, alive, key](boost::system::error_code ec) {
            if (ec || alive.expired()) return;
            queues_[key]->busy = false;
            pump(key);
        });
        return;
    }
    q.tokens -= 1.0;
    q.busy = true;
    auto j = q.jobs.front();
    q.jobs.pop_front();
    run_job(key, std::move(j));
}

void slack_transport::run_job(const std::string& key, std::shared_ptr<job> j) {
    const auto& to = j->row.item.to;
    std::weak_ptr<bool> alive = alive_;
    if (to.kind == destination_kind::channel) return post_parts(j, to.channel);
    if (to.kind == destination_kind::private_reply && !to.channel.empty()) return post_ephemeral_parts(key, j);
    // A DM: find or open the conversation first.
    const std::string user = to.user;
    if (const short_id* channel = dm_channels_.find(user)) return post_parts(j, channel->str());
    api_.post("conversations.open", json{{"users", user}}, [this, alive, j, key, user](api_result r) {
        if (alive.expired()) return;
        std::string channel = string_field(object_field(r.body, "channel"), "id");
        if (!r.ok || channel.empty()) {
            delivery_result fail;
            fail.retryable = r.retryable || (r.ok && channel.empty());
            fail.retry_after = r.retry_after;
            fail.error = "conversations.open: " + (r.ok ? std::string("no channel id") : r.error);
            return finish_job(key, j, fail);
        }
        remember_dm_channel(user, channel);
        post_parts(j, channel);
    });
}

// Ephemeral: one call per part, in order; not visible there means a DM instead.
void slack_transport::post_ephemeral_parts(const std::string& key, std::shared_ptr<job> j) {
    std::size_t index = static_cast<std::size_t>(parts_posted_[j->row.id]);
    if (index >= j->parts.size()) {
        delivery_result ok;
        ok.ok = true;
        return finish_job(key, j, ok);
    }
    if (images_pending(j->parts[index]))
        return prepare_images(key, j, index, [this, key, j] { post_ephemeral_parts(key, j); });
    const auto& part = j->parts[index];
    json args{{"channel", j->row.item.to.channel}, {"user", j->row.item.to.user}, {"text", part.text},
              {"blocks", part.blocks}};
    std::weak_ptr<bool> alive = alive_;
    api_.post("chat.postEphemeral", args, [this, alive, j, key, index](api_result r) {
        if (alive.expired()) return;
        if (!r.ok) {
            if (r.error == "user_not_in_channel" || r.error == "channel_not_found" || r.error == "not_in_channel") {
                spdlog::info("slack: {} cannot see a private reply in {} ({}); sending it as a DM",
                             j->row.item.to.user, j->row.item.to.channel, r.error);
                j->row.item.to.kind = destination_kind::direct;
                queues_[key]->busy = false;
                enqueue(j);
                return pump(key);
            }
            delivery_result fail;
            fail.retryable = r.retryable;
            fail.retry_after = r.retry_after;
            fail.error = "chat.postEphemeral: " + r.error;
            if (image_refusal(j, index, r.error)) {
                fail.retryable = true;
                fail.retry_after = std::chrono::seconds(2);
            }
            return finish_job(key, j, fail);
        }
        ++parts_posted_[j->row.id];
        post_ephemeral_parts(key, j);
    });
}

void slack_transport::post_parts(std::shared_ptr<job> j, std::string channel) {
    const std::string key = queue_key(j->row.item.to);
    const std::int64_t id = j->row.id;
    // An earlier post of this row may have landed (the process died after
    // posting, or the answer was lost): read the conversation first.
    if (auto u = uncertain_.find(id); u != uncertain_.end()) return find_posted_parts(j, channel, u->second, "", 0);
    std::size_t index = static_cast<std::size_t>(parts_posted_[id]);
    if (index >= j->parts.size()) {
        delivery_result ok;
        ok.ok = true;
        return finish_job(key, j, ok);
    }
    // Charts are uploaded before the attempt is recorded: an upload is not
    // a post (the file is shared nowhere), so the post stays one
    // chat.postMessage that the machinery below covers. An upload that a
    // crash orphans is a private, unshared file.
    if (images_pending(j->parts[index]))
        return prepare_images(key, j, index, [this, j, channel] { post_parts(j, channel); });
    // The attempt is on disk before the request leaves, so a restart knows
    // to look instead of posting blindly. Attempts made together share one
    // commit (the group); each post leaves once it is done.
    const instant started = clk_.now();
    auto cannot_record = [this, key, j, index](const std::string& why) {
        delivery_result fail;
        fail.error = "cannot record the delivery attempt: " + why;
        fail.maybe_delivered = index > 0;
        finish_job(key, j, fail);
    };
    try {
        db_.open_group();
        db_.mark_attempt_started(id, started);
    } catch (const std::exception& e) {
        return cannot_record(e.what());
    }
    std::weak_ptr<bool> alive = alive_;
    db_.after_commit(
        [this, alive, j, channel, started, index] {
            if (!alive.expired()) post_part(j, channel, started, index);
        },
        [alive, cannot_record] {
            if (!alive.expired()) cannot_record("the commit failed");
        });
    schedule_group_commit();
}

void slack_transport::post_part(std::shared_ptr<job> j, std::string channel, instant started, std::size_t index) {
    const std::string key = queue_key(j->row.item.to);
    const std::int64_t id = j->row.id;
    const auto& part = j->parts[index];
    json args{{"channel", channel},
              {"text", part.text},
              {"blocks", part.blocks},
              {"unfurl_links", false},
              {"unfurl_media", false},
              {"metadata",
               {{"event_type", outbox_metadata_type},
                {"event_payload", {{"row", id}, {"part", static_cast<int>(index)}}}}}};
    std::weak_ptr<bool> alive = alive_;
    api_.post_once("chat.postMessage", args, [this, alive, j, key, channel, started, index](api_result r) {
        if (alive.expired()) return;
        const std::int64_t id = j->row.id;
        if (!r.ok) {
            if (r.error == "ratelimited" || r.error == "rate_limited") {
                auto& q = *queues_[key];
                q.tokens = 0;
                q.not_before = steady::now() + std::clamp(r.retry_after, std::chrono::seconds(1), max_channel_wait);
            }
            if (r.uncertain) uncertain_[id] = started;
            delivery_result fail;
            fail.retryable = r.retryable;
            fail.retry_after = r.retry_after;
            fail.error = "chat.postMessage: " + r.error;
            fail.maybe_delivered = r.uncertain || parts_posted_[id] > 0;
            if (image_refusal(j, index, r.error)) {
                fail.retryable = true;
                fail.retry_after = std::chrono::seconds(2);
            }
            return finish_job(key, j, fail);
        }
        fault_point("slack.after_post");
        ++parts_posted_[id];
        if (static_cast<std::size_t>(parts_posted_[id]) < j->parts.size()) {
            // The next part waits its turn in the bucket like any message.
            auto& q = *queues_[key];
            q.busy = false;
            q.jobs.push_front(j);
            return pump(key);
        }
        delivery_result ok;
        ok.ok = true;
        finish_job(key, j, ok);
    }, web_api::read_status);
}

// conversations.history from a little before the attempt started, newest
// first, with our metadata: every part of this row found there is out.
void slack_transport::find_posted_parts(std::shared_ptr<job> j, std::string channel, instant since,
                                        std::string cursor, int page) {
    const std::string key = queue_key(j->row.item.to);
    // Clocks differ: Slack's ts against ours.
    const auto oldest = (since - std::chrono::minutes(5)).time_since_epoch().count();
    std::map<std::string, std::string> q{{"channel", channel},
                                         {"oldest", std::to_string(oldest)},
                                         {"include_all_metadata", "true"},
                                         {"limit", "50"}};
    if (!cursor.empty()) q["cursor"] = cursor;
    std::weak_ptr<bool> alive = alive_;
    api_.get("conversations.history", q, [this, alive, j, key, channel, since, page](api_result r) {
        if (alive.expired()) return;
        const std::int64_t id = j->row.id;
        if (!r.ok) {
            delivery_result fail;
            fail.retryable = r.retryable;
            fail.retry_after = r.retry_after;
            fail.error = "conversations.history (looking for an earlier post): " + r.error;
            fail.maybe_delivered = true;
            return finish_job(key, j, fail);
        }
        int found = 0;
        if (auto m = r.body.find("messages"); m != r.body.end() && m->is_array()) {
            for (const auto& message : *m) {
                const json& meta = object_field(message, "metadata");
                if (string_field(meta, "event_type") != outbox_metadata_type) continue;
                const json& payload = object_field(meta, "event_payload");
                auto row = payload.find("row");
                auto part = payload.find("part");
                if (row == payload.end() || !row->is_number_integer() || row->get<std::int64_t>() != id) continue;
                // Our own parts are few; anything else in the metadata is not ours to trust.
                if (part != payload.end() && part->is_number_integer() && part->get<std::int64_t>() >= 0 &&
                    part->get<std::int64_t>() < static_cast<std::int64_t>(j->parts.size()))
                    found = std::max(found, static_cast<int>(part->get<std::int64_t>()) + 1);
            }
        }
        parts_posted_[id] = std::max(parts_posted_[id], found);
        std::string next = string_field(object_field(r.body, "response_metadata"), "next_cursor");
        if (!next.empty() && page + 1 < max_history_pages) return find_posted_parts(j, channel, since, next, page + 1);
        if (found > 0 || parts_posted_[id] > 0)
            spdlog::info("slack: outbox row {}: {} of {} parts were already posted before; not posting them again", id,
                         parts_posted_[id], j->parts.size());
        uncertain_.erase(id);
        post_parts(j, channel);
    });
}

void slack_transport::finish_job(const std::string& key, std::shared_ptr<job> j, delivery_result r) {
    if (r.ok) {
        parts_posted_.erase(j->row.id);
        uncertain_.erase(j->row.id);
    }
    if (r.ok || !r.retryable) {
        uploaded_.erase(j->row.id);
        image_failures_.erase(j->row.id);
    }
    // What the outbox records of it (sent, failed) joins the group commit:
    // the attempt is already on disk, so a crash before that commit makes
    // the next start look in the conversation, not post again.
    bool grouped = false;
    try {
        db_.open_group();
        grouped = true;
    } catch (const std::exception& e) {
        spdlog::warn("slack: cannot open a transaction for the outbox ({}); recording alone", e.what());
    }
    auto done = std::move(j->done);
    if (done) done(r);
    if (grouped) schedule_group_commit();
    auto it = queues_.find(key);
    if (it == queues_.end()) return;
    it->second->busy = false;
    pump(key);
    drop_idle_queue(key);
}

// An idle destination needs no queue: one per person ever written to would
// grow with the organisation. A bucket not full yet is remembered in
// refilling_ (two time points, not a queue with its timer and deque) until it
// is: a queue made again must start where this one left off, or a person
// answered one message at a time would be written to faster than Slack's one
// a second.
void slack_transport::drop_idle_queue(const std::string& key) {
    auto it = queues_.find(key);
    if (it == queues_.end()) return;
    channel_queue& q = *it->second;
    if (q.busy || !q.jobs.empty()) return;
    const auto now = steady::now();
    const double interval = static_cast<double>(options_.channel_interval.count());
    const double missing =
        interval > 0
            ? options_.channel_burst - q.tokens - std::chrono::duration<double, std::milli>(now - q.refilled).count() / interval
            : 0;
    if (missing > 0 || q.not_before > now) {
        refilling_[key] = {now + std::chrono::milliseconds(static_cast<long long>(std::max(missing, 0.0) * interval) + 1),
                           q.not_before};
        sweep_refilling();
    }
    queues_.erase(it);
}

// Every few seconds while some bucket is refilling: forget those full again.
void slack_transport::sweep_refilling() {
    if (refill_sweep_armed_ || refilling_.empty() || stopped_) return;
    refill_sweep_armed_ = true;
    refresh_->refill_sweep.expires_after(options_.channel_interval * options_.channel_burst +
                                         std::chrono::milliseconds(100));
    std::weak_ptr<bool> alive = alive_;
    refresh_->refill_sweep.async_wait([this, alive](boost::system::error_code ec) {
        if (ec || alive.expired()) return;
        refill_sweep_armed_ = false;
        const auto now = steady::now();
        std::erase_if(refilling_, [now](const auto& r) { return r.second.full_at <= now && r.second.not_before <= now; });
        sweep_refilling();
    });
}

// ---- charts ----------------------------------------------------------------------

void slack_transport::after_pace(call_pacer& pacer, std::function<void()> call) {
    const auto wait = pacer.wait(steady::now());
    if (wait <= steady::duration::zero()) {
        pacer.record(steady::now());
        return call();
    }
    // A timer per waiting call: several destinations may wait at once.
    auto timer = std::make_shared<asio::steady_timer>(io_, wait);
    std::weak_ptr<bool> alive = alive_;
    timer->async_wait([this, alive, timer, &pacer, call = std::move(call)](boost::system::error_code ec) mutable {
        if (ec || alive.expired() || stopped_) return;
        after_pace(pacer, std::move(call));
    });
}

void slack_transport::prepare_images(const std::string& key, std::shared_ptr<job> j, std::size_t index,
                                     std::function<void()> then) {
    rendered_message& part = j->parts[index];
    const std::int64_t id = j->row.id;
    for (std::size_t i = 0; i < part.images.size(); ++i) {
        const pending_image& image = part.images[i];
        json& block = part.blocks[image.block];
        if (string_field(block, "type") != "image" || !string_field(object_field(block, "slack_file"), "id").empty())
            continue;
        if (!options_.upload || image_failures_[id] >= options_.max_image_failures) {
            block = image_stand_in(image.alt_text);
            continue;
        }
        auto& uploaded = uploaded_[id];
        if (auto it = uploaded.find({index, i}); it != uploaded.end()) {
            block = image_block(it->second, image.alt_text);
            continue;
        }
        std::weak_ptr<bool> alive = alive_;
        return upload_chart(image, [this, alive, key, j, index, i, then = std::move(then)](
                                       std::string file_id, std::string error, bool retryable) mutable {
            if (alive.expired() || stopped_) return;
            const std::int64_t id = j->row.id;
            if (file_id.empty()) {
                if (!retryable) {
                    // A missing files:write scope, a chart librsvg cannot draw: the text goes without it.
                    spdlog::error("slack: outbox row {}: the chart cannot be uploaded ({}); sending its alt text instead",
                                  id, error);
                    image_failures_[id] = options_.max_image_failures;
                } else if (++image_failures_[id] < options_.max_image_failures) {
                    delivery_result fail;
                    fail.error = "uploading a chart: " + error;
                    fail.maybe_delivered = parts_posted_[id] > 0;
                    return finish_job(key, j, fail);
                } else {
                    spdlog::error("slack: outbox row {}: the chart upload failed {} times ({}); sending its alt text instead",
                                  id, image_failures_[id], error);
                }
            } else {
                uploaded_[id][{index, i}] = file_id;
            }
            prepare_images(key, j, index, std::move(then));
        });
    }
    then();
}

// Slack's external upload: files.getUploadURLExternal (a file id and a URL),
// the bytes to that URL, then files.completeUploadExternal without a
// channel, so the file is shared nowhere on its own: the image block that
// names it is what shows it.
void slack_transport::upload_chart(const pending_image& image,
                                   std::function<void(std::string file_id, std::string error, bool retryable)> done) {
    // The title is the alt text's first sentence ("Participation, last 12 weeks (alpha)").
    std::string title = image.alt_text.substr(0, image.alt_text.find(". "));
    if (title.size() > 200) title = split_text(title, 200).front();
    if (title.empty()) title = "chart";
    std::weak_ptr<bool> alive = alive_;
    render_chart_png_async(io_, image.svg, [this, alive, title = std::move(title), done = std::move(done)](
                                               chart_png drawn) mutable {
        if (alive.expired() || stopped_) return;
        if (!drawn.ok()) return done("", "cannot draw the chart: " + drawn.error, false);
        upload_png(std::make_shared<chart_png>(std::move(drawn)), std::move(title), std::move(done));
    });
}

void slack_transport::upload_png(std::shared_ptr<chart_png> png, std::string title,
                                 std::function<void(std::string file_id, std::string error, bool retryable)> done) {
    std::weak_ptr<bool> alive = alive_;
    after_pace(upload_url_pacer_, [this, alive, png, title, done = std::move(done)]() mutable {
        std::map<std::string, std::string> args{{"filename", "chart.png"},
                                                {"length", std::to_string(png->bytes.size())}};
        api_.post_form("files.getUploadURLExternal", args, [this, alive, png, title, done = std::move(done)](api_result r) mutable {
            if (alive.expired() || stopped_) return;
            if (!r.ok) {
                if (r.error == "ratelimited" && r.retry_after.count() > 0)
                    upload_url_pacer_.hold_until(steady::now() + r.retry_after);
                return done("", "files.getUploadURLExternal: " + r.error, r.retryable);
            }
            const std::string url = string_field(r.body, "upload_url"), file = string_field(r.body, "file_id");
            if (url.empty() || file.empty())
                return done("", "files.getUploadURLExternal: no upload_url or file_id in the answer", true);
            options_.upload(url, "image/png", png->bytes, [this, alive, file, title, done = std::move(done)](http_reply reply) mutable {
                if (alive.expired() || stopped_) return;
                if (reply.status != 200) {
                    const bool transient = reply.status == 0 || reply.status == 429 || reply.status >= 500;
                    return done("", "the upload: " + (reply.status == 0 ? reply.network_error
                                                                        : "http " + std::to_string(reply.status)),
                                transient);
                }
                after_pace(upload_complete_pacer_, [this, alive, file, title, done = std::move(done)]() mutable {
                    const json files = json::array({json{{"id", file}, {"title", title}}});
                    api_.post_form("files.completeUploadExternal", {{"files", files.dump()}},
                                   [this, alive, file, done = std::move(done)](api_result r) {
                                       if (alive.expired() || stopped_) return;
                                       if (!r.ok) {
                                           if (r.error == "ratelimited" && r.retry_after.count() > 0)
                                               upload_complete_pacer_.hold_until(steady::now() + r.retry_after);
                                           return done("", "files.completeUploadExternal: " + r.error, r.retryable);
                                       }
                                       done(file, "", false);
                                   });
                });
            });
        });
    });
}

bool slack_transport::image_refusal(std::shared_ptr<job> j, std::size_t index, const std::string& error) {
    if (error != "invalid_blocks" || index >= j->parts.size() || j->parts[index].images.empty()) return false;
    bool uploaded = false;
    for (const auto& image : j->parts[index].images)
        uploaded |= !string_field(object_field(j->parts[index].blocks[image.block], "slack_file"), "id").empty();
    if (!uploaded) return false;
    // Slack processes an upload asynchronously: a post right after it may be
    // refused until the file is ready. Try again shortly; in the end the
    // charts go as their alt text (prepare_images).
    const int n = ++image_failures_[j->row.id];
    spdlog::warn("slack: outbox row {}: Slack refused the chart ({} of {}); trying again", j->row.id, n,
                 options_.max_image_failures);
    return true;
}

}  // namespace ritualbot::slack
