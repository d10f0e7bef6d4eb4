// codec/authjs_codec.hpp with two fixed secrets (rotation: new encodes, both
// decode). The first input byte picks the mode:
//   '0' / '1'  the rest is a token, decoded for the plain / __Secure- salt;
//              a token that decodes must re-encode and decode to the same
//              claims (unknown claims survive decode → encode);
//   '2' / '3'  the rest is a JSON payload, encoded (A256CBC-HS512 / A256GCM)
//              and decoded: that succeeds unless the claims carry an nbf
//              that must refuse them, and gives back exactly the claims
//              encoded plus iat, exp and a jti.
// Both modes also run the session token's claims conversion (token.hpp) and
// check it is idempotent.
#include "fuzz_common.hpp"

#include <authpp/codec/authjs_codec.hpp>
#include <authpp/constants.hpp>
#include <authpp/token.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <bit>
#include <cmath>
#include <string>

namespace {

using authpp::authjs_codec;
using authpp::error;

const authjs_codec& codec() {
    static const authjs_codec c({std::string(authpp_fuzz::secret_new), std::string(authpp_fuzz::secret_old)});
    return c;
}

void check_token_conversion(const boost::json::object& claims) {
    for (bool with_id : {true, false}) {
        const auto once = authpp::token_to_claims(authpp::token_from_claims(claims), with_id);
        const auto twice = authpp::token_to_claims(authpp::token_from_claims(once), with_id);
        FUZZ_CHECK(once == twice);
        FUZZ_CHECK(once.contains("sub"));
        if (!with_id) FUZZ_CHECK(!once.contains("idToken"));
    }
}

// Equal JSON, except that doubles may differ in their last bits: Boost 1.81's
// parser does not round every decimal to the nearest double, so a double does
// not always survive serialize → parse exactly (Auth.js's JSON.parse does).
bool near_ulps(double a, double b) {
    if (a == b) return true;
    if (!std::isfinite(a) || !std::isfinite(b) || std::signbit(a) != std::signbit(b)) return false;
    const auto ia = std::bit_cast<std::int64_t>(std::fabs(a)), ib = std::bit_cast<std::int64_t>(std::fabs(b));
    return (ia > ib ? ia - ib : ib - ia) <= 8;
}

bool same_json(const boost::json::value& a, const boost::json::value& b) {
    if (a.is_double() && b.is_double()) return near_ulps(a.get_double(), b.get_double());
    if (a.kind() != b.kind()) return false;
    if (a.is_array()) {
        const auto &x = a.get_array(), &y = b.get_array();
        if (x.size() != y.size()) return false;
        for (std::size_t i = 0; i < x.size(); ++i)
            if (!same_json(x[i], y[i])) return false;
        return true;
    }
    if (a.is_object()) {
        const auto &x = a.get_object(), &y = b.get_object();
        if (x.size() != y.size()) return false;
        for (const auto& kv : x) {
            const auto* other = y.if_contains(kv.key());
            if (!other || !same_json(kv.value(), *other)) return false;
        }
        return true;
    }
    return a == b;
}

// What JSON.stringify writes for a value: non-finite numbers become null.
void js_normalize(boost::json::value& v) {
    if (v.is_double() && !std::isfinite(v.get_double())) v = nullptr;
    else if (v.is_array())
        for (auto& e : v.get_array()) js_normalize(e);
    else if (v.is_object())
        for (auto& kv : v.get_object()) js_normalize(kv.value());
}

// The claims, without the three encode() sets, as encode() writes them.
boost::json::object without_registered(boost::json::object o) {
    o.erase("iat");
    o.erase("exp");
    o.erase("jti");
    for (auto& kv : o) js_normalize(kv.value());
    return o;
}

void decode_mode(std::string_view token, std::string_view salt) {
    const auto& c = codec();
    std::string plaintext = "stale";
    const auto dec_ec = c.decrypt(token, salt, plaintext);
    if (dec_ec) FUZZ_CHECK(plaintext.empty());
    const auto claims = c.decode(token, salt, authpp_fuzz::now);
    if (!claims) {
        const auto ec = claims.error();
        FUZZ_CHECK(ec.category() == authpp::error_category());
        FUZZ_CHECK(ec != error::no_secret && ec != error::crypto_failure);
        if (dec_ec) FUZZ_CHECK(ec == dec_ec);
        return;
    }
    FUZZ_CHECK(!dec_ec);
    FUZZ_CHECK(!authjs_codec::check_claims(*claims, authpp_fuzz::now));
    check_token_conversion(*claims);

    const auto again = c.encode(*claims, salt, authpp_fuzz::max_age, authpp_fuzz::now);
    FUZZ_CHECK(again.has_value());
    const auto back = c.decode(*again, salt, authpp_fuzz::now);
    FUZZ_CHECK(back.has_value());
    FUZZ_CHECK(same_json(without_registered(*back), without_registered(*claims)));
}

void round_trip_mode(std::string_view json, authjs_codec::content_encryption enc) {
    boost::json::error_code pec;
    auto v = boost::json::parse(json, pec);
    if (pec || !v.is_object()) return;
    const auto& claims = v.get_object();
    const auto& c = codec();
    const auto salt = authpp::session_cookie_name;

    const auto token = c.encode(claims, salt, authpp_fuzz::max_age, authpp_fuzz::now, enc);
    FUZZ_CHECK(token.has_value());
    const auto back = c.decode(*token, salt, authpp_fuzz::now);

    // What decode must say: only an nbf can refuse claims encode() wrote
    // (it overwrites iat and exp with numbers, and exp is in the future).
    // Judged on the claims as written and read back: an nbf of 1e400 is
    // written as null, and a double may come back a few bits off.
    const auto written = without_registered(claims);
    const auto read_back = boost::json::parse(boost::json::serialize(written));
    error expected{};
    if (const auto* nbf = read_back.get_object().if_contains("nbf")) {
        if (!nbf->is_number()) expected = error::bad_claim;
        else if (nbf->to_number<double>() > static_cast<double>(authpp_fuzz::now + authpp::clock_tolerance))
            expected = error::not_yet_valid;
    }
    if (expected != error{}) {
        FUZZ_CHECK(!back && back.error() == expected);
        return;
    }
    FUZZ_CHECK(back.has_value());
    const auto* jti = back->if_contains("jti");
    FUZZ_CHECK(jti && jti->is_string() && jti->get_string().size() == 36);
    const auto* iat = back->if_contains("iat");
    const auto* exp = back->if_contains("exp");
    FUZZ_CHECK(iat && iat->is_int64() && iat->get_int64() == authpp_fuzz::now);
    FUZZ_CHECK(exp && exp->is_int64() && exp->get_int64() == authpp_fuzz::now + authpp_fuzz::max_age);
    FUZZ_CHECK(same_json(without_registered(*back), written));
    check_token_conversion(*back);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view rest = authpp_fuzz::as_view(data + 1, size - 1);
    switch (data[0] % 4) {
    case 0: decode_mode(rest, authpp::session_cookie_name); break;
    case 1: decode_mode(rest, authpp::secure_session_cookie_name); break;
    case 2: round_trip_mode(rest, authjs_codec::content_encryption::a256cbc_hs512); break;
    default: round_trip_mode(rest, authjs_codec::content_encryption::a256gcm); break;
    }
    return 0;
}
