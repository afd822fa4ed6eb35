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

namespace leasecalc {

// Peter Acklam's rational approximation of the inverse normal CDF: the coefficients of
// its central region (a over b, in r = (p - 1/2)^2) and its tails (c over d, in
// q = sqrt(-2 log p)), and where the tails begin. normal_quantile (sampler.cpp) and the
// vector draws' central region both read them.
namespace acklam {
inline constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                               -2.759285104469687e+02, 1.383577518672690e+02,
                               -3.066479806614716e+01, 2.506628277459239e+00};
inline constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                               -1.556989798598866e+02, 6.680131188771972e+01,
                               -1.328068155288572e+01};
inline constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                               -2.400758277161838e+00, -2.549732539343734e+00,
                               4.374664141464968e+00,  2.938163982698783e+00};
inline constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                               3.754408661907416e+00};
inline constexpr double low = 0.02425;
}  // namespace acklam

}  // namespace leasecalc

namespace leasecalc::simd {

// For samples s = 0 .. m-1 of the block: the SplitMix64 output mix(t0 + s step) as a
// uniform in (0, 1), ((x >> 11) + 0.5) 2^-53; then, for a uniform or triangular shape,
// its quantile; for a normal or lognormal one, mean + sd z with z the standard normal
// quantile where u is in Acklam's central region, NaN in its tails (the caller draws
// those by the scalar code; a lognormal's exponential is the caller's too). Returns how
// many it wrote (a multiple of the vector's lanes, at most m);
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
