#pragma once
// A small HTTP/1.1 server for the operator's endpoints (/healthz, /metrics)
// and the read-only dashboard:
// GET only, one request per connection, headers up to 8 KiB, a
// 5-second limit for a client to send its request. It runs on the bot's
// io_context; the page function is called on that thread.
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace ritualbot::net {

struct http_page {
    int status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers{};  // more fields (Cache-Control: no-store is always set)
};

class http_server {
public:
    using page_function = std::function<http_page(const std::string& path)>;

    // Listens on `address` (an IPv4 or IPv6 address) and `port` (0: any free
    // port). Throws std::runtime_error when it cannot listen there.
    http_server(boost::asio::io_context& io, const std::string& address, unsigned short port, page_function pages);
    ~http_server();
    http_server(const http_server&) = delete;
    http_server& operator=(const http_server&) = delete;

    unsigned short port() const;
    void stop();

private:
    struct impl;
    std::shared_ptr<impl> impl_;
};

}  // namespace ritualbot::net
