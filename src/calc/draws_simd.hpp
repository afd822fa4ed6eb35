// The first draw of one input for a block of samples, on the widest instruction set the
// machine has (SSE4, AVX2 or AVX-512, chosen at run time by Google Highway's dynamic
// dispatch): the counter-based uniforms of sampler.cpp, and for a uniform or triangular
// range its quantile too. Every operation is one IEEE operation rounded once (add,
// multiply, square root, an exact integer conversion; never a fused multiply-add), so the
// values are the same bits as the scalar code's on every instruction set.
#pragma once

#include <cstddef>
#include <cstdint>

#include "leasecalc/calc/simulate.hpp"

namespace leasecalc::simd {

// For samples s = 0 .. m-1 of the block: the SplitMix64 output mix(t0 + s step) as a
// uniform in (0, 1), ((x >> 11) + 0.5) 2^-53; then, for a uniform or triangular shape,
// its quantile. Returns how many it wrote (a multiple of the vector's lanes, at most m);
// the caller draws the rest.
std::size_t first_draws(const Shape& shape, std::uint64_t t0, std::uint64_t step, std::size_t m,
                        double* out);

// The instruction set first_draws runs on here ("AVX3" is AVX-512), for the README's
// benchmark heading and the tests.
const char* target_name();

// For the tests: first_draws on each instruction set this machine runs, through `each`
// (called with the set's name), then the machine's own choice again.
void for_each_target(void (*each)(const char* name, void* context), void* context);

}  // namespace leasecalc::simd
