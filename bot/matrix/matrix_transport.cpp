#include "bot/matrix/matrix_transport.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <algorithm>
#include <cstdlib>
#include <spdlog/spdlog.h>

#include "bot/chart_png.hpp"
#include "bot/fault.hpp"
#include "bot/matrix/matrix_html.hpp"
#include "bot/matrix/sync_response.hpp"
#include "bot/net/tls.hpp"
#include "bot/net/url.hpp"
#include "handlers/command_line.hpp"
#include "storage/store.hpp"

namespace ritualbot::matrix {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// Keeps what the bot reads: messages (and their encrypted form) and
// membership; m.direct from the account data; no presence or typing.
const json sync_filter = {
    {"presence", {{"types", json::array()}}},
    {"account_data", {{"types", {"m.direct"}}}},
    {"room",
     {{"timeline", {{"limit", 50}, {"types", {"m.room.message", "m.room.encrypted", "m.room.member"}}}},
      {"state", {{"types", {"m.room.encryption"}}, {"lazy_load_members", true}}},
      {"ephemeral", {{"types", json::array()}}},
      {"account_data", {{"types", json::array()}}},
      {"include_leave", false}}},
};

// The same event types for /messages, when a /sync timeline was cut.
const json gap_filter = {{"types", {"m.room.message", "m.room.encrypted", "m.room.member"}}, {"lazy_load_members", true}};

// The most events read back into one cut timeline; older ones are logged as missed.
constexpr std::size_t max_gap_events = 1000;

constexpr auto request_timeout = 30s;

// Reading back the room for a send whose answer was lost: at most this many
// pages of the bot's own messages, back to a little before the attempt.
constexpr int max_read_back_pages = 10;
constexpr auto read_back_slack = std::chrono::minutes(10);  // clock skew between bot and homeserver

std::int64_t ms_of(instant at) { return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count(); }

const char* const encrypted_room_notice =
    "This room is end-to-end encrypted, and ritualbot cannot read encrypted messages. "
    "Please talk to me in an unencrypted room (for a direct chat: start one with encryption switched off).";

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

}  // namespace

matrix_secrets matrix_secrets::from_environment() {
    return {env("MATRIX_ACCESS_TOKEN"), env("MATRIX_PASSWORD")};
}

matrix_transport::matrix_transport(asio::io_context& io, const config& cfg, store& db, const clock& clk,
                                   matrix_secrets secrets, matrix_hooks hooks, matrix_options options)
    : io_(io),
      cfg_(cfg),
      mcfg_(*cfg.matrix),
      db_(db),
      mdb_(db),
      clk_(clk),
      secrets_(std::move(secrets)),
      hooks_(std::move(hooks)),
      options_(std::move(options)),
      sync_backoff_(options_.retry),
      user_id_(mcfg_.user_id),
      alive_(std::make_shared<bool>(true)) {
    net::http_client_options http;
    http.tls = options_.tls;
    if (!http.tls && mcfg_.homeserver.starts_with("https://")) {
        net::tls_options tls;
        tls.extra_ca_file = mcfg_.ca_file;
        http.tls = net::make_tls_client_context(tls);
    }
    http.user_agent = std::string("ritualbot/") + RITUALBOT_VERSION;
    api_ = std::make_unique<matrix_api>(net::http_client::create(io_, mcfg_.homeserver, http));
}

matrix_transport::~matrix_transport() {
    *alive_ = false;
    api_->shutdown();
}

void matrix_transport::start() {
    spdlog::info("matrix: connecting to {} as {}", mcfg_.homeserver, mcfg_.user_id);
    begin_session();
}

void matrix_transport::stop() {
    if (stopped_) return;
    stopped_ = true;
    syncing_ = false;
    api_->shutdown();
    for (auto& [key, jobs] : queues_)
        for (auto& job : jobs) job.done({false, true, 0s, "the bot is shutting down"});
    queues_.clear();
}

// ---- start-up ---------------------------------------------------------------

void matrix_transport::begin_session() {
    if (!secrets_.access_token.empty()) {
        api_->set_access_token(secrets_.access_token);
        whoami();
        return;
    }
    if (auto s = mdb_.session(); s && s->user_id == mcfg_.user_id && !s->access_token.empty()) {
        spdlog::info("matrix: reusing the session of device {} kept in the database", s->device_id);
        api_->set_access_token(s->access_token);
        whoami();
        return;
    }
    if (!secrets_.password.empty()) {
        login();
        return;
    }
    hooks_.fatal("matrix: no credentials; set MATRIX_ACCESS_TOKEN (recommended) or MATRIX_PASSWORD for " +
                 mcfg_.user_id);
}

