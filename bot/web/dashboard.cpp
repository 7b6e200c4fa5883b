#include "bot/web/dashboard.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "bot/web/dashboard_access.hpp"
#include "bot/web/html.hpp"
#include "bot/web/page.hpp"
#include "bot/web/stylesheet.hpp"
#include "handlers/context.hpp"
#include "handlers/dashboard_data.hpp"
#include "handlers/text.hpp"

namespace ritualbot::web {
namespace {

const char* const html_type = "text/html; charset=utf-8";

std::vector<std::string> split_path(std::string_view rest) {
    std::vector<std::string> parts;
    std::size_t from = 0;
    while (from <= rest.size()) {
        const auto slash = rest.find('/', from);
        const auto end = slash == std::string_view::npos ? rest.size() : slash;
        parts.emplace_back(rest.substr(from, end - from));
        if (slash == std::string_view::npos) break;
        from = slash + 1;
    }
    if (!parts.empty() && parts.back().empty()) parts.pop_back();  // a trailing '/'
    return parts;
}

std::string document(const std::string& title, const std::string& base, const std::string& nav,
                     const std::string& main) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           "<meta name=\"referrer\" content=\"no-referrer\"><title>" +
           escape_html(title) + " \u2014 ritualbot</title><link rel=\"stylesheet\" href=\"" +
           escape_html(base + "../../static/dashboard.css") + "\"></head><body>" + nav + "<main>" + main +
           "</main></body></html>\n";
}

// The same page for every bad link, whatever was wrong with it. `path` only
// sets where its stylesheet is, relative, like every link here.
net::http_page not_valid_page(const std::string& path) {
    // From the request's directory up to the root is one "../" per '/' but
    // the first; document() adds two ("../" above the root stays at the root).
    std::string base;
    const auto slashes = static_cast<std::size_t>(std::count(path.begin(), path.end(), '/'));
    for (std::size_t i = 3; i < slashes; ++i) base += "../";
    return {404, html_type,
            document("Link not valid", base, "",
                     "<div class=\"invalid\"><h1>This link is not valid</h1><p>It may have expired or been "
                     "revoked. Ask for a new one with <code>/ritual dashboard</code> in chat.</p></div>")};
}

net::http_page not_found_page(const std::string& base) {
    return {404, html_type,
            document("Not found", base, "",
                     "<div class=\"invalid\"><h1>Not found</h1><p>There is no such page here. <a href=\"" +
                         escape_html(base) + "\">Back to the dashboard</a>.</p></div>")};
}

std::string nav(const page_request& r) {
    return "<header><nav aria-label=\"Dashboard\"><a href=\"" + escape_html(r.base) + "\">Overview</a><a href=\"" +
           escape_html(r.base + "deps") + "\">Dependencies</a><a href=\"" +
           escape_html(r.base + "export.json") + "\">Export (JSON)</a></nav></header>";
}

// The page at `parts` (after the token), or nullopt when there is none for this holder.
std::optional<page_content> find_page(const page_request& r, const std::vector<std::string>& parts) {
    if (parts.empty()) return overview_page(r);
    if (parts.size() == 1 && parts[0] == "deps") return dependency_page(r);
    if (parts.size() == 2) {
        std::string name;
        if (!decode_url_segment(parts[1], name)) return std::nullopt;
        const team_config* team = dashboard_team(r.ctx.cfg, r.user, name);
        if (!team) return std::nullopt;
        if (parts[0] == "team") return team_page(r, *team);
        if (parts[0] == "okr") return okr_page(r, *team);
        if (parts[0] == "eowd") return eowd_page(r, *team);
    }
    return std::nullopt;
}

nlohmann::json table_json(const data_table& t) {
    nlohmann::json rows = nlohmann::json::array();
    for (std::size_t i = 1; i < t.rows.size(); ++i) {
        nlohmann::json row = nlohmann::json::object();
        for (std::size_t c = 0; c < t.rows[0].size() && c < t.rows[i].size(); ++c)
            row[t.rows[0][c]] = shown_text(t.rows[i][c]);  // as chat and the HTML show it
        rows.push_back(std::move(row));
    }
    return rows;
}

nlohmann::json page_json(const page_content& page) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& t : page.tables) out[t.name] = table_json(t);
    return out;
}

