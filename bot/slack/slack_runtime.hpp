#pragma once
// What the runtime needs to run ritualbot on Slack: the environment read,
// the TLS context, the Web API's HTTP client and the transport, started.
#include <functional>
#include <memory>

#include "bot/clock.hpp"
#include "config/config.hpp"

namespace boost::asio {
class io_context;
namespace ssl {
class context;
}
}  // namespace boost::asio

namespace ritualbot {
class dispatcher;
class outbox_sender;
class store;
}  // namespace ritualbot

namespace ritualbot::slack {

class slack_transport;
bool uses_slack(const config& cfg);

class slack_runtime {
public:
    slack_runtime(std::shared_ptr<boost::asio::ssl::context> tls, std::unique_ptr<slack_transport> transport);
    ~slack_runtime();
    bool ready() const { return *ready_; }
    bool connected() const;  // a Socket Mode session is open
    std::size_t unknown_zones() const;  // see member_directory
    void stop();
    slack_transport& transport() { return *transport_; }

private:
    friend std::unique_ptr<slack_runtime> start_slack(boost::asio::io_context&, config&, store&, const clock&,
                                                      dispatcher&, outbox_sender&, std::function<void()>,
                                                      std::function<void()>);
    std::shared_ptr<boost::asio::ssl::context> tls_;
    std::unique_ptr<slack_transport> transport_;
    std::shared_ptr<bool> ready_ = std::make_shared<bool>(false);
};

// Reads SLACK_APP_TOKEN, SLACK_BOT_TOKEN and SLACK_API_BASE_URL, registers
// the transport with the outbox and starts it. `ready` runs once the
// members and their zones are known; `committed` after every envelope that
// committed something. Null (logged) when the environment is unusable.
std::unique_ptr<slack_runtime> start_slack(boost::asio::io_context& io, config& cfg, store& db, const clock& clk,
                                           dispatcher& dispatch, outbox_sender& outbox, std::function<void()> ready,
                                           std::function<void()> committed);

}  // namespace ritualbot::slack
