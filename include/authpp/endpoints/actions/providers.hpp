// authpp/endpoints/actions/providers.hpp — GET /providers: the Credentials
// provider, and the OAuth one when it is enabled under its own id, as
// Auth.js lists them (id, name, type, signinUrl, callbackUrl). No cookies.
#pragma once

#include <authpp/endpoints/actions/context.hpp>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <string>
#include <string_view>
#include <utility>

namespace authpp::endpoints {

template <class Config>
void providers_action(action_context<Config>& cx) {
    const auto& o = cx.o;
    boost::json::object b;
    auto add = [&](const std::string& id, std::string_view type) {
        boost::json::object p;
        p["id"] = id;
        p["name"] = o.provider_name;
        p["type"] = type;
        p["signinUrl"] = cx.base_url + o.base_path + "/signin/" + id;
        p["callbackUrl"] = cx.base_url + o.base_path + "/callback/" + id;
        b[id] = std::move(p);
    };
    add(o.provider_id, "credentials");
    // One id for both (POST /callback/<id> takes tokens, GET /callback/<id>
    // a code): listed as credentials, which is what next-auth/react's
    // signIn(id, {tokens}) needs to post the tokens rather than start OAuth.
    if (!o.oauth_provider_id.empty() && o.oauth_provider_id != o.provider_id)
        add(o.oauth_provider_id, "oidc");
    cx.cookies.clear(); // Auth.js's providers page sends none of init's cookies
    cx.json(200, boost::json::serialize(b), false, false);
}

} // namespace authpp::endpoints
