// Fuzz target: the payload of an interactive envelope (block_actions,
// view_submission): the modal readers (bot/slack/modal.hpp) on its `view`,
// then the whole envelope through the handler, which saves a weekly update
// form (handlers/weekly_update_form.hpp) or an EOWD sign-up.
#include <cstddef>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "bot/slack/envelope.hpp"
#include "bot/slack/modal.hpp"
#include "tests/fuzz/slack_fixture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ritualbot;
    auto payload = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
    if (payload.is_discarded()) return 0;
    const auto& view = slack::object_field(payload, "view");
    (void)slack::read_weekly_update_submission(view);
    (void)slack::read_eowd_signup_submission(view);
    (void)slack::read_weekly_update_submission(payload);
    (void)slack::read_eowd_signup_submission(payload);

    slack::frame f;
    f.kind = slack::frame_kind::interactive;
    f.type = "interactive";
    f.envelope_id = "fuzz-envelope";
    f.accepts_response_payload = true;
    f.payload = std::move(payload);
    if (!f.payload.is_object()) return 0;  // parse_frame lets no other payload through
    fuzz::slack_bench bench;
    bench.handle(f);
    return 0;
}
