#include "bot/net/websocket_client.hpp"

#include "bot/net/corked_stream.hpp"
#include "bot/net/tls.hpp"
#include "bot/net/url.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <deque>
#include <optional>
#include <spdlog/spdlog.h>
#include <type_traits>

namespace ritualbot::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

class session_base {
public:
    virtual ~session_base() = default;
    virtual void start(const net::url& url) = 0;
    virtual void send(std::string text, std::function<void(bool)> written) = 0;
    virtual void close() = 0;
    virtual void abort() = 0;
    virtual bool is_open() const = 0;
    virtual void detach() = 0;
};

template <bool Secure>
class session final : public session_base, public std::enable_shared_from_this<session<Secure>> {
    // Frames written together (the acks of one group commit) leave in one send.
    using next_layer = std::conditional_t<Secure, beast::ssl_stream<corked_stream<beast::tcp_stream>>,
                                          corked_stream<beast::tcp_stream>>;

public:
    session(asio::io_context& io, const websocket_options& options, websocket_handlers handlers)
        : io_(io),
          options_(options),
          handlers_(std::move(handlers)),
          resolver_(io),
          ws_(make_stream(io, options)),
          liveness_(io) {}

    void start(const net::url& url) override {
        url_ = url;
        resolver_.async_resolve(url_.host, url_.port,
                                [self = this->shared_from_this()](beast::error_code ec, tcp::resolver::results_type r) {
                                    self->on_resolve(ec, std::move(r));
                                });
    }

    void send(std::string text, std::function<void(bool)> written) override {
        if (!open_ || closing_) {
            if (written) asio::post(io_, [written] { written(false); });
            return;
        }
        queue_.push_back({std::move(text), std::move(written)});
        if (queue_.size() == 1) do_write();
    }

    void close() override {
        if (finished_ || closing_) return;
        closing_ = true;
        if (!open_) {
            abort();
            return;
        }
        ws_.async_close(websocket::close_code::normal, [self = this->shared_from_this()](beast::error_code ec) {
            if (ec) self->fail(ec);
        });
    }

    void abort() override {
        if (finished_) return;
        closing_ = true;
        beast::error_code ignored;
        resolver_.cancel();
        beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
        beast::get_lowest_layer(ws_).socket().close(ignored);
    }

    bool is_open() const override { return open_ && !finished_; }
    void detach() override { handlers_ = {}; }

private:
    static next_layer make_stream(asio::io_context& io, const websocket_options& options) {
        if constexpr (Secure) return next_layer(io, *options.tls);
        else return next_layer(io);
    }

