// The one translation unit that instantiates Beast's HTTP client templates.
#include "bot/net/http_client.hpp"

#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <date/date.h>

#include <algorithm>
#include <deque>
#include <set>
#include <spdlog/spdlog.h>
#include <cstdio>
#include <stdexcept>

#include "bot/net/tls.hpp"
#include "bot/net/url.hpp"

namespace ritualbot::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using steady = std::chrono::steady_clock;

namespace {

constexpr auto nothrow_awaitable = asio::as_tuple(asio::use_awaitable);

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// What one read of a response asks for (see connect).
constexpr std::size_t read_buffer_bytes = 16 * 1024;

// One keep-alive connection, plain or TLS.
struct connection {
    std::unique_ptr<beast::tcp_stream> plain;
    std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
    beast::flat_buffer buffer;
    steady::time_point idle_since{};

    beast::tcp_stream& tcp() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
    void close() {
        beast::error_code ignored;
        tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
        tcp().socket().close(ignored);
    }
};

struct exchange_outcome {
    http_result result;
    bool keep_alive = false;
    bool stale = false;  // a reused connection the server had closed: nothing was answered
};

struct pending_request {
    http_request req;
    std::function<void(http_result)> done;
};

http_result failure(http_error_kind kind, std::string message) {
    http_result r;
    r.error_kind = kind;
    r.error = std::move(message);
    return r;
}

class client_impl final : public http_client, public std::enable_shared_from_this<client_impl> {
public:
    client_impl(asio::io_context& io, url base, http_client_options options)
        : io_(io), base_(std::move(base)), options_(std::move(options)) {
        prefix_ = base_.target.substr(0, base_.target.find('?'));
        while (!prefix_.empty() && prefix_.back() == '/') prefix_.pop_back();
        if (base_.secure() && !options_.tls) options_.tls = make_tls_client_context();
        options_.max_connections = std::max<std::size_t>(options_.max_connections, 1);
    }

    void request(http_request req, std::function<void(http_result)> done) override {
        if (stopped_) {
            asio::post(io_, [done = std::move(done)] { done(failure(http_error_kind::cancelled, "client shut down")); });
            return;
        }
        pending_.push_back({std::move(req), std::move(done)});
        pump();
    }

    void shutdown() override {
        stopped_ = true;
        for (auto& p : pending_) {
            asio::post(io_, [done = std::move(p.done)] {
                done(failure(http_error_kind::cancelled, "client shut down"));
            });
        }
        pending_.clear();
        for (auto& c : idle_) c->close();
        idle_.clear();
        for (connection* c : busy_) c->close();
    }

    std::size_t open_connections() const override { return idle_.size() + busy_.size(); }
    std::size_t connections_made() const override { return connections_made_; }

private:
    void pump() {
        while (!stopped_ && running_ < options_.max_connections && !pending_.empty()) {
            pending_request next = std::move(pending_.front());
            pending_.pop_front();
            ++running_;
            asio::co_spawn(io_, run(std::move(next)), asio::detached);
        }
    }

    std::unique_ptr<connection> take_idle() {
        const auto now = steady::now();
        while (!idle_.empty()) {
            std::unique_ptr<connection> c = std::move(idle_.back());
            idle_.pop_back();
            if (now - c->idle_since < options_.keep_idle) return c;
            c->close();
        }
        return nullptr;
    }

    asio::awaitable<void> run(pending_request p) {
        auto self = shared_from_this();
        const auto deadline = steady::now() + p.req.timeout;
        http_result result;
        // A reused connection may have been closed by the server while idle;
        // then the request goes once more on a fresh connection.
        for (int attempt = 0; attempt < 2; ++attempt) {
            std::unique_ptr<connection> conn = take_idle();
            const bool reused = conn != nullptr;
            if (!conn) {
                auto [c, err] = co_await connect(deadline);
                if (!c) {
                    result = std::move(err);
                    break;
                }
                conn = std::move(c);
            }
            if (stopped_) {
                conn->close();
                result = failure(http_error_kind::cancelled, "client shut down");
                break;
            }
            busy_.insert(conn.get());
            exchange_outcome out = co_await exchange(*conn, p.req, deadline);
            busy_.erase(conn.get());
            if (stopped_) {
                conn->close();
                result = failure(http_error_kind::cancelled, "client shut down");
                break;
            }
            if (out.result.ok() && out.keep_alive) {
                conn->tcp().expires_never();
                conn->idle_since = steady::now();
                idle_.push_back(std::move(conn));
            } else {
                conn->close();
            }
            result = std::move(out.result);
            if (!(reused && out.stale)) break;
            spdlog::debug("http {}: kept-alive connection was closed by the server; retrying on a new one",
                          base_.host_header());
        }
        --running_;
        p.done(std::move(result));
        pump();
    }

