#pragma once
// The End of Week Debrief: sign-ups open (an invitation in the team
// channel), close (the agenda, or "no EOWD this week"), and presenters get a
// reminder before it starts. All times are in the team's zone and fall in
// the ISO week of the EOWD, which names the week's sign-ups ("2026-W47").
//
// Slots are taken in sign-up order: the first `slots` sign-ups present, the
// others wait, and a withdrawal moves the first waiting person up.
#include <cstddef>
#include <string>
#include <vector>

#include "handlers/jobs.hpp"
#include "storage/message.hpp"
#include "handlers/text.hpp"
#include "storage/eowd_store.hpp"

namespace ritualbot {

class handler_context;
struct incoming;

struct eowd_lineup {
    std::vector<eowd_signup_row> presenters;  // in slot order
    std::vector<eowd_signup_row> waitlist;    // in the order they step in
};

enum class eowd_phase {
    not_open,  // before sign-ups open
    open,      // taking sign-ups
    closed,    // agenda posted, the EOWD has not started yet
};

// When things happen in the EOWD of `week`, in `team`'s zone.
instant eowd_start(const config& cfg, const team_config& team, const std::string& week);
instant eowd_opens(const config& cfg, const team_config& team, const std::string& week);
instant eowd_closes(const config& cfg, const team_config& team, const std::string& week);
instant eowd_slot_start(const config& cfg, const team_config& team, const std::string& week, std::size_t slot);

// The EOWD a command at `t` is about: this week's until it starts, then next week's.
std::string eowd_week(const config& cfg, const team_config& team, instant t);
eowd_phase eowd_phase_at(const config& cfg, const team_config& team, const std::string& week, instant t);

// Sign-ups in order, split into the first `slots` and the waitlist.
eowd_lineup split_lineup(std::vector<eowd_signup_row> signups, int slots);
eowd_lineup eowd_lineup_of(handler_context& ctx, const team_config& team, const std::string& week);

// "15:10" in `zone`.
std::string format_clock_time(instant t, const std::string& zone);
// One agenda line per presenter: "15:00 alice: topic. Input wanted: ...".
std::vector<std::string> eowd_agenda_lines(const config& cfg, const team_config& team, const std::string& week,
                                           const eowd_lineup& lineup);

// The agenda post at close ("no EOWD this week" when nobody signed up).
message eowd_agenda_message(handler_context& ctx, const team_config& team, const std::string& week);

// Scheduled jobs: the invitation, the agenda, the presenters' reminder.
void eowd_open_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out);
void run_eowd_open(handler_context& ctx, const job_occurrence& occurrence);
void eowd_close_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out);
void run_eowd_close(handler_context& ctx, const job_occurrence& occurrence);
void eowd_reminder_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out);
void run_eowd_reminder(handler_context& ctx, const job_occurrence& occurrence);

// What a presentation can be (the Slack modal's choice): notebook, pull
// request, document, data set, other.
const std::vector<std::string>& eowd_kinds();

// The longest topic and input wanted a sign-up takes, in characters.
inline constexpr std::size_t eowd_max_topic_length = 200;
inline constexpr std::size_t eowd_max_input_length = 500;

// Signs the user up for the coming EOWD of the team in context (or changes
// their topic) and replies: the /eowd signup command and a transport's
// sign-up form (the Slack modal behind the "eowd.signup" button) both end
// here. `kind` is one of eowd_kinds() or empty.
void eowd_sign_up(handler_context& ctx, const incoming& in, const std::string& topic, const std::string& input_wanted,
                  const std::string& kind);

// "10 minutes", "1 hour", "90 minutes"
std::string spoken_duration(std::chrono::minutes d);

// The digest's EOWD section: the week's agenda, or who presented once it is over.
void eowd_digest_section(handler_context& ctx, const team_config& team, const std::string& week, message& digest);

// /ritual schedule: the team's next EOWD (nothing when it is not enabled).
void eowd_schedule_lines(handler_context& ctx, const team_config& team, const std::string& zone,
                         std::vector<std::string>& lines);

}  // namespace ritualbot
