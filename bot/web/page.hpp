#pragma once
// What every dashboard page is made of: a title, its HTML, and its tables,
// each of which is also a CSV download and a part of /export.json. Pages are
// addressed relative to the link's root ("team/alpha"), so the dashboard
// works behind a reverse proxy under any path.
#include <string>
#include <vector>

#include "config/config.hpp"

namespace ritualbot {
class handler_context;
}

namespace ritualbot::web {

struct data_table {
    std::string name;     // "participation": the CSV is <page>/participation.csv
    std::string caption;  // "Participation per week"
    std::vector<std::vector<std::string>> rows;  // rows[0] is the header
};

struct page_content {
    std::string title;
    std::string html;  // inside <main>
    std::vector<data_table> tables;
};

// What a page is asked with.
struct page_request {
    handler_context& ctx;
    std::string user;  // the link's holder
    std::string base;  // from the page's URL back to the link's root: "./", "../"
    std::string path;  // the page's own path from the root: "team/alpha"
};

// <table> with a caption, a header row, every cell escaped, and a CSV link.
std::string table_html(const page_request& r, const data_table& t);
// Adds the table to the page (HTML and the list of tables).
void add_table(const page_request& r, page_content& page, data_table t);

// The page's URL relative to the current page: base + path segments, each escaped.
std::string link_to(const page_request& r, const std::string& kind, const std::string& team = "");

// The pages; a team page is only asked for a team the holder may see.
page_content overview_page(const page_request& r);                       // ""
page_content team_page(const page_request& r, const team_config& team);  // "team/<team>"
page_content okr_page(const page_request& r, const team_config& team);   // "okr/<team>"
page_content eowd_page(const page_request& r, const team_config& team);  // "eowd/<team>"
page_content dependency_page(const page_request& r);                     // "deps"

}  // namespace ritualbot::web
