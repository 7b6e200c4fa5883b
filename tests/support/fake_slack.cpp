#include "tests/support/fake_slack.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <algorithm>
#include <deque>
#include <future>
#include <iterator>
#include <mutex>
#include <thread>

namespace ritualbot::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using json = nlohmann::json;
using steady = std::chrono::steady_clock;

namespace {

std::string url_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') out += ' ';
        else if (s[i] == '%' && i + 2 < s.size()) {
            out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else out += s[i];
    }
    return out;
}

json parse_form(std::string_view s) {
    json out = json::object();
    while (!s.empty()) {
        auto amp = s.find('&');
        auto pair = s.substr(0, amp);
        auto eq = pair.find('=');
        if (!pair.empty())
            out[url_decode(pair.substr(0, eq))] = eq == std::string_view::npos ? "" : url_decode(pair.substr(eq + 1));
        if (amp == std::string_view::npos) break;
        s.remove_prefix(amp + 1);
    }
    return out;
}

std::string str(const json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

class ws_session_base {
public:
    virtual ~ws_session_base() = default;
    virtual void send(std::string text) = 0;
    virtual void abort() = 0;
    virtual bool open() const = 0;
};

struct fake_slack::impl : std::enable_shared_from_this<impl> {
    explicit impl(fake_slack_options o) : options(std::move(o)), acceptor(io) {}

    fake_slack_options options;
    asio::io_context io;
    tcp::acceptor acceptor;
    std::thread thread;
    unsigned short port = 0;

    mutable std::mutex mu;
    std::vector<api_call> calls;
    std::map<std::string, ack_record> acks;
    std::vector<std::string> ack_order;
    std::map<std::string, int> deliveries;
    std::map<std::string, steady::time_point> sent_at;
    struct pending {
        json envelope;
        int attempts = 0;
        std::shared_ptr<asio::steady_timer> timer;
    };
    std::map<std::string, pending> unacked;
    std::deque<json> undelivered;  // while no socket is open
    std::map<std::string, json> users;
    // Each user's JSON text, kept with `users`: a users.list page is put
    // together from them rather than dumped, so that a 1,000-user page (1.6 MB)
    // does not hold up this one thread, and the Socket Mode feed on it, for
    // tens of milliseconds (Slack serves users.list on other machines).
    std::map<std::string, std::string> user_texts;
    std::map<std::string, std::vector<std::string>> channel_members;
    std::map<std::string, std::pair<steady::time_point, bool>> triggers;
    std::string last_trigger;
    std::map<std::string, std::deque<steady::time_point>> channel_posts;
    // Each channel's posted messages, oldest first (conversations.history).
    std::map<std::string, std::vector<json>> history;
    long long last_ts_micros = 0;
    std::map<std::string, std::deque<steady::time_point>> tier_calls;  // method (or method#channel) -> recent calls
    std::vector<json> raw_list_entries;
    std::map<std::string, uploaded_file> files;
    std::vector<std::string> file_order;
    int refuse_files = 0;
    struct fault {
        int status = 200;
        int retry_after = 0;
        std::string slack_error;
    };
    std::map<std::string, std::deque<fault>> faults;
    int ignore_acks = 0;
    bool refuse = false;
    int tickets = 0;
    int opened = 0;
    long ts_counter = 0;
    long id_counter = 0;
    std::vector<std::weak_ptr<ws_session_base>> sockets;  // io thread only

    std::string next_id(const char* prefix) {
        std::lock_guard lock(mu);
        return prefix + std::to_string(++id_counter);
    }

    // --- Socket Mode (io thread) ---

    std::shared_ptr<ws_session_base> newest_socket() {
        for (auto it = sockets.rbegin(); it != sockets.rend(); ++it)
            if (auto s = it->lock(); s && s->open()) return s;
        return nullptr;
    }

    void push(json envelope) {
        auto s = newest_socket();
        const std::string id = str(envelope, "envelope_id");
        if (!s) {
            std::lock_guard lock(mu);
            undelivered.push_back(std::move(envelope));
            return;
        }
        {
            std::lock_guard lock(mu);
            ++deliveries[id];
            sent_at[id] = steady::now();
        }
        s->send(envelope.dump());
        const std::string type = str(envelope, "type");
        if (type == "events_api" || (type == "slash_commands" && options.redeliver_commands))
            schedule_redelivery(std::move(envelope));
    }

    void schedule_redelivery(json envelope) {
        const std::string id = str(envelope, "envelope_id");
        auto timer = std::make_shared<asio::steady_timer>(io, options.redeliver_after);
        {
            std::lock_guard lock(mu);
            if (acks.count(id)) return;
            auto& p = unacked[id];
            p.envelope = envelope;
            p.timer = timer;
        }
        std::weak_ptr<impl> weak = weak_from_this();
        timer->async_wait([weak, id](boost::system::error_code ec) {
            auto self = weak.lock();
            if (ec || !self) return;
            json again;
            {
                std::lock_guard lock(self->mu);
                auto it = self->unacked.find(id);
                if (it == self->unacked.end() || it->second.attempts >= self->options.max_redeliveries) return;
                ++it->second.attempts;
                again = it->second.envelope;
                again["retry_attempt"] = it->second.attempts;
                again["retry_reason"] = "timeout";
            }
            self->push(std::move(again));
        });
    }

    void on_connection_open(const std::shared_ptr<ws_session_base>& s) {
        sockets.push_back(s);
        s->send(json{{"type", "hello"},
                     {"num_connections", static_cast<int>(open_count())},
                     {"connection_info", {{"app_id", "A1"}}},
                     {"debug_info", {{"host", "applink-fake"}, {"approximate_connection_time", 18060}}}}
                    .dump());
        std::deque<json> waiting;
        {
            std::lock_guard lock(mu);
            waiting.swap(undelivered);
        }
        for (auto& e : waiting) push(std::move(e));
    }

    std::size_t open_count() {
        std::size_t n = 0;
        for (auto& w : sockets)
            if (auto s = w.lock(); s && s->open()) ++n;
        return n;
    }

    // The benchmark's stream (fake_slack::feed): frames still to send, in order.
    std::vector<std::pair<std::string, std::string>> feed_frames;  // id, text
    std::size_t feed_next = 0;

    void feed_one(const std::shared_ptr<ws_session_base>& s) {
        auto& [id, text] = feed_frames[feed_next++];
        {
            std::lock_guard lock(mu);
            ++deliveries[id];
            sent_at[id] = steady::now();
        }
        s->send(std::move(text));
    }

    // The envelope id of an ack: parsed, or (keep_ack_frames off) read from
    // the text as the bot writes it, falling back to parsing.
    static std::string ack_id(const std::string& text, json& frame, bool parse) {
        static constexpr std::string_view key = "\"envelope_id\":\"";
        if (!parse) {
            if (auto at = text.find(key); at != std::string::npos) {
                const auto from = at + key.size(), to = text.find('"', from);
                if (to != std::string::npos && text.find('\\', from) > to) return text.substr(from, to - from);
            }
        }
        frame = json::parse(text, nullptr, false);
        if (frame.is_discarded() || !frame.is_object()) return {};
        return str(frame, "envelope_id");
    }

    void on_frame(const std::string& text) {
        json j;
        const std::string id = ack_id(text, j, options.keep_ack_frames);
        if (id.empty()) return;
        {
            std::lock_guard lock(mu);
            if (ignore_acks > 0) {
                --ignore_acks;
                return;
            }
            if (acks.count(id)) return;
            ack_record r;
            if (options.keep_ack_frames) r.frame = std::move(j);
            if (auto it = sent_at.find(id); it != sent_at.end()) r.latency = steady::now() - it->second;
            acks.emplace(id, std::move(r));
            ack_order.push_back(id);
            if (auto it = unacked.find(id); it != unacked.end()) {
                if (it->second.timer) it->second.timer->cancel();
                unacked.erase(it);
            }
        }
        if (feed_next < feed_frames.size())
            if (auto s = newest_socket()) feed_one(s);
    }

    // --- Web API (io thread) ---

    http::response<http::string_body> handle(const http::request<http::string_body>& req) {
        std::string target(req.target());
        std::string query;
        if (auto q = target.find('?'); q != std::string::npos) {
            query = target.substr(q + 1);
            target.resize(q);
        }
        std::string method = target.starts_with("/api/") ? target.substr(5) : target;
        std::string token;
        if (auto auth = req.find(http::field::authorization); auth != req.end()) {
            std::string a(auth->value());
            if (a.starts_with("Bearer ")) token = a.substr(7);
        }
        json args = parse_form(query);
        std::string ctype(req[http::field::content_type]);
        if (ctype.starts_with("application/json")) {
            json body = json::parse(req.body(), nullptr, false);
            if (body.is_object()) args.update(body);
        } else if (!req.body().empty() && !target.starts_with("/upload/")) {  // an upload's body is the file
            args.update(parse_form(req.body()));
        }

        http::response<http::string_body> res{http::status::ok, req.version()};
        res.set(http::field::content_type, "application/json; charset=utf-8");
        res.keep_alive(req.keep_alive());
        auto reply = [&](int status, json body) {
            res.result(static_cast<unsigned>(status));
            res.body() = body.dump();
            std::lock_guard lock(mu);
            const bool ok = body.is_object() && body.value("ok", false);
            calls.push_back({method, args, token, status, ok});
        };

        {
            std::unique_lock lock(mu);
            auto f = faults.find(method);
            if (f != faults.end() && !f->second.empty()) {
                fault fl = f->second.front();
                f->second.pop_front();
                lock.unlock();
                if (fl.status == 429) {
                    res.set(http::field::retry_after, std::to_string(fl.retry_after));
                    reply(429, {{"ok", false}, {"error", "ratelimited"}});
                } else if (fl.status != 200) {
                    reply(fl.status, {{"ok", false}, {"error", "internal_error"}});
                    res.set(http::field::content_type, "text/html");
                    res.body() = "<html>upstream trouble</html>";
                } else {
                    reply(200, {{"ok", false}, {"error", fl.slack_error}});
                }
                res.prepare_payload();
                return res;
            }
        }

        if (int wait = over_tier(method, args); wait > 0) {
            res.set(http::field::retry_after, std::to_string(wait));
            reply(429, {{"ok", false}, {"error", "ratelimited"}});
            res.prepare_payload();
            return res;
        }

        if (target.starts_with("/upload/")) {
            // The upload URL: no token (the URL is the credential), raw bytes.
            const std::string id = target.substr(8);
            std::lock_guard lock(mu);
            auto f = files.find(id);
            res.set(http::field::content_type, "text/plain");
            if (f == files.end() || f->second.bytes_arrived) {
                res.result(http::status::not_found);
                res.body() = "not found";
            } else {
                f->second.bytes = req.body();
                f->second.bytes_arrived = true;
                res.body() = "OK - " + std::to_string(req.body().size());
            }
            calls.push_back({"upload", json{{"file", id}, {"bytes", req.body().size()}}, token,
                             static_cast<int>(res.result_int()), res.result_int() == 200});
            res.prepare_payload();
            return res;
        }

        if (method == "apps.connections.open") {
            if (token.empty()) reply(200, {{"ok", false}, {"error", "not_authed"}});
            else if (!token.starts_with("xapp-")) reply(200, {{"ok", false}, {"error", "not_allowed_token_type"}});
            else {
                int ticket;
                {
                    std::lock_guard lock(mu);
                    ticket = ++tickets;
                }
                const std::string scheme = options.tls ? "wss" : "ws";
                reply(200, {{"ok", true},
                            {"url", scheme + "://127.0.0.1:" + std::to_string(port) + "/link/?ticket=" +
                                        std::to_string(ticket) + "&app_id=A1"}});
            }
        } else if (!token.starts_with("xoxb-")) {
            reply(200, {{"ok", false}, {"error", token.empty() ? "not_authed" : "invalid_auth"}});
        } else if (method == "auth.test") {
            reply(200, {{"ok", true},
                        {"url", "https://fake.slack.com/"},
                        {"team", "Fake Workspace"},
                        {"user", "ritualbot"},
                        {"team_id", "T1"},
                        {"user_id", options.bot_user},
                        {"bot_id", options.bot_id}});
        } else if (method == "chat.postMessage" || method == "chat.postEphemeral" || method == "chat.update") {
            const std::string channel = str(args, "channel");
            bool has_text = !str(args, "text").empty() || (args.contains("blocks") && !args["blocks"].empty());
            std::string error;
            if (channel.empty()) error = "channel_not_found";
            else if (!has_text) error = "no_text";
            else if (args.contains("blocks")) {
                const json& blocks = args["blocks"];
                if (!blocks.is_array() || blocks.size() > 50) error = "invalid_blocks";
                else
                    for (const auto& b : blocks) {
                        if (b.contains("text") && b["text"].contains("text") &&
                            b["text"]["text"].get<std::string>().size() > 3000)
                            error = "invalid_blocks";
                        if (str(b, "type") == "image" && !valid_image_block(b)) error = "invalid_blocks";
                    }
            }
            if (method == "chat.postEphemeral" && error.empty()) {
                std::lock_guard lock(mu);
                auto m = channel_members.find(channel);
                const std::string user = str(args, "user");
                if (m != channel_members.end() &&
                    std::find(m->second.begin(), m->second.end(), user) == m->second.end())
                    error = "user_not_in_channel";
            }
            if (!error.empty()) {
                reply(200, {{"ok", false}, {"error", error}});
            } else if (method == "chat.postMessage" && limited(channel)) {
                res.set(http::field::retry_after, "1");
                reply(429, {{"ok", false}, {"error", "ratelimited"}});
            } else {
                // A ts is the wall-clock time in microseconds, unique per workspace.
                char ts[40];
                {
                    std::lock_guard lock(mu);
                    ++ts_counter;
                    long long now = std::chrono::duration_cast<std::chrono::microseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count();
                    last_ts_micros = std::max(now, last_ts_micros + 1);
                    std::snprintf(ts, sizeof ts, "%lld.%06lld", last_ts_micros / 1000000, last_ts_micros % 1000000);
                    if (method == "chat.postMessage") {
                        json m{{"type", "message"}, {"ts", ts}, {"text", str(args, "text")},
                               {"bot_id", options.bot_id}};
                        if (args.contains("metadata") && args["metadata"].is_object()) m["metadata"] = args["metadata"];
                        history[channel].push_back(std::move(m));
                    }
                }
                if (method == "chat.postEphemeral") {
                    reply(200, {{"ok", true}, {"message_ts", ts}});
                } else if (method == "chat.postMessage") {
                    // As Slack answers: the message as posted, with the bot's profile.
                    json m{{"user", options.bot_user},
                           {"type", "message"},
                           {"ts", ts},
                           {"bot_id", options.bot_id},
                           {"app_id", "A1"},
                           {"text", str(args, "text")},
                           {"team", "T1"},
                           {"bot_profile",
                            {{"id", options.bot_id},
                             {"app_id", "A1"},
                             {"name", "ritualbot"},
                             {"icons",
                              {{"image_36", "https://a.slack-edge.com/80588/img/plugins/app/bot_36.png"},
                               {"image_48", "https://a.slack-edge.com/80588/img/plugins/app/bot_48.png"},
                               {"image_72", "https://a.slack-edge.com/80588/img/plugins/app/service_72.png"}}},
                             {"deleted", false},
                             {"updated", 1700000000},
                             {"team_id", "T1"}}}};
                    if (args.contains("blocks")) m["blocks"] = args["blocks"];
                    if (args.contains("metadata")) m["metadata"] = args["metadata"];
                    reply(200, {{"ok", true}, {"channel", channel}, {"ts", ts}, {"message", std::move(m)}});
                } else {
                    reply(200, {{"ok", true}, {"channel", channel}, {"ts", method == "chat.update" ? str(args, "ts") : ts}});
                }
            }
        } else if (method == "files.getUploadURLExternal") {
            const std::string filename = str(args, "filename");
            long long length = 0;
            try {
                length = std::stoll(args.contains("length") && args["length"].is_number_integer()
                                        ? std::to_string(args["length"].get<long long>())
                                        : str(args, "length"));
            } catch (const std::exception&) {
                length = 0;
            }
            if (filename.empty() || length <= 0) {
                reply(200, {{"ok", false}, {"error", "missing_argument"}});
            } else {
                const std::string id = next_id("F");
                {
                    std::lock_guard lock(mu);
                    uploaded_file f;
                    f.id = id;
                    f.filename = filename;
                    f.length = static_cast<std::size_t>(length);
                    files[id] = f;
                    file_order.push_back(id);
                }
                const std::string scheme = options.tls ? "https" : "http";
                reply(200, {{"ok", true},
                            {"upload_url", scheme + "://127.0.0.1:" + std::to_string(port) + "/upload/" + id},
                            {"file_id", id}});
            }
        } else if (method == "files.completeUploadExternal") {
            json list = args.contains("files") && args["files"].is_array()
                            ? args["files"]
                            : json::parse(str(args, "files"), nullptr, false);
            std::string error;
            json out = json::array();
            if (!list.is_array() || list.empty()) error = "invalid_arguments";
            std::lock_guard lock(mu);
            for (const auto& item : error.empty() ? list : json::array()) {
                auto f = files.find(str(item, "id"));
                if (f == files.end() || !f->second.bytes_arrived || f->second.bytes.size() != f->second.length)
                    error = "file_not_found";
            }
            if (error.empty()) {
                for (const auto& item : list) {
                    uploaded_file& f = files[str(item, "id")];
                    f.completed = true;
                    f.title = str(item, "title");
                    f.shared_to = str(args, "channel_id");
                    out.push_back({{"id", f.id}, {"title", f.title}, {"name", f.filename}});
                }
            }
            res.result(http::status::ok);
            res.body() = (error.empty() ? json{{"ok", true}, {"files", out}} : json{{"ok", false}, {"error", error}}).dump();
            calls.push_back({method, args, token, 200, error.empty()});
        } else if (method == "conversations.history") {
            // Newest first; oldest (exclusive) by ts; metadata only with
            // include_all_metadata; paged by next_cursor.
            const std::string channel = str(args, "channel");
            const double oldest = str(args, "oldest").empty() ? 0.0 : std::atof(str(args, "oldest").c_str());
            const bool with_metadata = str(args, "include_all_metadata") == "true";
            std::size_t limit = 100;
            if (auto l = str(args, "limit"); !l.empty()) limit = std::clamp<std::size_t>(std::stoul(l), 1, 999);
            std::size_t skip = 0;
            if (auto c = str(args, "cursor"); c.size() > 1) skip = std::stoul(c.substr(1));
            std::lock_guard lock(mu);
            auto it = history.find(channel);
            json page = json::array();
            bool more = false;
            if (it != history.end()) {
                std::size_t seen = 0;
                for (auto m = it->second.rbegin(); m != it->second.rend(); ++m) {
                    if (std::atof((*m)["ts"].get<std::string>().c_str()) <= oldest) break;
                    if (seen++ < skip) continue;
                    if (page.size() == limit) {
                        more = true;
                        break;
                    }
                    json copy = *m;
                    if (!with_metadata) copy.erase("metadata");
                    page.push_back(std::move(copy));
                }
            }
            lock_free_reply(res, calls, method, args, token,
                            {{"ok", true},
                             {"messages", page},
                             {"has_more", more},
                             {"response_metadata", {{"next_cursor", more ? "h" + std::to_string(skip + limit) : ""}}}});
        } else if (method == "conversations.open") {
            const std::string user = str(args, "users");
            std::lock_guard lock(mu);
            bool known = users.empty() || users.count(user);
            lock_free_reply(res, calls, method, args, token,
                            user.empty()  ? json{{"ok", false}, {"error", "users_list_not_supplied"}}
                            : !known      ? json{{"ok", false}, {"error", "user_not_found"}}
                                          : json{{"ok", true}, {"channel", {{"id", "D" + user}}}});
        } else if (method == "users.list") {
            auto [ok, page] = users_list_page(args);
            res.result(http::status::ok);
            res.body() = std::move(page);
            std::lock_guard lock(mu);
            calls.push_back({method, args, token, 200, ok});
        } else if (method == "users.info") {
            const std::string user = str(args, "user");
            std::lock_guard lock(mu);
            auto it = users.find(user);
            lock_free_reply(res, calls, method, args, token,
                            it == users.end() ? json{{"ok", false}, {"error", "user_not_found"}}
                                              : json{{"ok", true}, {"user", it->second}});
        } else if (method == "conversations.members") {
            const std::string channel = str(args, "channel");
            const std::string cursor = str(args, "cursor");
            std::size_t limit = 100;
            if (auto l = str(args, "limit"); !l.empty()) limit = std::stoul(l);
            std::lock_guard lock(mu);
            auto it = channel_members.find(channel);
            if (it == channel_members.end()) {
                lock_free_reply(res, calls, method, args, token, {{"ok", false}, {"error", "channel_not_found"}});
            } else {
                std::size_t from = cursor.empty() ? 0 : std::stoul(cursor.substr(1));
                json page = json::array();
                for (std::size_t i = from; i < it->second.size() && i < from + limit; ++i) page.push_back(it->second[i]);
                std::string next = from + limit < it->second.size() ? "c" + std::to_string(from + limit) : "";
                lock_free_reply(res, calls, method, args, token,
                                {{"ok", true}, {"members", page}, {"response_metadata", {{"next_cursor", next}}}});
            }
        } else if (method == "views.open") {
            const std::string trigger = str(args, "trigger_id");
            std::lock_guard lock(mu);
            auto it = triggers.find(trigger);
            json body;
            if (it == triggers.end()) body = {{"ok", false}, {"error", "invalid_trigger_id"}};
            else if (it->second.second) body = {{"ok", false}, {"error", "exchanged_trigger_id"}};
            else if (steady::now() - it->second.first > std::chrono::seconds(3))
                body = {{"ok", false}, {"error", "expired_trigger_id"}};
            else if (!args.contains("view") || !args["view"].is_object())
                body = {{"ok", false}, {"error", "invalid_arguments"}};
            else {
                it->second.second = true;
                json view = args["view"];
                view["id"] = "V" + std::to_string(++id_counter);
                view["state"] = {{"values", json::object()}};
                body = {{"ok", true}, {"view", view}};
            }
            lock_free_reply(res, calls, method, args, token, body);
        } else {
            reply(200, {{"ok", false}, {"error", "unknown_method"}});
        }
        res.prepare_payload();
        return res;
    }

    // For branches that already hold the lock.
    static void lock_free_reply(http::response<http::string_body>& res, std::vector<api_call>& calls,
                                const std::string& method, const json& args, const std::string& token, json body) {
        res.result(http::status::ok);
        res.body() = body.dump();
        calls.push_back({method, args, token, 200, body.value("ok", false)});
    }

    // An image block as Slack checks it: alt_text (1-2000), and exactly one of
    // image_url and slack_file; a slack_file id must be a completed upload.
    bool valid_image_block(const json& b) {
        const std::string alt = str(b, "alt_text");
        if (alt.empty() || alt.size() > 2000) return false;
        const bool url = b.contains("image_url"), file = b.contains("slack_file") && b["slack_file"].is_object();
        if (url == file) return false;
        if (url) return true;
        const std::string id = str(b["slack_file"], "id");
        std::lock_guard lock(mu);
        auto f = files.find(id);
        if (f == files.end() || !f->second.completed) return false;
        if (refuse_files > 0) {
            --refuse_files;
            return false;
        }
        return true;
    }

    bool limited(const std::string& channel) {
        if (options.posts_per_channel_per_second <= 0) return false;
        std::lock_guard lock(mu);
        auto& q = channel_posts[channel];
        const auto now = steady::now();
        while (!q.empty() && now - q.front() >= std::chrono::seconds(1)) q.pop_front();
        if (static_cast<int>(q.size()) >= options.posts_per_channel_per_second) return true;
        q.push_back(now);
        return false;
    }

    // Slack's allowance per minute for a method (protocols.md A9; see fake_slack.hpp).
    static int tier_limit(const std::string& method) {
        static const std::map<std::string, int> tiers{
            {"users.list", 20},          {"apps.connections.open", 50}, {"conversations.open", 50},
            {"chat.update", 50},         {"conversations.history", 50}, {"users.info", 100},
            {"conversations.members", 100}, {"chat.postEphemeral", 100}, {"views.open", 100},
            {"auth.test", 100},          {"chat.postMessage", 60},      {"files.getUploadURLExternal", 100},
            {"files.completeUploadExternal", 100}};
        auto it = tiers.find(method);
        return it == tiers.end() ? 50 : it->second;
    }

    // Seconds to wait when the method is past its tier, else 0 (and the call is counted).
    int over_tier(const std::string& method, const json& args) {
        if (!options.enforce_tiers) return 0;
        std::string key = method;
        if (method == "chat.postMessage") key += "#" + str(args, "channel");  // per channel
        const int limit = tier_limit(method);
        std::lock_guard lock(mu);
        auto& q = tier_calls[key];
        const auto now = steady::now();
        while (!q.empty() && now - q.front() >= options.tier_window) q.pop_front();
        if (static_cast<int>(q.size()) >= limit) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(q.front() + options.tier_window - now);
            return std::max<int>(1, static_cast<int>((left.count() + 999) / 1000));
        }
        q.push_back(now);
        return 0;
    }

    // The page as JSON text, and whether it is ok:true.
    std::pair<bool, std::string> users_list_page(const json& args) {
        std::size_t limit = 0;  // none: everything (Slack may refuse that on a big team)
        std::size_t from = 0;
        try {
            if (auto l = str(args, "limit"); !l.empty()) limit = std::stoul(l);
            if (auto c = str(args, "cursor"); !c.empty()) {
                if (c[0] != 'u') throw std::invalid_argument("cursor");
                from = std::stoul(c.substr(1));
            }
        } catch (const std::exception&) {
            return {false, json{{"ok", false}, {"error", "invalid_cursor"}}.dump()};
        }
        if (limit == 0 || limit > 1000) limit = limit == 0 ? static_cast<std::size_t>(-1) : 1000;
        std::lock_guard lock(mu);
        const std::size_t total = user_texts.size() + raw_list_entries.size();
        std::string page = R"({"ok":true,"members":[)";
        auto it = user_texts.begin();
        std::advance(it, std::min(from, user_texts.size()));
        std::size_t i = from;
        for (; i < total && i - from < limit; ++i) {
            if (i > from) page += ',';
            if (i < user_texts.size()) page += (it++)->second;
            else page += raw_list_entries[i - user_texts.size()].dump();
        }
        const json meta = {{"next_cursor", i < total ? "u" + std::to_string(i) : ""}};
        page += R"(],"cache_ts":1700000000,"response_metadata":)" + meta.dump() + "}";
        return {true, std::move(page)};
    }

    void accept();
};

