// authpp/blocking.hpp — blocking_auth: basic_auth_config on plain
// synchronous calls, for servers that handle a request on one thread.
//
//   authpp::blocking_auth auth(options);            // options.secrets etc.
//   auto r = auth.resolve(cookie_header);           // may refresh, blocking
//   if (r.session) ...; for (auto& c : r.set_cookies) response.add("Set-Cookie", c);
#pragma once

#include <authpp/authpp.hpp>
#include <authpp/endpoints.hpp>
#include <authpp/middleware.hpp>
#include <authpp/oauth/calls.hpp>
#include <authpp/transport/blocking_transport.hpp>

namespace authpp {

using blocking_auth = basic_auth_config<blocking_transport, authjs_codec, system_clock, memory_store, prefix_matcher>;

} // namespace authpp

#if defined(AUTHPP_SEPARATE_COMPILATION)
#include <authpp/separate/blocking.hpp>
#endif