    // Resolve, TCP connect and (for https) the TLS handshake, all within the deadline.
    asio::awaitable<std::pair<std::unique_ptr<connection>, http_result>> connect(steady::time_point deadline) {
        auto resolver = std::make_shared<tcp::resolver>(io_);
        // The resolver has no timeout of its own; a timer cancels it.
        asio::steady_timer resolve_timer(io_, deadline);
        resolve_timer.async_wait([resolver](beast::error_code ec) {
            if (!ec) resolver->cancel();
        });
        auto [rec, endpoints] = co_await resolver->async_resolve(base_.host, base_.port, nothrow_awaitable);
        resolve_timer.cancel();
        if (rec) {
            if (steady::now() >= deadline)
                co_return std::pair{nullptr, failure(http_error_kind::timeout, "timed out resolving " + base_.host)};
            co_return std::pair{nullptr, failure(http_error_kind::connect, "cannot resolve " + base_.host + ": " + rec.message())};
        }
        auto conn = std::make_unique<connection>();
        // Beast reads as much as the buffer's free capacity, and at least
        // 512 bytes; the parser takes the body out as it comes, so a buffer
        // left to grow on its own stays at 512 bytes: a 1 KB chat.postMessage
        // answer took three recvmsg calls, a 1.6 MB users.list page 3,200.
        conn->buffer.reserve(read_buffer_bytes);
        if (base_.secure()) conn->tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(io_, *options_.tls);
        else conn->plain = std::make_unique<beast::tcp_stream>(io_);
        conn->tcp().expires_at(deadline);
        auto [cec, ep] = co_await conn->tcp().async_connect(endpoints, nothrow_awaitable);
        if (cec) {
            const auto kind = cec == beast::error::timeout ? http_error_kind::timeout : http_error_kind::connect;
            co_return std::pair{nullptr, failure(kind, "cannot connect to " + base_.host_header() + ": " + cec.message())};
        }
        ++connections_made_;
        if (conn->tls) {
            if (auto err = prepare_tls_client(conn->tls->native_handle(), base_.host); !err.empty())
                co_return std::pair{nullptr, failure(http_error_kind::tls, err)};
            auto [hec] = co_await conn->tls->async_handshake(ssl::stream_base::client, nothrow_awaitable);
            if (hec) {
                if (hec == beast::error::timeout)
                    co_return std::pair{nullptr, failure(http_error_kind::timeout, "TLS handshake timed out")};
                co_return std::pair{nullptr, failure(http_error_kind::tls, "TLS handshake with " + base_.host_header() + " failed: " +
                                                                               describe_tls_failure(conn->tls->native_handle(), hec))};
            }
        }
        co_return std::pair{std::move(conn), http_result{}};
    }

    asio::awaitable<exchange_outcome> exchange(connection& conn, const http_request& req, steady::time_point deadline) {
        if (conn.tls) co_return co_await exchange_on(*conn.tls, conn, req, deadline);
        co_return co_await exchange_on(*conn.plain, conn, req, deadline);
    }

    template <class Stream>
    asio::awaitable<exchange_outcome> exchange_on(Stream& stream, connection& conn, const http_request& req,
                                                  steady::time_point deadline) {
        exchange_outcome out;
        const http::verb verb = http::string_to_verb(req.method);
        if (verb == http::verb::unknown) {
            out.result = failure(http_error_kind::bad_request, "unknown HTTP method '" + req.method + "'");
            co_return out;
        }
        http::request<http::string_body> message{verb, prefix_ + (req.target.empty() ? "/" : req.target), 11};
        message.set(http::field::host, base_.host_header());
        message.set(http::field::user_agent, options_.user_agent);
        for (const http_header& h : req.headers) message.set(h.name, h.value);
        message.body() = req.body;
        message.keep_alive(true);
        if (!req.body.empty() || verb == http::verb::post || verb == http::verb::put) message.prepare_payload();

        conn.tcp().expires_at(deadline);
        auto [wec, written] = co_await http::async_write(stream, message, nothrow_awaitable);
        if (wec) {
            out.stale = wec != beast::error::timeout;
            out.result = classify(wec, "sending the request");
            co_return out;
        }
        http::response_parser<http::string_body> parser;
        parser.body_limit(options_.max_body_bytes);
        parser.header_limit(64 * 1024);
        auto [rec, read] = co_await http::async_read(stream, conn.buffer, parser, nothrow_awaitable);
        if (rec) {
            out.stale = rec == http::error::end_of_stream || rec == asio::error::connection_reset ||
                        rec == ssl::error::stream_truncated;
            out.result = classify(rec, "reading the response");
            co_return out;
        }
        http::response<http::string_body> res = parser.release();
        http_response response;
        response.status = static_cast<int>(res.result_int());
        for (const auto& field : res) response.headers.push_back({std::string(field.name_string()), std::string(field.value())});
        response.body = std::move(res.body());
        out.keep_alive = res.keep_alive();
        out.result.response = std::move(response);
        co_return out;
    }

