#pragma once
// What a transport hands the dispatcher: one message from one user, already
// stripped of the platform's wire format.
#include <cstddef>
#include <string>

namespace ritualbot {

struct incoming {
    std::string platform;    // "console", later "slack", "matrix"
    std::string user;        // platform user id
    std::string channel;     // empty for a direct message to the bot
    std::string text;        // as typed; commands start with '/' or '!'
    std::string dedupe_key;  // platform event id; empty when the platform has none
    std::size_t full_length = 0;  // set when the transport cut a longer text: how long it was

    bool is_direct() const { return channel.empty(); }
};

}  // namespace ritualbot
