#pragma once
// One websocket connection (text frames) on an io_context: ws:// over plain
// TCP (loopback tests) and wss:// over TLS with the caller's ssl::context
// (peer verification, SNI and host-name check are the context's and this
// client's business; see tls.hpp). Pings keep it alive and detect a silent
// peer: with no frame, pong included, for `idle_timeout` (checked every half
// of it, so at most 1.5 times it) the connection is closed with an error.
// One writer: send() queues behind the write in flight.
//
//   auto ws = websocket_client::create(io, {.tls = &ctx}, {.on_open = ..., .on_message = ..., .on_close = ...});
//   ws->connect("wss://wss-primary.slack.com/link/?ticket=1");
//
// Callbacks run on the io_context's thread. on_close is called exactly once,
// whether the connection failed to open, dropped or was closed by close().
#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace boost::asio {
class io_context;
namespace ssl {
class context;
}
}  // namespace boost::asio

namespace ritualbot::net {

struct websocket_options {
    boost::asio::ssl::context* tls = nullptr;  // required for wss://
    std::chrono::milliseconds connect_timeout{10000};  // TCP + TLS + websocket handshakes
    std::chrono::milliseconds idle_timeout{30000};     // a ping goes out after half of it
    std::size_t max_message_bytes = 4 * 1024 * 1024;
};

struct websocket_handlers {
    std::function<void()> on_open;
    std::function<void(std::string)> on_message;
    std::function<void(const std::string& error)> on_close;  // "" after a clean close
};

class websocket_client {
public:
    static std::shared_ptr<websocket_client> create(boost::asio::io_context& io, websocket_options options,
                                                    websocket_handlers handlers);
    virtual ~websocket_client() = default;

    virtual void connect(const std::string& url) = 0;
    // `written(true)` once the frame is on the wire; false if the connection went first.
    virtual void send(std::string text, std::function<void(bool)> written = {}) = 0;
    // Close code 1000; on_close follows.
    virtual void close() = 0;
    // Drops the TCP connection without a close frame (tests, a stuck peer).
    virtual void abort() = 0;
    virtual bool is_open() const = 0;
};

}  // namespace ritualbot::net
