#include "bot/web/page.hpp"

#include "bot/web/html.hpp"

namespace ritualbot::web {

std::string link_to(const page_request& r, const std::string& kind, const std::string& team) {
    return escape_html(r.base + kind + (team.empty() ? "" : "/" + url_segment(team)));
}

std::string table_html(const page_request& r, const data_table& t) {
    std::string out = "<div class=\"table\"><table id=\"table-" + escape_html(t.name) + "\"><caption>" +
                      escape_html(t.caption) + "</caption>";
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
        if (i == 0) out += "<thead>";
        if (i == 1) out += "<tbody>";
        out += "<tr>";
        for (const auto& cell : t.rows[i])
            out += (i == 0 ? "<th scope=\"col\">" : "<td>") + escape_html(cell) + (i == 0 ? "</th>" : "</td>");
        out += "</tr>";
        if (i == 0) out += "</thead>";
    }
    if (t.rows.size() > 1) out += "</tbody>";
    out += "</table>";
    if (t.rows.size() <= 1) out += "<p class=\"empty\">Nothing yet.</p>";
    out += "<p class=\"download\"><a href=\"" + escape_html(r.base + r.path + "/" + t.name + ".csv") +
           "\" download>Download as CSV</a></p></div>";
    return out;
}

void add_table(const page_request& r, page_content& page, data_table t) {
    page.html += table_html(r, t);
    page.tables.push_back(std::move(t));
}

}  // namespace ritualbot::web
