// Fuzz target: load_config_string (config/config.hpp), TOML text to a
// validated config or a list of errors, never an exception.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto r = ritualbot::load_config_string(text, "fuzz.toml");
    for (const auto& e : r.errors) (void)ritualbot::format_config_error("fuzz.toml", e);
    if (r.cfg) {
        // The lookups every handler makes on a loaded config.
        for (const auto& team : r.cfg->teams) {
            for (const auto& m : team.members) {
                (void)r.cfg->home_team(m);
                (void)r.cfg->timezone_of(m);
                (void)r.cfg->teams_of(m);
            }
            (void)r.cfg->find_team(team.name);
        }
        (void)r.cfg->timezone_of("U_NOBODY");
    }
    return 0;
}