void matrix_transport::login() {
    const std::string localpart = mcfg_.user_id.substr(1, mcfg_.user_id.find(':') - 1);
    std::string device = mcfg_.device_id;
    if (auto s = mdb_.session(); s && !s->device_id.empty()) device = s->device_id;
    json body = {{"type", "m.login.password"},
                 {"identifier", {{"type", "m.id.user"}, {"user", localpart}}},
                 {"password", secrets_.password},
                 {"device_id", device},
                 {"initial_device_display_name", "ritualbot"}};
    api_->set_access_token("");
    logging_in_ = true;
    api_->call("POST", "/login", body, request_timeout, [this, alive = std::weak_ptr<bool>(alive_)](api_result r) {
        if (alive.expired() || stopped_) return;
        logging_in_ = false;
        if (r.what == api_result::outcome::rate_limited) return retry_later([this] { login(); }, r.retry_after);
        if (r.what == api_result::outcome::retryable) return retry_with_backoff([this] { login(); }, r.error);
        if (!r.ok() || !r.body.contains("access_token") || !r.body["access_token"].is_string()) {
            hooks_.fatal("matrix: password login as " + mcfg_.user_id + " failed: " + r.error +
                         " (check MATRIX_PASSWORD, or use MATRIX_ACCESS_TOKEN)");
            return;
        }
        matrix_session s;
        s.user_id = r.body.value("user_id", mcfg_.user_id);
        s.device_id = r.body.value("device_id", mcfg_.device_id);
        s.access_token = r.body["access_token"].get<std::string>();
        try {
            auto tx = db_.begin();
            mdb_.save_session(s);
            tx->commit();
        } catch (const std::exception& e) {
            spdlog::error("matrix: could not keep the session in the database: {}", e.what());
        }
        spdlog::info("matrix: logged in as {} on device {}", s.user_id, s.device_id);
        api_->set_access_token(s.access_token);
        // A new token is a new txnId scope on Synapse before 1.85: sends started
        // under the old one are looked for in their room before going again.
        attempted_.clear();
        whoami();
    });
}

void matrix_transport::whoami() {
    api_->call("GET", "/account/whoami", std::nullopt, request_timeout,
               [this, alive = std::weak_ptr<bool>(alive_)](api_result r) {
                   if (alive.expired() || stopped_) return;
                   if (r.what == api_result::outcome::rate_limited) return retry_later([this] { whoami(); }, r.retry_after);
                   if (r.what == api_result::outcome::retryable) return retry_with_backoff([this] { whoami(); }, r.error);
                   if (r.what == api_result::outcome::unknown_token) return unknown_token(r, [this] { whoami(); });
                   if (!r.ok() || !r.body.contains("user_id") || !r.body["user_id"].is_string()) {
                       hooks_.fatal("matrix: whoami failed: " + r.error);
                       return;
                   }
                   user_id_ = r.body["user_id"].get<std::string>();
                   if (user_id_ != mcfg_.user_id)
                       spdlog::warn("matrix: the access token belongs to {}, not to [matrix] user_id {}; acting as {}",
                                    user_id_, mcfg_.user_id, user_id_);
                   spdlog::info("matrix: signed in as {}", user_id_);
                   sync_backoff_.reset();
                   upload_filter();
               });
}

void matrix_transport::upload_filter() {
    api_->call("POST", "/user/" + net::percent_encode(user_id_) + "/filter", sync_filter, request_timeout,
               [this, alive = std::weak_ptr<bool>(alive_)](api_result r) {
                   if (alive.expired() || stopped_) return;
                   if (r.what == api_result::outcome::rate_limited)
                       return retry_later([this] { upload_filter(); }, r.retry_after);
                   if (r.ok() && r.body.contains("filter_id") && r.body["filter_id"].is_string()) {
                       filter_ = r.body["filter_id"].get<std::string>();
                   } else {
                       // Every homeserver also takes the filter inline.
                       spdlog::info("matrix: filter upload failed ({}); sending it inline", r.error);
                       filter_ = sync_filter.dump();
                   }
                   since_ = mdb_.next_batch().value_or("");
                   try {
                       first_start_ = mdb_.first_start();
                       auto tx = db_.begin();
                       if (!first_start_ && since_.empty()) {
                           // The database's first start: history before it is never answered.
                           first_start_ = clk_.now();
                           fresh_database_ = true;
                           mdb_.set_first_start(*first_start_);
                       }
                       mdb_.forget_finished_attempts();
                       tx->commit();
                   } catch (const std::exception& e) {
                       spdlog::error("matrix: could not read or record the first start: {}", e.what());
                   }
                   if (since_.empty()) spdlog::info("matrix: first start: skipping the rooms' history");
                   syncing_ = true;
                   sync(++sync_generation_);
                   for (auto& [queue, jobs] : queues_) pump(queue);
               });
}

void matrix_transport::retry_later(std::function<void()> what, std::chrono::milliseconds wait) {
    auto timer = std::make_shared<asio::steady_timer>(io_, wait);
    timer->async_wait([timer, what = std::move(what), alive = std::weak_ptr<bool>(alive_), this](auto ec) {
        if (ec || alive.expired() || stopped_) return;
        what();
    });
}

void matrix_transport::retry_with_backoff(std::function<void()> what, const std::string& why) {
    const auto wait = sync_backoff_.next();
    spdlog::warn("matrix: {}; trying again in {} ms", why, wait.count());
    retry_later(std::move(what), wait);
}

