#pragma once
// The dashboard's stylesheet, served as /static/dashboard.css (the CSP allows
// no inline style).
namespace ritualbot::web {
extern const char* const dashboard_css;
}
