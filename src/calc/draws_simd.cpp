// simd::first_draws for every instruction set Highway compiles (foreach_target.h includes
// this file once per set); one copy is chosen at run time.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "src/calc/draws_simd.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep

#include <hwy/highway.h>

#include "draws_simd.hpp"

#include <limits>

HWY_BEFORE_NAMESPACE();
namespace leasecalc::simd::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// The low 64 bits of a x c for each lane, from 32-bit products (x86 before AVX-512DQ has
// no 64-bit multiply): a_lo c_lo + ((a_hi c_lo + a_lo c_hi) << 32).
template <class D, class V>
V times(D d, V a, std::uint64_t c) {
#if HWY_TARGET == HWY_SCALAR
  return hn::Set(d, hn::GetLane(a) * c);
#else
  const hn::Repartition<std::uint32_t, D> d32;
  const V c_lo = hn::Set(d, c & 0xFFFFFFFFull), c_hi = hn::Set(d, c >> 32);
  const V lo_lo = hn::MulEven(hn::BitCast(d32, a), hn::BitCast(d32, c_lo));
  const V hi_lo = hn::MulEven(hn::BitCast(d32, hn::ShiftRight<32>(a)), hn::BitCast(d32, c_lo));
  const V lo_hi = hn::MulEven(hn::BitCast(d32, a), hn::BitCast(d32, c_hi));
  return hn::Add(lo_lo, hn::ShiftLeft<32>(hn::Add(hi_lo, lo_hi)));
#endif
}

std::size_t FirstDraws(const Shape& shape, std::uint64_t t0, std::uint64_t step, std::size_t m,
                       double* out) {
  const hn::ScalableTag<std::uint64_t> du;
  const hn::ScalableTag<std::int64_t> di;
  const hn::ScalableTag<double> df;
  const std::size_t lanes = hn::Lanes(du);
  HWY_ALIGN std::uint64_t first[hn::MaxLanes(du)];
  for (std::size_t i = 0; i < lanes; ++i)
    first[i] = t0 + i * step;
  auto t = hn::Load(du, first);
  const auto stride = hn::Set(du, lanes * step);
  const auto half = hn::Set(df, 0.5), scale = hn::Set(df, 0x1.0p-53), one = hn::Set(df, 1.0);
  const auto lo = hn::Set(df, shape.lo), hi = hn::Set(df, shape.hi);
  const auto width = hn::Set(df, shape.hi - shape.lo), split = hn::Set(df, shape.split);
  const auto left = hn::Set(df, shape.left), right = hn::Set(df, shape.right);
  const auto mean = hn::Set(df, shape.mean), sd = hn::Set(df, shape.sd);
  const auto low = hn::Set(df, acklam::low), high = hn::Set(df, 1 - acklam::low);
  const auto nan = hn::Set(df, std::numeric_limits<double>::quiet_NaN());
  std::size_t i = 0;
  for (; i + lanes <= m; i += lanes) {
    auto z = t;  // SplitMix64's finalizer
    z = times(du, hn::Xor(z, hn::ShiftRight<30>(z)), 0xBF58476D1CE4E5B9ull);
    z = times(du, hn::Xor(z, hn::ShiftRight<27>(z)), 0x94D049BB133111EBull);
    z = hn::Xor(z, hn::ShiftRight<31>(z));
    const auto u =
        hn::Mul(hn::Add(hn::ConvertTo(df, hn::BitCast(di, hn::ShiftRight<11>(z))), half), scale);
    auto x = u;
    if (shape.dist == Dist::uniform) {
      x = hn::Add(lo, hn::Mul(u, width));
    } else if (shape.dist == Dist::triangular) {
      const auto below = hn::Add(lo, hn::Mul(hn::Sqrt(u), left));
      const auto above = hn::Sub(hi, hn::Mul(hn::Sqrt(hn::Sub(one, u)), right));
      x = hn::IfThenElse(hn::Lt(u, split), below, above);
    } else {
      // Acklam's central region, as normal_quantile computes it, operation for operation;
      // mean + sd z. A tail lane (u below 0.02425 or above 1 - 0.02425) is NaN: the
      // caller draws it by the scalar code, with its logarithm.
      const auto q = hn::Sub(u, half), r = hn::Mul(q, q);
      auto num = hn::Set(df, acklam::a[0]), den = hn::Set(df, acklam::b[0]);
      for (int k = 1; k < 6; ++k)
        num = hn::Add(hn::Mul(num, r), hn::Set(df, acklam::a[k]));
      for (int k = 1; k < 5; ++k)
        den = hn::Add(hn::Mul(den, r), hn::Set(df, acklam::b[k]));
      den = hn::Add(hn::Mul(den, r), one);
      const auto normal = hn::Div(hn::Mul(num, q), den);
      const auto central = hn::And(hn::Ge(u, low), hn::Le(u, high));
      x = hn::IfThenElse(central, hn::Add(mean, hn::Mul(sd, normal)), nan);
    }
    hn::StoreU(x, df, out + i);
    t = hn::Add(t, stride);
  }
  return i;
}

const char* TargetName() { return hwy::TargetName(HWY_TARGET); }

}  // namespace leasecalc::simd::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace leasecalc::simd {

HWY_EXPORT(FirstDraws);
HWY_EXPORT(TargetName);

std::size_t first_draws(const Shape& shape, std::uint64_t t0, std::uint64_t step, std::size_t m,
                        double* out) {
  return HWY_DYNAMIC_DISPATCH(FirstDraws)(shape, t0, step, m, out);
}

const char* target_name() { return HWY_DYNAMIC_DISPATCH(TargetName)(); }

void for_each_target(void (*each)(const char* name, void* context), void* context) {
  const std::int64_t all = hwy::SupportedTargets();
  for (std::int64_t bits = all; bits != 0; bits &= bits - 1) {
    const std::int64_t target = bits & -bits;
    hwy::SetSupportedTargetsForTest(target);
    each(hwy::TargetName(target), context);
  }
  hwy::SetSupportedTargetsForTest(0);
}

}  // namespace leasecalc::simd
#endif