void matrix_transport::unknown_token(const api_result& r, std::function<void()> resume) {
    if (logging_in_) return;  // another request saw it first; the login is under way
    if (!secrets_.password.empty() && !relogged_) {
        // Logged out or expired: one fresh login with the password (same device).
        relogged_ = true;
        ++sync_generation_;  // the current /sync loop ends; a new one starts after the login
        spdlog::warn("matrix: the access token is no longer valid ({}); logging in again with MATRIX_PASSWORD", r.error);
        try {
            auto tx = db_.begin();
            mdb_.forget_session();
            tx->commit();
        } catch (const std::exception&) {
        }
        secrets_.access_token.clear();
        login();
        (void)resume;
        return;
    }
    hooks_.fatal("matrix: the homeserver does not accept the access token for " + mcfg_.user_id + " (" + r.error +
                 "). It was logged out or revoked: create a new one (see README, Matrix) and set "
                 "MATRIX_ACCESS_TOKEN, or set MATRIX_PASSWORD so the bot can log in itself.");
}

// ---- /sync --------------------------------------------------------------------

struct matrix_transport::gap_fill {
    sync_response batch;
    std::size_t gap = 0;                // the gap being read
    std::string from;                   // the token of its next page
    std::vector<timeline_event> found;  // read so far, newest first
};

void matrix_transport::sync(std::uint64_t generation) {
    // A loop left over from before a re-login ends here.
    if (stopped_ || generation != sync_generation_) return;
    const bool initial = since_.empty();
    const auto hold = initial ? 0ms : std::chrono::duration_cast<std::chrono::milliseconds>(mcfg_.sync_timeout);
    std::string path = "/sync?set_presence=offline&timeout=" + std::to_string(hold.count()) +
                       "&filter=" + net::percent_encode(filter_);
    if (!initial) path += "&since=" + net::percent_encode(since_);
    api_->call("GET", path, std::nullopt, hold + 30s,
               [this, initial, generation, alive = std::weak_ptr<bool>(alive_)](api_result r) {
                   if (alive.expired() || stopped_ || generation != sync_generation_) return;
                   on_sync(std::move(r), initial, generation);
               });
}

void matrix_transport::on_sync(api_result r, bool initial, std::uint64_t generation) {
    switch (r.what) {
        case api_result::outcome::ok: break;
        case api_result::outcome::rate_limited:
            spdlog::warn("matrix: /sync rate limited; waiting {} ms", r.retry_after.count());
            return retry_later([this, generation] { sync(generation); }, r.retry_after);
        case api_result::outcome::unknown_token: return unknown_token(r, [this, generation] { sync(generation); });
        case api_result::outcome::retryable:
            sync_ok_ = false;
            return retry_with_backoff([this, generation] { sync(generation); }, "/sync failed: " + r.error);
        case api_result::outcome::failed:
            sync_ok_ = false;
            return retry_with_backoff([this, generation] { sync(generation); }, "/sync refused: " + r.error);
    }
    sync_ok_ = true;
    std::string error;
    auto batch = parse_sync_response(r.body, user_id_, error);
    if (!batch) return retry_with_backoff([this, generation] { sync(generation); }, "unreadable /sync answer: " + error);
    sync_backoff_.reset();
    if (!initial && !batch->gaps.empty()) {
        auto fill = std::make_shared<gap_fill>();
        fill->batch = std::move(*batch);
        return fill_gap(fill, generation);
    }
    apply_batch(*batch, initial, generation);
}

// A timeline the server cut (more events in a room than the filter's limit
// since the last sync, after an outage): the missing events are read back
// with /messages, from the cut to the previous sync position, and handled
// before the rest of the room's events. Dedupe by event id makes any overlap
// harmless. Transient failures retry; a refusal skips that room's gap (logged).
void matrix_transport::fill_gap(const std::shared_ptr<gap_fill>& fill, std::uint64_t generation) {
    if (fill->gap == fill->batch.gaps.size()) return apply_batch(fill->batch, false, generation);
    const timeline_gap& gap = fill->batch.gaps[fill->gap];
    if (fill->from.empty()) fill->from = gap.prev_batch;
    const std::string path = "/rooms/" + net::percent_encode(gap.room) + "/messages?dir=b&limit=100&from=" +
                             net::percent_encode(fill->from) + "&to=" + net::percent_encode(since_) +
                             "&filter=" + net::percent_encode(gap_filter.dump());
    api_->call("GET", path, std::nullopt, request_timeout,
               [this, fill, generation, alive = std::weak_ptr<bool>(alive_)](api_result r) {
                   if (alive.expired() || stopped_ || generation != sync_generation_) return;
                   const std::string room = fill->batch.gaps[fill->gap].room;
                   auto again = [this, fill, generation] { fill_gap(fill, generation); };
                   switch (r.what) {
                       case api_result::outcome::ok: break;
                       case api_result::outcome::rate_limited: return retry_later(again, r.retry_after);
                       case api_result::outcome::unknown_token:
                           return unknown_token(r, [this, generation] { sync(generation); });
                       case api_result::outcome::retryable:
                           return retry_with_backoff(again, "reading the messages missed in " + room + " failed: " + r.error);
                       case api_result::outcome::failed: break;
                   }
                   std::string error = r.error;
                   std::optional<messages_page> page;
                   if (r.ok()) page = parse_messages_page(r.body, room, user_id_, error);
                   bool more = false;
                   if (!page) {
                       spdlog::warn("matrix: the messages missed in {} could not be read ({}); going on without them",
                                    room, error);
                   } else {
                       for (auto& ev : page->events) fill->found.push_back(std::move(ev));  // newest first
                       more = !page->events.empty() && !page->end.empty() && page->end != fill->from;
                       if (more && fill->found.size() >= max_gap_events) {
                           spdlog::warn("matrix: more than {} messages missed in {}; the older ones are not read",
                                        max_gap_events, room);
                           more = false;
                       }
                       if (more) fill->from = page->end;
                   }
                   if (more) return fill_gap(fill, generation);
                   if (!fill->found.empty())
                       spdlog::info("matrix: read back {} events missed in {}", fill->found.size(), room);
                   // Oldest first, before the room's events of this batch.
                   auto& events = fill->batch.events;
                   auto at = std::find_if(events.begin(), events.end(),
                                          [&](const timeline_event& ev) { return ev.room == room; });
                   events.insert(at, std::make_move_iterator(fill->found.rbegin()),
                                 std::make_move_iterator(fill->found.rend()));
                   fill->found.clear();
                   fill->from.clear();
                   ++fill->gap;
                   fill_gap(fill, generation);
               });
}

