#pragma once
// The Slack Web API's HTTP layer: the shared keep-alive client
// (bot/net/http_client) pointed at SLACK_API_BASE_URL.
#include <memory>
#include <string>

#include "bot/slack/web_api.hpp"

namespace boost::asio::ssl {
class context;
}

namespace ritualbot::slack {

struct slack_http {
    http_send send;
    http_upload upload;     // to the upload URLs Slack hands out (https://files.slack.com/...)
    std::string base_path;  // "/api/" for https://slack.com/api/
    std::string error;      // the base URL is unusable
};

// `tls` is required for https:// (the usual case); plain http:// is accepted
// only for a loopback address (tests, a local proxy).
slack_http make_slack_http(boost::asio::io_context& io, const std::string& api_base_url,
                           std::shared_ptr<boost::asio::ssl::context> tls);

}  // namespace ritualbot::slack
