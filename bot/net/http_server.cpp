#include "bot/net/http_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include <stdexcept>

namespace ritualbot::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

class session : public std::enable_shared_from_this<session> {
public:
    session(tcp::socket socket, std::shared_ptr<const http_server::page_function> pages)
        : stream_(std::move(socket)), pages_(std::move(pages)) {}

    void run() {
        parser_.header_limit(8 * 1024);
        parser_.body_limit(0);
        stream_.expires_after(std::chrono::seconds(5));
        http::async_read(stream_, buffer_, parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            self->on_read(ec);
        });
    }

private:
    void on_read(beast::error_code ec) {
        if (ec == http::error::end_of_stream || ec == beast::error::timeout) return close();
        http_page page;
        const auto& req = parser_.get();
        if (ec) {
            page = {400, "text/plain; charset=utf-8", "bad request\n"};
        } else if (req.method() != http::verb::get) {
            page = {405, "text/plain; charset=utf-8", "only GET\n"};
        } else {
            std::string path(req.target());
            if (auto q = path.find('?'); q != std::string::npos) path.erase(q);
            try {
                page = (*pages_)(path);
            } catch (const std::exception& e) {
                // Only the first segment: a dashboard path carries a personal token.
                const auto second = path.find('/', 1);
                spdlog::error("http: a request for {}... failed: {}", path.substr(0, second), e.what());
                page = {500, "text/plain; charset=utf-8", "internal error\n"};
            }
        }
        res_.result(static_cast<unsigned>(page.status));
        res_.version(11);
        res_.set(http::field::server, "ritualbot");
        res_.set(http::field::content_type, page.content_type);
        res_.set(http::field::cache_control, "no-store");
        for (const auto& [name, value] : page.headers) res_.set(name, value);
        res_.keep_alive(false);
        res_.body() = std::move(page.body);
        res_.prepare_payload();
        http::async_write(stream_, res_, [self = shared_from_this()](beast::error_code, std::size_t) { self->close(); });
    }

    void close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream_.socket().close(ignored);
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    http::request_parser<http::empty_body> parser_;
    http::response<http::string_body> res_;
    std::shared_ptr<const http_server::page_function> pages_;
};

}  // namespace

struct http_server::impl : std::enable_shared_from_this<impl> {
    impl(asio::io_context& io, page_function p)
        : acceptor(io), pages(std::make_shared<const page_function>(std::move(p))) {}

    void accept() {
        acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
            if (ec == asio::error::operation_aborted || !self->acceptor.is_open()) return;
            if (!ec) std::make_shared<session>(std::move(socket), self->pages)->run();
            self->accept();
        });
    }

    tcp::acceptor acceptor;
    std::shared_ptr<const page_function> pages;
};

http_server::http_server(asio::io_context& io, const std::string& address, unsigned short port, page_function pages)
    : impl_(std::make_shared<impl>(io, std::move(pages))) {
    beast::error_code ec;
    const auto ip = asio::ip::make_address(address, ec);
    if (ec) throw std::runtime_error("'" + address + "' is not an IP address");
    const tcp::endpoint ep(ip, port);
    auto& a = impl_->acceptor;
    a.open(ep.protocol(), ec);
    if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) a.bind(ep, ec);
    if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
    if (!ec) {
        impl_->accept();
        return;
    }
    throw std::runtime_error("cannot listen on " + address + ":" + std::to_string(port) + ": " + ec.message());
}

http_server::~http_server() { stop(); }

unsigned short http_server::port() const {
    beast::error_code ec;
    return impl_->acceptor.local_endpoint(ec).port();
}

void http_server::stop() {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
}

}  // namespace ritualbot::net
