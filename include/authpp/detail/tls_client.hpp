// authpp/detail/tls_client.hpp — the client side of TLS as every authpp
// connection sets it up (the HTTP transports, redis_store over rediss://),
// so that what is verified is decided in one place: the peer's chain against
// a CA file or the system trust store, TLS 1.2 at least, and the peer's name
// (host name or IP address) checked by OpenSSL itself while it verifies.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>

namespace authpp::detail {

/// A client context trusting `ca_file` (PEM; empty: the system trust store).
/// Null, with `ec` set to what OpenSSL said, when the file cannot be loaded.
inline std::shared_ptr<boost::asio::ssl::context> make_tls_client_context(const std::string& ca_file,
                                                                          bool verify_peer,
                                                                          boost::system::error_code& ec) {
    namespace ssl = boost::asio::ssl;
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    if (ca_file.empty()) ctx->set_default_verify_paths(ec);
    else ctx->load_verify_file(ca_file, ec);
    if (ec) return nullptr;
    ctx->set_verify_mode(verify_peer ? ssl::verify_peer : ssl::verify_none);
    return ctx;
}

inline bool is_ip_literal(const std::string& host) {
    boost::system::error_code ec;
    (void)boost::asio::ip::make_address(host, ec);
    return !ec;
}

/// SNI (for a name: RFC 6066 allows no address there) and, when verifying,
/// the name or address the certificate must carry — an IP address is
/// matched against the certificate's IP SANs only.
inline bool set_tls_peer_name(SSL* ssl, const std::string& host, bool verify) {
    const bool ip = is_ip_literal(host);
    if (!ip && !SSL_set_tlsext_host_name(ssl, host.c_str())) return false;
    if (!verify) return true;
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    return ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) == 1
              : X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size()) == 1;
}

} // namespace authpp::detail
