// Statistics that `simulate` builds on: ranks, small symmetric matrices (eigenvalues,
// Cholesky factors, linear solves) and rank correlation. Generic over plain arrays so the
// tests can feed them samples of a known model. Pure: no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace leasecalc {

// The order of x[0, n): order[r] is the index of the r-th smallest value, equal values by
// index. Up to a block of 65,536, a stable radix sort on the values rounded to floats (three
// passes of 11 bits), then a comparison sort within each run of equal floats: about ten
// times faster than std::sort. No NaN. `scratch` is reused between calls.
void argsort(const double* x, std::size_t n, std::uint32_t* order,
             std::vector<std::uint64_t>& scratch);

// Ranks 1..n from an order, tied values given their average rank (as Spearman's rho and
// every statistics package take them).
void ranks_from_order(const double* x, const std::uint32_t* order, std::size_t n, double* rank);

// A symmetric k x k matrix, row-major.
struct Matrix {
  std::size_t k = 0;
  std::vector<double> a;
  explicit Matrix(std::size_t size = 0) : k(size), a(size * size, 0.0) {}
  double& operator()(std::size_t i, std::size_t j) { return a[i * k + j]; }
  double operator()(std::size_t i, std::size_t j) const { return a[i * k + j]; }
  static Matrix identity(std::size_t size);
};

// Eigenvalues and eigenvectors of a symmetric matrix by cyclic Jacobi rotations
// (converges for any symmetric matrix; k is a handful). Eigenvalues ascending; column c
// of `vectors` belongs to values[c].
struct Eigen {
  std::vector<double> values;
  Matrix vectors;
};
Eigen eigen_symmetric(const Matrix& m);

// The lower Cholesky factor L (m = L L^T) of a positive semi-definite matrix: a pivot
// within `tolerance` of 0 gives a zero column (semi-definite). nullopt when a pivot is
// below -tolerance: the matrix is not positive semi-definite.
std::optional<Matrix> cholesky(const Matrix& m, double tolerance = 1e-10);

// Solves m x = b for a symmetric positive definite m (Cholesky); nullopt when m is
// singular to working precision.
std::optional<std::vector<double>> solve_spd(const Matrix& m, const std::vector<double>& b);

// Pearson correlation matrix of the columns cols[j][0, n).
Matrix correlation(const std::vector<const double*>& cols, std::size_t n);

// Spearman's rank correlation of x and y over n pairs: Pearson's on average ranks.
double spearman(const double* x, const double* y, std::size_t n);

}  // namespace leasecalc