std::string export_json(handler_context& ctx, const std::string& user) {
    page_request r{ctx, user, "./", ""};
    nlohmann::json out;
    out["user"] = user;
    out["generated_at"] = format_iso_instant(ctx.now());
    nlohmann::json teams = nlohmann::json::object();
    for (const team_config* t : dashboard_teams(ctx.cfg, user)) {
        nlohmann::json team;
        r.path = "team/" + url_segment(t->name);
        team["weekly_updates"] = page_json(team_page(r, *t));
        r.path = "okr/" + url_segment(t->name);
        team["okrs"] = page_json(okr_page(r, *t));
        r.path = "eowd/" + url_segment(t->name);
        team["eowd"] = page_json(eowd_page(r, *t));
        teams[t->name] = std::move(team);
    }
    out["teams"] = std::move(teams);
    r.path = "deps";
    out["dependencies"] = page_json(dependency_page(r));
    return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// What the holder of a good link asked for: `after` is the path after "/d/<token>/".
net::http_page holder_page(handler_context& ctx, const std::string& user, std::string_view after) {
    auto parts = split_path(after);
    // Back to the link's root: one "../" per '/' after the token's.
    std::string base;
    for (char ch : after)
        if (ch == '/') base += "../";
    if (base.empty()) base = "./";
    if (parts.size() == 1 && parts[0] == "export.json")
        return {200, "application/json; charset=utf-8", export_json(ctx, user)};
    // <page>/<table>.csv: one of the page's tables.
    std::optional<std::string> table;
    if (!parts.empty() && parts.back().ends_with(".csv")) {
        table = parts.back().substr(0, parts.back().size() - 4);
        parts.pop_back();
    }
    page_request r{ctx, user, base, ""};
    for (std::size_t i = 0; i < parts.size(); ++i) r.path += (i ? "/" : "") + parts[i];
    const auto page = find_page(r, parts);
    if (!page) return not_found_page(base);
    if (!table) return {200, html_type, document(page->title, base, nav(r), page->html)};
    for (const auto& t : page->tables) {
        if (t.name != *table) continue;
        std::string csv;
        for (const auto& row : t.rows) csv += csv_line(row);
        net::http_page out{200, "text/csv; charset=utf-8", std::move(csv)};
        out.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + t.name + ".csv\"");
        return out;
    }
    return not_found_page(base);
}

}  // namespace

void add_security_headers(net::http_page& page) {
    page.headers.emplace_back("Content-Security-Policy",
                              "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
                              "base-uri 'none'; form-action 'none'");
    page.headers.emplace_back("Referrer-Policy", "no-referrer");
    page.headers.emplace_back("X-Content-Type-Options", "nosniff");
    page.headers.emplace_back("X-Frame-Options", "DENY");
}

net::http_page dashboard::page(const std::string& path) {
    net::http_page out;
    try {
        if (path == "/static/dashboard.css") {
            out = {200, "text/css; charset=utf-8", dashboard_css};
        } else if (!path.starts_with("/d/")) {
            out = not_valid_page(path);
        } else {
            const std::string_view rest = std::string_view(path).substr(3);
            const auto slash = rest.find('/');
            const std::string_view token = rest.substr(0, slash);
            const auto user = access_.holder(token, clk_.now());
            if (!user) {
                out = not_valid_page(path);
            } else if (slash == std::string_view::npos) {
                // "/d/<token>": the pages' relative links need the '/' after it.
                out = {302, "text/plain; charset=utf-8", "see the link with a '/' at its end\n"};
                out.headers.emplace_back("Location", std::string(token) + "/");
            } else {
                handler_context ctx(cfg_, db_, clk_);
                out = holder_page(ctx, *user, rest.substr(slash + 1));
            }
        }
    } catch (const std::exception& e) {
        spdlog::error("dashboard: a page failed: {}", e.what());  // never the path: it holds a token
        out = {500, "text/plain; charset=utf-8", "internal error\n"};
    }
    add_security_headers(out);
    return out;
}

}  // namespace ritualbot::web
