#pragma once
// Escaping for the dashboard's HTML and SVG, and for its CSV downloads.
#include <string>
#include <string_view>
#include <vector>

namespace ritualbot::web {

// Text as chat shows it (shown_text: no direction overrides, zero-width or
// control characters, invalid UTF-8 as U+FFFD), then & < > " ' as character
// references: safe in text and in quoted attributes.
std::string escape_html(std::string_view text);

// One CSV line (RFC 4180) of fields as chat shows them (shown_text): a field
// with a comma, quote or line break is
// quoted; a field that a spreadsheet would read as a formula (= + - @, tab,
// carriage return first; a negative number is left as it is) gets a leading
// apostrophe.
std::string csv_line(const std::vector<std::string>& fields);

// Percent-encodes everything but unreserved characters, for a path segment.
std::string url_segment(std::string_view text);
// The inverse into `out`; false when a '%' is not followed by two hex digits.
bool decode_url_segment(std::string_view text, std::string& out);

}  // namespace ritualbot::web
