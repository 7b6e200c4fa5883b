#pragma once
// How `ritualbot export` writes the tables: CSV (RFC 4180, one file per
// table, spreadsheet formulas neutralised) or one JSON document.
#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

#include "storage/data_export_store.hpp"

namespace ritualbot {

// One field: quoted when it holds '"', ',', CR or LF (quotes doubled). A text
// that starts with '=', '+', '-', '@', a tab or CR gets a leading "'" so a
// spreadsheet shows it as text instead of running it as a formula; numbers
// are written as they are ("-3.5" stays a number).
std::string csv_field(const export_value& v);
// The header line and one line per row, each ended by CRLF.
std::string csv_table(const export_table& t);

// {"exported_at": ..., "filter": {...}, "tables": {"weekly_updates": [{column: value}, ...], ...}}
nlohmann::ordered_json json_document(const std::vector<export_table>& tables, const std::string& exported_at,
                             const nlohmann::ordered_json& filter);

}  // namespace ritualbot
