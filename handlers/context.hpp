#pragma once
// What a handler or a scheduled job gets: the config, storage inside the
// open transaction, the clock, and a way to send messages (outbox rows in
// that same transaction).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bot/clock.hpp"
#include "config/config.hpp"
#include "handlers/incoming.hpp"
#include "storage/message.hpp"

namespace ritualbot {

class store;

class handler_context {
public:
    handler_context(const config& cfg, store& db, const clock& clk) : cfg(cfg), db(db), clk(clk) {}

    const config& cfg;
    store& db;
    const clock& clk;
    // A person's dashboard link (the runtime signs it); null when [web] is off.
    const std::function<std::string(const std::string& user)>* dashboard_link = nullptr;

    instant now() const { return clk.now(); }

    void send(outgoing item);
    void direct(const std::string& user, message body);        // DM to a user
    void post(const team_config& team, message body);          // to the team's channel
    void reply(const incoming& in, message body);              // to the asker only
    void reply(const incoming& in, std::string text) { reply(in, message(std::move(text))); }

    // The platform a user is reached on: that of their first team.
    std::string platform_of(const std::string& user) const;

    const std::vector<std::int64_t>& enqueued() const { return enqueued_; }

    // Messages to `user` (not to a channel) are held instead of written to
    // the outbox, for an acknowledgement that may carry them (a Slack slash
    // command's answer). Whatever is still held when release_held() is
    // called goes to the outbox; drop_held() says the ack carries them.
    // An ack carries no image (Slack's must be uploaded first): a held
    // message's image blocks are kept apart and go to the outbox on
    // release_held(), after any held text, as a message of their own.
    void hold_messages_to(std::string user) { held_user_ = std::move(user); }
    const std::vector<outgoing>& held() const { return held_; }
    void drop_held() { held_.clear(); }
    void release_held();

    // A scheduled job that is not ready yet asks to run again at `t` instead
    // of being recorded as run (a reminder waits for its late prompt).
    void defer_until(instant t) { deferred_until_ = t; }
    const std::optional<instant>& deferred_until() const { return deferred_until_; }

private:
    std::vector<std::int64_t> enqueued_;
    std::string held_user_;
    std::vector<outgoing> held_;
    std::vector<outgoing> held_images_;
    std::optional<instant> deferred_until_;
};

}  // namespace ritualbot
