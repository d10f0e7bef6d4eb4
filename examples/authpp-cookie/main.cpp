// authpp-cookie — read or make an Auth.js session cookie from the command line.
//
//   authpp-cookie decode [--salt NAME] [--now UNIX_SECONDS]
//       stdin: a bare JWE, or one "Cookie: …" header line (the session cookie
//       named by --salt is found and its chunks joined). Prints the payload
//       as one line of JSON. Exit 0 ok, 1 cannot decode, 2 usage.
//   authpp-cookie encode [--salt NAME] [--max-age SECONDS] [--now UNIX_SECONDS]
//                        [--enc A256CBC-HS512|A256GCM] [--raw]
//       stdin: a JSON object of claims. Prints one Set-Cookie header value per
//       line (name=value; attributes — chunked into name.0, name.1, …
//       when large) or, with --raw, the bare token.
//
// Secrets come from AUTH_SECRET and AUTH_SECRET_1..3, as Auth.js reads them.
#include <authpp/authpp.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cctype>
#include <charconv>
#include <ctime>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

namespace {

constexpr const char* usage_text =
    "usage: authpp-cookie decode [--salt NAME] [--now UNIX_SECONDS]\n"
    "       authpp-cookie encode [--salt NAME] [--max-age SECONDS] [--now UNIX_SECONDS]\n"
    "                            [--enc A256CBC-HS512|A256GCM] [--raw]\n"
    "Secrets are read from AUTH_SECRET and AUTH_SECRET_1..3 (as Auth.js does).\n";

int usage(std::string_view why) {
    std::cerr << "authpp-cookie: " << why << "\n" << usage_text;
    return 2;
}

int fail(std::string_view why) {
    std::cerr << "authpp-cookie: " << why << "\n";
    return 1;
}

std::optional<std::int64_t> parse_int(std::string_view s) {
    std::int64_t v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

bool starts_with_icase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
            return false;
    return true;
}

struct options {
    std::string salt{authpp::session_cookie_name};
    std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
    std::int64_t max_age = authpp::authjs_default_max_age;
    authpp::jose::content_encryption enc = authpp::jose::content_encryption::a256cbc_hs512;
    bool raw = false;
};

int decode(const options& o) {
    const std::string input{std::istreambuf_iterator<char>(std::cin), {}};
    std::string_view in = trim(input);
    std::string token;
    if (starts_with_icase(in, "cookie:")) in = trim(in.substr(7));
    // A JWE never holds '=', ';' or spaces: anything that does is a Cookie header.
    if (in.find_first_of("=; ") != std::string_view::npos) {
        if (auto ec = authpp::cookie::read_session_cookie(in, o.salt, token))
            return fail(ec.message() + " (looked for cookie '" + o.salt + "')");
    } else {
        token.assign(in);
    }
    if (token.empty()) return fail("no token on standard input");
    const authpp::authjs_codec codec(authpp::secrets_from_env(), {o.salt});
    auto claims = codec.decode(token, o.salt, o.now);
    if (!claims) return fail(claims.error().message());
    std::cout << boost::json::serialize(*claims) << "\n";
    return 0;
}

int encode(const options& o) {
    const std::string input{std::istreambuf_iterator<char>(std::cin), {}};
    authpp::error_code ec;
    auto v = boost::json::parse(input, ec);
    if (ec) return fail("standard input is not JSON: " + ec.message());
    if (!v.is_object()) return fail("standard input must be a JSON object of claims");
    const authpp::authjs_codec codec(authpp::secrets_from_env(), {o.salt});
    auto token = codec.encode(v.get_object(), o.salt, o.max_age, o.now, o.enc);
    if (!token) return fail(token.error().message());
    if (o.raw) {
        std::cout << *token << "\n";
        return 0;
    }
    authpp::cookie::cookie_options co;
    co.secure = o.salt.starts_with("__Secure-") || o.salt.starts_with("__Host-");
    co.expires = o.now + o.max_age; // encode() has checked that the sum fits
    auto lines = authpp::cookie::write_session_cookie(o.salt, *token, co);
    if (!lines) return fail(lines.error().message());
    for (const auto& l : *lines) std::cout << l << "\n";
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) return usage("missing command");
    const std::string_view cmd = argv[1];
    if (cmd == "-h" || cmd == "--help") {
        std::cout << usage_text;
        return 0;
    }
    if (cmd != "decode" && cmd != "encode") return usage("unknown command '" + std::string(cmd) + "'");
    options o;
    for (int i = 2; i < argc; ++i) {
        const std::string_view a = argv[i];
        auto value = [&]() -> std::optional<std::string_view> {
            if (i + 1 >= argc) return std::nullopt;
            return std::string_view(argv[++i]);
        };
        if (a == "--salt") {
            auto v = value();
            if (!v || v->empty()) return usage("--salt needs a cookie name");
            o.salt.assign(*v);
        } else if (a == "--now") {
            auto v = value();
            auto n = v ? parse_int(*v) : std::nullopt;
            if (!n || *n < 0) return usage("--now needs Unix seconds");
            o.now = *n;
        } else if (a == "--max-age" && cmd == "encode") {
            auto v = value();
            auto n = v ? parse_int(*v) : std::nullopt;
            if (!n || *n < 0) return usage("--max-age needs a number of seconds");
            o.max_age = *n;
        } else if (a == "--enc" && cmd == "encode") {
            auto v = value();
            if (v == "A256CBC-HS512") o.enc = authpp::jose::content_encryption::a256cbc_hs512;
            else if (v == "A256GCM") o.enc = authpp::jose::content_encryption::a256gcm;
            else return usage("--enc takes A256CBC-HS512 or A256GCM");
        } else if (a == "--raw" && cmd == "encode") {
            o.raw = true;
        } else {
            return usage("unknown option '" + std::string(a) + "'");
        }
    }
    return cmd == "decode" ? decode(o) : encode(o);
}
