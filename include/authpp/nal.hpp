// authpp/nal.hpp — mode nal (next-api-layer): backend-validated tokens, the
// validation cache, de-duplicated validations, coordinated refreshes, guest
// tokens, the audit log; the blocking and Asio drivers and the Beast adapter.
//
//   using nal_config = authpp::nal::basic_nal_config<authpp::asio_transport>;
//   nal_config cfg(options);                                    // throws naming a bad option
//   auto in = authpp::nal::beast::read_request(req);
//   auto d = co_await authpp::nal::async_decide(cfg, in, asio::use_awaitable);
#pragma once

#include <authpp/nal/async.hpp>
#include <authpp/nal/audit.hpp>
#include <authpp/nal/beast.hpp>
#include <authpp/nal/calls.hpp>
#include <authpp/nal/classify.hpp>
#include <authpp/nal/config.hpp>
#include <authpp/nal/decision.hpp>
#include <authpp/nal/identity.hpp>
#include <authpp/nal/mapper.hpp>
#include <authpp/nal/options.hpp>
#include <authpp/nal/request.hpp>
#include <authpp/nal/validation_cache.hpp>
