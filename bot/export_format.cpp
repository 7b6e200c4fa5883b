#include "bot/export_format.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace ritualbot {

namespace {

std::string number_text(double d) { return fmt::format("{}", d); }

}  // namespace

std::string csv_field(const export_value& v) {
    std::string text;
    if (std::holds_alternative<std::monostate>(v)) return "";
    if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
    if (const auto* d = std::get_if<double>(&v)) return number_text(*d);
    text = std::get<std::string>(v);
    // OWASP's CSV injection advice: a cell starting with one of these is a formula to Excel, LibreOffice and Sheets.
    if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' || text[0] == '\t' ||
                          text[0] == '\r'))
        text.insert(0, 1, '\'');
    if (text.find_first_of("\",\r\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

std::string csv_table(const export_table& t) {
    std::string out;
    for (std::size_t c = 0; c < t.columns.size(); ++c) out += (c ? "," : "") + csv_field(t.columns[c]);
    out += "\r\n";
    for (const auto& row : t.rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            if (c) out += ',';
            out += csv_field(row[c]);
        }
        out += "\r\n";
    }
    return out;
}

nlohmann::ordered_json json_document(const std::vector<export_table>& tables, const std::string& exported_at,
                                     const nlohmann::ordered_json& filter) {
    // Ordered: the columns in the order of the CSV header, the tables in the order of the README.
    nlohmann::ordered_json doc;
    doc["exported_at"] = exported_at;
    doc["filter"] = filter;
    nlohmann::ordered_json all = nlohmann::ordered_json::object();
    for (const auto& t : tables) {
        nlohmann::ordered_json rows = nlohmann::ordered_json::array();
        for (const auto& row : t.rows) {
            nlohmann::ordered_json r = nlohmann::ordered_json::object();
            for (std::size_t c = 0; c < row.size() && c < t.columns.size(); ++c) {
                nlohmann::ordered_json& cell = r[t.columns[c]];
                std::visit(
                    [&cell](const auto& v) {
                        using T = std::decay_t<decltype(v)>;
                        if constexpr (std::is_same_v<T, std::monostate>) cell = nullptr;
                        else cell = v;
                    },
                    row[c]);
            }
            rows.push_back(std::move(r));
        }
        all[t.name] = std::move(rows);
    }
    doc["tables"] = std::move(all);
    return doc;
}

}  // namespace ritualbot
