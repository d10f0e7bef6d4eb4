// jose/jwe.hpp: split_compact / parse_compact on arbitrary tokens and decrypt
// with the fixed keys (both content encryptions, and a key of the wrong
// size); then the input as a plaintext: encrypt → decrypt gives it back, and
// changing any one character of the token makes decrypt fail.
#include "fuzz_common.hpp"

#include <authpp/jose/jwe.hpp>

#include <span>
#include <string>

namespace {

using authpp::jose::content_encryption;

std::span<const std::uint8_t> key_for(content_encryption enc) {
    return std::span<const std::uint8_t>(authpp_fuzz::jwe_key()).first(authpp::jose::key_size(enc));
}

bool inside(std::string_view part, std::string_view whole) {
    return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

void check_parsed(const authpp::jose::parsed_jwe& j, std::string_view token) {
    using namespace authpp::jose;
    FUZZ_CHECK(!j.protected_b64.empty() && !j.iv_b64.empty() && !j.tag_b64.empty()); // ciphertext may be empty (GCM)
    FUZZ_CHECK(inside(j.protected_b64, token) && inside(j.iv_b64, token) && inside(j.ciphertext_b64, token) &&
               inside(j.tag_b64, token));
    FUZZ_CHECK(j.kid_len <= j.kid_buf.size());
    std::string pt = "stale";
    const auto ec = decrypt(j, key_for(j.enc), pt);
    if (ec) {
        FUZZ_CHECK(pt.empty());
        FUZZ_CHECK(ec == authpp::error::bad_tag || ec == authpp::error::bad_base64url ||
                   ec == authpp::error::malformed_token);
    }
    // A key of the other size is refused before anything is decoded.
    const auto other = j.enc == content_encryption::a256gcm ? content_encryption::a256cbc_hs512
                                                            : content_encryption::a256gcm;
    pt = "stale";
    FUZZ_CHECK(decrypt(j, key_for(other), pt) == authpp::error::unsupported_algorithm);
    FUZZ_CHECK(pt.empty());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace authpp::jose;
    const std::string_view in = authpp_fuzz::as_view(data, size);

    // The input as a token.
    if (auto j = parse_compact(in)) {
        FUZZ_CHECK(j->enc == content_encryption::a256cbc_hs512 || j->enc == content_encryption::a256gcm);
        check_parsed(*j, in);
    }
    for (auto enc : {content_encryption::a256cbc_hs512, content_encryption::a256gcm}) {
        if (auto j = split_compact(in, enc)) {
            FUZZ_CHECK(j->enc == enc && !j->has_kid);
            check_parsed(*j, in);
        }
    }

    // The input as a plaintext.
    const auto enc = size % 2 == 0 ? content_encryption::a256cbc_hs512 : content_encryption::a256gcm;
    const std::string header = std::string(R"({"alg":"dir","enc":")") + std::string(to_string(enc)) + "\"}";
    const auto token = encrypt(header, in, enc, key_for(enc));
    FUZZ_CHECK(token.has_value());
    auto j = parse_compact(*token);
    FUZZ_CHECK(j.has_value() && j->enc == enc && !j->has_kid);
    std::string pt;
    FUZZ_CHECK(!decrypt(*j, key_for(enc), pt));
    FUZZ_CHECK(pt == in);

    // One character changed anywhere (position and replacement from the input).
    std::size_t h = 14695981039346656037ull;
    for (std::size_t i = 0; i < size; ++i) h = (h ^ data[i]) * 1099511628211ull;
    std::string bad = *token;
    const std::size_t at = h % bad.size();
    static constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=";
    char repl = alphabet[(h >> 32) % alphabet.size()];
    if (repl == bad[at]) repl = bad[at] == 'A' ? 'B' : 'A';
    bad[at] = repl;
    auto jb = parse_compact(bad);
    if (jb) {
        pt = "stale";
        FUZZ_CHECK(decrypt(*jb, key_for(jb->enc), pt));
        FUZZ_CHECK(pt.empty());
    }
    return 0;
}
