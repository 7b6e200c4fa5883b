#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

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
        ++reads;
        return s.async_read_some(b, std::forward<Token>(t));
    }
    template <class Buffers, class Token>
    auto async_write_some(const Buffers& b, Token&& t) {
        ++sends;
        return s.async_write_some(b, std::forward<Token>(t));
    }
    tcp::socket s;
    int sends = 0;
    int reads = 0;
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
    int reads() const { return client.next_layer().reads; }

    // The peer writes `bytes`, then ends its side.
    void peer_sends_and_ends(const std::string& bytes) {
        asio::write(server, asio::buffer(bytes));
        server.shutdown(tcp::socket::shutdown_send);
    }

    // Reads of sizes[0], sizes[1], ... (round and round), each asked from the
    // completion of the one before (as Beast's websocket reads), until the
    // peer's end; all they got.
    std::string read_all(const std::vector<std::size_t>& sizes, beast::error_code& end) {
        std::string got;
        std::vector<std::vector<char>> bufs;
        for (std::size_t size : sizes) bufs.emplace_back(size);
        std::size_t turn = 0;
        std::function<void()> next = [&] {
            auto& buf = bufs[turn++ % bufs.size()];
            client.async_read_some(asio::buffer(buf), [&](beast::error_code ec, std::size_t n) {
                got.append(buf.data(), n);
                if (ec) end = ec;
                else next();
            });
        };
        next();
        io.restart();
        io.run_for(2s);
        return got;
    }
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

// Beast's websocket reads at most 1,536 bytes at a time: 100 KB the peer sent
// reach it in order, in reads of 1,536, from two reads of the socket (64 KB
// each), not 67.
TEST(CorkedStream, SmallReadsAreServedFromOneLargeReadInOrder) {
    connected_pair p;
    std::string sent;
    for (int i = 0; sent.size() < 100'000; ++i) sent += std::to_string(i) + ",";
    p.peer_sends_and_ends(sent);
    beast::error_code end;
    EXPECT_EQ(p.read_all({1536}, end), sent);
    EXPECT_EQ(end, asio::error::eof);
    EXPECT_LE(p.reads(), 4) << "each socket read brings up to 64 KB; one more finds the end";
}

// A large read (TLS's input buffer sits above this layer) goes to the socket
// itself: it gets what the socket holds, and nothing is kept back.
TEST(CorkedStream, LargeReadsGoToTheSocketItself) {
    connected_pair p;
    const std::string sent(50'000, 'x');
    p.peer_sends_and_ends(sent);
    beast::error_code end;
    EXPECT_EQ(p.read_all({17 * 1024}, end), sent);
    EXPECT_EQ(end, asio::error::eof);
    EXPECT_GE(p.reads(), 4) << "at most 17 KB a read: 50 KB takes three, the end one more";
}

// Bytes gathered before a large read are handed up first: the stream stays
// in order whatever the read sizes.
TEST(CorkedStream, ReadsOfMixedSizesKeepTheOrder) {
    connected_pair p;
    std::string sent;
    for (int i = 0; sent.size() < 200'000; ++i) sent += std::to_string(i) + ";";
    p.peer_sends_and_ends(sent);
    beast::error_code end;
    EXPECT_EQ(p.read_all({700, 700, 20'000}, end), sent);
    EXPECT_EQ(end, asio::error::eof);
}
