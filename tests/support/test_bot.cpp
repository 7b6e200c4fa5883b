#include "tests/support/test_bot.hpp"

#include <date/date.h>

#include <sstream>
#include <stdexcept>

namespace ritualbot::testing {

config must_load(const std::string& toml) {
    auto r = load_config_string(toml, "test.toml");
    if (!r.cfg) {
        std::string all;
        for (const auto& e : r.errors) all += format_config_error("test.toml", e) + "\n";
        throw std::runtime_error("test config does not load:\n" + all);
    }
    return *r.cfg;
}

instant at(const std::string& iso) {
    // Any year: tests also go where parse_iso_instant refuses to (year 9999).
    std::istringstream in(iso);
    date::sys_seconds t;
    in >> date::parse("%FT%TZ", t);
    if (in.fail()) throw std::invalid_argument("bad instant in test: " + iso);
    return t;
}

test_bot::test_bot(const std::string& toml, const std::string& start_iso, const std::string& db_path)
    : cfg(must_load(toml)), clk(at(start_iso)), db(std::make_unique<store>(db_path)) {
    dispatch = std::make_unique<dispatcher>(cfg, *db, clk);
    sched = std::make_unique<scheduler>(cfg, *db, *dispatch);
    sched->run_due(clk.now());
}

dispatch_result test_bot::say(const std::string& user, const std::string& text, const std::string& channel,
                              const std::string& dedupe_key) {
    incoming in;
    in.platform = "console";
    in.user = user;
    in.channel = channel;
    in.text = text;
    in.dedupe_key = dedupe_key;
    return dispatch->handle(in);
}

void test_bot::advance_to(const std::string& iso) { sched->run_due(at(iso), &clk); }

void test_bot::restart_at(const std::string& iso) {
    collect();
    clk.set(at(iso));
    dispatch = std::make_unique<dispatcher>(cfg, *db, clk);
    sched = std::make_unique<scheduler>(cfg, *db, *dispatch);
    sched->run_due(clk.now());
}

void test_bot::collect() {
    for (auto& row : db->unsent("console", 100000)) {
        pending_.push_back({row.item.to, row.item.body.plain_text(), row.item.body});
        db->mark_sent(row.id, clk.now());
    }
}

std::vector<sent_message> test_bot::sent() {
    collect();
    auto out = std::move(pending_);
    pending_.clear();
    return out;
}

std::vector<sent_message> test_bot::sent_to(const std::string& where) {
    std::vector<sent_message> out;
    for (auto& m : sent())
        if (m.where() == where) out.push_back(std::move(m));
    return out;
}

std::string test_bot::last_text_to(const std::string& where) {
    auto all = sent_to(where);
    return all.empty() ? std::string() : all.back().text;
}

}  // namespace ritualbot::testing
