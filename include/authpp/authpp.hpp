// authpp/authpp.hpp — everything except the network transports and what
// needs Asio (any_store, the asynchronous drivers: <authpp/asio.hpp>).
#pragma once

#include <authpp/clock/manual_clock.hpp>
#include <authpp/clock/system_clock.hpp>
#include <authpp/codec/authjs_codec.hpp>
#include <authpp/codec/database_codec.hpp>
#include <authpp/codec/secrets.hpp>
#include <authpp/concepts/clock.hpp>
#include <authpp/concepts/cookie_codec.hpp>
#include <authpp/concepts/http_transport.hpp>
#include <authpp/concepts/path_matcher.hpp>
#include <authpp/concepts/store.hpp>
#include <authpp/config.hpp>
#include <authpp/constants.hpp>
#include <authpp/cookie/chunking.hpp>
#include <authpp/cookie/cookie_header.hpp>
#include <authpp/cookie/set_cookie.hpp>
#include <authpp/core/jwt_callback.hpp>
#include <authpp/core/session_flow.hpp>
#include <authpp/error.hpp>
#include <authpp/helpers.hpp>
#include <authpp/http/message.hpp>
#include <authpp/jose/jwe.hpp>
#include <authpp/jose/jwk_thumbprint.hpp>
#include <authpp/jose/jwt_claims.hpp>
#include <authpp/match/prefix_matcher.hpp>
#include <authpp/oauth/credentials.hpp>
#include <authpp/oauth/refresh.hpp>
#include <authpp/options.hpp>
#include <authpp/session.hpp>
#include <authpp/store/memory_store.hpp>
#include <authpp/token.hpp>
#include <authpp/url/form.hpp>
#include <authpp/url/path.hpp>
#include <authpp/url/percent.hpp>
#include <authpp/url/url.hpp>
