// The compiler a side uses for one translation unit; see compiler.hpp. It takes the entry's
// language rather than the entry so that toolchain/ stays below capture/ (which owns CompileEntry).
#include "toolchain/compiler.hpp"

#include <algorithm>

#include "sys/process.hpp"

namespace ccbisect {

const std::string& compiler_for(const ToolchainSide& side, bool is_cxx) {
  return is_cxx ? side.cxx : side.cc;
}

std::vector<std::string> installed_compilers(bool cxx) {
  std::vector<std::string> out;
  for (const char* family : {cxx ? "g++-" : "gcc-", cxx ? "clang++-" : "clang-"}) {
    for (int version = 20; version >= 4; --version) {
      std::string name = family + std::to_string(version);
      if (find_program(name)) {
        out.push_back(name);
      }
    }
  }
  return out;
}

std::pair<std::string, std::string> suggested_pair(const std::vector<std::string>& installed,
                                                   const std::string& counterpart) {
  if (installed.empty()) {
    return {};
  }
  const std::string& good = installed.front();
  if (!counterpart.empty() && counterpart != good &&
      std::find(installed.begin(), installed.end(), counterpart) != installed.end()) {
    return {good, counterpart};
  }
  return {good, installed.size() > 1 ? installed[1] : good};
}

}  // namespace ccbisect