void matrix_transport::apply_batch(const sync_response& batch, bool initial, std::uint64_t generation) {
    try {
        handle_batch(batch, initial);
    } catch (const std::exception& e) {
        // Storage trouble: nothing of this batch past the failure committed; read it again.
        return retry_with_backoff([this, generation] { sync(generation); }, std::string("handling a /sync batch failed: ") + e.what());
    }
    since_ = batch.next_batch;
    ++syncs_completed_;
    if (hooks_.dispatched) hooks_.dispatched();
    // Posted, so a server that answers at once cannot recurse us into a deep stack.
    asio::post(io_, [this, generation, alive = std::weak_ptr<bool>(alive_)] {
        if (!alive.expired()) sync(generation);
    });
}

bool matrix_transport::is_known_person(const std::string& user) const {
    return !cfg_.teams_of(user).empty() || cfg_.is_admin(user);
}

void matrix_transport::remember_direct_rooms(const sync_response& batch) {
    if (!batch.direct) return;
    direct_map_ = json::object();
    for (const auto& [user, rooms] : *batch.direct) direct_map_[user] = rooms;
    auto tx = db_.begin();
    for (const auto& [user, rooms] : *batch.direct)
        if (!rooms.empty() && is_known_person(user) && !mdb_.direct_room(user)) mdb_.set_direct_room(user, rooms.back());
    tx->commit();
}

void matrix_transport::handle_invites(const sync_response& batch) {
    for (const room_invite& inv : batch.invites) {
        const bool team_room = cfg_.find_team_by_channel("matrix", inv.room) != nullptr;
        const bool accept = team_room || is_known_person(inv.inviter);
        const std::string room = inv.room;
        if (!accept) {
            spdlog::warn("matrix: declining the invite from {} into {}: neither a configured team room nor a team member",
                         inv.inviter.empty() ? "someone" : inv.inviter, room);
            api_->call("POST", "/rooms/" + net::percent_encode(room) + "/leave", json::object(), request_timeout,
                       [room](api_result r) {
                           if (!r.ok()) spdlog::warn("matrix: declining {} failed: {}", room, r.error);
                       });
            continue;
        }
        spdlog::info("matrix: joining {} (invited by {})", room, inv.inviter);
        {
            // Before the request: whatever the room said before the join is not for us.
            auto tx = db_.begin();
            mdb_.join_requested(room, clk_.now());
            tx->commit();
        }
        if (inv.is_direct && !team_room && is_known_person(inv.inviter) && !mdb_.direct_room(inv.inviter)) {
            auto tx = db_.begin();
            mdb_.set_direct_room(inv.inviter, room);
            tx->commit();
            direct_map_[inv.inviter] = json::array({room});
            put_direct_account_data();
        }
        join_room(room, 0);
    }
}

void matrix_transport::join_room(const std::string& room, int attempt) {
    api_->call("POST", "/join/" + net::percent_encode(room), json::object(), request_timeout,
               [this, room, attempt, alive = std::weak_ptr<bool>(alive_)](api_result r) {
                   if (alive.expired() || stopped_) return;
                   if (r.ok()) return;
                   if (attempt < 5 &&
                       (r.what == api_result::outcome::rate_limited || r.what == api_result::outcome::retryable)) {
                       retry_later([this, room, attempt] { join_room(room, attempt + 1); },
                                   r.retry_after > 0ms ? r.retry_after : std::chrono::milliseconds(1000 << attempt));
                       return;
                   }
                   spdlog::warn("matrix: joining {} failed: {}", room, r.error);
               });
}

void matrix_transport::warn_encrypted(const std::string& room) {
    auto tx = db_.begin();
    if (!mdb_.first_warning(room, "encrypted", clk_.now())) return;
    spdlog::warn("matrix: room {} is encrypted; the bot cannot read it and asked for an unencrypted room", room);
    outgoing notice;
    notice.to.platform = "matrix";
    notice.to.kind = destination_kind::channel;
    notice.to.channel = room;
    notice.body = message(encrypted_room_notice);
    db_.enqueue(notice, clk_.now());
    tx->commit();
}

