#include "bot/net/tls.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/ssl/context.hpp>
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>

#include "bot/net/url.hpp"

namespace ritualbot::net {

namespace ssl = boost::asio::ssl;

namespace {

std::string openssl_error(const char* what) {
    std::string message = what;
    if (unsigned long code = ::ERR_get_error()) {
        char buf[256];
        ::ERR_error_string_n(code, buf, sizeof buf);
        message += ": ";
        message += buf;
    }
    ::ERR_clear_error();
    return message;
}

// The system's CA directory when it holds OpenSSL's hash links ("5ad8a5d6.0",
// made by update-ca-certificates), else "". $SSL_CERT_DIR names it (one
// directory; a list is left to OpenSSL's defaults), and $SSL_CERT_FILE, when
// set, means the operator chose a bundle: then "" too.
std::string hashed_ca_directory() {
    if (std::getenv(::X509_get_default_cert_file_env())) return "";
    const char* from_env = std::getenv(::X509_get_default_cert_dir_env());
    const std::string dir = from_env ? from_env : ::X509_get_default_cert_dir();
    if (dir.empty() || dir.find(':') != std::string::npos) return "";
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.size() == 10 && name.compare(8, 2, ".0") == 0 &&
            std::all_of(name.begin(), name.begin() + 8, [](unsigned char c) { return std::isxdigit(c); }))
            return dir;
    }
    return "";
}

}  // namespace

std::shared_ptr<ssl::context> make_tls_client_context(const tls_options& options) {
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
    ::SSL_CTX* native = ctx->native_handle();
    ::SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
    ctx->set_verify_mode(ssl::verify_peer);
    if (options.system_store) {
        // From the hashed directory, a handshake reads only the issuers it
        // needs, when it needs them. The default paths also parse the whole
        // bundle (/etc/ssl/certs/ca-certificates.crt, about 140 certificates)
        // at once: 1.5-2 MiB of heap and 40 ms of start-up, for one or two used.
        const std::string dir = hashed_ca_directory();
        const bool loaded = dir.empty() ? ::SSL_CTX_set_default_verify_paths(native) == 1
                                        : ::SSL_CTX_load_verify_dir(native, dir.c_str()) == 1;
        if (!loaded) throw tls_error(openssl_error("cannot load the system CA certificates"));
    }
    if (!options.extra_ca_file.empty() &&
        ::SSL_CTX_load_verify_locations(native, options.extra_ca_file.c_str(), nullptr) != 1)
        throw tls_error(openssl_error(("cannot load the CA file '" + options.extra_ca_file + "'").c_str()));
    if (!options.extra_ca_pem.empty()) {
        boost::system::error_code ec;
        ctx->add_certificate_authority(boost::asio::buffer(options.extra_ca_pem), ec);
        if (ec) throw tls_error("cannot load the extra CA certificate: " + ec.message());
    }
    return ctx;
}

std::string prepare_tls_client(ssl_st* connection, const std::string& host) {
    ::SSL_set_verify(connection, SSL_VERIFY_PEER, nullptr);
    ::X509_VERIFY_PARAM* param = ::SSL_get0_param(connection);
    if (is_ip_literal(host)) {
        // RFC 6066: SNI carries host names only; an address is checked against the certificate's IP SANs.
        if (::X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) != 1) return openssl_error("bad IP address");
        return "";
    }
    if (::SSL_set_tlsext_host_name(connection, host.c_str()) != 1) return openssl_error("cannot set SNI");
    ::X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (::SSL_set1_host(connection, host.c_str()) != 1) return openssl_error("cannot set the expected host name");
    return "";
}

std::string describe_tls_failure(ssl_st* connection, const std::error_code& ec) {
    const long verify = connection ? ::SSL_get_verify_result(connection) : X509_V_OK;
    if (verify != X509_V_OK)
        return std::string("certificate verify failed: ") + ::X509_verify_cert_error_string(verify);
    return ec.message();
}

}  // namespace ritualbot::net
