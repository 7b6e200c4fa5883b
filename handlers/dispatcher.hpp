#pragma once
// Routes each incoming message to its handler inside one transaction that
// holds the handler's effects, the message's dedupe key and the replies it
// causes. Scheduled jobs run the same way.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "bot/clock.hpp"
#include "config/config.hpp"
#include "handlers/incoming.hpp"
#include "handlers/jobs.hpp"

namespace ritualbot {

class store;
class handler_context;

struct dispatch_result {
    bool applied = false;                 // false: a duplicate, or the handler failed
    bool duplicate = false;
    std::vector<std::int64_t> outbox_ids;  // replies it caused, committed
    // What the event's acknowledgement carries: decided in the transaction,
    // or for a duplicate the answer kept from the first time (see ack_answer_fn).
    std::string ack_answer;
};

// Runs inside the message's transaction after its handler: returns what the
// platform's acknowledgement carries (a Slack slash command's answer; empty:
// nothing). The handler's messages to the asker are held for it
// (handler_context::held()); it drops those it carries, the others go to the
// outbox. It commits with the effects and the dedupe key, so a redelivered
// event gets the same answer again.
class handler_context;
using ack_answer_fn = std::function<std::string(handler_context&)>;

// What the dispatcher did since the start (for /metrics).
struct dispatch_counters {
    std::uint64_t messages = 0;    // handled and committed
    std::uint64_t duplicates = 0;  // recognised by their dedupe key, not applied again
    std::uint64_t failures = 0;    // rolled back (the user was told)
    std::uint64_t jobs = 0;        // scheduled runs committed
    std::uint64_t job_failures = 0;
};

class dispatcher {
public:
    dispatcher(const config& cfg, store& db, const clock& clk) : cfg_(cfg), db_(db), clk_(clk) {}

    // `in_transaction` (optional) runs inside the message's transaction, just
    // before the commit: a transport's sync position commits with the effects.
    dispatch_result handle(const incoming& in, const std::function<void()>& in_transaction = {},
                           const ack_answer_fn& ack_answer = {});

    // The same transaction, dedupe and failure reply around another handler:
    // a transport's form (the Slack EOWD sign-up modal) that is not a line of text.
    dispatch_result handle_with(const incoming& in, const std::function<void(handler_context&)>& handler,
                                const std::function<void()>& in_transaction = {},
                                const ack_answer_fn& ack_answer = {});

    // Runs one occurrence unless it already ran; returns whether it ran.
    bool run_job(const job_definition& job, const job_occurrence& occurrence);

    const dispatch_counters& counters() const { return counters_; }

    // How /ritual dashboard makes a person's link; unset: the dashboard is off.
    void set_dashboard_link(std::function<std::string(const std::string& user)> make) {
        dashboard_link_ = std::move(make);
    }

private:
    dispatch_counters counters_;
    std::function<std::string(const std::string& user)> dashboard_link_;
    const config& cfg_;
    store& db_;
    const clock& clk_;
};

}  // namespace ritualbot
