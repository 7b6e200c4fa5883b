#pragma once
// The console: a real transport on standard input and output. Input lines:
//   @alice> TEXT            alice sends TEXT to the bot in a direct message
//   @alice #alpha> TEXT     alice posts TEXT in channel #alpha
//   :time 2026-11-19T15:00:00Z   (virtual clock only) move the clock, run what is due
//   :quit                   deliver what is pending and exit
//   # a comment             ignored, as are empty lines
// Output: each message as a line ">>> @alice" or ">>> #alpha" followed by its
// text. Nothing else goes to standard output; diagnostics go to the log.
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>

#include "bot/clock.hpp"
#include "bot/transport.hpp"
#include "handlers/incoming.hpp"

namespace ritualbot {

struct console_events {
    std::function<void(incoming)> message;
    std::function<void(instant)> time;  // only with a virtual clock
    std::function<void()> end;          // :quit or end of input
};

class console_transport final : public transport {
public:
    explicit console_transport(std::ostream& out) : out_(out) {}
    ~console_transport() override;

    std::string platform() const override { return "console"; }
    void deliver(const outbox_row& row, std::function<void(delivery_result)> done) override;

    // Interprets one input line.
    // `full_length`: the line's length before it was cut at max_line_length (0: not cut).
    void feed_line(std::string_view line, const console_events& events, std::size_t full_length = 0);

    // Reads standard input (a terminal, a pipe or a file) on the io_context,
    // line by line, until end of input or stop().
    void start_reading(boost::asio::io_context& io, int fd, console_events events);
    void stop_reading();

    static constexpr std::size_t max_line_length = 64 * 1024;

private:
    struct reader;
    std::ostream& out_;
    std::shared_ptr<reader> reader_;
    long line_number_ = 0;
};

}  // namespace ritualbot
