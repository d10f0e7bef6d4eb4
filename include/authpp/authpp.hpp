// authpp/authpp.hpp — everything except the network transports.
#pragma once

#include <authpp/codec/authjs_codec.hpp>
#include <authpp/codec/secrets.hpp>
#include <authpp/constants.hpp>
#include <authpp/cookie/chunking.hpp>
#include <authpp/cookie/cookie_header.hpp>
#include <authpp/cookie/set_cookie.hpp>
#include <authpp/error.hpp>
#include <authpp/jose/base64url.hpp>
#include <authpp/jose/hkdf.hpp>
#include <authpp/jose/jwe.hpp>
#include <authpp/jose/jwk_thumbprint.hpp>
