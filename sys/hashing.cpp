// XXH3-128 streaming hashes; see hashing.hpp.
#include "sys/hashing.hpp"

#include <fstream>

#include <fmt/format.h>
#include <xxhash.h>

#include "bisector/errors.hpp"
#include "sys/process.hpp"

namespace ccbisect {

Hasher::Hasher() : m_state(XXH3_createState()) { XXH3_128bits_reset(static_cast<XXH3_state_t*>(m_state)); }

Hasher::~Hasher() { XXH3_freeState(static_cast<XXH3_state_t*>(m_state)); }

Hasher& Hasher::add(std::string_view data) {
  auto* state = static_cast<XXH3_state_t*>(m_state);
  XXH3_128bits_update(state, data.data(), data.size());
  std::uint64_t length = data.size();
  XXH3_128bits_update(state, &length, sizeof length);
  return *this;
}

std::string Hasher::hex() const {
  XXH128_hash_t h = XXH3_128bits_digest(static_cast<XXH3_state_t*>(m_state));
  return fmt::format("{:016x}{:016x}", h.high64, h.low64);
}

std::string hash_text(std::string_view data) { return Hasher().add(data).hex(); }

std::string hash_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw UserError(fmt::format("cannot read {}", path.string()));
  }
  XXH3_state_t* state = XXH3_createState();
  XXH3_128bits_reset(state);
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    XXH3_128bits_update(state, buffer, static_cast<std::size_t>(in.gcount()));
  }
  XXH128_hash_t h = XXH3_128bits_digest(state);
  XXH3_freeState(state);
  return fmt::format("{:016x}{:016x}", h.high64, h.low64);
}

std::string script_fingerprint(const std::string& command, const std::filesystem::path& dir) {
  Hasher hasher;
  bool any = false;
  for (const std::string& word : split_command_line(command)) {
    std::error_code error;
    std::filesystem::path path = dir / word;
    if (word.empty() || !std::filesystem::is_regular_file(path, error)) {
      continue;
    }
    std::ifstream file(path, std::ios::binary);
    char magic[2] = {};
    if (!file.read(magic, 2) || magic[0] != '#' || magic[1] != '!') {
      continue;
    }
    hasher.add(word).add(hash_file(path));
    any = true;
  }
  return any ? hasher.hex() : "";
}

}  // namespace ccbisect
