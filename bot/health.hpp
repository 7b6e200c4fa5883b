#pragma once
// The operator's pages, from a snapshot of the bot's state: /healthz (200
// when every network transport is connected, else 503 saying which is not)
// and /metrics (Prometheus text format). Rendering only; bot/net/http_server
// serves them.
#include <map>
#include <string>
#include <vector>

#include "bot/clock.hpp"
#include "bot/net/http_server.hpp"
#include "bot/outbox_sender.hpp"
#include "handlers/dispatcher.hpp"
#include "storage/dependency_store.hpp"
#include "storage/store.hpp"

namespace ritualbot {

struct health_snapshot {
    instant started{};
    instant now{};
    struct transport_state {
        std::string platform;  // "slack", "matrix"
        bool connected = false;
    };
    std::vector<transport_state> transports;
    std::vector<outbox_status> outbox;
    dispatch_counters handled;
    std::uint64_t calendar_failures = 0;  // a job's due times could not be computed
    std::uint64_t unknown_zones = 0;      // zone names a platform gave that the tz database lacks
    std::map<std::string, delivery_counters> deliveries;  // per platform
    std::vector<suggestion_count> dependency_suggestions;  // per consuming team, from the database
};

// "/healthz", "/metrics"; anything else is a 404 naming both.
net::http_page health_page(const std::string& path, const health_snapshot& s);

}  // namespace ritualbot
