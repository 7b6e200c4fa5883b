#include "bot/matrix/matrix_html.hpp"

#include "handlers/text.hpp"

namespace ritualbot::matrix {
namespace {

// Escaped, with line breaks kept.
std::string html_lines(const std::string& text) {
    std::string out;
    for (char c : html_references(text)) {
        if (c == '\n') out += "<br>";
        else out += c;
    }
    return out;
}

}  // namespace

notice_content render_notice(const message& m) {
    notice_content out;
    // Images go as m.image events of their own (matrix_transport), with the alt text as their body.
    out.body = m.without_images().plain_text();
    while (!out.body.empty() && out.body.back() == '\n') out.body.pop_back();
    std::string& html = out.formatted_body;
    for (const block& b : m.blocks()) {
        switch (b.kind) {
            case block_kind::header: html += "<h4>" + html_lines(b.text) + "</h4>"; break;
            case block_kind::section: html += "<p>" + html_lines(b.text) + "</p>"; break;
            case block_kind::context: html += "<p><em>" + html_lines(b.text) + "</em></p>"; break;
            case block_kind::divider: html += "<hr>"; break;
            case block_kind::actions:
            case block_kind::image:
            case block_kind::unknown: break;
            case block_kind::list:
                html += "<ul>";
                for (const auto& item : b.items) html += "<li>" + html_lines(item) + "</li>";
                html += "</ul>";
                break;
            case block_kind::table: {
                if (b.rows.empty()) break;
                html += "<table><thead><tr>";
                for (const auto& cell : b.rows.front()) html += "<th>" + html_lines(cell) + "</th>";
                html += "</tr></thead><tbody>";
                for (std::size_t r = 1; r < b.rows.size(); ++r) {
                    html += "<tr>";
                    for (const auto& cell : b.rows[r]) html += "<td>" + html_lines(cell) + "</td>";
                    html += "</tr>";
                }
                html += "</tbody></table>";
                break;
            }
        }
    }
    return out;
}

}  // namespace ritualbot::matrix