namespace {

template <class Stream>
class ws_session final : public ws_session_base, public std::enable_shared_from_this<ws_session<Stream>> {
public:
    ws_session(Stream&& stream, fake_slack::impl* owner)
        : ws_(std::move(stream)), owner_(owner) {}

    void accept(http::request<http::string_body> req) {
        websocket::stream_base::timeout t;
        t.handshake_timeout = std::chrono::seconds(5);
        if (owner_->options.ping_interval.count() > 0) {
            t.idle_timeout = owner_->options.ping_interval * 2;
            t.keep_alive_pings = true;
        } else {
            t.idle_timeout = websocket::stream_base::none();
            t.keep_alive_pings = false;
        }
        ws_.set_option(t);
        ws_.async_accept(req, [self = this->shared_from_this()](beast::error_code ec) {
            if (ec) return;
            self->open_ = true;
            self->owner_->on_connection_open(self);
            self->do_read();
        });
    }

    void send(std::string text) override {
        if (!open_) return;
        queue_.push_back(std::move(text));
        if (queue_.size() == 1) do_write();
    }

    void abort() override {
        open_ = false;
        beast::error_code ignored;
        beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
        beast::get_lowest_layer(ws_).socket().close(ignored);
    }

    bool open() const override { return open_; }

private:
    void do_read() {
        ws_.async_read(buffer_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) {
                self->open_ = false;
                return;
            }
            std::string text = beast::buffers_to_string(self->buffer_.data());
            self->buffer_.consume(self->buffer_.size());
            self->owner_->on_frame(text);
            self->do_read();
        });
    }

    void do_write() {
        ws_.text(true);
        ws_.async_write(asio::buffer(queue_.front()), [self = this->shared_from_this()](beast::error_code ec,
                                                                                         std::size_t) {
            if (ec) {
                self->open_ = false;
                self->queue_.clear();
                return;
            }
            self->queue_.pop_front();
            if (!self->queue_.empty()) self->do_write();
        });
    }

    websocket::stream<Stream> ws_;
    fake_slack::impl* owner_;  // outlives every session: the io_context that runs them is its member
    beast::flat_buffer buffer_;
    std::deque<std::string> queue_;
    bool open_ = false;
};

