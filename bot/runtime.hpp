#pragma once
// Wires a loaded config to storage, the dispatcher, the scheduler, the
// outbox and the transports, and runs until told to stop.
#include <optional>
#include <string>

#include "bot/clock.hpp"
#include "config/config.hpp"

namespace ritualbot {

struct run_options {
    std::optional<instant> virtual_start;  // --virtual-clock: time moves only on ':time'
    std::string database_path;             // overrides [storage] path when set
};

// Returns the process exit code.
int run_bot(config cfg, const run_options& options);

}  // namespace ritualbot
