#include "bot/slack/slack_runtime.hpp"

#include <boost/asio/ssl/context.hpp>
#include <spdlog/spdlog.h>

#include "bot/net/tls.hpp"
#include "bot/outbox_sender.hpp"
#include "bot/slack/slack_http.hpp"
#include "bot/slack/slack_transport.hpp"
#include "bot/slack/socket_mode_client.hpp"

namespace ritualbot::slack {

slack_runtime::slack_runtime(std::shared_ptr<boost::asio::ssl::context> tls, std::unique_ptr<slack_transport> t)
    : tls_(std::move(tls)), transport_(std::move(t)) {}

slack_runtime::~slack_runtime() = default;

void slack_runtime::stop() { transport_->stop(); }

bool slack_runtime::connected() const { return transport_->socket().has_session(); }
std::size_t slack_runtime::unknown_zones() const { return transport_->unknown_zones(); }

std::unique_ptr<slack_runtime> start_slack(boost::asio::io_context& io, config& cfg, store& db, const clock& clk,
                                           dispatcher& dispatch, outbox_sender& outbox, std::function<void()> ready,
                                           std::function<void()> committed) {
    slack_environment env = read_slack_environment();
    if (!env.error.empty()) {
        spdlog::critical("slack: {}", env.error);
        return nullptr;
    }
    std::shared_ptr<boost::asio::ssl::context> tls;
    try {
        tls = net::make_tls_client_context();
    } catch (const std::exception& e) {
        spdlog::critical("slack: cannot set up TLS: {}", e.what());
        return nullptr;
    }
    slack_http http = make_slack_http(io, env.api_base_url, tls);
    if (!http.error.empty()) {
        spdlog::critical("slack: SLACK_API_BASE_URL: {}", http.error);
        return nullptr;
    }
    slack_options options;
    options.socket.app_token = env.app_token;
    options.socket.tls = tls.get();
    options.api.base_path = http.base_path;
    options.upload = std::move(http.upload);
    auto transport = std::make_unique<slack_transport>(io, cfg, db, clk, dispatch, std::move(http.send),
                                                       env.bot_token, std::move(options));
    auto rt = std::make_unique<slack_runtime>(tls, std::move(transport));
    outbox.add_transport(rt->transport());
    auto flag = rt->ready_;
    rt->transport().start(
        [flag, ready = std::move(ready)] {
            *flag = true;
            spdlog::info("slack: ready");
            if (ready) ready();
        },
        std::move(committed));
    return rt;
}

}  // namespace ritualbot::slack
