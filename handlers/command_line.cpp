#include "handlers/command_line.hpp"

#include <cctype>

namespace ritualbot {
namespace {
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
}  // namespace

std::string trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return std::string(s);
}

std::string to_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool looks_like_command(std::string_view text) {
    std::string t = trim(text);
    return t.size() >= 2 && (t[0] == '/' || t[0] == '!') && std::isalpha(static_cast<unsigned char>(t[1]));
}

std::optional<command_line> parse_command_line(std::string_view text) {
    std::string t = trim(text);
    if (!looks_like_command(t)) return std::nullopt;
    command_line out;
    std::size_t i = 1;
    while (i < t.size() && !is_space(t[i])) out.name += t[i++];
    out.name = to_lower(out.name);
    while (i < t.size()) {
        while (i < t.size() && is_space(t[i])) ++i;
        if (i >= t.size()) break;
        const std::size_t start = i;
        std::string word;
        if (t[i] == '"' || t[i] == '\xE2') {
            // "straight" or “curly” quotes (Slack and phones turn one into the other).
            const bool curly = t[i] == '\xE2' && t.compare(i, 3, "\xE2\x80\x9C") == 0;
            if (t[i] == '\xE2' && !curly) {
                while (i < t.size() && !is_space(t[i])) word += t[i++];
            } else {
                i += curly ? 3 : 1;
                const std::string close = curly ? "\xE2\x80\x9D" : "\"";
                std::size_t end = t.find(close, i);
                if (end == std::string::npos) {
                    out.error = "a quote is not closed";
                    word = t.substr(i);
                    i = t.size();
                } else {
                    word = t.substr(i, end - i);
                    i = end + close.size();
                }
            }
        } else {
            while (i < t.size() && !is_space(t[i])) word += t[i++];
        }
        out.args.push_back(std::move(word));
        out.starts.push_back(start);
    }
    out.text = std::move(t);
    return out;
}

}  // namespace ritualbot
