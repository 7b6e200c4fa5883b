#pragma once
// The read-only web dashboard: routes a path to a page for the holder of a
// good link, or to the one "this link is not valid" page. Every response
// carries the security headers (CSP without inline script or style,
// no-referrer, nosniff, no framing); bot/net/http_server serves them on the
// [web] address.
//
//   /static/dashboard.css                      the stylesheet
//   /d/<token>/                                 the teams the holder may see
//   /d/<token>/team/<team>                      participation, this week's updates, risks
//   /d/<token>/okr/<team>                       key results week by week, check-ins
//   /d/<token>/eowd/<team>                      EOWD agenda, past presenters, learning sessions
//   /d/<token>/deps                             the dependency graph and register
//   /d/<token>/<page>/<table>.csv               each table of a page
//   /d/<token>/export.json                      every table the holder may see
#include <string>

#include "bot/clock.hpp"
#include "bot/net/http_server.hpp"
#include "config/config.hpp"

namespace ritualbot {
class store;
}

namespace ritualbot::web {

class dashboard_access;

class dashboard {
public:
    dashboard(const config& cfg, store& db, const clock& clk, dashboard_access& access)
        : cfg_(cfg), db_(db), clk_(clk), access_(access) {}

    net::http_page page(const std::string& path);

private:
    const config& cfg_;
    store& db_;
    const clock& clk_;
    dashboard_access& access_;
};

// The headers every dashboard response carries.
void add_security_headers(net::http_page& page);

}  // namespace ritualbot::web
