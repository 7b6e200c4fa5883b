// Fuzz target: parse_command_line (handlers/command_line.hpp), the parser of
// every command a member types on any platform.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "handlers/command_line.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)ritualbot::looks_like_command(text);
    (void)ritualbot::trim(text);
    (void)ritualbot::to_lower(text);
    auto c = ritualbot::parse_command_line(text);
    if (!c) return 0;
    // What the header promises of a parsed command.
    if (c->starts.size() != c->args.size()) throw std::logic_error("starts and args differ in size");
    for (std::size_t i = 0; i <= c->args.size(); ++i) {
        if (i < c->starts.size() && c->starts[i] > c->text.size()) throw std::logic_error("start past the text");
        (void)c->rest(i);
        (void)c->arg(i);
    }
    return 0;
}