void matrix_transport::handle_batch(const sync_response& batch, bool initial) {
    remember_direct_rooms(batch);
    handle_invites(batch);

    // Where the bot's own join is in this batch, per room: a room joined
    // since the last sync comes with its recent history, which is not for us.
    std::map<std::string, std::size_t> own_join;
    for (std::size_t i = 0; i < batch.events.size(); ++i)
        if (batch.events[i].what == timeline_event::kind::own_join) own_join[batch.events[i].room] = i;
    // Rooms joined on request whose join is not in this batch (a cut timeline
    // not read back): only what came after the request counts.
    std::map<std::string, std::int64_t> pending_since;  // room -> ms
    std::set<std::string> joins_seen, checked;
    for (const timeline_event& ev : batch.events) {
        if (!checked.insert(ev.room).second) continue;
        auto j = mdb_.room_join_of(ev.room);
        if (!j || j->seen) continue;
        joins_seen.insert(ev.room);
        if (!own_join.count(ev.room)) pending_since[ev.room] = ms_of(j->requested_at);
    }
    const std::int64_t not_before = first_start_ ? ms_of(*first_start_) : 0;

    std::vector<incoming> messages;
    for (std::size_t i = 0; i < batch.events.size(); ++i) {
        const timeline_event& ev = batch.events[i];
        if (ev.what == timeline_event::kind::own_join) continue;
        if (ev.what == timeline_event::kind::member_left) {
            // A member who left their DM room gets a new one with the next message.
            if (ev.sender != user_id_ && mdb_.direct_room(ev.sender) == ev.room) {
                spdlog::info("matrix: {} left their direct room {}; the next message opens a new one", ev.sender, ev.room);
                auto tx = db_.begin();
                mdb_.set_direct_room(ev.sender, "");
                tx->commit();
                direct_map_.erase(ev.sender);
            }
            continue;
        }
        if (ev.sender == user_id_) continue;  // our own notices, and our own membership
        if (ev.what == timeline_event::kind::encrypted || ev.what == timeline_event::kind::encryption_enabled) {
            warn_encrypted(ev.room);
            continue;
        }
        // History from before the database's first start is never answered: all
        // of the very first sync, and anything stamped before that start.
        if (initial && (fresh_database_ || !first_start_)) continue;
        if (ev.ts > 0 && ev.ts < not_before) continue;
        // In a room the bot joined since the last sync: only what follows its join.
        if (auto j = own_join.find(ev.room); j != own_join.end() && i < j->second) continue;
        if (auto p = pending_since.find(ev.room); p != pending_since.end() && ev.ts > 0 && ev.ts < p->second) continue;
        // Notices are other bots' output (never answer them: loops); edits are not re-read.
        if (ev.msgtype != "m.text" && ev.msgtype != "m.emote") continue;
        if (ev.is_edit) continue;
        incoming in;
        in.platform = "matrix";
        in.user = ev.sender;
        in.text = ev.body;
        in.dedupe_key = "matrix:" + ev.event_id;
        if (cfg_.find_team_by_channel("matrix", ev.room)) {
            // In a team room the bot reads commands only; people talk there too.
            if (!looks_like_command(ev.body)) continue;
            in.channel = ev.room;
        } else if (!mdb_.direct_room(ev.sender) && is_known_person(ev.sender)) {
            auto tx = db_.begin();
            mdb_.set_direct_room(ev.sender, ev.room);
            tx->commit();
        }
        messages.push_back(std::move(in));
    }

    const std::string next = batch.next_batch;
    // The position, and the joins this batch settled, commit with the last message's effects.
    auto commit_position = [this, &next, &joins_seen] {
        mdb_.set_next_batch(next);
        for (const auto& room : joins_seen) mdb_.join_seen(room);
    };
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const bool last = i + 1 == messages.size();
        std::function<void()> position;
        if (last) position = commit_position;
        hooks_.dispatch(messages[i], position);
        fault_point("matrix.after_commit");
    }
    // No message, a duplicate last one, or a failed handler: the position commits on its own.
    if (mdb_.next_batch() != next) {
        auto tx = db_.begin();
        commit_position();
        tx->commit();
        fault_point("matrix.after_commit");
    }
}

// ---- sending --------------------------------------------------------------------

std::string matrix_transport::txn_id(const outbox_row& row) const {
    // Stable across retries of this row; creation time keeps it unique if the database is ever recreated.
    return "rb" + std::to_string(row.created_at.time_since_epoch().count()) + "-" + std::to_string(row.id);
}

namespace {

// The events one outbox row becomes: its notice (all but the charts; also
// for a row that is nothing else, as before charts existed), then one
// m.image per chart.
struct row_event {
    const block* chart = nullptr;  // null: the notice
    std::size_t number = 0;        // the chart's number in the message
};

std::vector<row_event> row_events(const message& m) {
    std::vector<row_event> out;
    const bool charts = m.has_images();
    if (!charts || !m.without_images().empty()) out.push_back({});
    std::size_t n = 0;
    for (const block& b : m.blocks())
        if (b.kind == block_kind::image) out.push_back({&b, n++});
    return out;
}

// The notice keeps the row's txnId (rows from before charts read back as before).
std::string event_txn(const std::string& row_txn, const row_event& e) {
    return e.chart ? row_txn + "-i" + std::to_string(e.number) : row_txn;
}

}  // namespace

