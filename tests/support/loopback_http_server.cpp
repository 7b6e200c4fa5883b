// The one translation unit that instantiates Beast's HTTP server templates for tests.
#include "tests/support/loopback_http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <atomic>
#include <future>
#include <map>
#include <optional>
#include <thread>

namespace ritualbot::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr auto nothrow_awaitable = asio::as_tuple(asio::use_awaitable);

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string percent_decode(std::string_view s) {
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else if (s[i] == '+') {
            out += ' ';
        } else {
            out += s[i];
        }
    }
    return out;
}

// One request waiting for its handler's answer.
struct answer_slot {
    explicit answer_slot(asio::io_context& io) : wake(io, asio::steady_timer::time_point::max()) {}
    asio::steady_timer wake;
    std::optional<loopback_response> response;
};

}  // namespace

std::string loopback_request::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (iequals(k, name)) return v;
    return "";
}

std::string loopback_request::path() const { return target.substr(0, target.find('?')); }

std::string loopback_request::query(std::string_view key) const {
    const auto q = target.find('?');
    if (q == std::string::npos) return "";
    std::string_view rest = std::string_view(target).substr(q + 1);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        std::string_view pair = rest.substr(0, amp);
        const auto eq = pair.find('=');
        if (percent_decode(pair.substr(0, eq)) == key)
            return eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1));
        if (amp == std::string_view::npos) break;
        rest.remove_prefix(amp + 1);
    }
    return "";
}

loopback_response loopback_response::json(int status, std::string body) {
    loopback_response r;
    r.status = status;
    r.headers.push_back({"Content-Type", "application/json"});
    r.body = std::move(body);
    return r;
}

loopback_response loopback_response::text(int status, std::string body) {
    loopback_response r;
    r.status = status;
    r.headers.push_back({"Content-Type", "text/plain"});
    r.body = std::move(body);
    return r;
}

loopback_response loopback_response::drop() {
    loopback_response r;
    r.what = action::drop;
    return r;
}

loopback_response loopback_response::raw_bytes(std::string bytes) {
    loopback_response r;
    r.what = action::raw;
    r.raw = std::move(bytes);
    return r;
}

struct loopback_http_server::impl : std::enable_shared_from_this<impl> {
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
    tcp::acceptor acceptor{io};
    std::unique_ptr<ssl::context> tls;
    loopback_handler handler;
    std::thread thread;
    std::atomic<std::uint64_t> accepted{0};
    std::atomic<std::uint64_t> served{0};
    unsigned short port = 0;
    // An open connection: closing its socket aborts whatever it is doing.
    struct connection_state {
        std::function<void()> close_socket;
        std::shared_ptr<answer_slot> current;
        bool killed = false;
        void kill() {
            killed = true;
            if (close_socket) close_socket();
            if (current) current->wake.cancel();
        }
    };
    std::map<std::uint64_t, std::shared_ptr<connection_state>> connections;

    asio::awaitable<void> accept_loop() {
        auto self = shared_from_this();
        for (;;) {
            auto [ec, socket] = co_await acceptor.async_accept(nothrow_awaitable);
            if (ec) co_return;
            const std::uint64_t id = ++accepted;
            asio::co_spawn(io, session(std::move(socket), id), asio::detached);
        }
    }

