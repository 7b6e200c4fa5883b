#include "handlers/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include <string>
#include <string_view>
#include <vector>

#include "bot/fault.hpp"
#include "handlers/commands.hpp"
#include "handlers/context.hpp"
#include "handlers/okr_checkin.hpp"
#include "handlers/text.hpp"
#include "handlers/weekly_update.hpp"
#include "storage/store.hpp"

namespace ritualbot {
namespace {

using command_handler = void (*)(handler_context&, const incoming&, const command_line&);

struct route {
    std::string_view name;
    command_handler handler;
};

// One line per command word.
constexpr route routes[] = {
    {"update", handle_update_command},
    {"ritual", handle_ritual_command},
    {"okr", handle_okr_command},
    {"dep", handle_dep_command},
    {"eowd", handle_eowd_command},
    {"learn", handle_learn_command},
    {"help", [](handler_context& ctx, const incoming& in, const command_line&) {
         handle_ritual_command(ctx, in, command_line{"ritual", {"help"}, {}, "/ritual help", {8}});
     }},
};

// "/update, /ritual, /okr and /dep": every routed word but help, so a new
// command is listed the day it is added to the table.
std::string command_names() {
    std::vector<std::string_view> names;
    for (const route& r : routes)
        if (r.name != "help") names.push_back(r.name);
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
        out += "/" + std::string(names[i]);
    }
    return out;
}

// Slack's own limit for a message. Anything longer is refused before it is
// read at all: no handler sees it, and nothing of it is stored.
constexpr std::size_t max_incoming_text = 40000;

void route_message(handler_context& ctx, const incoming& in) {
    if (const std::size_t length = std::max(in.text.size(), in.full_length); length > max_incoming_text) {
        ctx.reply(in, "That message is " + std::to_string(length) + " characters long; I read at most " +
                          std::to_string(max_incoming_text) + ". Nothing of it was saved.");
        return;
    }
    const std::string typed = trim(in.text);
    if (!typed.empty() && typed.find_first_not_of("/!") == std::string::npos) {
        // A bare "/", "!" or "//" is neither a command nor an answer.
        ctx.reply(in, "\u201C" + clip_text(typed, 40) +
                          "\u201D is neither a command nor an answer, so nothing was saved. /ritual help lists the "
                          "commands.");
        return;
    }
    if (auto cmd = parse_command_line(in.text)) {
        const route* found = nullptr;
        for (const route& r : routes)
            if (r.name == cmd->name) found = &r;
        if (!found && in.is_direct() && weekly_answer_pending(ctx, in.user)) {
            // "/v2/search endpoint shipped" while a question waits: the answer, not an unknown command.
            handle_weekly_answer(ctx, in,
                                 "\u201C" + clip_text(typed.substr(0, typed.find_first_of(" \t\r\n")), 40) +
                                     "\u201D is not one of my commands, so I took your message as the answer.");
            return;
        }
        if (!cmd->error.empty()) {
            ctx.reply(in, "I could not read that command: " + cmd->error + ". /ritual help lists the commands.");
            return;
        }
        if (found) {
            found->handler(ctx, in, *cmd);
            return;
        }
        // The word as typed ("!important:" -> "!important"), without the punctuation after it.
        std::string word = clip_text(cmd->name, 40);
        while (!word.empty() && std::string_view(".,:;!?").find(word.back()) != std::string_view::npos)
            word.pop_back();
        ctx.reply(in, "I don't know the command " + std::string(1, typed[0]) + word + ". The commands are " +
                          command_names() + "; /ritual help explains them.");
        return;
    }
    if (in.is_direct()) {
        // A pending OKR check-in answer comes first; it lets other text through.
        if (handle_okr_checkin_reply(ctx, in)) return;
        handle_weekly_answer(ctx, in);
        return;
    }
    // In a channel the bot only listens for commands (on Slack: when mentioned).
    ctx.reply(in, "In a channel I only understand commands; /ritual help lists them.");
}

}  // namespace

dispatch_result dispatcher::handle(const incoming& in, const std::function<void()>& in_transaction,
                                   const ack_answer_fn& ack_answer) {
    return handle_with(in, [&in](handler_context& ctx) { route_message(ctx, in); }, in_transaction, ack_answer);
}

