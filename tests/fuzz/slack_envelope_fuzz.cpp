// Fuzz target: a Socket Mode frame as it comes off the websocket, parsed
// (bot/slack/envelope.hpp, never throws) and, when it is an envelope,
// handled (bot/slack/envelope_handler.hpp) against a fresh in-memory store.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bot/slack/envelope.hpp"
#include "tests/fuzz/slack_fixture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ritualbot;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const slack::frame f = slack::parse_frame(text);
    if (!f.envelope_id.empty()) (void)slack::ack_frame(f.envelope_id, f.payload.is_object() ? f.payload.dump() : std::string());
    (void)slack::string_field(f.payload, "type");
    (void)slack::object_field(f.payload, "event");
    if (!fuzz::slack_bench::is_envelope(f)) return 0;
    fuzz::slack_bench bench;
    bench.handle(f);
    return 0;
}
