#include "config/monthly_time.hpp"

#include <array>
#include <cctype>
#include <cstdio>

#include "config/schedule_spec.hpp"

namespace ritualbot {
namespace {

struct ordinal_word {
    std::string_view word;
    int value;
};

constexpr std::array<ordinal_word, 9> ordinal_words{{{"first", 1},
                                                     {"1st", 1},
                                                     {"second", 2},
                                                     {"2nd", 2},
                                                     {"third", 3},
                                                     {"3rd", 3},
                                                     {"fourth", 4},
                                                     {"4th", 4},
                                                     {"last", -1}}};

}  // namespace

std::optional<monthly_time> parse_monthly_time(std::string_view text, std::string& error) {
    const auto bad = [&] {
        error = "expected which weekday of the month and a 24-hour time such as \"first Tue 16:00\" or "
                "\"last Fri 15:00\", got \"" +
                std::string(text) + "\"";
        return std::nullopt;
    };
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    auto space = text.find(' ');
    if (space == std::string_view::npos) return bad();
    std::string word(text.substr(0, space));
    for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    monthly_time out;
    bool found = false;
    for (const auto& o : ordinal_words) {
        if (word == o.word) {
            out.ordinal = o.value;
            found = true;
        }
    }
    if (!found) return bad();
    // The rest is a weekly time: "Tue 16:00".
    std::string ignored;
    auto weekly = parse_weekly_time(text.substr(space + 1), ignored);
    if (!weekly) return bad();
    out.weekday = weekly->weekday;
    out.hour = weekly->hour;
    out.minute = weekly->minute;
    return out;
}

std::string format_monthly_time(const monthly_time& t) {
    std::string ordinal = "first";
    for (const auto& o : ordinal_words)
        if (o.value == t.ordinal && o.word.size() > 3) ordinal = std::string(o.word);
    return ordinal + " " + format_weekly_time({t.weekday, t.hour, t.minute});
}

}  // namespace ritualbot
