#include "leasecalc/calc/stats.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>

namespace leasecalc {

namespace {
// The bits of x as a float, as an unsigned integer in the same order as the values:
// rounding to a float keeps the order (equal floats are sorted again below).
std::uint32_t ordered_bits(double x) {
  constexpr double largest = std::numeric_limits<float>::max();
  constexpr float infinity = std::numeric_limits<float>::infinity();
  const float f = x > largest ? infinity : x < -largest ? -infinity : static_cast<float>(x);
  std::uint32_t u = 0;
  std::memcpy(&u, &f, sizeof u);
  return (u >> 31) ? ~u : u | (std::uint32_t{1} << 31);
}
constexpr std::size_t k_block_size = std::size_t{1} << 16;
}  // namespace

void argsort(const double* x, std::size_t n, std::uint32_t* order,
             std::vector<std::uint64_t>& scratch) {
  auto by_value = [x](std::uint32_t i, std::uint32_t j) {
    return x[i] < x[j] || (x[i] == x[j] && i < j);
  };
  if (n > k_block_size) {  // beyond a block: a comparison sort
    std::iota(order, order + n, std::uint32_t{0});
    std::sort(order, order + n, by_value);
    return;
  }
  // A stable LSD radix sort of (key, index) on the key, the float's 32 bits, in three
  // digits of 11, 11 and 10 bits; a digit that is the same throughout is skipped.
  scratch.resize(2 * n);
  std::uint64_t* a = scratch.data();
  std::uint64_t* b = a + n;
  constexpr unsigned shifts[] = {32, 43, 54};
  constexpr std::uint64_t masks[] = {2047, 2047, 1023};
  std::array<std::array<std::uint32_t, 2048>, 3> count{};
  for (std::size_t i = 0; i < n; ++i) {
    a[i] = (std::uint64_t{ordered_bits(x[i])} << 32) | i;
    for (std::size_t d = 0; d < 3; ++d)
      ++count[d][(a[i] >> shifts[d]) & masks[d]];
  }
  for (std::size_t d = 0; d < 3; ++d) {
    if (count[d][(a[0] >> shifts[d]) & masks[d]] == n) continue;  // one digit throughout
    std::uint32_t sum = 0;
    for (auto& c : count[d]) {
      const std::uint32_t here = c;
      c = sum;
      sum += here;
    }
    for (std::size_t i = 0; i < n; ++i)
      b[count[d][(a[i] >> shifts[d]) & masks[d]]++] = a[i];
    std::swap(a, b);
  }
  for (std::size_t r = 0; r < n; ++r)
    order[r] = static_cast<std::uint32_t>(a[r]);
  // Values that share a float (ties, or within 2^-24 of each other) are in index order:
  // put them in value order.
  for (std::size_t r = 0; r + 1 < n;) {
    if ((a[r + 1] >> 32) != (a[r] >> 32)) {
      ++r;
      continue;
    }
    std::size_t e = r + 2;
    while (e < n && (a[e] >> 32) == (a[r] >> 32))
      ++e;
    if (!std::is_sorted(order + r, order + e, by_value)) std::sort(order + r, order + e, by_value);
    r = e;
  }
}

void ranks_from_order(const double* x, const std::uint32_t* order, std::size_t n, double* rank) {
  for (std::size_t r = 0; r < n;) {
    std::size_t e = r + 1;
    while (e < n && x[order[e]] == x[order[r]])
      ++e;
    const double average = static_cast<double>(r + 1 + e) / 2;  // of ranks r+1 .. e
    for (std::size_t q = r; q < e; ++q)
      rank[order[q]] = average;
    r = e;
  }
}

Matrix Matrix::identity(std::size_t size) {
  Matrix m(size);
  for (std::size_t i = 0; i < size; ++i)
    m(i, i) = 1;
  return m;
}

Eigen eigen_symmetric(const Matrix& m) {
  const std::size_t k = m.k;
  Matrix a = m;
  Matrix v = Matrix::identity(k);
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0;
    for (std::size_t p = 0; p < k; ++p)
      for (std::size_t q = p + 1; q < k; ++q)
        off += a(p, q) * a(p, q);
    if (off < 1e-30) break;
    for (std::size_t p = 0; p < k; ++p)
      for (std::size_t q = p + 1; q < k; ++q) {
        if (a(p, q) == 0) continue;
        // The rotation that zeroes a(p, q) (Golub and Van Loan, algorithm 8.4.1).
        const double theta = (a(q, q) - a(p, p)) / (2 * a(p, q));
        const double t =
            (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (std::size_t r = 0; r < k; ++r) {  // a = a J
          const double arp = a(r, p), arq = a(r, q);
          a(r, p) = c * arp - s * arq;
          a(r, q) = s * arp + c * arq;
        }
        for (std::size_t r = 0; r < k; ++r) {  // a = J^T a
          const double apr = a(p, r), aqr = a(q, r);
          a(p, r) = c * apr - s * aqr;
          a(q, r) = s * apr + c * aqr;
        }
        for (std::size_t r = 0; r < k; ++r) {  // v = v J
          const double vrp = v(r, p), vrq = v(r, q);
          v(r, p) = c * vrp - s * vrq;
          v(r, q) = s * vrp + c * vrq;
        }
      }
  }
  std::vector<std::size_t> idx(k);
  std::iota(idx.begin(), idx.end(), std::size_t{0});
  std::sort(idx.begin(), idx.end(),
            [&](std::size_t i, std::size_t j) { return a(i, i) < a(j, j); });
  Eigen e;
  e.vectors = Matrix(k);
  for (std::size_t c = 0; c < k; ++c) {
    e.values.push_back(a(idx[c], idx[c]));
    for (std::size_t r = 0; r < k; ++r)
      e.vectors(r, c) = v(r, idx[c]);
  }
  return e;
}

std::optional<Matrix> cholesky(const Matrix& m, double tolerance) {
  const std::size_t k = m.k;
  Matrix l(k);
  for (std::size_t j = 0; j < k; ++j) {
    double d = m(j, j);
    for (std::size_t p = 0; p < j; ++p)
      d -= l(j, p) * l(j, p);
    if (d < -tolerance) return std::nullopt;
    if (d <= tolerance) continue;  // a zero column: this variable depends on the earlier ones
    l(j, j) = std::sqrt(d);
    for (std::size_t i = j + 1; i < k; ++i) {
      double s = m(i, j);
      for (std::size_t p = 0; p < j; ++p)
        s -= l(i, p) * l(j, p);
      l(i, j) = s / l(j, j);
    }
  }
  return l;
}

std::optional<std::vector<double>> solve_spd(const Matrix& m, const std::vector<double>& b) {
  const auto l = cholesky(m, 1e-12);
  if (!l) return std::nullopt;
  const std::size_t k = m.k;
  for (std::size_t i = 0; i < k; ++i)
    if ((*l)(i, i) == 0) return std::nullopt;
  std::vector<double> y(k), x(k);
  for (std::size_t i = 0; i < k; ++i) {  // L y = b
    double s = b[i];
    for (std::size_t p = 0; p < i; ++p)
      s -= (*l)(i, p) * y[p];
    y[i] = s / (*l)(i, i);
  }
  for (std::size_t i = k; i-- > 0;) {  // L^T x = y
    double s = y[i];
    for (std::size_t p = i + 1; p < k; ++p)
      s -= (*l)(p, i) * x[p];
    x[i] = s / (*l)(i, i);
  }
  return x;
}

Matrix correlation(const std::vector<const double*>& cols, std::size_t n) {
  const std::size_t k = cols.size();
  std::vector<double> mean(k, 0.0);
  for (std::size_t j = 0; j < k; ++j) {
    for (std::size_t i = 0; i < n; ++i)
      mean[j] += cols[j][i];
    mean[j] /= static_cast<double>(n);
  }
  Matrix c(k);
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = a; b < k; ++b) {
      double s = 0;
      for (std::size_t i = 0; i < n; ++i)
        s += (cols[a][i] - mean[a]) * (cols[b][i] - mean[b]);
      c(a, b) = c(b, a) = s;
    }
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = 0; b < k; ++b)
      if (a != b) c(a, b) /= std::sqrt(c(a, a) * c(b, b));
  for (std::size_t a = 0; a < k; ++a)
    c(a, a) = 1;
  return c;
}

double spearman(const double* x, const double* y, std::size_t n) {
  std::vector<std::uint32_t> order(n);
  std::vector<std::uint64_t> scratch;
  std::vector<double> rx(n), ry(n);
  argsort(x, n, order.data(), scratch);
  ranks_from_order(x, order.data(), n, rx.data());
  argsort(y, n, order.data(), scratch);
  ranks_from_order(y, order.data(), n, ry.data());
  return correlation({rx.data(), ry.data()}, n)(0, 1);
}

}  // namespace leasecalc
