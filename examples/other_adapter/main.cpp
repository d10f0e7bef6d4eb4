// authpp-cgi — the same calls as the Beast servers, through an adapter for
// another server style: CGI (RFC 3875), where the request arrives in
// environment variables and stdin and the response leaves on stdout. Any
// web server that runs CGI programs (Apache, lighttpd, nginx + fcgiwrap)
// gets the Auth.js actions and the middleware this way:
//
//   ScriptAlias /api/auth /usr/lib/cgi-bin/authpp-cgi      (AUTH_SECRET in the CGI environment)
//
// The adapter is the two functions below: a dozen lines each way, no
// authpp internals, which is what any adapter should come to.
#include <authpp/blocking.hpp>
#include <authpp/endpoints.hpp>
#include <authpp/middleware.hpp>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

namespace {

std::string_view env(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::string_view(v) : std::string_view{};
}

/// CGI request → server_request. `target` and `body` are the storage the
/// views point into.
authpp::http::server_request from_cgi(std::string& target, std::string& body) {
    target = std::string(env("SCRIPT_NAME")) + std::string(env("PATH_INFO"));
    if (!env("QUERY_STRING").empty()) target += "?" + std::string(env("QUERY_STRING"));
    const auto length = std::strtoul(std::string(env("CONTENT_LENGTH")).c_str(), nullptr, 10);
    if (length > 0 && length <= 64 * 1024) { // the actions take small forms; larger bodies are not read
        body.resize(length);
        body.resize(std::fread(body.data(), 1, length, stdin));
    }
    authpp::http::server_request r;
    r.method = env("REQUEST_METHOD");
    r.target = target;
    r.cookie = env("HTTP_COOKIE");
    r.host = env("HTTP_HOST");
    r.content_type = env("CONTENT_TYPE");
    r.origin = env("HTTP_ORIGIN");
    r.x_auth_return_redirect = env("HTTP_X_AUTH_RETURN_REDIRECT");
    r.body = body;
    return r;
}

/// server_response → CGI response (a Status header, then the headers as they are).
void to_cgi(const authpp::http::server_response& res) {
    std::cout << "Status: " << res.status << "\r\n";
    for (const auto& [name, value] : res.headers) std::cout << name << ": " << value << "\r\n";
    std::cout << "Content-Length: " << res.body.size() << "\r\n\r\n" << res.body;
}

} // namespace

int main() {
    authpp::auth_options o = authpp::sandbox_options();
    authpp::load_env(o); // AUTH_SECRET(_1.._3), AUTH_URL
    o.protected_paths = {"/dashboard"};
    auto auth = authpp::blocking_auth::create(std::move(o));
    if (!auth) {
        to_cgi({500, {{"Content-Type", "text/plain"}}, "authpp: " + auth.error().message() + "\n"});
        return 0;
    }

    std::string target, body;
    const auto req = from_cgi(target, body);
    if (authpp::is_auth_request(auth->options(), req.path())) {
        to_cgi(authpp::handle_auth_request(*auth, req));
        return 0;
    }
    auto decision = authpp::run_middleware(*auth, req);
    authpp::http::server_response res;
    for (auto& c : decision.set_cookies) res.add_header("Set-Cookie", std::move(c));
    if (!decision.allowed) {
        res.status = decision.status;
        res.add_header("Location", decision.location);
    } else {
        res.add_header("Content-Type", "text/plain");
        res.body = decision.session ? "Hello, " + decision.session->user.sub + "\n" : "Hello, stranger\n";
    }
    to_cgi(res);
}