dispatch_result dispatcher::handle_with(const incoming& in, const std::function<void(handler_context&)>& handler,
                                        const std::function<void()>& in_transaction,
                                        const ack_answer_fn& ack_answer) {
    dispatch_result result;
    try {
        auto tx = db_.begin();
        if (!in.dedupe_key.empty() && db_.event_seen(in.dedupe_key)) {
            spdlog::debug("duplicate event {} ignored", in.dedupe_key);
            ++counters_.duplicates;
            result.duplicate = true;
            if (ack_answer) result.ack_answer = db_.ack_answer(in.dedupe_key).value_or("");
            return result;
        }
        handler_context ctx(cfg_, db_, clk_);
        if (ack_answer) ctx.hold_messages_to(in.user);
        if (dashboard_link_) ctx.dashboard_link = &dashboard_link_;
        const std::int64_t changes_before = db_.total_changes();
        handler(ctx);
        if (ack_answer) {
            result.ack_answer = ack_answer(ctx);
            ctx.release_held();  // what the ack does not carry goes to the outbox
        }
        // A message that changed nothing (`/ritual help`, a status, a show)
        // leaves no dedupe key: a redelivery is answered afresh, to the same
        // effect, and a read costs no write. Anything that wrote, or whose
        // transport writes with it (Matrix's next_batch), is remembered.
        const bool wrote = db_.total_changes() != changes_before || static_cast<bool>(in_transaction);
        if (!in.dedupe_key.empty() && wrote) {
            db_.record_event(in.dedupe_key, clk_.now());
            if (!result.ack_answer.empty()) db_.keep_ack_answer(in.dedupe_key, result.ack_answer, clk_.now());
        }
        if (in_transaction) in_transaction();
        tx->commit();
        ++counters_.messages;
        result.applied = true;
        result.outbox_ids = ctx.enqueued();
        return result;
    } catch (const std::exception& e) {
        spdlog::error("handling a message from {} on {} failed: {}", in.user, in.platform, e.what());
    }
    result.ack_answer.clear();
    ++counters_.failures;
    // The failed transaction rolled back; tell the user instead of going silent.
    try {
        auto tx = db_.begin();
        handler_context ctx(cfg_, db_, clk_);
        if (ack_answer) ctx.hold_messages_to(in.user);
        ctx.reply(in, "Sorry, something went wrong on my side and nothing was saved. Please try again.");
        std::string answer = ack_answer ? ack_answer(ctx) : std::string();
        ctx.release_held();
        tx->commit();
        result.ack_answer = std::move(answer);
        result.outbox_ids = ctx.enqueued();
    } catch (const std::exception& e) {
        spdlog::error("could not even answer the failure: {}", e.what());
    }
    return result;
}

bool dispatcher::run_job(const job_definition& job, const job_occurrence& occ) {
    try {
        auto tx = db_.begin();
        if (db_.job_ran(occ.kind, occ.target, occ.period)) return false;
        handler_context ctx(cfg_, db_, clk_);
        job.run(ctx, occ);
        if (auto later = ctx.deferred_until()) {
            db_.defer_job(occ.kind, occ.target, occ.period, *later, occ.window_end);
            tx->commit();
            spdlog::info("{} for {} ({}) waits until {}", occ.kind, occ.target, occ.period,
                         format_iso_instant(*later));
            return false;
        }
        db_.record_job(occ.kind, occ.target, occ.period, occ.due, clk_.now());
        // Up to just before this job: other jobs due at the same instant may
        // not have run yet, and a restart must still consider them.
        db_.set_scheduler_horizon(occ.due - std::chrono::seconds(1));
        tx->commit();
        fault_point("job.after_commit");
        ++counters_.jobs;
        spdlog::info("ran {} for {} ({})", occ.kind, occ.target, occ.period);
        return true;
    } catch (const std::exception& e) {
        ++counters_.job_failures;
        spdlog::error("job {} for {} ({}) failed: {}", occ.kind, occ.target, occ.period, e.what());
        return false;
    }
}

}  // namespace ritualbot
