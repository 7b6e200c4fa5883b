#include "bot/slack/slack_user.hpp"

namespace ritualbot::slack {

namespace {

// What read_slack_user and the users.list reader both check: an id of upper-case
// letters and digits, a zone name of sane length, Slackbot as a bot.
std::optional<slack_user_row> checked(slack_user_row u, bool is_app_user) {
    if (u.id.empty() || u.id.size() > 32) return std::nullopt;
    for (char c : u.id)
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return std::nullopt;
    if (u.timezone.size() > 64) u.timezone.clear();  // no zone name is that long
    u.is_bot = u.is_bot || is_app_user || u.id == "USLACKBOT";
    return u;
}

// The SAX handler of read_users_list_page. `depth_` counts open containers:
// 1 inside the answer object, 2 inside `members` or `response_metadata`, 3
// inside one member; `key_[d]` is the last key read at depth d.
class users_list_reader {
public:
    explicit users_list_reader(users_list_page& page) : page_(page) {}

    bool null() { return scalar(); }
    bool boolean(bool b) {
        if (depth_ == 1 && key_[1] == "ok") page_.ok = b;
        else if (in_member()) {
            reset_field();
            if (key_[3] == "is_bot") user_.is_bot = b;
            else if (key_[3] == "is_app_user") app_user_ = b;
            else if (key_[3] == "deleted") user_.deleted = b;
        }
        return value();
    }
    bool number_integer(nlohmann::json::number_integer_t) { return scalar(); }
    bool number_unsigned(nlohmann::json::number_unsigned_t) { return scalar(); }
    bool number_float(nlohmann::json::number_float_t, const std::string&) { return scalar(); }
    bool binary(nlohmann::json::binary_t&) { return scalar(); }
    bool string(std::string& s) {
        if (depth_ == 1 && key_[1] == "error") page_.error = s;
        else if (in_member()) {
            reset_field();
            if (key_[3] == "id") user_.id = s;
            else if (key_[3] == "tz") user_.timezone = s;
        } else if (depth_ == 2 && section_ == section::metadata && key_[2] == "next_cursor") {
            page_.next_cursor = s;
        }
        return value();
    }
    bool key(std::string& k) {
        if (depth_ <= 3) key_[depth_] = k;
        return true;
    }
    bool start_object(std::size_t) {
        if (depth_ == 0) page_.object = true;
        else if (depth_ == 1 && key_[1] == "response_metadata") section_ = section::metadata;
        else if (depth_ == 2 && section_ == section::members) {
            user_ = {};
            app_user_ = false;
            in_user_ = true;
        } else if (in_member()) {
            reset_field();
        }
        return open();
    }
    bool end_object() {
        --depth_;
        if (depth_ == 2 && in_user_) {
            in_user_ = false;
            if (auto u = checked(std::move(user_), app_user_)) page_.users.push_back(std::move(*u));
            else ++page_.unreadable;
        }
        return close();
    }
    bool start_array(std::size_t) {
        if (depth_ == 1 && key_[1] == "members") section_ = section::members;
        else if (depth_ == 2 && section_ == section::members) ++page_.unreadable;  // an array as a member
        else if (in_member()) reset_field();
        return open();
    }
    bool end_array() {
        --depth_;
        return close();
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) { return false; }

private:
    enum class section { none, members, metadata };
    bool in_member() const { return depth_ == 3 && in_user_; }
    // A scalar: as a member of `members` it is not a user.
    bool value() {
        if (depth_ == 2 && section_ == section::members) ++page_.unreadable;
        return true;
    }
    // null, a number: no field of a member is one.
    bool scalar() {
        if (in_member()) reset_field();
        return value();
    }
    // A key given again counts with its last value, as in a JSON tree: a
    // value of another type makes the field absent (or false).
    void reset_field() {
        const std::string& k = key_[3];
        if (k == "id") user_.id.clear();
        else if (k == "tz") user_.timezone.clear();
        else if (k == "is_bot") user_.is_bot = false;
        else if (k == "is_app_user") app_user_ = false;
        else if (k == "deleted") user_.deleted = false;
    }
    bool open() {
        ++depth_;
        return true;
    }
    bool close() {
        if (depth_ == 1) section_ = section::none;
        return true;
    }

    users_list_page& page_;
    int depth_ = 0;
    std::string key_[4];
    section section_ = section::none;
    slack_user_row user_;
    bool app_user_ = false;
    bool in_user_ = false;
};

}  // namespace

std::optional<slack_user_row> read_slack_user(const nlohmann::json& user) {
    if (!user.is_object()) return std::nullopt;
    auto text = [&](const char* key) -> std::string {
        auto it = user.find(key);
        return it != user.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    auto flag = [&](const char* key) {
        auto it = user.find(key);
        return it != user.end() && it->is_boolean() && it->get<bool>();
    };
    slack_user_row u;
    u.id = text("id");
    u.timezone = text("tz");
    u.is_bot = flag("is_bot");
    u.deleted = flag("deleted");
    return checked(std::move(u), flag("is_app_user"));
}

users_list_page read_users_list_page(std::string_view body) {
    users_list_page page;
    users_list_reader reader(page);
    const bool parsed = nlohmann::json::sax_parse(body.begin(), body.end(), &reader);
    if (!parsed || !page.object) return users_list_page{};
    if (page.ok) page.error.clear();
    else if (page.error.empty()) page.error = "unknown_error";
    return page;
}

}  // namespace ritualbot::slack
