#include "handlers/text.hpp"

namespace ritualbot {

std::size_t text_length(const std::string& text) {
    std::size_t n = 0;
    for (unsigned char c : text) n += (c & 0xC0) != 0x80;
    return n;
}

std::string clip_text(const std::string& text, std::size_t max_chars) {
    std::size_t chars = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && chars++ == max_chars) return text.substr(0, i);
    }
    return text;
}

std::string comma_list(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
    return out;
}

std::string user_mention(const std::string& id) { return !id.empty() && id[0] == '@' ? id : "@" + id; }

std::string user_id_from_mention(const std::string& typed) {
    // Slack's encoded mention: <@U0123> or <@U0123|name>.
    if (typed.size() > 3 && typed.starts_with("<@") && typed.back() == '>') {
        std::string id = typed.substr(2, typed.size() - 3);
        return id.substr(0, id.find('|'));
    }
    if (typed.size() > 1 && typed[0] == '@' && typed.find(':') == std::string::npos) return typed.substr(1);
    return typed;
}

}  // namespace ritualbot
