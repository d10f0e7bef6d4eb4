// authpp/detail/separate.hpp — AUTHPP_DECL, for the non-template functions
// that AUTHPP_SEPARATE_COMPILATION compiles once (<authpp/src.hpp>): inline
// in a header-only build, where their definitions come with the headers; an
// ordinary declaration with the macro, their definitions then compiled only
// in the translation unit that includes <authpp/src.hpp> (as Beast's
// BOOST_BEAST_DECL).
#pragma once

#if defined(AUTHPP_SEPARATE_COMPILATION)
#define AUTHPP_DECL
#else
#define AUTHPP_DECL inline
#endif
