// authpp/endpoints/actions/csrf.hpp — GET /csrf: {csrfToken}, the token of
// the double-submit cookie init() checked or set (<authpp/endpoints/csrf.hpp>),
// not to be cached.
#pragma once

#include <authpp/endpoints/actions/context.hpp>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace authpp::endpoints {

template <class Config>
void csrf_action(action_context<Config>& cx) {
    boost::json::object b;
    b["csrfToken"] = cx.csrf.token;
    cx.json(200, boost::json::serialize(b), true, true);
}

} // namespace authpp::endpoints
