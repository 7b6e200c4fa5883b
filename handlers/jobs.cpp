#include "handlers/jobs.hpp"

#include "handlers/dependency_alerts.hpp"
#include "handlers/digest.hpp"
#include "handlers/okr_checkin.hpp"
#include "handlers/weekly_update.hpp"

namespace ritualbot {

const std::vector<job_definition>& job_table() {
    // Order matters for jobs due at the same instant: a prompt before its
    // reminder, both before the digest.
    static const std::vector<job_definition> table{
        {"weekly_prompt", weekly_prompt_occurrences, run_weekly_prompt},
        {"weekly_reminder", weekly_reminder_occurrences, run_weekly_reminder},
        {"okr_checkin", okr_checkin_occurrences, run_okr_checkin},
        {"digest", digest_occurrences, run_digest},
        {"dependency_check", dependency_check_occurrences, run_dependency_check},
    };
    return table;
}

}  // namespace ritualbot
