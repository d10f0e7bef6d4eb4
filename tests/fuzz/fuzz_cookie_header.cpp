// cookie/cookie_header.hpp and cookie/chunking.hpp on arbitrary Cookie header
// bytes: the pair iterator, find(), the value decoding (url/percent.hpp's
// percent_decode_or_keep), the session cookie lookup with chunk joining, and
// write_session_cookie() against the same header as the incoming one —
// replayed through a model of the browser's cookie jar, the new header must
// read back as exactly the value written.
#include "fuzz_common.hpp"

#include <authpp/constants.hpp>
#include <authpp/cookie/chunking.hpp>
#include <authpp/cookie/cookie_header.hpp>
#include <authpp/crypto/base64.hpp>
#include <authpp/url/percent.hpp>

#include <algorithm>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace {

bool inside(std::string_view part, std::string_view whole) {
    return part.empty() || (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

bool is_ows(char c) { return c == ' ' || c == '\t'; }

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace authpp;
    using namespace authpp::cookie;
    const std::string_view header = authpp_fuzz::as_view(data, size);

    // The pairs: views into the header, no ';', names trimmed, at most one
    // pair per ';'-separated segment; find() gives the first of a name.
    const cookie_header h(header);
    std::vector<cookie_pair> pairs;
    const auto segments = static_cast<std::size_t>(std::count(header.begin(), header.end(), ';')) + 1;
    for (auto it = h.begin(); it != h.end(); ++it) {
        FUZZ_CHECK(pairs.size() < segments);
        const cookie_pair& p = *it;
        FUZZ_CHECK(inside(p.name, header) && inside(p.value, header));
        FUZZ_CHECK(p.name.find(';') == std::string_view::npos && p.value.find(';') == std::string_view::npos);
        FUZZ_CHECK(p.name.find('=') == std::string_view::npos);
        FUZZ_CHECK(p.name.empty() || (!is_ows(p.name.front()) && !is_ows(p.name.back())));
        pairs.push_back(p);
    }
    FUZZ_CHECK(static_cast<std::size_t>(std::distance(h.begin(), h.end())) == pairs.size());
    for (const auto& p : pairs) {
        const auto first = std::find_if(pairs.begin(), pairs.end(), [&](const cookie_pair& q) { return q.name == p.name; });
        const auto found = h.find(p.name);
        FUZZ_CHECK(found && found->data() == first->value.data() && found->size() == first->value.size());
        const std::string decoded = url::percent_decode_or_keep(p.value);
        FUZZ_CHECK(decoded.size() <= p.value.size());
        if (p.value.find('%') == std::string_view::npos) FUZZ_CHECK(decoded == p.value);
    }

    // The session cookie, under both names and with a limit below the size.
    std::string out;
    for (std::string_view name : {session_cookie_name, secure_session_cookie_name}) {
        const auto ec = read_session_cookie(header, name, out);
        if (!ec) FUZZ_CHECK(!out.empty());
        else
            FUZZ_CHECK(ec == error::no_session_cookie || ec == error::missing_chunk || ec == error::oversized);
        if (size > 0) FUZZ_CHECK(read_session_cookie(header, name, out, size - 1) == error::oversized);
    }

    // Write a value (the input's base64url, so it is a valid cookie value:
    // empty clears, large is chunked) over this header as the incoming one.
    const bool secure = size > 0 && (data[0] & 1) != 0;
    const std::string_view name = secure ? secure_session_cookie_name : session_cookie_name;
    cookie_options opts;
    opts.secure = secure;
    const std::string value = crypto::base64url_encode(std::span<const std::uint8_t>(data, size));
    const auto set = write_session_cookie(name, value, opts, header);
    if (value.size() > max_session_chunks * cookie_chunk_size) {
        FUZZ_CHECK(!set && set.error() == error::oversized);
        return 0;
    }
    FUZZ_CHECK(set.has_value());

    // The browser's jar: the incoming pairs (first of a name wins), then each
    // Set-Cookie in order; Max-Age=0 deletes.
    std::vector<std::pair<std::string, std::string>> jar;
    auto slot = [&](std::string_view n) {
        return std::find_if(jar.begin(), jar.end(), [&](const auto& kv) { return kv.first == n; });
    };
    for (const auto& p : pairs)
        if (slot(p.name) == jar.end()) jar.emplace_back(p.name, p.value);
    for (const std::string& sc : *set) {
        const std::string_view line = sc;
        const auto semi = line.find(';');
        const std::string_view nv = line.substr(0, semi);
        const auto eq = nv.find('=');
        FUZZ_CHECK(eq != std::string_view::npos && eq > 0);
        const std::string_view n = nv.substr(0, eq), v = nv.substr(eq + 1);
        FUZZ_CHECK(session_cookie_slot(n, name).has_value());
        const bool del = line.find("; Max-Age=0") != std::string_view::npos;
        if (del) FUZZ_CHECK(v.empty());
        auto at = slot(n);
        if (at != jar.end()) jar.erase(at);
        if (!del) jar.emplace_back(n, v);
    }
    // No session cookie of this name may survive but the ones just written,
    // and they read back (in reverse order: chunk order must not matter).
    std::string next;
    for (auto it = jar.rbegin(); it != jar.rend(); ++it) {
        if (!next.empty()) next += "; ";
        next.append(it->first).append("=").append(it->second);
    }
    const auto ec = read_session_cookie(next, name, out, next.size());
    if (value.empty()) {
        FUZZ_CHECK(ec == error::no_session_cookie);
    } else {
        FUZZ_CHECK(!ec);
        FUZZ_CHECK(out == value);
    }
    return 0;
}
