#include "bot/web/html.hpp"

#include "handlers/text.hpp"

namespace ritualbot::web {

std::string csv_line(const std::vector<std::string>& fields) {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        std::string f = shown_text(fields[i]);
        const bool negative_number = f.size() > 1 && f[0] == '-' &&
                                     f.find_first_not_of("0123456789.", 1) == std::string::npos;
        if (!f.empty() && !negative_number &&
            (f[0] == '=' || f[0] == '+' || f[0] == '-' || f[0] == '@' || f[0] == '\t' || f[0] == '\r'))
            f.insert(0, 1, '\'');
        if (i) out += ',';
        if (f.find_first_of(",\"\r\n") != std::string::npos) {
            out += '"';
            for (char c : f) {
                if (c == '"') out += '"';
                out += c;
            }
            out += '"';
        } else {
            out += f;
        }
    }
    out += "\r\n";
    return out;
}

std::string url_segment(std::string_view text) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

bool decode_url_segment(std::string_view text, std::string& out) {
    out.clear();
    auto value = [](char h) -> int {
        if (h >= '0' && h <= '9') return h - '0';
        if (h >= 'a' && h <= 'f') return h - 'a' + 10;
        if (h >= 'A' && h <= 'F') return h - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        if (i + 2 >= text.size()) return false;
        const int hi = value(text[i + 1]), lo = value(text[i + 2]);
        if (hi < 0 || lo < 0) return false;
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return true;
}

}  // namespace ritualbot::web
