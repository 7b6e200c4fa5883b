#pragma once
// UTF-8 text as people typed it: counted and cut by characters, never inside one.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ritualbot {

// At most `max_chars` characters of UTF-8 text, never cut inside a character.
std::string clip_text(const std::string& text, std::size_t max_chars);
std::size_t text_length(const std::string& text);  // in code points

// Text one person wrote, made safe to show to others: invalid UTF-8 becomes
// U+FFFD (one per bad byte); direction overrides and isolates (U+202A-202E,
// U+2066-2069, U+200E/F, U+061C), zero-width characters (U+200B-200D,
// U+2060, U+FEFF) and control characters other than tab and newline are
// removed, so nobody's text can reorder or hide what follows it.
std::string shown_text(const std::string& text);

// shown_text, then & < > " ' as character references: safe in HTML and SVG
// text and in quoted attributes (the dashboard's pages, the charts).
std::string escape_html(std::string_view text);
// Only the character references, the text otherwise as it is (Matrix's
// formatted_body, whose plain body keeps every character too).
std::string html_references(std::string_view text);

// "a, b, c"
std::string comma_list(const std::vector<std::string>& items);

// A user id as people write it: "@alice" for "alice"; a Matrix id keeps its own '@'.
std::string user_mention(const std::string& id);
// The id from what people type: "@alice" -> "alice", "@alice:example.org" stays whole.
std::string user_id_from_mention(const std::string& typed);

}  // namespace ritualbot
