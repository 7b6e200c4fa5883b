#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <chrono>
#include <functional>
#include <string>

#include "bot/net/corked_stream.hpp"

using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using ritualbot::net::corked_stream;

namespace {

// A socket that counts the sends asked of it.
struct counting_socket {
    using executor_type = tcp::socket::executor_type;
    using socket_type = tcp::socket;
    explicit counting_socket(asio::io_context& io) : s(io) {}
    executor_type get_executor() { return s.get_executor(); }
    tcp::socket& socket() { return s; }
    const tcp::socket& socket() const { return s; }
    template <class Buffers, class Token>
    auto async_read_some(const Buffers& b, Token&& t) {
        return s.async_read_some(b, std::forward<Token>(t));
    }
    template <class Buffers, class Token>
    auto async_write_some(const Buffers& b, Token&& t) {
        ++sends;
        return s.async_write_some(b, std::forward<Token>(t));
    }
    tcp::socket s;
    int sends = 0;
};

struct connected_pair {
    asio::io_context io;
    tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
    tcp::socket server{io};
    corked_stream<counting_socket> client{io};

    connected_pair() {
        client.next_layer().socket().connect(acceptor.local_endpoint());
        acceptor.accept(server);
    }
    int sends() const { return client.next_layer().sends; }
};

}  // namespace

TEST(CorkedStream, WritesMadeOneAfterAnotherLeaveInOneSendInOrder) {
    connected_pair p;
    // Each write starts from the completion of the one before, as the
    // websocket session writes its queued frames.
    const std::vector<std::string> parts{"one|", "two|", "three"};
    std::size_t next = 0, completed = 0;
    std::function<void()> write_next = [&] {
        asio::async_write(p.client, asio::buffer(parts[next++]), [&](beast::error_code ec, std::size_t n) {
            ASSERT_FALSE(ec) << ec.message();
            EXPECT_EQ(n, parts[completed].size());
            ++completed;
            if (next < parts.size()) write_next();
        });
    };
    write_next();
    p.io.run_for(200ms);
    ASSERT_EQ(completed, 3u);

    std::string got(13, '\0');
    asio::read(p.server, asio::buffer(got));
    EXPECT_EQ(got, "one|two|three");
    EXPECT_EQ(p.sends(), 1);
}

TEST(CorkedStream, WritesAfterASeparatePassLeaveInTheirOwnSend) {
    connected_pair p;
    asio::async_write(p.client, asio::buffer(std::string_view("first")), [](beast::error_code, std::size_t) {});
    p.io.run_for(100ms);
    p.io.restart();
    asio::async_write(p.client, asio::buffer(std::string_view("second")), [](beast::error_code, std::size_t) {});
    p.io.run_for(100ms);
    std::string got(11, '\0');
    asio::read(p.server, asio::buffer(got));
    EXPECT_EQ(got, "firstsecond");
    EXPECT_EQ(p.sends(), 2);
}

TEST(CorkedStream, AFailedSendIsReportedByTheWritesAfterIt) {
    connected_pair p;
    p.server.close();
    // The first sends may still be taken by the kernel; once one fails
    // (the peer is gone), every later write reports the error.
    beast::error_code last;
    for (int i = 0; i < 50 && !last; ++i) {
        asio::async_write(p.client, asio::buffer(std::string(1000, 'x')),
                          [&](beast::error_code ec, std::size_t) { last = ec; });
        p.io.run_for(20ms);
        p.io.restart();
    }
    EXPECT_TRUE(last) << "no write reported the closed peer";
    beast::error_code again;
    asio::async_write(p.client, asio::buffer(std::string_view("more")),
                      [&](beast::error_code ec, std::size_t) { again = ec; });
    p.io.run_for(20ms);
    EXPECT_EQ(again, last);
}

// The websocket's teardown waits for this: the close frame gathered last
// leaves before the socket is shut down.
TEST(CorkedStream, WhenFlushedRunsOnceTheGatheredBytesAreSent) {
    connected_pair p;
    bool flushed = false;
    p.client.when_flushed([&] { flushed = true; });
    EXPECT_TRUE(flushed) << "nothing waited, so at once";

    flushed = false;
    asio::async_write(p.client, asio::buffer(std::string_view("close")), [](beast::error_code, std::size_t) {});
    p.client.when_flushed([&] {
        flushed = true;
        p.client.next_layer().socket().shutdown(tcp::socket::shutdown_send);
    });
    EXPECT_FALSE(flushed);
    p.io.run_for(100ms);
    EXPECT_TRUE(flushed);
    std::string got;
    beast::error_code ec;
    char buf[16];
    for (;;) {
        const auto n = p.server.read_some(asio::buffer(buf), ec);
        got.append(buf, n);
        if (ec) break;
    }
    EXPECT_EQ(got, "close");
    EXPECT_EQ(p.sends(), 1);
}
