#include "bot/slack/socket_mode_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include "bot/net/websocket_client.hpp"

namespace ritualbot::slack {

namespace asio = boost::asio;

struct socket_mode_client::connection {
    int id = 0;
    std::shared_ptr<net::websocket_client> ws;
    std::unique_ptr<asio::steady_timer> hello_timer;
    bool hello = false;
    bool retiring = false;  // replaced by a newer connection; may still deliver envelopes
    bool closing = false;   // close() called
};

struct socket_mode_client::timer_holder {
    explicit timer_holder(asio::io_context& io) : timer(io) {}
    asio::steady_timer timer;
};

socket_mode_client::socket_mode_client(asio::io_context& io, web_api& api, socket_mode_options options,
                                       std::function<void(const frame&, ack_writer)> on_envelope)
    : io_(io),
      api_(api),
      options_(std::move(options)),
      on_envelope_(std::move(on_envelope)),
      reconnect_timer_(std::make_unique<timer_holder>(io)),
      backoff_(net::backoff_options{options_.first_backoff, options_.max_backoff, 0.5}),
      alive_(std::make_shared<bool>(true)) {}

socket_mode_client::~socket_mode_client() {
    *alive_ = false;
    for (auto& c : connections_) {
        if (c->hello_timer) c->hello_timer->cancel();
        c->ws->abort();
    }
}

void socket_mode_client::start() {
    stopped_ = false;
    open_next("start");
}

void socket_mode_client::stop() {
    stopped_ = true;
    reconnect_timer_->timer.cancel();
    for (auto& c : connections_) {
        if (c->hello_timer) c->hello_timer->cancel();
        c->ws->close();
    }
}

int socket_mode_client::open_connections() const {
    int n = 0;
    for (const auto& c : connections_) n += c->ws->is_open() ? 1 : 0;
    return n;
}

bool socket_mode_client::has_session() const {
    for (const auto& c : connections_)
        if (c->hello && !c->retiring && c->ws->is_open()) return true;
    return false;
}

std::chrono::milliseconds socket_mode_client::next_backoff() { return backoff_.next(); }

void socket_mode_client::schedule_reconnect(std::chrono::milliseconds delay, const std::string& why) {
    if (stopped_) return;
    spdlog::info("slack: reconnecting in {} ms ({})", delay.count(), why);
    reconnect_timer_->timer.expires_after(delay);
    std::weak_ptr<bool> alive = alive_;
    reconnect_timer_->timer.async_wait([this, alive, why](boost::system::error_code ec) {
        if (ec || alive.expired()) return;
        open_next(why);
    });
}

void socket_mode_client::open_next(const std::string& why) {
    if (stopped_ || opening_) return;
    opening_ = true;
    spdlog::debug("slack: opening a Socket Mode connection ({})", why);
    std::weak_ptr<bool> alive = alive_;
    api_.open_connection(options_.app_token, [this, alive](api_result r) {
        if (alive.expired()) return;
        if (stopped_) {
            opening_ = false;
            return;
        }
        std::string url = r.ok && r.body.contains("url") && r.body["url"].is_string()
                              ? r.body["url"].get<std::string>()
                              : std::string();
        if (url.empty()) {
            opening_ = false;
            const bool fatal = r.error == "not_authed" || r.error == "invalid_auth" || r.error == "account_inactive" ||
                               r.error == "not_allowed_token_type" || r.error == "user_removed_from_team" ||
                               r.error == "team_disabled";
            if (fatal)
                spdlog::error("slack: apps.connections.open refused the app token ({}); check SLACK_APP_TOKEN "
                              "(xapp-..., scope connections:write)",
                              r.error);
            schedule_reconnect(fatal ? options_.link_disabled_retry : next_backoff(),
                               "apps.connections.open failed: " + r.error);
            return;
        }
        if (options_.debug_reconnects) url += (url.find('?') == std::string::npos ? "?" : "&") + std::string("debug_reconnects=true");

        auto c = std::make_shared<connection>();
        c->id = next_id_++;
        std::weak_ptr<connection> weak = c;
        net::websocket_options wo;
        wo.tls = options_.tls;
        wo.idle_timeout = options_.idle_timeout;
        wo.connect_timeout = options_.hello_timeout;
        net::websocket_handlers h;
        h.on_open = [this, alive, weak] {
            if (alive.expired()) return;
            if (auto c = weak.lock()) spdlog::debug("slack: connection {} open, waiting for hello", c->id);
        };
        h.on_message = [this, alive, weak](std::string text) {
            if (alive.expired()) return;
            if (auto c = weak.lock()) on_frame(c, text);
        };
        h.on_close = [this, alive, weak](const std::string& error) {
            if (alive.expired()) return;
            if (auto c = weak.lock()) on_closed(c, error);
        };
        c->ws = net::websocket_client::create(io_, wo, std::move(h));
        c->hello_timer = std::make_unique<asio::steady_timer>(io_, options_.hello_timeout);
        c->hello_timer->async_wait([this, alive, weak](boost::system::error_code ec) {
            if (ec || alive.expired()) return;
            if (auto c = weak.lock(); c && !c->hello) {
                spdlog::warn("slack: connection {} got no hello in time; replacing it", c->id);
                c->ws->abort();
            }
        });
        connections_.push_back(c);
        ++opened_;
        c->ws->connect(url);
    });
}

void socket_mode_client::retire_others(const std::shared_ptr<connection>& keep) {
    for (auto& other : connections_) {
        if (other == keep || other->closing) continue;
        // The new connection is live: the old one may close now. Slack may
        // still send on it until it does; those envelopes are handled too.
        other->retiring = true;
        other->closing = true;
        other->ws->close();
    }
}

void socket_mode_client::on_frame(const std::shared_ptr<connection>& c, const std::string& text) {
    frame f = parse_frame(text);
    switch (f.kind) {
        case frame_kind::hello:
            c->hello = true;
            if (c->hello_timer) c->hello_timer->cancel();
            opening_ = false;
            backoff_.reset();
            spdlog::info("slack: connected (connection {})", c->id);
            retire_others(c);
            return;
        case frame_kind::disconnect:
            if (f.reason == "link_disabled") {
                spdlog::error("slack: Socket Mode was switched off in the app's settings (link_disabled); "
                              "retrying every {} s until it is back on",
                              std::chrono::duration_cast<std::chrono::seconds>(options_.link_disabled_retry).count());
                c->retiring = true;
                c->closing = true;
                c->ws->close();
                schedule_reconnect(options_.link_disabled_retry, "link_disabled");
                return;
            }
            spdlog::info("slack: disconnect ({}) on connection {}; opening the next one first", f.reason, c->id);
            c->retiring = true;  // closed once the next connection says hello
            open_next("disconnect " + f.reason);
            return;
        case frame_kind::events_api:
        case frame_kind::slash_commands:
        case frame_kind::interactive: {
            std::weak_ptr<net::websocket_client> ws = c->ws;
            on_envelope_(f, [ws](std::string text, std::function<void(bool)> written) {
                if (auto w = ws.lock()) return w->send(std::move(text), std::move(written));
                if (written) written(false);
            });
            return;
        }
        case frame_kind::unknown:
            spdlog::warn("slack: skipped a frame of unknown type '{}'", f.type.substr(0, 64));
            if (!f.envelope_id.empty()) c->ws->send(ack_frame(f.envelope_id));
            return;
        case frame_kind::invalid:
            spdlog::warn("slack: skipped an unreadable frame ({}, {} bytes)", f.error, text.size());
            return;
    }
}

void socket_mode_client::on_closed(const std::shared_ptr<connection>& c, const std::string& error) {
    if (c->hello_timer) c->hello_timer->cancel();
    std::erase(connections_, c);
    if (stopped_) return;
    if (!error.empty()) spdlog::warn("slack: connection {} dropped: {}", c->id, error);
    else spdlog::debug("slack: connection {} closed", c->id);
    if (!c->hello) opening_ = false;  // this was the attempt in progress
    if (has_session() || opening_) return;
    // Nothing left that works: get a fresh URL, soon after a clean refresh,
    // with growing pauses after failures.
    if (c->hello && c->retiring) open_next("connection closed");
    else schedule_reconnect(c->hello ? options_.first_backoff / 2 : next_backoff(), error.empty() ? "closed" : error);
}

}  // namespace ritualbot::slack
