// Fuzz target: a homeserver's /sync answer (bot/matrix/sync_response.hpp),
// read tolerantly and never throwing (matrix_transport calls it without a
// try), and the same JSON as a /messages page.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "bot/matrix/sync_response.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ritualbot;
    // The body as json_body() reads it: not JSON is a failed request, not ours to parse.
    const auto j = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return 0;
    std::string error;
    (void)matrix::parse_sync_response(j, "@bot:example.org", error);
    (void)matrix::parse_messages_page(j, "!room:example.org", "@bot:example.org", error);
    return 0;
}
