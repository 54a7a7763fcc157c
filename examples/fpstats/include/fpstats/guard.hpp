// Guards against non-finite input, shared by every TU of the library.
#pragma once

namespace fpstats {

// A non-finite value (NaN, infinity) replaced by `fallback`. Under -ffinite-math-only (part of
// -ffast-math) the compiler may assume x is finite and drop the test: the latent bug of this example.
[[gnu::noinline]] inline double finite_or(double x, double fallback) {
  return __builtin_isfinite(x) ? x : fallback;
}

// Not used by the library's TUs: only a function the TU refers to is an item of the function level.
inline int clamp_index(int index, int size) { return index < 0 ? 0 : index >= size ? size - 1 : index; }

}  // namespace fpstats