    http_result classify(const beast::error_code& ec, const char* during) const {
        const std::string where = std::string(during) + " from " + base_.host_header();
        if (ec == beast::error::timeout) return failure(http_error_kind::timeout, "timed out " + where);
        if (ec == http::error::body_limit) return failure(http_error_kind::too_large, "response body too large " + where);
        if (ec.category() == http::make_error_code(http::error::end_of_stream).category() && ec != http::error::end_of_stream)
            return failure(http_error_kind::bad_response, "malformed HTTP " + where + ": " + ec.message());
        if (ec == asio::error::operation_aborted && stopped_) return failure(http_error_kind::cancelled, "client shut down");
        return failure(http_error_kind::io, "connection lost " + where + ": " + ec.message());
    }

    asio::io_context& io_;
    url base_;
    std::string prefix_;
    http_client_options options_;
    std::deque<pending_request> pending_;
    std::vector<std::unique_ptr<connection>> idle_;
    std::set<connection*> busy_;
    std::size_t running_ = 0;
    std::size_t connections_made_ = 0;
    bool stopped_ = false;
};

}  // namespace

const std::string* http_response::header(std::string_view name) const {
    for (const http_header& h : headers)
        if (iequals(h.name, name)) return &h.value;
    return nullptr;
}

std::string to_string(http_error_kind k) {
    switch (k) {
        case http_error_kind::none: return "none";
        case http_error_kind::connect: return "connect";
        case http_error_kind::tls: return "tls";
        case http_error_kind::timeout: return "timeout";
        case http_error_kind::io: return "io";
        case http_error_kind::bad_response: return "bad_response";
        case http_error_kind::too_large: return "too_large";
        case http_error_kind::bad_request: return "bad_request";
        case http_error_kind::cancelled: return "cancelled";
    }
    return "unknown";
}

std::shared_ptr<http_client> http_client::create(asio::io_context& io, const std::string& base_url,
                                                 http_client_options options) {
    auto u = parse_url(base_url);
    if (!u || (u->scheme != "http" && u->scheme != "https"))
        throw std::invalid_argument("'" + base_url + "' is not an http:// or https:// URL");
    if (u->scheme == "http" && !u->is_loopback())
        throw std::invalid_argument("'" + base_url + "': plain http:// is only allowed to this machine (127.0.0.1, ::1, "
                                    "localhost); use https://");
    return std::make_shared<client_impl>(io, std::move(*u), std::move(options));
}

std::optional<std::chrono::milliseconds> retry_after(const http_response& r, std::chrono::system_clock::time_point now) {
    const std::string* value = r.header("Retry-After");
    if (!value || value->empty()) return std::nullopt;
    const std::string& v = *value;
    if (std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        if (v.size() > 9) return max_retry_after;
        return std::min<std::chrono::milliseconds>(std::chrono::seconds(std::stol(v)), max_retry_after);
    }
    // IMF-fixdate: "Wed, 21 Oct 2015 07:28:00 GMT".
    static constexpr std::string_view months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char weekday[4] = {}, month[4] = {}, zone[4] = {};
    int day = 0, year = 0, hh = 0, mm = 0, ss = 0;
    if (std::sscanf(v.c_str(), "%3s, %d %3s %d %d:%d:%d %3s", weekday, &day, month, &year, &hh, &mm, &ss, zone) != 8 ||
        std::string_view(zone) != "GMT")
        return std::nullopt;
    const auto m = std::find(std::begin(months), std::end(months), std::string_view(month));
    if (m == std::end(months)) return std::nullopt;
    const date::year_month_day ymd{date::year(year), date::month(static_cast<unsigned>(m - std::begin(months) + 1)),
                                   date::day(static_cast<unsigned>(day))};
    if (!ymd.ok() || year < 1970 || year > 9999 || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60)
        return std::nullopt;
    const auto when = date::sys_days(ymd) + std::chrono::hours(hh) + std::chrono::minutes(mm) + std::chrono::seconds(ss);
    // In seconds: year 9999 in nanoseconds would overflow.
    const auto wait = when - std::chrono::floor<std::chrono::seconds>(now);
    return std::chrono::milliseconds(std::clamp<std::int64_t>(wait.count(), 0, max_retry_after.count()) * 1000);
}

}  // namespace ritualbot::net