void matrix_transport::deliver(const outbox_row& row, std::function<void(delivery_result)> done) {
    if (stopped_) {
        done({false, true, 0s, "the bot is shutting down"});
        return;
    }
    const destination& to = row.item.to;
    std::string queue;
    if (to.kind == destination_kind::channel) queue = to.channel;
    else queue = to.user;  // a DM (Matrix has no ephemeral messages: private replies go there too)
    if (queue.empty()) {
        done({false, false, 0s, "no room or user to send to"});
        return;
    }
    queues_[queue].push_back({row, std::move(done), 0, false, 0, {}});
    pump(queue);
}

void matrix_transport::pump(const std::string& queue) {
    if (!syncing_ || stopped_ || busy_queues_.count(queue)) return;
    auto it = queues_.find(queue);
    if (it == queues_.end() || it->second.empty()) return;
    busy_queues_.insert(queue);
    send_head(queue);
}

void matrix_transport::finish_head(const std::string& queue, delivery_result result) {
    auto it = queues_.find(queue);
    busy_queues_.erase(queue);
    if (it == queues_.end() || it->second.empty()) return;
    send_job job = std::move(it->second.front());
    it->second.pop_front();
    if (it->second.empty()) queues_.erase(it);
    job.done(std::move(result));
    pump(queue);
}

struct matrix_transport::read_back_state {
    std::string room;
    std::string txn;
    std::set<std::string> found;  // markers of the row's events seen in the room
    instant started_at;
    std::string from;  // the next page; "" for the newest
    int pages = 0;
};

void matrix_transport::send_head(const std::string& queue) {
    send_job& job = queues_[queue].front();
    std::string room = queue;
    if (queue.front() == '@') {
        auto dm = mdb_.direct_room(queue);
        if (!dm) return create_direct_room(queue, queue);
        room = *dm;
    }
    // An attempt that started under another token, or in another process,
    // may have posted without us hearing it: look for it in the room first.
    if (!attempted_.count(job.row.id) && !job.looked_up) {
        if (auto a = mdb_.send_attempt_of(job.row.id)) {
            auto state = std::make_shared<read_back_state>();
            state->room = a->room;
            state->txn = a->txn_id;
            state->started_at = a->started_at;
            return read_back(queue, state);
        }
    }
    put_head(queue, room);
}

void matrix_transport::read_back(const std::string& queue, const std::shared_ptr<read_back_state>& state) {
    json filter = json::object();
    filter["senders"] = json::array({user_id_});
    filter["types"] = json::array({"m.room.message"});
    std::string path = "/rooms/" + net::percent_encode(state->room) + "/messages?dir=b&limit=50&filter=" +
                       net::percent_encode(filter.dump());
    if (!state->from.empty()) path += "&from=" + net::percent_encode(state->from);
    api_->call("GET", path, std::nullopt, request_timeout,
               [this, queue, state, alive = std::weak_ptr<bool>(alive_)](api_result r) {
                   if (alive.expired() || stopped_) return;
                   auto it = queues_.find(queue);
                   if (it == queues_.end() || it->second.empty()) return;
                   send_job& job = it->second.front();
                   const auto events = row_events(job.row.item.body);
                   const std::string first = events.empty() ? state->txn : event_txn(state->txn, events.front());
                   auto settle = [&](bool) {
                       job.looked_up = true;
                       // Sent in order: the events found from the first on are out.
                       std::size_t out = 0;
                       while (out < events.size() && state->found.count(event_txn(state->txn, events[out]))) ++out;
                       if (out > 0 && out >= events.size()) {
                           spdlog::info("matrix: outbox row {} was already posted in {}; not sending it again",
                                        job.row.id, state->room);
                           return finish_head(queue, {true, false, 0s, ""});
                       }
                       if (out > 0)
                           spdlog::info("matrix: outbox row {}: {} of {} events already in {}; sending the rest",
                                        job.row.id, out, events.size(), state->room);
                       job.next_event = out;
                       send_head(queue);
                   };
                   if (r.what == api_result::outcome::rate_limited)
                       return retry_later([this, queue, state] { read_back(queue, state); }, r.retry_after);
                   if (r.what == api_result::outcome::unknown_token) {
                       finish_head(queue, {false, true, 0s, r.error});
                       return unknown_token(r, [] {});
                   }
                   if (r.what == api_result::outcome::retryable) {
                       ++job.attempts;
                       const auto wait = retry_delay(job.attempts);
                       spdlog::warn("matrix: reading back {} failed ({}); retrying in {} ms", state->room, r.error,
                                    wait.count());
                       return retry_later([this, queue, state] { read_back(queue, state); }, wait);
                   }
                   std::string error = r.error;
                   std::optional<messages_page> page;
                   if (r.ok()) page = parse_messages_page(r.body, state->room, user_id_, error);
                   if (!page) {
                       // Not in the room any more, or an unreadable answer: it cannot have posted there
                       // since; sending again is the only way not to lose it.
                       spdlog::warn("matrix: could not read back {} ({}); sending outbox row {}", state->room, error,
                                    job.row.id);
                       return settle(false);
                   }
                   bool older = false;
                   for (const timeline_event& ev : page->events) {
                       if (ev.sender == user_id_ && !ev.marker.empty() &&
                           (ev.marker == state->txn || ev.marker.starts_with(state->txn + "-i")))
                           state->found.insert(ev.marker);
                       // Newest first: once the row's first event is seen, the later ones were too.
                       if (state->found.count(first)) return settle(true);
                       if (ev.ts > 0 && ev.ts < ms_of(state->started_at - read_back_slack)) older = true;
                   }
                   ++state->pages;
                   if (older || page->events.empty() || page->end.empty() || page->end == state->from ||
                       state->pages >= max_read_back_pages)
                       return settle(false);
                   state->from = page->end;
                   read_back(queue, state);
               });
}

