// authpp/endpoints/random.hpp — the actions' random values (CSRF tokens,
// PKCE verifiers, state and nonce): crypto::random_hex and
// crypto::random_base64url (<authpp/crypto/random.hpp>), under the names the
// endpoints use.
#pragma once

#include <authpp/crypto/random.hpp>

namespace authpp::endpoints {

using crypto::random_base64url;
using crypto::random_hex;

} // namespace authpp::endpoints
