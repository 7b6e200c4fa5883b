#include "bot/chart_helper.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>

extern char** environ;

namespace ritualbot {
namespace {

// Helpers running at once, all io_contexts together: a Friday of 200 team
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

// One helper process: the input goes in on its standard input, the drawing
// (or the error) comes back on its standard output, both one socket pair so
// the bot writes without risking SIGPIPE and reads without blocking.
class helper_job : public std::enable_shared_from_this<helper_job> {
public:
    helper_job(boost::asio::io_context& io, std::vector<std::string> args, std::string input, std::size_t max_output,
               std::function<void(chart_helper_result)> done)
        : socket_(io),
          timer_(io),
          args_(std::move(args)),
          input_(std::move(input)),
          max_output_(max_output),
          done_(std::move(done)) {}

    ~helper_job() {
        if (pid_ > 0) {  // the io_context stopped first
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        release();
    }

    // unlimited: not counted against max_renderers (see run_chart_helper).
    void start(bool unlimited = false) {
        if (!unlimited && !try_acquire_renderer()) {
            timer_.expires_after(renderer_wait);
            timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
                if (!ec) self->start();
            });
            return;
        }
        acquired_ = !unlimited;
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
        std::vector<char*> argv{const_cast<char*>(path.c_str())};
        for (auto& a : args_) argv.push_back(a.data());
        argv.push_back(nullptr);
        const int rc = ::posix_spawn(&pid_, path.c_str(), &actions, nullptr, argv.data(), environ);
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
        boost::asio::async_write(socket_, boost::asio::buffer(input_),
                                 [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                                     boost::system::error_code ignored;
                                     if (!ec) self->socket_.shutdown(boost::asio::socket_base::shutdown_send, ignored);
                                     self->read();
                                 });
    }

private:
    void read() {
        boost::asio::async_read(socket_, boost::asio::dynamic_buffer(out_, max_output_ + 1),
                                [self = shared_from_this()](boost::system::error_code, std::size_t) { self->finish(); });
    }

    void finish() {
        boost::system::error_code ignored;
        timer_.cancel();
        socket_.close(ignored);
        int status = 0;
        if (pid_ > 0) {
            // Its output ended: it has exited or is about to (or was killed).
            if (out_.size() > max_output_) ::kill(pid_, SIGKILL);
            while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
            }
            pid_ = -1;
        }
        chart_helper_result r;
        if (timed_out_) {
            r.error = "the chart renderer took longer than " + std::to_string(chart_render_timeout_seconds) + " s";
        } else if (out_.size() > max_output_) {
            r.error = "the chart renderer's answer is larger than " + std::to_string(max_output_ >> 20) + " MiB";
        } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
            r.ok = true;
            r.output = std::move(out_);
        } else if (WIFEXITED(status) && WEXITSTATUS(status) == 2) {
            r.error = out_.substr(0, 300);
        } else {
            r.error = WIFSIGNALED(status) ? "the chart renderer died of signal " + std::to_string(WTERMSIG(status))
                                          : "the chart renderer failed (exit " +
                                                std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")";
        }
        deliver(std::move(r));
    }

    void fail(std::string why) {
        chart_helper_result r;
        r.error = std::move(why);
        // Answered from the io_context like every other outcome, never from inside the call.
        boost::asio::post(socket_.get_executor(), [self = shared_from_this(), r = std::move(r)]() mutable {
            self->deliver(std::move(r));
        });
    }

    void release() {
        if (acquired_) renderers_running.fetch_sub(1);
        acquired_ = false;
    }

    void deliver(chart_helper_result r) {
        release();
        if (!done_) return;
        auto done = std::move(done_);
        done_ = nullptr;
        done(std::move(r));
    }

    boost::asio::local::stream_protocol::socket socket_;
    boost::asio::steady_timer timer_;
    std::vector<std::string> args_;
    std::string input_, out_;
    std::size_t max_output_;
    std::function<void(chart_helper_result)> done_;
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

void run_chart_helper_async(boost::asio::io_context& io, std::vector<std::string> args, std::string input,
                            std::size_t max_output, std::function<void(chart_helper_result)> done) {
    std::make_shared<helper_job>(io, std::move(args), std::move(input), max_output, std::move(done))->start();
}

chart_helper_result run_chart_helper(std::vector<std::string> args, std::string input, std::size_t max_output) {
    boost::asio::io_context io;
    chart_helper_result out;
    // Not counted against max_renderers: the caller's own event loop is the
    // one blocked here, so renderers it started could never give their
    // places back, and waiting for one would wait for ever.
    std::make_shared<helper_job>(io, std::move(args), std::move(input), max_output,
                                 [&out](chart_helper_result r) { out = std::move(r); })
        ->start(/*unlimited=*/true);
    io.run();
    return out;
}

}  // namespace ritualbot