void matrix_transport::put_head(const std::string& queue, const std::string& room) {
    send_job& job = queues_[queue].front();
    const std::string txn = txn_id(job.row);
    if (!attempted_.count(job.row.id)) {
        // Recorded before the request leaves: a crash from here on finds it.
        try {
            auto tx = db_.begin();
            mdb_.record_send_attempt(job.row.id, {room, txn, clk_.now()});
            tx->commit();
        } catch (const std::exception& e) {
            spdlog::error("matrix: could not record a send attempt: {}", e.what());
            return retry_later([this, queue] { send_head(queue); }, retry_delay(++job.attempts));
        }
        attempted_.insert(job.row.id);
    }
    const auto events = row_events(job.row.item.body);
    if (job.next_event >= events.size()) return finish_head(queue, {true, false, 0s, ""});
    const row_event& event = events[job.next_event];
    const std::string this_txn = event_txn(txn, event);
    json body;
    if (!event.chart) {
        const notice_content content = render_notice(job.row.item.body);
        body = {{"msgtype", "m.notice"},
                {"body", content.body},
                {"format", "org.matrix.custom.html"},
                {"formatted_body", content.formatted_body},
                {outbox_marker_key, this_txn}};
    } else {
        auto media = job.charts.find(event.number);
        if (media == job.charts.end()) return upload_chart(queue, room, event.number, event.chart->svg);
        if (media->second.uri.empty()) {
            body = {{"msgtype", "m.notice"}, {"body", "[chart] " + event.chart->text}, {outbox_marker_key, this_txn}};
        } else {
            // body is the alt text: what clients that show no image print (spec: m.image).
            body = {{"msgtype", "m.image"},
                    {"body", event.chart->text},
                    {"filename", "chart.png"},
                    {"url", media->second.uri},
                    {"info",
                     {{"mimetype", "image/png"},
                      {"w", media->second.width},
                      {"h", media->second.height},
                      {"size", media->second.size}}},
                    {outbox_marker_key, this_txn}};
        }
    }
    ++job.attempts;
    const std::string path =
        "/rooms/" + net::percent_encode(room) + "/send/m.room.message/" + net::percent_encode(this_txn);
    api_->call("PUT", path, body, request_timeout,
               [this, queue, room, alive = std::weak_ptr<bool>(alive_)](api_result r) {
                   if (alive.expired() || stopped_) return;
                   auto it = queues_.find(queue);
                   if (it == queues_.end() || it->second.empty()) return;
                   if (r.ok()) {
                       send_job& job = it->second.front();
                       if (++job.next_event < row_events(job.row.item.body).size()) return put_head(queue, room);
                       fault_point("matrix.after_send");
                       return finish_head(queue, {true, false, 0s, ""});
                   }
                   if (r.what == api_result::outcome::rate_limited) {
                       spdlog::info("matrix: sending to {} rate limited; waiting {} ms", room, r.retry_after.count());
                       return retry_later([this, queue] { send_head(queue); }, r.retry_after);
                   }
                   if (r.what == api_result::outcome::unknown_token) {
                       finish_head(queue, {false, true, 0s, r.error});
                       return unknown_token(r, [] {});
                   }
                   if (r.errcode == "M_FORBIDDEN" && queue.front() == '@') {
                       // The member left their DM room: the next attempt opens a new one.
                       spdlog::warn("matrix: cannot post in {}'s DM room {} ({}); opening a new one", queue, room, r.error);
                       auto tx = db_.begin();
                       mdb_.set_direct_room(queue, "");
                       tx->commit();
                       direct_map_.erase(queue);
                   } else if (r.what == api_result::outcome::failed && r.status != 403) {
                       // 400 and friends: this message will never be accepted; the outbox sets it aside.
                       spdlog::error("matrix: {} refused a message: {}", room, r.error);
                       return finish_head(queue, {false, false, 0s, "matrix send to " + room + ": " + r.error});
                   }
                   // Network, 5xx, a broken answer, or 403 (not in the room yet, an invite may come):
                   // the message waits at the head of its room's queue, so order is kept and nothing is lost.
                   const auto wait = retry_delay(send_job_attempts(queue));
                   spdlog::warn("matrix: sending to {} failed ({}); retry {} in {} ms", room, r.error,
                                send_job_attempts(queue), wait.count());
                   retry_later([this, queue] { send_head(queue); }, wait);
               });
}

