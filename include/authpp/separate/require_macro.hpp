// authpp/separate/require_macro.hpp — stops the build of a separately
// compiled part (<authpp/src.hpp>) without AUTHPP_SEPARATE_COMPILATION:
// every translation unit of the program must see the same declarations.
#pragma once

#if !defined(AUTHPP_SEPARATE_COMPILATION)
#error "authpp: define AUTHPP_SEPARATE_COMPILATION for every translation unit (authpp::separate in CMake does)"
#endif
