// wss:// and https:// against the fake Slack behind TLS on 127.0.0.1, with a
// CA made at run time; and the same socket refused when the CA is not trusted.
#include <gtest/gtest.h>

#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "bot/net/tls.hpp"
#include "bot/net/websocket_client.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/slack_test_bot.hpp"
#include "tests/support/test_certificates.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;
using namespace std::chrono_literals;
namespace ssl = boost::asio::ssl;

namespace {

std::shared_ptr<ssl::context> server_context(const test_pki& pki) {
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
    ctx->use_certificate_chain(boost::asio::buffer(pki.server_cert_pem));
    ctx->use_private_key(boost::asio::buffer(pki.server_key_pem), ssl::context::pem);
    return ctx;
}

std::shared_ptr<ssl::context> client_trusting(const std::string& ca_pem) {
    net::tls_options o;
    o.system_store = false;
    o.extra_ca_pem = ca_pem;
    return net::make_tls_client_context(o);
}

// A context on the system store only, made with $SSL_CERT_DIR = `dir` and
// $SSL_CERT_FILE = `file` (unset when null); the environment is put back.
std::shared_ptr<ssl::context> system_store_context(const std::string& dir, const char* file) {
    const char* old_dir = std::getenv("SSL_CERT_DIR");
    const char* old_file = std::getenv("SSL_CERT_FILE");
    const std::string saved_dir = old_dir ? old_dir : "", saved_file = old_file ? old_file : "";
    setenv("SSL_CERT_DIR", dir.c_str(), 1);
    if (file) setenv("SSL_CERT_FILE", file, 1);
    else unsetenv("SSL_CERT_FILE");
    auto ctx = net::make_tls_client_context();
    if (old_dir) setenv("SSL_CERT_DIR", saved_dir.c_str(), 1);
    else unsetenv("SSL_CERT_DIR");
    if (old_file) setenv("SSL_CERT_FILE", saved_file.c_str(), 1);
    else unsetenv("SSL_CERT_FILE");
    return ctx;
}

// Certificates parsed into the context's store so far.
int certificates_loaded(ssl::context& ctx) {
    return sk_X509_OBJECT_num(::X509_STORE_get0_objects(::SSL_CTX_get_cert_store(ctx.native_handle())));
}

const char* const config_toml = R"(
[[teams]]
name = "alpha"
platform = "slack"
channel = "C0ALPHA"
members = ["UALICE"]
)";

}  // namespace

TEST(SlackTls, WholeSessionOverHttpsAndWssWithTheTestCa) {
    auto server_tls = server_context(shared_test_pki());
    fake_slack_options o;
    o.tls = server_tls.get();
    fake_slack slack(o);
    slack.add_user("UALICE", "Europe/Berlin");
    ASSERT_EQ(slack.api_base_url().substr(0, 8), "https://");
    slack_test_bot bot(config_toml, "2026-11-19T09:00:00Z", slack, fast_slack_options(),
                       client_trusting(shared_test_pki().ca_pem));
    ASSERT_TRUE(bot.start());
    slack.send_dm("UALICE", "/update");
    ASSERT_TRUE(bot.run_until([&] { return !slack.dms_to("UALICE").empty(); }));
    EXPECT_NE(fake_slack::text_of(slack.dms_to("UALICE")[0]).find("Question 1 of 4"), std::string::npos);
}

TEST(SlackTls, UntrustedCertificateIsRefused) {
    auto server_tls = server_context(shared_test_pki());
    fake_slack_options o;
    o.tls = server_tls.get();
    fake_slack slack(o);
    const test_pki other = make_test_pki();  // a CA the server's certificate does not come from
    auto untrusted = client_trusting(other.ca_pem);

    boost::asio::io_context io;
    bool opened = false;
    std::optional<std::string> closed;
    net::websocket_options wo;
    wo.tls = untrusted.get();
    net::websocket_handlers h;
    h.on_open = [&] { opened = true; };
    h.on_close = [&](const std::string& error) { closed = error; };
    auto ws = net::websocket_client::create(io, wo, h);
    ws->connect("wss://127.0.0.1:" + std::to_string(slack.port()) + "/link/?ticket=1");
    fake_slack::wait_until([&] { return closed.has_value(); }, 5s, [&] {
        io.restart();
        io.run_for(5ms);
    });
    ASSERT_TRUE(closed);
    EXPECT_FALSE(opened);
    EXPECT_NE(closed->find("certif"), std::string::npos) << *closed;
    EXPECT_EQ(slack.connections_opened(), 0);

    // The trusted CA gets through the same server.
    std::optional<std::string> first_frame;
    auto trusted = client_trusting(shared_test_pki().ca_pem);
    wo.tls = trusted.get();
    h.on_message = [&](std::string text) { first_frame = text; };
    auto ok = net::websocket_client::create(io, wo, h);
    ok->connect("wss://127.0.0.1:" + std::to_string(slack.port()) + "/link/?ticket=2");
    fake_slack::wait_until([&] { return first_frame.has_value(); }, 5s, [&] {
        io.restart();
        io.run_for(5ms);
    });
    ASSERT_TRUE(first_frame);
    EXPECT_NE(first_frame->find("\"hello\""), std::string::npos);
    ok->close();
    io.restart();
    io.run_for(50ms);
}

// The system store is the hashed CA directory (as /etc/ssl/certs is): nothing
// is parsed when the context is made (the whole bundle was: about 140
// certificates, 1.5-2 MiB), and a handshake finds its issuer there by hash.
// With $SSL_CERT_FILE set, that file is read whole.
TEST(SlackTls, TheSystemStoreIsReadFromTheHashedDirectoryAsNeeded) {
    const auto dir = std::filesystem::temp_directory_path() / ("ritualbot-ca-dir-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    {
        ::BIO* bio = ::BIO_new_mem_buf(shared_test_pki().ca_pem.data(), static_cast<int>(shared_test_pki().ca_pem.size()));
        ::X509* ca = ::PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
        ASSERT_NE(ca, nullptr);
        char name[16];
        std::snprintf(name, sizeof name, "%08lx.0", ::X509_subject_name_hash(ca));
        ::X509_free(ca);
        ::BIO_free(bio);
        std::ofstream(dir / name) << shared_test_pki().ca_pem;
    }
    auto client = system_store_context(dir.string(), nullptr);
    EXPECT_EQ(certificates_loaded(*client), 0) << "certificates were parsed before any handshake asked for them";

    // $SSL_CERT_FILE names a bundle the operator chose: it is read whole, as before.
    const auto bundle = dir / "bundle.pem";
    std::ofstream(bundle) << shared_test_pki().ca_pem;
    EXPECT_EQ(certificates_loaded(*system_store_context(dir.string(), bundle.c_str())), 1);

    auto server_tls = server_context(shared_test_pki());
    fake_slack_options o;
    o.tls = server_tls.get();
    fake_slack slack(o);
    slack.add_user("UALICE", "Europe/Berlin");
    slack_test_bot bot(config_toml, "2026-11-19T09:00:00Z", slack, fast_slack_options(), client);
    ASSERT_TRUE(bot.start());
    slack.send_dm("UALICE", "/update");
    EXPECT_TRUE(bot.run_until([&] { return !slack.dms_to("UALICE").empty(); }));
    std::filesystem::remove_all(dir);
}
