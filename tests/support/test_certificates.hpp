#pragma once
// Certificates made at test run time with OpenSSL (no keys in the
// repository): a throw-away CA and a server certificate it signed for
// 127.0.0.1, ::1 and localhost.
#include <string>

namespace ritualbot::testing {

struct test_pki {
    std::string ca_pem;           // what a client adds to its trust store
    std::string server_cert_pem;  // the server's certificate
    std::string server_key_pem;   // and its private key
};

// A new CA and server certificate on every call (ECDSA P-256, valid a day);
// `subject_alt_names` in OpenSSL's syntax.
test_pki make_test_pki(const std::string& subject_alt_names = "DNS:localhost,IP:127.0.0.1,IP:::1");

// One per process, made on first use; most tests need just one.
const test_pki& shared_test_pki();

}  // namespace ritualbot::testing