template <class Stream>
class http_session final : public std::enable_shared_from_this<http_session<Stream>> {
public:
    http_session(Stream&& stream, fake_slack::impl* owner)
        : stream_(std::move(stream)), owner_(owner) {}

    void run() {
        if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
            beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
            stream_.async_handshake(ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
                if (!ec) self->do_read();
            });
        } else {
            do_read();
        }
    }

private:
    void do_read() {
        req_ = {};
        beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
        http::async_read(stream_, buffer_, req_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return;
            self->on_request();
        });
    }

    void on_request() {
        if (websocket::is_upgrade(req_)) {
            bool refuse;
            {
                std::lock_guard lock(owner_->mu);
                refuse = owner_->refuse;
                if (!refuse) ++owner_->opened;
            }
            if (refuse || owner_->open_count() >= 10) {
                auto res = std::make_shared<http::response<http::string_body>>(http::status::service_unavailable,
                                                                               req_.version());
                res->body() = "no";
                res->prepare_payload();
                http::async_write(stream_, *res, [self = this->shared_from_this(), res](beast::error_code, std::size_t) {});
                return;
            }
            beast::get_lowest_layer(stream_).expires_never();
            std::make_shared<ws_session<Stream>>(std::move(stream_), owner_)->accept(std::move(req_));
            return;
        }
        res_ = std::make_shared<http::response<http::string_body>>(owner_->handle(req_));
        http::async_write(stream_, *res_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return;
            if (self->res_->keep_alive()) self->do_read();
            else {
                beast::error_code ignored;
                beast::get_lowest_layer(self->stream_).socket().shutdown(tcp::socket::shutdown_send, ignored);
            }
        });
    }

    Stream stream_;
    fake_slack::impl* owner_;  // outlives every session: the io_context that runs them is its member
    beast::flat_buffer buffer_;
    http::request<http::string_body> req_;
    std::shared_ptr<http::response<http::string_body>> res_;
};

}  // namespace

