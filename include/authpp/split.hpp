// authpp/split.hpp — mode split (@significa/auth-next): the backend issues
// an access token, a refresh token and a lifetime; the browser keeps the
// refresh token in an HttpOnly cookie and the access token and a
// session-expiry indicator in cookies the page can read. The handlers
// (login, refresh, logout), the restrictions and refresh-if-due, as sans-I/O
// flows with blocking and Asio drivers; refreshes coordinated per refresh
// token in process and through the Store.
#pragma once

#include <authpp/split/async.hpp>
#include <authpp/split/beast.hpp>
#include <authpp/split/config.hpp>
#include <authpp/split/context.hpp>
#include <authpp/split/cookies.hpp>
#include <authpp/split/handler.hpp>
#include <authpp/split/handlers.hpp>
#include <authpp/split/options.hpp>
#include <authpp/split/session.hpp>
