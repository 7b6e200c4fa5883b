#include "bot/health.hpp"

#include <chrono>

namespace ritualbot {
namespace {

double seconds_since_epoch(instant t) {
    return static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
}

std::string number(double v) {
    std::string s = std::to_string(v);
    while (s.size() > 1 && s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s;
}

void metric(std::string& out, const char* name, const char* type, const char* help) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

std::string labelled(const char* name, const std::string& platform, double v) {
    return std::string(name) + "{platform=\"" + platform + "\"} " + number(v) + "\n";
}

std::string metrics_text(const health_snapshot& s) {
    std::string out;
    metric(out, "ritualbot_info", "gauge", "Always 1; the version in a label.");
    out += std::string("ritualbot_info{version=\"") + RITUALBOT_VERSION + "\"} 1\n";
    metric(out, "ritualbot_start_time_seconds", "gauge", "When the bot started, in seconds since the Unix epoch.");
    out += "ritualbot_start_time_seconds " + number(seconds_since_epoch(s.started)) + "\n";
    metric(out, "ritualbot_transport_connected", "gauge",
           "1 while the platform connection is up (Slack: a Socket Mode session; Matrix: the /sync loop).");
    for (const auto& t : s.transports) out += labelled("ritualbot_transport_connected", t.platform, t.connected ? 1 : 0);
    metric(out, "ritualbot_messages_total", "counter", "Incoming messages, by outcome, since the start.");
    out += "ritualbot_messages_total{outcome=\"handled\"} " + std::to_string(s.handled.messages) + "\n";
    out += "ritualbot_messages_total{outcome=\"duplicate\"} " + std::to_string(s.handled.duplicates) + "\n";
    out += "ritualbot_messages_total{outcome=\"failed\"} " + std::to_string(s.handled.failures) + "\n";
    metric(out, "ritualbot_jobs_total", "counter", "Scheduled runs (prompts, reminders, digests, ...) since the start.");
    out += "ritualbot_jobs_total{outcome=\"ran\"} " + std::to_string(s.handled.jobs) + "\n";
    out += "ritualbot_jobs_total{outcome=\"failed\"} " + std::to_string(s.handled.job_failures) + "\n";
    out += "ritualbot_jobs_total{outcome=\"calendar_failed\"} " + std::to_string(s.calendar_failures) + "\n";
    metric(out, "ritualbot_unknown_time_zones", "gauge",
           "Zone names a platform reported that the local tz database lacks; their users get their team's zone.");
    out += "ritualbot_unknown_time_zones " + std::to_string(s.unknown_zones) + "\n";
    metric(out, "ritualbot_deliveries_total", "counter", "Outbox deliveries by platform and outcome since the start.");
    for (const auto& [platform, n] : s.deliveries) {
        const std::string p = "ritualbot_deliveries_total{platform=\"" + platform + "\",outcome=";
        out += p + "\"delivered\"} " + std::to_string(n.delivered) + "\n";
        out += p + "\"failed\"} " + std::to_string(n.failed) + "\n";
        out += p + "\"set_aside\"} " + std::to_string(n.set_aside) + "\n";
    }
    metric(out, "ritualbot_outbox_waiting", "gauge", "Messages committed and not yet delivered.");
    for (const auto& o : s.outbox) out += labelled("ritualbot_outbox_waiting", o.platform, static_cast<double>(o.waiting));
    metric(out, "ritualbot_outbox_set_aside", "gauge",
           "Messages the platform refused for good; kept in the database for a person to look at.");
    for (const auto& o : s.outbox)
        out += labelled("ritualbot_outbox_set_aside", o.platform, static_cast<double>(o.set_aside));
    metric(out, "ritualbot_outbox_oldest_waiting_seconds", "gauge", "Age of the oldest message not yet delivered.");
    for (const auto& o : s.outbox)
        if (o.oldest_waiting)
            out += labelled("ritualbot_outbox_oldest_waiting_seconds", o.platform,
                            seconds_since_epoch(s.now) - seconds_since_epoch(*o.oldest_waiting));
    // Hidden-dependency suggestions and how many the managers dismissed: the false-alarm rate per team.
    metric(out, "ritualbot_dependency_suggestions_total", "counter",
           "Hidden-dependency suggestions made, by the team whose update named the blocker.");
    for (const auto& c : s.dependency_suggestions)
        out += "ritualbot_dependency_suggestions_total{team=\"" + c.team + "\"} " + std::to_string(c.made) + "\n";
    metric(out, "ritualbot_dependency_suggestions_dismissed_total", "counter",
           "Hidden-dependency suggestions dismissed as not a blocker (/dep dismiss), by team.");
    for (const auto& c : s.dependency_suggestions)
        out += "ritualbot_dependency_suggestions_dismissed_total{team=\"" + c.team + "\"} " +
               std::to_string(c.dismissed) + "\n";
    return out;
}

}  // namespace

net::http_page health_page(const std::string& path, const health_snapshot& s) {
    if (path == "/healthz") {
        std::string body;
        bool healthy = true;
        for (const auto& t : s.transports) {
            body += t.platform + (t.connected ? ": connected\n" : ": not connected\n");
            healthy = healthy && t.connected;
        }
        return {healthy ? 200 : 503, "text/plain; charset=utf-8", (healthy ? "ok\n" : "unhealthy\n") + body};
    }
    if (path == "/metrics") return {200, "text/plain; version=0.0.4; charset=utf-8", metrics_text(s)};
    return {404, "text/plain; charset=utf-8", "not found; try /healthz or /metrics\n"};
}

}  // namespace ritualbot