void fake_slack::impl::accept() {
    acceptor.async_accept([self = this](beast::error_code ec, tcp::socket socket) {
        if (ec) return;
        if (self->options.tls) {
            std::make_shared<http_session<beast::ssl_stream<beast::tcp_stream>>>(
                beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), *self->options.tls), self)
                ->run();
        } else {
            std::make_shared<http_session<beast::tcp_stream>>(beast::tcp_stream(std::move(socket)), self)->run();
        }
        self->accept();
    });
}

fake_slack::fake_slack(fake_slack_options options) : impl_(std::make_shared<impl>(std::move(options))) {
    tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
    impl_->acceptor.open(ep.protocol());
    impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
    impl_->acceptor.bind(ep);
    impl_->acceptor.listen();
    impl_->port = impl_->acceptor.local_endpoint().port();
    impl_->accept();
    impl_->thread = std::thread([i = impl_] { i->io.run(); });
}

fake_slack::~fake_slack() {
    asio::post(impl_->io, [i = impl_] {
        boost::system::error_code ignored;
        i->acceptor.close(ignored);
        for (auto& w : i->sockets)
            if (auto s = w.lock()) s->abort();
        {
            std::lock_guard lock(i->mu);
            for (auto& [id, p] : i->unacked)
                if (p.timer) p.timer->cancel();
        }
        i->io.stop();
    });
    impl_->thread.join();
}

