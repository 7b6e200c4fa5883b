#include "bot/chart_png.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>

extern char** environ;

namespace ritualbot {
namespace {

constexpr std::size_t max_png_bytes = 16 << 20;

// Renderers running at once, all io_contexts together: a Friday of 200 team
// digests must not start 200 processes (each maps librsvg and its fonts); the
// others wait their turn, polling every few milliseconds.
constexpr int max_renderers = 2;
constexpr auto renderer_wait = std::chrono::milliseconds(20);
std::atomic<int> renderers_running{0};

bool try_acquire_renderer() {
    int n = renderers_running.load();
    while (n < max_renderers)
        if (renderers_running.compare_exchange_weak(n, n + 1)) return true;
    return false;
}

// One renderer process: the SVG goes in on its standard input, the PNG (or
// the error) comes back on its standard output, both one socket pair so the
// bot writes without risking SIGPIPE and reads without blocking.
class render_job : public std::enable_shared_from_this<render_job> {
public:
    render_job(boost::asio::io_context& io, std::string svg, std::function<void(chart_png)> done)
        : socket_(io), timer_(io), svg_(std::move(svg)), done_(std::move(done)) {}

    ~render_job() {
        if (pid_ > 0) {  // the io_context stopped first
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        release();
    }

    void start() {
        if (!try_acquire_renderer()) {
            timer_.expires_after(renderer_wait);
            timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
                if (!ec) self->start();
            });
            return;
        }
        acquired_ = true;
        const std::string path = chart_renderer_path();
        if (::access(path.c_str(), X_OK) != 0)
            return fail("the chart renderer " + path + " is not installed (it is built beside ritualbot)");
        int fds[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
            return fail(std::string("socketpair: ") + std::strerror(errno));
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fds[1], 0);
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
        char* argv[] = {const_cast<char*>(path.c_str()), nullptr};
        const int rc = ::posix_spawn(&pid_, path.c_str(), &actions, nullptr, argv, environ);
        posix_spawn_file_actions_destroy(&actions);
        ::close(fds[1]);
        if (rc != 0) {
            pid_ = -1;
            ::close(fds[0]);
            return fail(std::string("cannot start the chart renderer: ") + std::strerror(rc));
        }
        boost::system::error_code ec;
        socket_.assign(boost::asio::local::stream_protocol(), fds[0], ec);
        if (ec) {
            ::close(fds[0]);
            return finish();
        }
        timer_.expires_after(std::chrono::seconds(chart_render_timeout_seconds));
        timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
            if (ec) return;
            self->timed_out_ = true;
            if (self->pid_ > 0) ::kill(self->pid_, SIGKILL);
        });
        boost::asio::async_write(socket_, boost::asio::buffer(svg_),
                                 [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                                     boost::system::error_code ignored;
                                     if (!ec) self->socket_.shutdown(boost::asio::socket_base::shutdown_send, ignored);
                                     self->read();
                                 });
    }

private:
    void read() {
        boost::asio::async_read(socket_, boost::asio::dynamic_buffer(out_, max_png_bytes + 1),
                                [self = shared_from_this()](boost::system::error_code, std::size_t) { self->finish(); });
    }

    void finish() {
        boost::system::error_code ignored;
        timer_.cancel();
        socket_.close(ignored);
        int status = 0;
        if (pid_ > 0) {
            // Its output ended: it has exited or is about to (or was killed).
            if (out_.size() > max_png_bytes) ::kill(pid_, SIGKILL);
            while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
            }
            pid_ = -1;
        }
        chart_png png;
        if (timed_out_) {
            png.error = "the chart renderer took longer than " + std::to_string(chart_render_timeout_seconds) + " s";
        } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
            if (auto size = png_size(out_)) {
                png.bytes = std::move(out_);
                png.width = size->first;
                png.height = size->second;
            } else {
                png.error = "the chart renderer's answer is not a PNG";
            }
        } else if (WIFEXITED(status) && WEXITSTATUS(status) == 2) {
            png.error = out_.substr(0, 300);
        } else {
            png.error = WIFSIGNALED(status) ? "the chart renderer died of signal " + std::to_string(WTERMSIG(status))
                                            : "the chart renderer failed (exit " +
                                                  std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")";
        }
        deliver(std::move(png));
    }

    void fail(std::string why) {
        chart_png png;
        png.error = std::move(why);
        // Answered from the io_context like every other outcome, never from inside the call.
        boost::asio::post(socket_.get_executor(), [self = shared_from_this(), png = std::move(png)]() mutable {
            self->deliver(std::move(png));
        });
    }

    void release() {
        if (acquired_) renderers_running.fetch_sub(1);
        acquired_ = false;
    }

    void deliver(chart_png png) {
        release();
        if (!done_) return;
        auto done = std::move(done_);
        done_ = nullptr;
        done(std::move(png));
    }

    boost::asio::local::stream_protocol::socket socket_;
    boost::asio::steady_timer timer_;
    std::string svg_, out_;
    std::function<void(chart_png)> done_;
    pid_t pid_ = -1;
    bool timed_out_ = false;
    bool acquired_ = false;  // holds one of the max_renderers places
};

}  // namespace

std::string chart_renderer_path() {
    if (const char* env = std::getenv("RITUALBOT_CHART_RENDERER"); env && *env) return env;
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) return "ritualbot-chart";
    return (self.parent_path() / "ritualbot-chart").string();
}

void render_chart_png_async(boost::asio::io_context& io, std::string svg, std::function<void(chart_png)> done) {
    if (svg.empty()) {
        boost::asio::post(io, [done = std::move(done)] {
            chart_png png;
            png.error = "no SVG";
            done(std::move(png));
        });
        return;
    }
    std::make_shared<render_job>(io, std::move(svg), std::move(done))->start();
}

chart_png render_chart_png(std::string_view svg) {
    boost::asio::io_context io;
    chart_png out;
    render_chart_png_async(io, std::string(svg), [&out](chart_png png) { out = std::move(png); });
    io.run();
    return out;
}

std::optional<std::pair<int, int>> png_size(std::string_view png) {
    static constexpr unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    // Signature, then the IHDR chunk: length (13), "IHDR", width, height (big-endian).
    if (png.size() < 24 || !std::equal(signature, signature + 8, reinterpret_cast<const unsigned char*>(png.data())) ||
        png.substr(12, 4) != "IHDR")
        return std::nullopt;
    auto be32 = [&](std::size_t at) {
        const auto* p = reinterpret_cast<const unsigned char*>(png.data() + at);
        return (static_cast<std::uint32_t>(p[0]) << 24) | (static_cast<std::uint32_t>(p[1]) << 16) |
               (static_cast<std::uint32_t>(p[2]) << 8) | p[3];
    };
    const std::uint32_t w = be32(16), h = be32(20);
    if (w == 0 || h == 0 || w > 0x7fffffff || h > 0x7fffffff) return std::nullopt;
    return std::make_pair(static_cast<int>(w), static_cast<int>(h));
}

}  // namespace ritualbot
