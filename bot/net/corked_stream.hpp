#pragma once
// A stream layer that gathers writes: the bytes of everything written in one
// run of handlers (the acks of a group commit, a ping) leave in one send
// instead of one system call each. It sits under the websocket (and under
// TLS for wss://), so every frame Beast writes, its own pongs and close
// frame included, takes the same path in order.
//
// A write completes at once, as if sent; the bytes leave when the handlers
// that follow it stop adding more (checked by re-posting while the pending
// bytes grow, at most 16 times), in one asio::async_write on the next
// layer. A failed send is reported by every write after it; the socket's
// reader sees the same failure and ends the connection, so a frame reported
// written but lost is one whose peer is gone (Slack redelivers an envelope
// whose ack never arrived).
//
// Reads are gathered too. Beast's websocket reads at most 1,536 bytes at a
// time from the layer below it (its fixed read buffer), so on a plain ws://
// socket an envelope of 2 KB cost two or three recvmsg calls. A small read
// that finds nothing gathered reads up to 64 KB from the next layer in one
// call; the reads after it are served from those bytes (completed through
// the handler's executor, never inside the call that asked). A large read
// (TLS's own 17 KB input buffer above this layer, the rest of a long frame)
// with nothing gathered goes straight to the next layer, without a copy.
//
// Only websocket_client.cpp (and its test) include this: it instantiates
// Beast templates.
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/websocket/teardown.hpp>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ritualbot::net {

template <class Next>
class corked_stream {
    struct state {
        Next* next = nullptr;        // null once the stream is gone
        std::string pending;         // written, not yet handed to the next layer
        std::string sending;         // in the next layer's write
        bool writing = false;
        bool flush_posted = false;
        std::size_t seen = 0;        // pending's size when the flush last looked
        int waits = 0;
        boost::beast::error_code error;  // the first failed send
        std::function<void()> flushed;   // when_flushed's callback, waiting for the write
        std::vector<char> gathered;      // read from the next layer, not yet handed up
        std::size_t gathered_at = 0;     // the first byte not yet handed up
        std::size_t gathered_end = 0;
    };

public:
    using executor_type = typename Next::executor_type;
    using next_layer_type = Next;
    // asio::ssl::stream asks for these; Next is a beast::tcp_stream.
    using lowest_layer_type = typename Next::socket_type;

    template <class... Args>
    explicit corked_stream(Args&&... args)
        : next_(std::forward<Args>(args)...), state_(std::make_shared<state>()) {
        state_->next = &next_;
    }
    corked_stream(corked_stream&& other) noexcept : next_(std::move(other.next_)), state_(std::move(other.state_)) {
        if (state_) state_->next = &next_;
    }
    corked_stream& operator=(corked_stream&&) = delete;
    ~corked_stream() {
        if (state_) state_->next = nullptr;
    }

    executor_type get_executor() noexcept { return next_.get_executor(); }
    Next& next_layer() noexcept { return next_; }
    const Next& next_layer() const noexcept { return next_; }
    lowest_layer_type& lowest_layer() noexcept { return next_.socket(); }
    const lowest_layer_type& lowest_layer() const noexcept { return next_.socket(); }

    template <class MutableBuffers, class Token>
    auto async_read_some(const MutableBuffers& buffers, Token&& token) {
        return boost::asio::async_initiate<Token, void(boost::beast::error_code, std::size_t)>(
            [this](auto handler, const MutableBuffers& b) {
                namespace asio = boost::asio;
                const auto& s = state_;
                auto ex = asio::get_associated_executor(handler, next_.get_executor());
                if (s->gathered_at < s->gathered_end || asio::buffer_size(b) == 0) {
                    const std::size_t n = asio::buffer_copy(
                        b, asio::buffer(s->gathered.data() + s->gathered_at, s->gathered_end - s->gathered_at));
                    s->gathered_at += n;
                    asio::post(ex, [h = std::move(handler), n]() mutable { h(boost::beast::error_code{}, n); });
                    return;
                }
                if (asio::buffer_size(b) >= gather_size / 4) return next_.async_read_some(b, std::move(handler));
                if (s->gathered.size() < gather_size) s->gathered.resize(gather_size);
                next_.async_read_some(
                    asio::buffer(s->gathered),
                    asio::bind_executor(ex, [s, b, h = std::move(handler)](boost::beast::error_code ec,
                                                                           std::size_t got) mutable {
                        const std::size_t n = asio::buffer_copy(b, asio::buffer(s->gathered.data(), got));
                        s->gathered_at = n;
                        s->gathered_end = got;
                        h(ec, n);
                    }));
            },
            token, buffers);
    }

    template <class ConstBuffers, class Token>
    auto async_write_some(const ConstBuffers& buffers, Token&& token) {
        return boost::asio::async_initiate<Token, void(boost::beast::error_code, std::size_t)>(
            [this](auto handler, const ConstBuffers& b) {
                auto ex = boost::asio::get_associated_executor(handler, next_.get_executor());
                const auto error = state_->error;
                std::size_t n = 0;
                if (!error) {
                    // Appended piece by piece: a resize first zero-filled every
                    // byte before the copy (4 % of a /ritual help envelope's
                    // instructions, bench/README.md "Ninth session").
                    for (auto it = boost::asio::buffer_sequence_begin(b); it != boost::asio::buffer_sequence_end(b);
                         ++it) {
                        const boost::asio::const_buffer piece(*it);
                        state_->pending.append(static_cast<const char*>(piece.data()), piece.size());
                        n += piece.size();
                    }
                }
                // The completion first, the flush after it: the handler may write again at once.
                boost::asio::post(ex, [h = std::move(handler), error, n]() mutable { h(error, n); });
                if (!error) schedule_flush(state_);
            },
            token, buffers);
    }

private:
    static constexpr int max_waits = 16;
    static constexpr std::size_t gather_size = 64 * 1024;
    static constexpr std::size_t keep_capacity = 512 * 1024;

    static void schedule_flush(const std::shared_ptr<state>& s) {
        if (s->flush_posted || s->writing || !s->next) return;
        s->flush_posted = true;
        s->seen = s->pending.size();
        s->waits = 0;
        boost::asio::post(s->next->get_executor(), [s] { flush(s); });
    }

    static void flush(const std::shared_ptr<state>& s) {
        if (!s->next) return;
        if (s->pending.size() != s->seen && ++s->waits < max_waits) {
            s->seen = s->pending.size();
            boost::asio::post(s->next->get_executor(), [s] { flush(s); });
            return;
        }
        s->flush_posted = false;
        if (s->pending.empty() || s->writing) return;
        s->writing = true;
        s->sending.swap(s->pending);
        s->pending.clear();
        boost::asio::async_write(*s->next, boost::asio::buffer(s->sending),
                                 [s](boost::beast::error_code ec, std::size_t) {
                                     s->writing = false;
                                     // A burst's buffer is not kept for the quiet that follows.
                                     if (s->sending.capacity() > keep_capacity) std::string().swap(s->sending);
                                     else s->sending.clear();
                                     if (ec) {
                                         if (!s->error) s->error = ec;
                                         s->pending.clear();
                                     }
                                     if (!s->pending.empty()) schedule_flush(s);
                                     else if (s->flushed) std::exchange(s->flushed, {})();
                                 });
    }

public:
    // Runs `then` once every byte written so far has been handed to the next
    // layer (or failed to be): at once when nothing waits. One at a time:
    // the websocket's teardown is its only caller.
    void when_flushed(std::function<void()> then) {
        if (state_->pending.empty() && !state_->writing) return then();
        state_->flushed = std::move(then);
    }

private:

    Next next_;
    std::shared_ptr<state> state_;
};

// The websocket's close handshake ends with a teardown of its next layer.
template <class Next>
void teardown(boost::beast::role_type role, corked_stream<Next>& stream, boost::beast::error_code& ec) {
    using boost::beast::websocket::teardown;
    teardown(role, stream.next_layer(), ec);
}

// The bytes still gathered (the close frame, when it answers the peer's) leave
// before the next layer shuts down.
template <class Next, class Handler>
void async_teardown(boost::beast::role_type role, corked_stream<Next>& stream, Handler&& handler) {
    auto h = std::make_shared<std::decay_t<Handler>>(std::forward<Handler>(handler));
    stream.when_flushed([role, &stream, h] {
        using boost::beast::websocket::async_teardown;
        async_teardown(role, stream.next_layer(), std::move(*h));
    });
}

}  // namespace ritualbot::net
