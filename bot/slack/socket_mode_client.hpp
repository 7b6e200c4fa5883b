#pragma once
// Keeps a Socket Mode session up (protocols.md A2-A5): apps.connections.open,
// the websocket at the URL it returns, `hello` before anything counts,
// `disconnect` answered by opening the next connection before the old one
// goes (envelopes still arriving on the old one are handled), a dropped or
// silent socket replaced with capped, jittered exponential backoff. Every
// envelope is handed to `on_envelope` with a way to ack it on the connection
// it came from.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bot/net/backoff.hpp"
#include "bot/slack/envelope.hpp"
#include "bot/slack/web_api.hpp"

namespace boost::asio {
class io_context;
namespace ssl {
class context;
}
}  // namespace boost::asio

namespace ritualbot::net {
class websocket_client;
}

namespace ritualbot::slack {

struct socket_mode_options {
    std::string app_token;
    boost::asio::ssl::context* tls = nullptr;
    bool debug_reconnects = false;                 // appends &debug_reconnects=true
    std::chrono::milliseconds hello_timeout{15000};
    std::chrono::milliseconds idle_timeout{30000};  // pings after half of it; silence after it is a drop
    std::chrono::milliseconds first_backoff{1000};
    std::chrono::milliseconds max_backoff{60000};
    std::chrono::milliseconds link_disabled_retry{300000};
};

// Writes an ack frame on the connection the envelope came on; `written`
// says whether it reached the socket.
using ack_writer = std::function<void(std::string frame, std::function<void(bool written)>)>;

class socket_mode_client {
public:
    socket_mode_client(boost::asio::io_context& io, web_api& api, socket_mode_options options,
                       std::function<void(const frame&, ack_writer)> on_envelope);
    ~socket_mode_client();

    void start();
    void stop();  // close code 1000 on every connection

    // For tests and metrics.
    int open_connections() const;
    int connections_opened() const { return opened_; }
    bool has_session() const;  // some connection got its hello

private:
    struct connection;
    void open_next(const std::string& why);
    void on_frame(const std::shared_ptr<connection>& c, const std::string& text);
    void on_closed(const std::shared_ptr<connection>& c, const std::string& error);
    void schedule_reconnect(std::chrono::milliseconds delay, const std::string& why);
    void retire_others(const std::shared_ptr<connection>& keep);
    std::chrono::milliseconds next_backoff();

    boost::asio::io_context& io_;
    web_api& api_;
    socket_mode_options options_;
    std::function<void(const frame&, ack_writer)> on_envelope_;
    std::vector<std::shared_ptr<connection>> connections_;
    struct timer_holder;
    std::unique_ptr<timer_holder> reconnect_timer_;
    bool opening_ = false;
    bool stopped_ = true;
    net::backoff backoff_;
    int opened_ = 0;
    int next_id_ = 1;
    std::shared_ptr<bool> alive_;
};

}  // namespace ritualbot::slack
