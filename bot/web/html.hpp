#pragma once
// Escaping for the dashboard's URLs and its CSV downloads (HTML: escape_html in handlers/text.hpp).
#include <string>
#include <string_view>
#include <vector>

#include "handlers/text.hpp"

namespace ritualbot::web {

// escape_html (handlers/text.hpp) escapes the pages' HTML and SVG.
using ritualbot::escape_html;

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
