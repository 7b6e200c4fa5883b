#include "bot/console_transport.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <boost/asio/post.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <optional>
#include <spdlog/spdlog.h>

#include "handlers/command_line.hpp"
#include "storage/store.hpp"

namespace ritualbot {

namespace asio = boost::asio;

// Reads the input on the io_context. Asio accepts terminals and pipes, and
// regular files too (their reads never block); if the descriptor cannot be
// registered at all, plain blocking reads of small chunks are posted instead.
struct console_transport::reader : std::enable_shared_from_this<reader> {
    reader(asio::io_context& io, int fd, console_transport& owner, console_events events)
        : io(io), fd(fd), owner(owner), events(std::move(events)) {}

    asio::io_context& io;
    int fd;
    console_transport& owner;
    console_events events;
    std::optional<asio::posix::stream_descriptor> descriptor;
    int saved_flags = -1;
    bool stopped = false;
    bool discarding = false;  // inside an over-long line
    std::size_t line_bytes = 0;  // the whole line's length, also what was cut
    std::array<char, 16384> buffer{};
    std::string pending;

    void start() {
        saved_flags = ::fcntl(fd, F_GETFL);
        try {
            descriptor.emplace(io, ::dup(fd));
        } catch (const std::exception& e) {
            spdlog::debug("console input is read synchronously: {}", e.what());
            descriptor.reset();
        }
        read_next();
    }

    void stop() {
        stopped = true;
        if (descriptor) {
            boost::system::error_code ignored;
            descriptor->cancel(ignored);
            descriptor->close(ignored);
        }
        // Leave the terminal as we found it (blocking), or the shell suffers.
        if (saved_flags >= 0) ::fcntl(fd, F_SETFL, saved_flags);
    }

    void read_next() {
        if (stopped) return;
        auto self = shared_from_this();
        if (descriptor) {
            descriptor->async_read_some(asio::buffer(buffer), [self](boost::system::error_code ec, std::size_t n) {
                if (self->stopped) return;
                if (ec) return self->on_end(ec == asio::error::eof ? std::string() : ec.message());
                self->on_data(n);
            });
        } else {
            asio::post(io, [self] {
                if (self->stopped) return;
                ssize_t n = ::read(self->fd, self->buffer.data(), self->buffer.size());
                if (n < 0 && errno == EINTR) return self->read_next();
                if (n <= 0) return self->on_end(n < 0 ? std::string(std::strerror(errno)) : std::string());
                self->on_data(static_cast<std::size_t>(n));
            });
        }
    }

    void on_data(std::size_t n) {
        std::string_view chunk(buffer.data(), n);
        while (!chunk.empty() && !stopped) {
            auto nl = chunk.find('\n');
            std::string_view part = chunk.substr(0, nl);
            line_bytes += part.size();
            if (!discarding) pending.append(part);
            if (pending.size() > max_line_length) {
                // Keep the start: the handler answers that it is too long.
                if (!discarding) spdlog::warn("console: an input line is longer than {} bytes; the rest is cut", max_line_length);
                pending.resize(max_line_length);
                discarding = true;
            }
            if (nl == std::string_view::npos) break;
            chunk.remove_prefix(nl + 1);
            std::string line = std::move(pending);
            pending.clear();
            // The handler says how long the line really was.
            owner.feed_line(line, events, discarding ? line_bytes : 0);
            discarding = false;
            line_bytes = 0;
        }
        read_next();
    }

    void on_end(const std::string& error) {
        if (!error.empty()) spdlog::error("console: reading input failed: {}", error);
        if (!pending.empty() && !stopped) {
            std::string line = std::move(pending);
            pending.clear();
            owner.feed_line(line, events);
        }
        if (!stopped && events.end) events.end();
    }
};

console_transport::~console_transport() { stop_reading(); }

void console_transport::start_reading(asio::io_context& io, int fd, console_events events) {
    reader_ = std::make_shared<reader>(io, fd, *this, std::move(events));
    reader_->start();
}

void console_transport::stop_reading() {
    if (reader_) reader_->stop();
}

void console_transport::deliver(const outbox_row& row, std::function<void(delivery_result)> done) {
    const auto& to = row.item.to;
    out_ << ">>> " << (to.kind == destination_kind::channel ? to.channel : "@" + to.user) << '\n';
    std::string text = row.item.body.plain_text();
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t nl = text.find('\n', start);
        std::string_view line(text.data() + start, (nl == std::string::npos ? text.size() : nl) - start);
        // A line of a user's answer must not pass for the start of another message.
        if (line.substr(0, 3) == ">>>") out_ << ' ';
        for (char c : line) out_ << ((static_cast<unsigned char>(c) < 0x20 && c != '\t') ? ' ' : c);
        out_ << '\n';
        if (nl == std::string::npos) break;
        start = nl + 1;
    }
    out_.flush();
    delivery_result r;
    r.ok = static_cast<bool>(out_);
    if (!r.ok) r.error = "standard output is closed";
    done(r);
}

void console_transport::feed_line(std::string_view raw, const console_events& events, std::size_t full_length) {
    ++line_number_;
    std::string_view line = raw;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string trimmed = trim(line);
    if (trimmed.empty() || trimmed[0] == '#') return;

    if (trimmed[0] == ':') {
        std::string word = trimmed.substr(1, trimmed.find(' ') == std::string::npos ? std::string::npos
                                                                                     : trimmed.find(' ') - 1);
        std::string arg = trimmed.find(' ') == std::string::npos ? std::string() : trim(trimmed.substr(trimmed.find(' ')));
        if (word == "quit" || word == "q") {
            if (events.end) events.end();
        } else if (word == "time") {
            auto t = parse_iso_instant(arg);
            if (!t) {
                spdlog::error("console line {}: ':time' needs an instant such as 2026-11-19T15:00:00Z (years 2000 to 2999), got '{}'",
                              line_number_, arg);
            } else if (!events.time) {
                spdlog::error("console line {}: ':time' works only with run --virtual-clock", line_number_);
            } else {
                events.time(*t);
            }
        } else {
            spdlog::error("console line {}: unknown console command ':{}' (known: :time, :quit)", line_number_, word);
        }
        return;
    }

    // "@alice> text" or "@alice #alpha> text"
    auto gt = trimmed.find('>');
    if (trimmed[0] != '@' || gt == std::string::npos) {
        spdlog::error("console line {}: expected '@user> text', '@user #channel> text', ':time <instant>' or ':quit'",
                      line_number_);
        return;
    }
    std::string who = trim(std::string_view(trimmed).substr(1, gt - 1));
    incoming in;
    in.platform = "console";
    auto space = who.find(' ');
    if (space != std::string::npos) {
        in.channel = trim(who.substr(space + 1));
        who = who.substr(0, space);
        if (in.channel.empty() || in.channel[0] != '#' || in.channel.find(' ') != std::string::npos) {
            spdlog::error("console line {}: a channel is written '#name', as in '@alice #alpha> text'", line_number_);
            return;
        }
    }
    if (who.empty()) {
        spdlog::error("console line {}: a user name is missing after '@'", line_number_);
        return;
    }
    in.user = who;
    std::string_view text = std::string_view(trimmed).substr(gt + 1);
    if (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    in.text = std::string(text);
    if (full_length > raw.size()) in.full_length = full_length - (raw.size() - in.text.size());
    if (events.message) events.message(std::move(in));
}

}  // namespace ritualbot