// The chart's PNG into the media repository; then the head is sent again
// with its mxc:// URI. Not idempotent: a retry after a lost answer, or
// after a crash, stores the picture again, and the first copy is unused.
void matrix_transport::upload_chart(const std::string& queue, const std::string& room, std::size_t chart,
                                    const std::string& svg) {
    const std::int64_t row_id = queues_[queue].front().row.id;
    // Drawn in the renderer's own process; the queue waits, the loop does not.
    render_chart_png_async(io_, svg, [this, queue, room, chart, row_id, alive = std::weak_ptr<bool>(alive_)](
                                         chart_png drawn) {
        if (alive.expired() || stopped_) return;
        auto it = queues_.find(queue);
        if (it == queues_.end() || it->second.empty() || it->second.front().row.id != row_id) return;
        send_job& job = it->second.front();
        if (!drawn.ok()) {
            spdlog::error("matrix: outbox row {}: cannot draw its chart ({}); sending the alt text", row_id,
                          drawn.error);
            job.charts[chart] = {};
            return put_head(queue, room);
        }
        upload_png(queue, room, chart, std::make_shared<chart_png>(std::move(drawn)));
    });
}

void matrix_transport::upload_png(const std::string& queue, const std::string& room, std::size_t chart,
                                  std::shared_ptr<chart_png> png) {
    api_->upload_media("image/png", "chart.png", png->bytes, request_timeout,
                       [this, queue, room, chart, png, alive = std::weak_ptr<bool>(alive_)](api_result r) {
                           if (alive.expired() || stopped_) return;
                           auto it = queues_.find(queue);
                           if (it == queues_.end() || it->second.empty()) return;
                           send_job& job = it->second.front();
                           const std::string uri =
                               r.ok() && r.body.contains("content_uri") && r.body["content_uri"].is_string()
                                   ? r.body["content_uri"].get<std::string>()
                                   : std::string();
                           if (r.ok() && uri.starts_with("mxc://")) {
                               job.charts[chart] = {uri, png->width, png->height, png->bytes.size()};
                               return put_head(queue, room);
                           }
                           if (r.what == api_result::outcome::rate_limited)
                               return retry_later([this, queue] { send_head(queue); }, r.retry_after);
                           if (r.what == api_result::outcome::unknown_token) {
                               finish_head(queue, {false, true, 0s, r.error});
                               return unknown_token(r, [] {});
                           }
                           if (r.what == api_result::outcome::failed || r.ok()) {
                               // Too large for the server, uploads not allowed, or no URI in the answer:
                               // the alt text goes instead, the message is not held up.
                               spdlog::error("matrix: the homeserver did not store a chart of outbox row {} ({}); "
                                             "sending its alt text",
                                             job.row.id, r.ok() ? std::string("no mxc:// content_uri") : r.error);
                               job.charts[chart] = {};
                               return put_head(queue, room);
                           }
                           ++job.attempts;
                           const auto wait = retry_delay(job.attempts);
                           spdlog::warn("matrix: uploading a chart failed ({}); retrying in {} ms", r.error, wait.count());
                           retry_later([this, queue] { send_head(queue); }, wait);
                       });
}

int matrix_transport::send_job_attempts(const std::string& queue) const {
    auto it = queues_.find(queue);
    return it == queues_.end() || it->second.empty() ? 0 : it->second.front().attempts;
}

std::chrono::milliseconds matrix_transport::retry_delay(int failures) const {
    net::backoff b(options_.retry);
    std::chrono::milliseconds wait{0};
    for (int i = 0; i < std::clamp(failures, 1, 30); ++i) wait = b.next();
    return wait;
}

void matrix_transport::create_direct_room(const std::string& queue, const std::string& user) {
    json body = {{"preset", "trusted_private_chat"},
                 {"is_direct", true},
                 {"invite", {user}},
                 {"visibility", "private"}};
    spdlog::info("matrix: opening a direct room with {}", user);
    api_->call("POST", "/createRoom", body, request_timeout,
               [this, queue, user, alive = std::weak_ptr<bool>(alive_)](api_result r) {
                   if (alive.expired() || stopped_) return;
                   if (r.what == api_result::outcome::rate_limited)
                       return retry_later([this, queue] { send_head(queue); }, r.retry_after);
                   if (r.what == api_result::outcome::unknown_token) {
                       finish_head(queue, {false, true, 0s, r.error});
                       return unknown_token(r, [] {});
                   }
                   if (r.what == api_result::outcome::failed) {
                       spdlog::error("matrix: cannot open a DM with {}: {}", user, r.error);
                       return finish_head(queue, {false, false, 0s, "cannot open a DM with " + user + ": " + r.error});
                   }
                   if (!r.ok() || !r.body.contains("room_id") || !r.body["room_id"].is_string()) {
                       auto it = queues_.find(queue);
                       if (it != queues_.end() && !it->second.empty()) ++it->second.front().attempts;
                       const auto wait = retry_delay(send_job_attempts(queue));
                       spdlog::warn("matrix: opening a DM with {} failed ({}); retrying in {} ms", user, r.error, wait.count());
                       return retry_later([this, queue] { send_head(queue); }, wait);
                   }
                   const std::string room = r.body["room_id"].get<std::string>();
                   auto tx = db_.begin();
                   mdb_.set_direct_room(user, room);
                   tx->commit();
                   direct_map_[user] = json::array({room});
                   put_direct_account_data();
                   send_head(queue);
               });
}

void matrix_transport::put_direct_account_data() {
    api_->call("PUT", "/user/" + net::percent_encode(user_id_) + "/account_data/m.direct", direct_map_, request_timeout,
               [](api_result r) {
                   if (!r.ok()) spdlog::warn("matrix: could not record the DM rooms in m.direct: {}", r.error);
               });
}

}  // namespace ritualbot::matrix
