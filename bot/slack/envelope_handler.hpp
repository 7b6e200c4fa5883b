#pragma once
// Applies one Socket Mode envelope (events_api, slash_commands, interactive)
// and says how to acknowledge it. No sockets here: the session calls handle()
// and writes the ack it returns, so everything below is tested without a
// network. The envelope's effects, its dedupe key and its replies are
// committed (by the dispatcher or the form) before handle() returns: the ack
// is written only after the commit.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/clock.hpp"
#include "bot/slack/envelope.hpp"
#include "config/config.hpp"
#include "handlers/incoming.hpp"
#include "storage/message.hpp"
#include "storage/slack_user_store.hpp"

namespace ritualbot {
class store;
class dispatcher;
}  // namespace ritualbot

namespace ritualbot::slack {

struct eowd_signup_submission;

// Who the bot is (auth.test): its own messages are ignored.
struct identity {
    std::string user_id;
    std::string bot_id;
};

struct envelope_result {
    bool ack = true;                            // false: unacked, Slack redelivers (events_api)
    std::string ack_payload;                    // JSON text; empty for a plain ack
    bool dispatched = false;                    // something was committed: flush the outbox
    std::string open_view_trigger;              // non-empty: views.open with this trigger id...
    nlohmann::json open_view;                   // ...and this view
    std::string dm_user, dm_channel;            // a DM channel learned from an event
    std::vector<slack_user_row> users;          // user_change / team_join: store and apply before the ack
    std::string ignored;                        // why nothing was done (for the debug log)
};

class envelope_handler {
public:
    envelope_handler(const config& cfg, store& db, const clock& clk, dispatcher& dispatch)
        : cfg_(cfg), db_(db), clk_(clk), dispatch_(dispatch) {}

    void set_identity(identity id) { self_ = std::move(id); }
    const identity& self() const { return self_; }

    // f.kind is events_api, slash_commands or interactive.
    envelope_result handle(const frame& f);

private:
    envelope_result on_event(const frame& f);
    envelope_result on_slash_command(const frame& f);
    envelope_result on_interactive(const frame& f);
    envelope_result on_block_action(const frame& f);
    envelope_result on_view_submission(const frame& f);
    const team_config* slack_team(const std::string& name) const;  // null: no Slack team of that name
    bool eowd_form_usable(const team_config& team, const std::string& user) const;
    envelope_result on_eowd_signup(const frame& f, const eowd_signup_submission& form);
    envelope_result dispatch(const incoming& in);

    const config& cfg_;
    store& db_;
    const clock& clk_;
    dispatcher& dispatch_;
    identity self_;
    // The last slash answer and its ack JSON: the same answer again (`/ritual
    // help` from everyone) is not escaped and serialised again.
    message last_answer_;
    std::string last_answer_json_;
};

// Dedupe keys: an event by its event_id; a command or an action by its envelope.
std::string event_dedupe_key(const std::string& event_id);
std::string envelope_dedupe_key(const std::string& envelope_id);

}  // namespace ritualbot::slack
