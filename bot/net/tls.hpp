#pragma once
// The OpenSSL client side shared by every HTTPS and wss:// connection:
// peer verification against the system CA store (plus an optional extra CA,
// for tests or a private homeserver), TLS 1.2 at least, SNI and a host-name
// (or IP) check on each connection.
//
//   auto ctx = net::make_tls_client_context({.extra_ca_file = "/etc/ritualbot/ca.pem"});
//   ... beast::ssl_stream<beast::tcp_stream> stream(io, *ctx);
//   if (auto err = net::prepare_tls_client(stream.native_handle(), "matrix.example.org"); !err.empty()) ...
//   co_await stream.async_handshake(ssl::stream_base::client, ...);
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>

struct ssl_st;  // OpenSSL's SSL

namespace boost::asio::ssl {
class context;
}

namespace ritualbot::net {

struct tls_options {
    bool system_store = true;   // trust the system's CA certificates
    std::string extra_ca_file;  // PEM file trusted as well
    std::string extra_ca_pem;   // PEM text trusted as well (tests)
};

struct tls_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Throws tls_error when a CA cannot be loaded.
std::shared_ptr<boost::asio::ssl::context> make_tls_client_context(const tls_options& options = {});

// Before the handshake: SNI for host names (never for IP literals), and the
// name or address the peer's certificate must match. Returns "" or why not.
std::string prepare_tls_client(ssl_st* connection, const std::string& host);

// After a failed handshake: the certificate verification result when that
// was the cause ("certificate verify failed: self-signed certificate"),
// else the error's own message.
std::string describe_tls_failure(ssl_st* connection, const std::error_code& ec);

}  // namespace ritualbot::net
