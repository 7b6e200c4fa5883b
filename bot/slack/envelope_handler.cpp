#include "bot/slack/envelope_handler.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "bot/slack/block_kit.hpp"
#include "bot/slack/modal.hpp"
#include "bot/slack/slack_user.hpp"
#include "handlers/command_line.hpp"
#include "handlers/context.hpp"
#include "handlers/dispatcher.hpp"
#include "handlers/eowd.hpp"
#include "handlers/weekly_update_form.hpp"
#include "storage/slack_store.hpp"
#include "storage/store.hpp"

namespace ritualbot::slack {

using json = nlohmann::json;

std::string event_dedupe_key(const std::string& event_id) { return "slack:event:" + event_id; }
std::string envelope_dedupe_key(const std::string& envelope_id) { return "slack:envelope:" + envelope_id; }

namespace {

envelope_result ignored(std::string why) {
    envelope_result r;
    r.ignored = std::move(why);
    return r;
}

// "<@U0BOT> okr status" -> "/okr status"; a mention elsewhere stays.
std::string mention_to_command(const std::string& text, const std::string& bot_user) {
    std::string t = trim(text);
    const std::string mention = "<@" + bot_user;
    if (!bot_user.empty() && t.starts_with(mention)) {
        auto close = t.find('>');
        if (close != std::string::npos) t = trim(std::string_view(t).substr(close + 1));
    }
    if (t.empty()) return "/ritual help";
    if (t[0] != '/' && t[0] != '!') t = "/" + t;
    return t;
}

// The button actions on our messages.
enum class button_action {
    open_form,      // the weekly-update modal
    open_eowd_form, // the EOWD sign-up modal; the value is "<team> <week>"
    command,        // runs `command` as the person who clicked
    value_command,  // runs the button's value, which must start with `command`
};

struct button_route {
    std::string_view action_id;
    button_action action;
    std::string_view command;
};

constexpr button_route button_routes[] = {
    {"update.start", button_action::open_form, ""},
    {"update.skip", button_action::command, "/update skip"},
    {"update.later", button_action::command, "/update later"},  // the default snooze
    {"eowd.signup", button_action::open_eowd_form, "/eowd signup"},  // without a trigger: how to sign up
    {"dep.register", button_action::value_command, "/dep add "},
    {"dep.dismiss", button_action::value_command, "/dep dismiss "},
};

}  // namespace

envelope_result envelope_handler::handle(const frame& f) {
    switch (f.kind) {
        case frame_kind::events_api: return on_event(f);
        case frame_kind::slash_commands: return on_slash_command(f);
        case frame_kind::interactive: return on_interactive(f);
        default: return ignored("not an envelope");
    }
}

envelope_result envelope_handler::dispatch(const incoming& in) {
    dispatch_result d = dispatch_.handle(in);
    envelope_result r;
    r.dispatched = !d.outbox_ids.empty() || d.applied;
    // A failure that could not even commit its apology is left unacked: Slack
    // redelivers events, and the user of a command sees Slack's own error.
    r.ack = d.applied || d.duplicate || !d.outbox_ids.empty();
    if (d.duplicate) r.ignored = "duplicate";
    return r;
}

envelope_result envelope_handler::on_event(const frame& f) {
    const event_callback& ev = f.event;
    const std::string& type = ev.type;
    const std::string& event_id = ev.event_id.empty() ? f.envelope_id : ev.event_id;
    // A user's profile changed (their zone, deactivated) or someone joined the
    // workspace: `user` is the whole user object. The transport stores it.
    if (type == "user_change" || type == "team_join") {
        auto u = read_slack_user(ev.user_object);
        if (!u) return ignored(type + " without a usable user");
        envelope_result r;
        r.users.push_back(std::move(*u));
        return r;
    }
    const std::string& user = ev.user;

    // The bot's own posts, other bots, edits, joins and every other subtype.
    if (ev.has_subtype) return ignored("message subtype " + ev.subtype);
    if (ev.has_bot_id || user.empty()) return ignored("a bot's message");
    if (user == self_.user_id) return ignored("our own message");

    incoming in;
    in.platform = "slack";
    in.user = user;
    in.dedupe_key = event_dedupe_key(event_id);
    envelope_result r;
    if (type == "message") {
        if (ev.channel_type != "im") return ignored("a message outside a DM");
        in.text = unescape(ev.text);
        r = dispatch(in);
        // Remembered as the person's DM only if it is one (a D… id): a forged
        // or odd event must never send their private messages to a channel.
        if (ev.channel.starts_with('D')) {
            r.dm_user = user;
            r.dm_channel = ev.channel;
        }
        return r;
    }
    if (type == "app_mention") {
        in.channel = ev.channel;
        if (in.channel.empty()) return ignored("app_mention without a channel");
        in.text = unescape(mention_to_command(ev.text, self_.user_id));
        return dispatch(in);
    }
    return ignored("event type " + type);
}

envelope_result envelope_handler::on_slash_command(const frame& f) {
    const std::string& command = f.command.command;
    if (command.empty() || command[0] != '/') return ignored("slash command without a command");
    incoming in;
    in.platform = "slack";
    in.user = f.command.user_id;
    if (in.user.empty()) return ignored("slash command without a user");
    const std::string& channel = f.command.channel_id;
    // Typed in a DM, the answers are direct; in a channel, only the asker sees them.
    if (!channel.empty() && channel[0] != 'D') in.channel = channel;
    const std::string args = unescape(f.command.text);
    in.text = trim(args).empty() ? command : command + " " + args;
    in.dedupe_key = envelope_dedupe_key(f.envelope_id);

    // The replies to the asker ride in the ack when they fit one Slack
    // message: they never enter the outbox, and the answer is kept with the
    // envelope's dedupe key in the same transaction. If the ack is lost (the
    // process dies before its bytes leave), Slack redelivers the envelope and
    // the same answer goes out in that ack, once.
    auto answer = [this](handler_context& ctx) -> std::string {
        if (ctx.held().empty()) return {};
        message replies;
        for (const outgoing& item : ctx.held()) replies.append(item.body);
        if (!last_answer_json_.empty() && replies == last_answer_) {
            ctx.drop_held();
            return last_answer_json_;
        }
        auto parts = render(replies);
        if (parts.size() != 1) return {};  // too long for one: they go out through the outbox
        ctx.drop_held();
        last_answer_json_ =
            json{{"response_type", "ephemeral"}, {"text", parts[0].text}, {"blocks", parts[0].blocks}}.dump(
                -1, ' ', false, json::error_handler_t::replace);
        last_answer_ = std::move(replies);
        return last_answer_json_;
    };
    dispatch_result d = dispatch_.handle(in, {}, answer);
    envelope_result r;
    r.dispatched = !d.outbox_ids.empty();
    r.ack = d.applied || d.duplicate || !d.outbox_ids.empty() || !d.ack_answer.empty();
    if (d.duplicate) r.ignored = "duplicate";
    if (!d.ack_answer.empty()) {
        // Ours, written as JSON; one kept from the first time is checked.
        if (!d.duplicate || json::accept(d.ack_answer)) r.ack_payload = std::move(d.ack_answer);
    }
    return r;
}

envelope_result envelope_handler::on_interactive(const frame& f) {
    const std::string type = string_field(f.payload, "type");
    if (type == "block_actions") return on_block_action(f);
    if (type == "view_submission") return on_view_submission(f);
    return ignored("interactive payload " + type);
}

envelope_result envelope_handler::on_block_action(const frame& f) {
    const json& p = f.payload;
    const std::string user = string_field(object_field(p, "user"), "id");
    auto actions = p.find("actions");
    if (user.empty() || actions == p.end() || !actions->is_array() || actions->empty())
        return ignored("block_actions without a user or an action");
    const std::string action_id = string_field((*actions)[0], "action_id");
    const button_route* route = nullptr;
    for (const auto& br : button_routes)
        if (br.action_id == action_id) route = &br;
    if (!route) return ignored("unknown action " + action_id);

    incoming in;
    in.platform = "slack";
    in.user = user;
    in.dedupe_key = envelope_dedupe_key(f.envelope_id);
    if (route->action == button_action::open_form) {
        const std::string trigger = string_field(p, "trigger_id");
        auto form = open_weekly_update_form(cfg_, db_, clk_.now(), user);
        if (form && !trigger.empty()) {
            envelope_result r;
            r.open_view_trigger = trigger;
            r.open_view = weekly_update_view(*form);
            return r;
        }
        in.text = "/update";  // explains why there is no form
    } else if (route->action == button_action::open_eowd_form) {
        const std::string trigger = string_field(p, "trigger_id");
        const std::string value = string_field((*actions)[0], "value");
        const team_config* team = slack_team(value.substr(0, value.rfind(' ')));
        if (team) in.channel = team->channel;
        // The form only when it can be used; otherwise the command says why
        // not (sign-ups closed or not open yet, not in the team).
        if (!trigger.empty() && team && eowd_form_usable(*team, user)) {
            envelope_result r;
            r.open_view_trigger = trigger;
            r.open_view = eowd_signup_view(team->name, eowd_week(cfg_, *team, clk_.now()));
            return r;
        }
        in.text = std::string(route->command);
    } else if (route->action == button_action::value_command) {
        const std::string value = string_field((*actions)[0], "value");
        if (!value.starts_with(route->command)) return ignored("action " + action_id + " with an unexpected value");
        in.text = value;
    } else {
        in.text = std::string(route->command);
    }
    return dispatch(in);
}

envelope_result envelope_handler::on_view_submission(const frame& f) {
    const json& p = f.payload;
    if (auto eowd = read_eowd_signup_submission(object_field(p, "view"))) return on_eowd_signup(f, *eowd);
    auto submission = read_weekly_update_submission(object_field(p, "view"));
    if (!submission) return ignored("view_submission of another view");
    incoming in;
    in.platform = "slack";
    in.user = string_field(object_field(p, "user"), "id");
    in.dedupe_key = envelope_dedupe_key(f.envelope_id);
    if (in.user.empty()) return ignored("view_submission without a user");
    auto result = submit_weekly_update_form(cfg_, db_, clk_, in, submission->week, submission->answers,
                                            submission->labels);
    envelope_result r;
    if (!result.errors.empty()) {
        json errors = json::object();
        for (const auto& [question, text] : result.errors) errors[answer_block_id(question)] = text;
        r.ack_payload = json{{"response_action", "errors"}, {"errors", std::move(errors)}}.dump(
            -1, ' ', false, json::error_handler_t::replace);
        return r;
    }
    r.dispatched = result.applied;
    if (result.duplicate) r.ignored = "duplicate";
    return r;  // a plain ack closes the modal
}

const team_config* envelope_handler::slack_team(const std::string& name) const {
    const team_config* team = cfg_.find_team(name);
    return team && team->platform == "slack" ? team : nullptr;
}

bool envelope_handler::eowd_form_usable(const team_config& team, const std::string& user) const {
    if (!cfg_.eowd_of(team).enabled) return false;
    auto mine = cfg_.teams_of(user);
    if (std::find(mine.begin(), mine.end(), &team) == mine.end()) return false;
    const instant now = clk_.now();
    return eowd_phase_at(cfg_, team, eowd_week(cfg_, team, now), now) == eowd_phase::open;
}

envelope_result envelope_handler::on_eowd_signup(const frame& f, const eowd_signup_submission& form) {
    incoming in;
    in.platform = "slack";
    in.user = string_field(object_field(f.payload, "user"), "id");
    in.dedupe_key = envelope_dedupe_key(f.envelope_id);
    if (in.user.empty()) return ignored("view_submission without a user");
    const std::string topic = trim(form.topic);
    envelope_result r;
    if (topic.empty()) {
        r.ack_payload = json{{"response_action", "errors"}, {"errors", {{"topic", "Please say what you will present."}}}}
                            .dump();
        return r;
    }
    // The sign-up is for the team whose invitation was clicked: the command
    // runs as if typed in that team's channel, so the answer is seen there.
    if (const team_config* team = slack_team(form.team)) in.channel = team->channel;
    const dispatch_result d = dispatch_.handle_with(in, [&](handler_context& ctx) {
        eowd_sign_up(ctx, in, topic, trim(form.input_wanted), form.kind);
    });
    r.dispatched = d.applied || !d.outbox_ids.empty();
    if (d.duplicate) r.ignored = "duplicate";
    return r;  // a plain ack closes the modal; the answer comes as a message
}

}  // namespace ritualbot::slack