    void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
        if (ec || closing_) return fail(ec ? ec : asio::error::operation_aborted);
        beast::get_lowest_layer(ws_).expires_after(options_.connect_timeout);
        beast::get_lowest_layer(ws_).async_connect(
            results, [self = this->shared_from_this()](beast::error_code ec, const tcp::endpoint&) {
                self->on_connect(ec);
            });
    }

    void on_connect(beast::error_code ec) {
        if (ec || closing_) return fail(ec ? ec : asio::error::operation_aborted);
        if constexpr (Secure) {
            auto& tls = ws_.next_layer();
            // SNI, then certificate chain and host name checked against the context's trust store.
            if (auto err = prepare_tls_client(tls.native_handle(), url_.host); !err.empty())
                return fail(asio::error::invalid_argument, "TLS setup: " + err);
            tls.set_verify_mode(ssl::verify_peer);
            tls.async_handshake(ssl::stream_base::client,
                                [self = this->shared_from_this()](beast::error_code ec) { self->on_tls(ec); });
        } else {
            do_handshake();
        }
    }

    void on_tls(beast::error_code ec) {
        if constexpr (Secure) {
            if (ec && !closing_) return fail(ec, "TLS: " + describe_tls_failure(ws_.next_layer().native_handle(), ec));
        }
        if (ec || closing_) return fail(ec ? ec : asio::error::operation_aborted);
        do_handshake();
    }

    void do_handshake() {
        beast::get_lowest_layer(ws_).expires_never();
        // Beast times the handshakes (opening and closing). Silence is ours to
        // detect (check_liveness): Beast's idle timer would be re-armed at the
        // start of every read, a timerfd_settime system call per message.
        websocket::stream_base::timeout t;
        t.handshake_timeout = options_.connect_timeout;
        t.idle_timeout = websocket::stream_base::none();
        t.keep_alive_pings = false;
        ws_.set_option(t);
        ws_.control_callback([this](websocket::frame_type, beast::string_view) { heard_ = true; });
        ws_.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
            req.set(beast::http::field::user_agent, "ritualbot/" RITUALBOT_VERSION);
        }));
        ws_.read_message_max(options_.max_message_bytes);
        ws_.async_handshake(url_.host_header(), url_.target,
                            [self = this->shared_from_this()](beast::error_code ec) { self->on_handshake(ec); });
    }

    void on_handshake(beast::error_code ec) {
        if (ec || closing_) return fail(ec ? ec : asio::error::operation_aborted);
        open_ = true;
        auto keep = this->shared_from_this();
        arm_liveness();
        if (handlers_.on_open) handlers_.on_open();
        do_read();
    }

    // Every half idle_timeout: a frame heard since the last look (a message,
    // a ping or a pong) means alive; after a silent half a ping goes out, and
    // a second silent half closes the connection. So a silent peer is dropped
    // after between idle_timeout and 1.5 times it.
    void arm_liveness() {
        liveness_.expires_after(options_.idle_timeout / 2);
        liveness_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
            if (!ec) self->check_liveness();
        });
    }

    void check_liveness() {
        if (finished_) return;
        if (heard_) {
            heard_ = false;
            pinged_ = false;
        } else if (!pinged_ && !closing_) {
            pinged_ = true;
            ws_.async_ping({}, [self = this->shared_from_this()](beast::error_code ec) {
                if (ec) self->fail(ec);
            });
        } else {
            return fail(beast::error::timeout);
        }
        arm_liveness();
    }

    void do_read() {
        if (finished_) return;
        ws_.async_read(buffer_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
            self->on_read(ec);
        });
    }

    void on_read(beast::error_code ec) {
        if (ec) return fail(ec);
        heard_ = true;
        std::string text = beast::buffers_to_string(buffer_.data());
        buffer_.consume(buffer_.size());
        auto keep = this->shared_from_this();
        if (handlers_.on_message && !finished_) handlers_.on_message(std::move(text));
        do_read();
    }

    void do_write() {
        ws_.text(true);
        ws_.async_write(asio::buffer(queue_.front().text),
                        [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
    }

    void on_write(beast::error_code ec) {
        if (ec) return fail(ec);
        if (queue_.empty()) return;
        auto done = std::move(queue_.front().written);
        queue_.pop_front();
        if (done) done(true);
        if (!queue_.empty() && !finished_) do_write();
    }

    void fail(beast::error_code ec, std::string why = {}) {
        if (finished_) return;
        finished_ = true;
        open_ = false;
        std::string error;
        const bool clean = ec == websocket::error::closed &&
                           ws_.reason().code == static_cast<std::uint16_t>(websocket::close_code::normal);
        if (closing_ && (ec == asio::error::operation_aborted || ec == websocket::error::closed ||
                         ec == asio::error::bad_descriptor)) {
            error = "";
        } else if (clean) {
            error = "closed by the server";
        } else if (ec == beast::error::timeout) {
            error = "timed out (no answer to our pings, or the handshake took too long)";
        } else {
            error = ec.message();
            if (ec == websocket::error::closed)
                error = "closed by the server with code " + std::to_string(ws_.reason().code);
        }
        if (!why.empty()) error = std::move(why);
        auto pending = std::move(queue_);
        queue_.clear();
        liveness_.cancel();
        beast::error_code ignored;
        beast::get_lowest_layer(ws_).socket().close(ignored);
        for (auto& p : pending)
            if (p.written) p.written(false);
        auto handlers = std::move(handlers_);
        handlers_ = {};
        if (handlers.on_close) handlers.on_close(error);
    }

    struct outgoing_frame {
        std::string text;
        std::function<void(bool)> written;
    };

    asio::io_context& io_;
    websocket_options options_;
    websocket_handlers handlers_;
    tcp::resolver resolver_;
    websocket::stream<next_layer> ws_;
    net::url url_;
    beast::flat_buffer buffer_;
    std::deque<outgoing_frame> queue_;
    asio::steady_timer liveness_;
    bool heard_ = true;   // a frame arrived since the last check_liveness
    bool pinged_ = false;  // check_liveness sent a ping not yet followed by a frame
    bool open_ = false;
    bool closing_ = false;
    bool finished_ = false;
};

class client_impl final : public websocket_client {
public:
    client_impl(asio::io_context& io, websocket_options options, websocket_handlers handlers)
        : io_(io), options_(options), handlers_(std::move(handlers)) {}
    ~client_impl() override {
        if (session_) {
            session_->detach();
            session_->abort();
        }
    }

    void connect(const std::string& url) override {
        auto parsed = parse_url(url);
        std::string error;
        if (!parsed || (parsed->scheme != "ws" && parsed->scheme != "wss")) error = "not a ws:// or wss:// URL";
        else if (parsed->secure() && !options_.tls) error = "wss:// needs a TLS context";
        else if (!parsed->secure() && !parsed->is_loopback()) error = "plain ws:// is accepted only for loopback";
        if (!error.empty()) {
            auto on_close = handlers_.on_close;
            asio::post(io_, [on_close, error] {
                if (on_close) on_close(error);
            });
            return;
        }
        if (parsed->secure()) session_ = std::make_shared<session<true>>(io_, options_, handlers_);
        else session_ = std::make_shared<session<false>>(io_, options_, handlers_);
        session_->start(*parsed);
    }

    void send(std::string text, std::function<void(bool)> written) override {
        if (session_) return session_->send(std::move(text), std::move(written));
        if (written) asio::post(io_, [written] { written(false); });
    }
    void close() override {
        if (session_) session_->close();
    }
    void abort() override {
        if (session_) session_->abort();
    }
    bool is_open() const override { return session_ && session_->is_open(); }

private:
    asio::io_context& io_;
    websocket_options options_;
    websocket_handlers handlers_;
    std::shared_ptr<session_base> session_;
};

}  // namespace

std::shared_ptr<websocket_client> websocket_client::create(asio::io_context& io, websocket_options options,
                                                           websocket_handlers handlers) {
    return std::make_shared<client_impl>(io, options, std::move(handlers));
}

}  // namespace ritualbot::net
