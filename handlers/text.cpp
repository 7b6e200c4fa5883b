#include "handlers/text.hpp"

#include <algorithm>

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

std::string shown_text(const std::string& text) {
    // Most answers are plain printable ASCII: returned as they are (a
    // 1,000-member digest passes 4,000 answers through here).
    if (std::all_of(text.begin(), text.end(),
                    [](char c) { return (c >= 0x20 && c < 0x7F) || c == '\t' || c == '\n'; }))
        return text;
    std::string out;
    out.reserve(text.size());
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n;) {
        const unsigned char c = p[i];
        std::size_t len = 0;
        char32_t cp = 0;
        if (c < 0x80) {
            len = 1;
            cp = c;
        } else if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        }
        bool ok = len > 0 && i + len <= n;
        for (std::size_t k = 1; ok && k < len; ++k) {
            if ((p[i + k] & 0xC0) != 0x80) ok = false;
            else cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
        if (ok && ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
                   (cp >= 0xD800 && cp <= 0xDFFF)))
            ok = false;
        if (!ok) {
            out += "\uFFFD";
            ++i;
            continue;
        }
        const bool hidden = (cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7F && cp <= 0x9F) ||
                            (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
                            (cp >= 0x2060 && cp <= 0x2069) || cp == 0x061C || cp == 0xFEFF;
        if (!hidden) out.append(text, i, len);
        i += len;
    }
    return out;
}

std::string escape_html(std::string_view raw) { return html_references(shown_text(std::string(raw))); }

std::string html_references(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
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