std::string fake_slack::api_base_url() const {
    return std::string(impl_->options.tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(impl_->port) + "/api/";
}
unsigned short fake_slack::port() const { return impl_->port; }

namespace {
// A user as users.list, users.info and user_change show it: the fields of
// the example in docs.slack.dev/reference/methods/users.list (about 1.3 KB
// of JSON a user, most of it the profile's avatar URLs), so that the bot's
// parsing of a 200-user page costs what it costs against Slack.
json user_object(const std::string& id, const std::string& tz, bool is_bot, bool deleted) {
    const std::string avatar = "https://avatars.slack-edge.com/2026-01-01/" + id + "_0123456789abcdef0123_";
    json profile = {{"avatar_hash", "g0123456789a"},
                    {"status_text", "Print is dead"},
                    {"status_emoji", ":books:"},
                    {"status_expiration", 0},
                    {"title", "Senior software engineer"},
                    {"phone", ""},
                    {"skype", ""},
                    {"real_name", "Member " + id},
                    {"real_name_normalized", "Member " + id},
                    {"display_name", id},
                    {"display_name_normalized", id},
                    {"first_name", "Member"},
                    {"last_name", id},
                    {"email", id + "@example.com"},
                    {"fields", json::object()},
                    {"team", "T1"}};
    for (int size : {24, 32, 48, 72, 192, 512, 1024})
        profile["image_" + std::to_string(size)] = avatar + std::to_string(size) + ".jpg";
    profile["image_original"] = avatar + "original.jpg";
    profile["is_custom_image"] = true;
    return {{"id", id},
            {"team_id", "T1"},
            {"name", id},
            {"deleted", deleted},
            {"color", "9f69e7"},
            {"real_name", "Member " + id},
            {"tz", tz},
            {"tz_label", tz.empty() ? "" : "Pacific Standard Time"},
            {"tz_offset", -28800},
            {"profile", profile},
            {"is_admin", false},
            {"is_owner", false},
            {"is_primary_owner", false},
            {"is_restricted", false},
            {"is_ultra_restricted", false},
            {"is_bot", is_bot},
            {"is_app_user", false},
            {"updated", 1767225600},
            {"is_email_confirmed", true},
            {"has_2fa", false},
            {"who_can_share_contact_card", "EVERYONE"}};
}
}  // namespace

void fake_slack::add_user(const std::string& id, const std::string& tz, bool is_bot, bool deleted) {
    std::lock_guard lock(impl_->mu);
    impl_->users[id] = user_object(id, tz, is_bot, deleted);
    impl_->user_texts[id] = impl_->users[id].dump();
}

void fake_slack::add_raw_list_entry(json entry) {
    std::lock_guard lock(impl_->mu);
    impl_->raw_list_entries.push_back(std::move(entry));
}

std::string fake_slack::change_user(const std::string& id, const std::string& tz, bool is_bot, bool deleted) {
    json user = user_object(id, tz, is_bot, deleted);
    {
        std::lock_guard lock(impl_->mu);
        impl_->users[id] = user;
        impl_->user_texts[id] = user.dump();
    }
    return send_event({{"type", "user_change"}, {"user", user}, {"cache_ts", 1700000000}, {"event_ts", "1700000000.000300"}});
}

std::string fake_slack::send_event(json event) {
    const std::string event_id = impl_->next_id("Ev");
    return send_envelope({{"type", "events_api"},
                          {"accepts_response_payload", false},
                          {"retry_attempt", 0},
                          {"retry_reason", ""},
                          {"payload",
                           {{"team_id", "T1"},
                            {"api_app_id", "A1"},
                            {"type", "event_callback"},
                            {"event_id", event_id},
                            {"event_time", 1700000000},
                            {"event", std::move(event)}}}});
}

void fake_slack::set_channel_members(const std::string& channel, std::vector<std::string> members) {
    std::lock_guard lock(impl_->mu);
    impl_->channel_members[channel] = std::move(members);
}

std::string fake_slack::send_envelope(json envelope) {
    if (!envelope.contains("envelope_id")) envelope["envelope_id"] = impl_->next_id("env-");
    std::string id = envelope["envelope_id"].get<std::string>();
    asio::post(impl_->io, [i = impl_, e = std::move(envelope)]() mutable { i->push(std::move(e)); });
    return id;
}

std::string fake_slack::send_dm(const std::string& user, const std::string& text) {
    return send_envelope(dm_envelope(user, text));
}

json fake_slack::dm_envelope(const std::string& user, const std::string& text) {
    const std::string event_id = impl_->next_id("Ev");
    return json({{"envelope_id", impl_->next_id("env-")},
                          {"type", "events_api"},
                          {"accepts_response_payload", false},
                          {"retry_attempt", 0},
                          {"retry_reason", ""},
                          {"payload",
                           {{"token", "verification"},
                            {"team_id", "T1"},
                            {"api_app_id", "A1"},
                            {"type", "event_callback"},
                            {"event_id", event_id},
                            {"event_time", 1700000000},
                            {"event",
                             {{"type", "message"},
                              {"channel", "D" + user},
                              {"user", user},
                              {"text", text},
                              {"ts", "1700000000.000100"},
                              {"channel_type", "im"},
                              {"team", "T1"},
                              {"client_msg_id", event_id}}}}}});
}

std::string fake_slack::send_mention(const std::string& user, const std::string& channel, const std::string& text) {
    const std::string event_id = impl_->next_id("Ev");
    return send_envelope(
        {{"type", "events_api"},
         {"accepts_response_payload", false},
         {"retry_attempt", 0},
         {"retry_reason", ""},
         {"payload",
          {{"team_id", "T1"},
           {"type", "event_callback"},
           {"event_id", event_id},
           {"event",
            {{"type", "app_mention"},
             {"user", user},
             {"text", "<@" + impl_->options.bot_user + "> " + text},
             {"ts", "1700000000.000200"},
             {"channel", channel},
             {"team", "T1"}}}}}});
}

std::string fake_slack::send_slash(const std::string& user, const std::string& channel, const std::string& command,
                                   const std::string& text) {
    return send_envelope(slash_envelope(user, channel, command, text));
}

json fake_slack::slash_envelope(const std::string& user, const std::string& channel, const std::string& command,
                                const std::string& text) {
    const std::string trigger = impl_->next_id("trigger.");
    {
        std::lock_guard lock(impl_->mu);
        impl_->triggers[trigger] = {steady::now(), false};
        impl_->last_trigger = trigger;
    }
    return json({{"envelope_id", impl_->next_id("env-")},
                          {"type", "slash_commands"},
                          {"accepts_response_payload", true},
                          {"payload",
                           {{"token", "verification"},
                            {"team_id", "T1"},
                            {"team_domain", "fake"},
                            {"channel_id", channel},
                            {"channel_name", "somewhere"},
                            {"user_id", user},
                            {"user_name", "someone"},
                            {"command", command},
                            {"text", text},
                            {"api_app_id", "A1"},
                            {"response_url", "https://hooks.slack.invalid/commands/1"},
                            {"trigger_id", trigger}}}});
}

std::string fake_slack::click_button(const std::string& user, const std::string& action_id, const std::string& value) {
    const std::string trigger = impl_->next_id("trigger.");
    {
        std::lock_guard lock(impl_->mu);
        impl_->triggers[trigger] = {steady::now(), false};
        impl_->last_trigger = trigger;
    }
    return send_envelope(
        {{"type", "interactive"},
         {"accepts_response_payload", false},
         {"payload",
          {{"type", "block_actions"},
           {"user", {{"id", user}, {"team_id", "T1"}}},
           {"team", {{"id", "T1"}}},
           {"channel", {{"id", "D" + user}}},
           {"container", {{"type", "message"}, {"channel_id", "D" + user}}},
           {"trigger_id", trigger},
           {"actions", json::array({{{"action_id", action_id},
                                     {"block_id", "b"},
                                     {"value", value},
                                     {"type", "button"},
                                     {"action_ts", "1700000000.1"}}})}}}});
}

std::string fake_slack::submit_view(const std::string& user, const json& view,
                                    const std::map<std::string, std::string>& values_by_block) {
    json values = json::object();
    for (const auto& [block, value] : values_by_block)
        values[block] = {{"answer", {{"type", "plain_text_input"}, {"value", value}}}};
    json v = view;
    v["state"] = {{"values", values}};
    v["hash"] = "h1";
    return send_envelope({{"type", "interactive"},
                          {"accepts_response_payload", true},
                          {"payload", {{"type", "view_submission"}, {"user", {{"id", user}}}, {"team", {{"id", "T1"}}}, {"view", v}}}});
}

void fake_slack::feed(std::vector<json> envelopes, int window) {
    std::vector<std::pair<std::string, std::string>> frames;
    frames.reserve(envelopes.size());
    for (auto& e : envelopes) frames.emplace_back(str(e, "envelope_id"), e.dump());
    asio::post(impl_->io, [i = impl_, frames = std::move(frames), window]() mutable {
        i->feed_frames = std::move(frames);
        i->feed_next = 0;
        auto s = i->newest_socket();
        for (int k = 0; s && k < window && i->feed_next < i->feed_frames.size(); ++k) i->feed_one(s);
    });
}

void fake_slack::send_raw(const std::string& frame) {
    asio::post(impl_->io, [i = impl_, frame] {
        if (auto s = i->newest_socket()) s->send(frame);
    });
}

void fake_slack::send_disconnect(const std::string& reason) {
    asio::post(impl_->io, [i = impl_, reason] {
        for (auto& w : i->sockets)
            if (auto s = w.lock(); s && s->open())
                s->send(json{{"type", "disconnect"}, {"reason", reason}, {"debug_info", {{"host", "wss-fake"}}}}.dump());
    });
}

void fake_slack::drop_connections() {
    std::promise<void> done;
    asio::post(impl_->io, [i = impl_, &done] {
        for (auto& w : i->sockets)
            if (auto s = w.lock()) s->abort();
        done.set_value();
    });
    done.get_future().wait();
}

void fake_slack::ignore_next_acks(int n) {
    std::lock_guard lock(impl_->mu);
    impl_->ignore_acks = n;
}

void fake_slack::refuse_connections(bool refuse) {
    std::lock_guard lock(impl_->mu);
    impl_->refuse = refuse;
}

void fake_slack::rate_limit_next(const std::string& method, int count, int retry_after_seconds) {
    std::lock_guard lock(impl_->mu);
    for (int i = 0; i < count; ++i) impl_->faults[method].push_back({429, retry_after_seconds, {}});
}

void fake_slack::fail_next(const std::string& method, int count, int http_status) {
    std::lock_guard lock(impl_->mu);
    for (int i = 0; i < count; ++i) impl_->faults[method].push_back({http_status, 0, {}});
}

void fake_slack::fail_next_with(const std::string& method, int count, const std::string& slack_error) {
    std::lock_guard lock(impl_->mu);
    for (int i = 0; i < count; ++i) impl_->faults[method].push_back({200, 0, slack_error});
}

std::vector<api_call> fake_slack::calls(const std::string& method) const {
    std::lock_guard lock(impl_->mu);
    std::vector<api_call> out;
    for (const auto& c : impl_->calls)
        if (method.empty() || c.method == method) out.push_back(c);
    return out;
}

std::size_t fake_slack::ok_calls(const std::string& method) const {
    std::lock_guard lock(impl_->mu);
    return static_cast<std::size_t>(std::count_if(impl_->calls.begin(), impl_->calls.end(),
                                                   [&](const api_call& c) { return c.ok && c.method == method; }));
}

std::size_t fake_slack::rate_limited_calls() const {
    std::lock_guard lock(impl_->mu);
    std::size_t n = 0;
    for (const auto& c : impl_->calls)
        if (c.http_status == 429) ++n;
    return n;
}

std::optional<ack_record> fake_slack::ack_of(const std::string& envelope_id) const {
    std::lock_guard lock(impl_->mu);
    auto it = impl_->acks.find(envelope_id);
    if (it == impl_->acks.end()) return std::nullopt;
    return it->second;
}

std::vector<ack_record> fake_slack::acks() const {
    std::lock_guard lock(impl_->mu);
    std::vector<ack_record> out;
    for (const auto& id : impl_->ack_order) out.push_back(impl_->acks.at(id));
    return out;
}

std::size_t fake_slack::ack_count() const {
    std::lock_guard lock(impl_->mu);
    return impl_->ack_order.size();
}

int fake_slack::deliveries_of(const std::string& envelope_id) const {
    std::lock_guard lock(impl_->mu);
    auto it = impl_->deliveries.find(envelope_id);
    return it == impl_->deliveries.end() ? 0 : it->second;
}

int fake_slack::connections_opened() const {
    std::lock_guard lock(impl_->mu);
    return impl_->opened;
}

int fake_slack::open_connections() const {
    std::promise<int> n;
    asio::post(impl_->io, [i = impl_, &n] { n.set_value(static_cast<int>(i->open_count())); });
    return n.get_future().get();
}

std::string fake_slack::last_trigger_id() const {
    std::lock_guard lock(impl_->mu);
    return impl_->last_trigger;
}

void fake_slack::refuse_new_files(int n) {
    std::lock_guard lock(impl_->mu);
    impl_->refuse_files = n;
}

std::vector<uploaded_file> fake_slack::uploads() const {
    std::lock_guard lock(impl_->mu);
    std::vector<uploaded_file> out;
    for (const auto& id : impl_->file_order) out.push_back(impl_->files.at(id));
    return out;
}

std::optional<uploaded_file> fake_slack::upload_of(const std::string& file_id) const {
    std::lock_guard lock(impl_->mu);
    auto it = impl_->files.find(file_id);
    if (it == impl_->files.end()) return std::nullopt;
    return it->second;
}

std::vector<json> fake_slack::messages_to(const std::string& channel) const {
    std::vector<json> out;
    for (const auto& c : calls("chat.postMessage"))
        if (c.http_status == 200 && str(c.args, "channel") == channel) out.push_back(c.args);
    return out;
}

std::vector<json> fake_slack::dms_to(const std::string& user) const { return messages_to("D" + user); }

std::string fake_slack::text_of(const json& m) {
    std::string out;
    auto add = [&](const std::string& s) {
        if (s.empty()) return;
        out += (out.empty() ? "" : "\n") + s;
    };
    if (m.contains("blocks") && m["blocks"].is_array() && !m["blocks"].empty()) {
        for (const auto& b : m["blocks"]) {
            if (b.contains("text") && b["text"].is_object()) add(str(b["text"], "text"));
            if (b.contains("elements") && b["elements"].is_array())
                for (const auto& e : b["elements"]) {
                    if (e.contains("text") && e["text"].is_string()) add(e["text"].get<std::string>());
                    else if (e.contains("text") && e["text"].is_object()) add(str(e["text"], "text"));
                }
        }
    } else {
        add(str(m, "text"));
    }
    return out;
}

bool fake_slack::wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout,
                            const std::function<void()>& step) {
    const auto end = steady::now() + timeout;
    while (!done()) {
        if (steady::now() >= end) return false;
        if (step) step();
        else std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

}  // namespace ritualbot::testing
