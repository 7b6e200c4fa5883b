#include "bot/slack/slack_http.hpp"

#include <spdlog/spdlog.h>

#include <map>

#include "bot/net/http_client.hpp"
#include "bot/net/url.hpp"

namespace ritualbot::slack {

slack_http make_slack_http(boost::asio::io_context& io, const std::string& api_base_url,
                           std::shared_ptr<boost::asio::ssl::context> tls) {
    slack_http out;
    auto url = net::parse_url(api_base_url);
    if (!url || (url->scheme != "https" && url->scheme != "http")) {
        out.error = "'" + api_base_url + "' is not an http(s):// URL";
        return out;
    }
    if (!url->secure() && !url->is_loopback()) {
        out.error = "plain http:// is accepted only for a loopback address; use https://";
        return out;
    }
    out.base_path = url->target;
    if (out.base_path.empty() || out.base_path.back() != '/') out.base_path += '/';
    std::shared_ptr<net::http_client> client;
    auto client_tls = tls;
    try {
        net::http_client_options options;
        options.tls = std::move(tls);
        options.max_connections = 4;
        options.user_agent = "ritualbot/" RITUALBOT_VERSION;
        client = net::http_client::create(io, url->origin(), options);
    } catch (const std::exception& e) {
        out.error = e.what();
        return out;
    }
    out.send = [client](http_request req, std::function<void(http_reply)> done) {
        net::http_request r;
        r.method = req.method;
        r.target = req.target;
        r.body = std::move(req.body);
        r.timeout = std::chrono::seconds(20);
        if (!req.content_type.empty()) r.headers.push_back({"Content-Type", req.content_type});
        if (!req.bearer_token.empty()) r.headers.push_back({"Authorization", "Bearer " + req.bearer_token});
        client->request(std::move(r), [done = std::move(done)](net::http_result result) {
            http_reply reply;
            if (!result.ok()) {
                reply.network_error = net::to_string(result.error_kind) + ": " + result.error;
                return done(std::move(reply));
            }
            reply.status = result.response->status;
            reply.body = std::move(result.response->body);
            if (auto wait = net::retry_after(*result.response, std::chrono::system_clock::now()))
                reply.retry_after = std::chrono::ceil<std::chrono::seconds>(*wait);
            done(std::move(reply));
        });
    };
    // One keep-alive client per upload origin (in practice files.slack.com
    // alone), made on first use. http_client refuses anything but https://
    // and loopback http://, whatever URL an answer names.
    auto clients = std::make_shared<std::map<std::string, std::shared_ptr<net::http_client>>>();
    auto upload_tls = client_tls;
    out.upload = [&io, clients, upload_tls](const std::string& target_url, const std::string& content_type,
                                           std::string body, std::function<void(http_reply)> done) {
        http_reply fail;
        auto u = net::parse_url(target_url);
        if (!u || (u->scheme != "https" && u->scheme != "http")) {
            fail.network_error = "the upload URL is not an http(s):// URL";
            return done(std::move(fail));
        }
        auto& client = (*clients)[u->origin()];
        if (!client) {
            try {
                net::http_client_options options;
                options.tls = upload_tls;
                options.max_connections = 2;
                options.user_agent = "ritualbot/" RITUALBOT_VERSION;
                client = net::http_client::create(io, u->origin(), options);
            } catch (const std::exception& e) {
                clients->erase(u->origin());
                fail.network_error = std::string("the upload URL: ") + e.what();
                return done(std::move(fail));
            }
        }
        net::http_request r;
        r.method = "POST";
        r.target = u->target;
        r.body = std::move(body);
        r.timeout = std::chrono::seconds(60);
        r.headers.push_back({"Content-Type", content_type});
        client->request(std::move(r), [done = std::move(done)](net::http_result result) {
            http_reply reply;
            if (!result.ok()) {
                reply.network_error = net::to_string(result.error_kind) + ": " + result.error;
                return done(std::move(reply));
            }
            reply.status = result.response->status;
            reply.body = std::move(result.response->body);
            if (auto wait = net::retry_after(*result.response, std::chrono::system_clock::now()))
                reply.retry_after = std::chrono::ceil<std::chrono::seconds>(*wait);
            done(std::move(reply));
        });
    };
    return out;
}

}  // namespace ritualbot::slack