    asio::awaitable<void> session(tcp::socket socket, std::uint64_t id) {
        auto self = shared_from_this();
        auto state = std::make_shared<connection_state>();
        connections[id] = state;
        if (tls) {
            beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *tls);
            state->close_socket = [&stream] { close_lowest(stream); };
            beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
            auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, nothrow_awaitable);
            // A failed handshake is the client refusing our certificate: what the TLS tests expect.
            if (!ec && !state->killed) {
                beast::get_lowest_layer(stream).expires_never();
                co_await serve(stream, id, *state);
            }
            close_lowest(stream);
        } else {
            beast::tcp_stream stream(std::move(socket));
            state->close_socket = [&stream] { close_lowest(stream); };
            co_await serve(stream, id, *state);
            close_lowest(stream);
        }
        state->close_socket = nullptr;
        connections.erase(id);
    }

    template <class Stream>
    static void close_lowest(Stream& stream) {
        beast::error_code ignored;
        beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
        beast::get_lowest_layer(stream).socket().close(ignored);
    }

    template <class Stream>
    asio::awaitable<void> serve(Stream& stream, std::uint64_t id, connection_state& state) {
        beast::flat_buffer buffer;
        std::shared_ptr<answer_slot>& current = state.current;
        const bool& killed = state.killed;
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.body_limit(64 * 1024 * 1024);
            auto [rec, n] = co_await http::async_read(stream, buffer, parser, nothrow_awaitable);
            if (rec || killed) break;
            http::request<http::string_body> req = parser.release();
            loopback_request r;
            r.method = std::string(req.method_string());
            r.target = std::string(req.target());
            r.body = req.body();
            r.connection = id;
            for (const auto& f : req) r.headers.push_back({std::string(f.name_string()), std::string(f.value())});
            ++served;

            current = std::make_shared<answer_slot>(io);
            std::weak_ptr<answer_slot> weak = current;
            handler(std::move(r), [self = shared_from_this(), weak](loopback_response response) {
                asio::post(self->io, [weak, response = std::move(response)]() mutable {
                    auto slot = weak.lock();
                    if (!slot || slot->response) return;
                    slot->response = std::move(response);
                    slot->wake.cancel();
                });
            });
            if (!current->response) co_await current->wake.async_wait(nothrow_awaitable);
            if (killed || !current->response) break;
            loopback_response answer = std::move(*current->response);
            current.reset();
            if (answer.what == loopback_response::action::drop) break;
            if (answer.what == loopback_response::action::raw) {
                co_await asio::async_write(stream, asio::buffer(answer.raw), nothrow_awaitable);
                break;
            }
            http::response<http::string_body> res{static_cast<http::status>(answer.status), req.version()};
            for (const auto& [k, v] : answer.headers) res.set(k, v);
            res.body() = std::move(answer.body);
            res.keep_alive(req.keep_alive() && !answer.close);
            res.prepare_payload();
            auto [wec, written] = co_await http::async_write(stream, res, nothrow_awaitable);
            if (wec || killed || !res.keep_alive()) break;
        }
        current.reset();
    }

    void kill_all() {
        auto copy = connections;  // each session erases itself later, not now
        for (auto& [id, state] : copy) state->kill();
    }
};

loopback_http_server::loopback_http_server(loopback_handler handler, loopback_server_options options)
    : impl_(std::make_shared<impl>()) {
    impl_->handler = std::move(handler);
    if (options.tls) {
        const test_pki& pki = options.pki ? *options.pki : shared_test_pki();
        impl_->tls = std::make_unique<ssl::context>(ssl::context::tls_server);
        impl_->tls->use_certificate_chain(asio::buffer(pki.server_cert_pem));
        impl_->tls->use_private_key(asio::buffer(pki.server_key_pem), ssl::context::pem);
    }
    const tcp::endpoint any_port(asio::ip::make_address("127.0.0.1"), 0);
    impl_->acceptor.open(any_port.protocol());
    impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
    impl_->acceptor.bind(any_port);
    impl_->acceptor.listen();
    impl_->port = impl_->acceptor.local_endpoint().port();
    asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
    impl_->thread = std::thread([i = impl_.get()] { i->io.run(); });
}

loopback_http_server::~loopback_http_server() {
    run_on_server([i = impl_.get()] {
        beast::error_code ignored;
        i->acceptor.close(ignored);
        i->kill_all();
    });
    // Every session and the accept loop end by themselves now; the thread
    // returns when they have, so no coroutine frame is left holding impl.
    impl_->work.reset();
    impl_->thread.join();
}

unsigned short loopback_http_server::port() const { return impl_->port; }

std::string loopback_http_server::base_url() const {
    return std::string(impl_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(impl_->port);
}

std::uint64_t loopback_http_server::connections_accepted() const { return impl_->accepted; }
std::uint64_t loopback_http_server::requests_served() const { return impl_->served; }

void loopback_http_server::drop_all_connections() {
    run_on_server([i = impl_.get()] { i->kill_all(); });
}

void loopback_http_server::run_on_server(std::function<void()> f) {
    if (std::this_thread::get_id() == impl_->thread.get_id()) {
        f();
        return;
    }
    std::promise<void> done;
    asio::post(impl_->io, [&] {
        f();
        done.set_value();
    });
    done.get_future().wait();
}

}  // namespace ritualbot::testing
