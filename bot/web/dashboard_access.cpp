#include "bot/web/dashboard_access.hpp"

#include <cstdlib>
#include <stdexcept>

#include "bot/web/link_token.hpp"
#include "storage/dashboard_store.hpp"

namespace ritualbot::web {

dashboard_access::dashboard_access(store& db, web_config cfg) : db_(db), cfg_(std::move(cfg)) {
    if (const char* env = std::getenv("RITUALBOT_WEB_SECRET"); env && *env) {
        key_ = env;
        if (key_.size() < 32)
            throw std::runtime_error("RITUALBOT_WEB_SECRET must be at least 32 characters (e.g. `openssl rand -hex 32`)");
        return;
    }
    dashboard_store ds(db_);
    if (auto stored = ds.secret()) key_ = *stored;
    else key_ = ds.keep_secret(new_link_key());
}

std::string dashboard_access::link_for(const std::string& user, instant now) {
    dashboard_store ds(db_);
    link_claims c{user, now + cfg_.link_lifetime, ds.generation(user), ds.generation("")};
    return cfg_.public_url + "/d/" + sign_link(c, key_) + "/";
}

std::optional<std::string> dashboard_access::holder(std::string_view token, instant now) {
    auto c = read_link(token, key_);
    if (!c || now >= c->expires) return std::nullopt;
    dashboard_store ds(db_);
    if (c->user_generation != ds.generation(c->user) || c->global_generation != ds.generation("")) return std::nullopt;
    return c->user;
}

}  // namespace ritualbot::web
