// Object store and cached compiles; see object_store.hpp.
#include "capture/object_store.hpp"

#include <fstream>
#include <map>
#include <mutex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bisector/errors.hpp"
#include "sys/hashing.hpp"
#include "sys/process.hpp"
#include "sys/temp_file.hpp"

namespace ccbisect {

ObjectStore::ObjectStore(std::filesystem::path root) : m_root(std::move(root)) {
  std::error_code error;
  std::filesystem::create_directories(m_root / "tmp", error);
  if (error) {
    throw UserError(fmt::format("cannot create the object store {} ({}); choose a writable [build] workdir",
                                m_root.string(), error.message()));
  }
}

std::filesystem::path ObjectStore::path_of(const std::string& hash) const {
  // Not ".o": a build's `make clean` (Kbuild's removes every *.o below the module) must not empty
  // the store when the workdir lies inside the project.
  return m_root / hash.substr(0, 2) / (hash.substr(2) + ".object");
}

std::filesystem::path ObjectStore::scratch_path(const std::string& stem, const std::string& suffix) const {
  std::error_code error;
  std::optional<std::filesystem::path> path = create_unique_file(m_root / "tmp", stem + "-", suffix, error);
  if (!path) {
    throw UserError(fmt::format("cannot create a scratch file in {} ({}); choose a writable [build] workdir",
                                (m_root / "tmp").string(), error.message()));
  }
  return *path;
}

std::size_t ObjectStore::clear_scratch(const std::filesystem::path& root) {
  std::error_code error;
  std::size_t removed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(root / "tmp", error)) {
    std::error_code remove_error;
    if (std::filesystem::remove_all(entry.path(), remove_error) > 0 && !remove_error) {
      ++removed;
    }
  }
  return removed;
}

std::string ObjectStore::add(const std::filesystem::path& file) {
  std::string hash = hash_file(file);
  std::filesystem::path target = path_of(hash);
  std::error_code error;
  if (std::filesystem::exists(target)) {
    return hash;
  }
  // Atomic: concurrent wrappers (and threads) may add the same object at once.
  if (!copy_file_atomically(file, target, error)) {
    throw UserError(
        fmt::format("cannot store {} in {}: {}", file.string(), m_root.string(), error.message()));
  }
  return hash;
}

std::string compiler_identity(const std::string& compiler) {
  static std::mutex mutex;
  static std::map<std::string, std::string> known;
  std::lock_guard lock(mutex);
  auto found = known.find(compiler);
  if (found != known.end()) {
    return found->second;
  }
  std::string identity;
  if (auto path = find_program(compiler)) {
    ProcessSpec spec;
    spec.argv = {path->string(), "--version"};
    spec.timeout_seconds = 30;
    ProcessResult run = run_process(spec);
    std::string first = run.output_tail.substr(0, run.output_tail.find('\n'));
    identity = first + " (" + std::filesystem::weakly_canonical(*path).string() + ")";
  }
  known.emplace(compiler, identity);
  return identity;
}

namespace {

// Content hashes of files, memoized for this process: every TU reads the same system headers.
std::string memo_hash(const std::filesystem::path& path) {
  static std::mutex mutex;
  static std::map<std::string, std::string> known;
  std::lock_guard lock(mutex);
  auto found = known.find(path.string());
  if (found != known.end()) {
    return found->second;
  }
  std::error_code error;
  std::string hash = std::filesystem::exists(path, error) ? hash_file(path) : "missing";
  known.emplace(path.string(), hash);
  return hash;
}

}  // namespace

std::string dependency_hashes(const std::filesystem::path& depfile, const std::filesystem::path& directory,
                              const std::filesystem::path& source) {
  std::ifstream in(depfile);
  if (!in) {
    return "";
  }
  // Make syntax: "target: dep dep \\\n dep"; the source itself is covered by the key already.
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::size_t colon = text.find(": ");
  std::string list = colon == std::string::npos ? "" : text.substr(colon + 2);
  nlohmann::json depends = nlohmann::json::object();
  std::string word;
  auto flush = [&] {
    if (!word.empty() && word != "\\") {
      std::filesystem::path path = (directory / word).lexically_normal();
      if (path != source) {
        depends[path.string()] = memo_hash(path);
      }
    }
    word.clear();
  };
  for (std::size_t i = 0; i < list.size(); ++i) {
    char c = list[i];
    if (c == '\\' && i + 1 < list.size() && list[i + 1] == ' ') {
      word += ' ';  // an escaped space inside a path
      ++i;
    } else if (c == ' ' || c == '\n' || c == '\t') {
      flush();
    } else if (c == '\\' && i + 1 < list.size() && list[i + 1] == '\n') {
      flush();
      ++i;
    } else {
      word += c;
    }
  }
  flush();
  return depends.dump();
}

bool dependencies_unchanged(const std::string& depends) {
  if (depends.empty()) {
    return true;  // recorded before dependencies were (or by a compile that wrote none)
  }
  nlohmann::json recorded = nlohmann::json::parse(depends, nullptr, false);
  if (!recorded.is_object()) {
    return false;
  }
  for (const auto& [path, hash] : recorded.items()) {
    if (memo_hash(path) != hash.get<std::string>()) {
      return false;
    }
  }
  return true;
}

PreparedCompile prepare_compile(const CompileEntry& entry, const std::string& side,
                                const std::string& compiler, const std::vector<std::string>& flags,
                                const ObjectStore& scratch_store, Store& store) {
  std::string identity = compiler_identity(compiler);
  if (identity.empty()) {
    throw UserError(
        fmt::format("[{}] compiler '{}' was not found in PATH; install it (e.g. apt-get "
                    "install {}) or fix [{}] cc/cxx in the configuration",
                    side, compiler, compiler, side));
  }
  PreparedCompile prepared;
  std::vector<std::string> key_argv = retarget_compile(entry, compiler, flags, "OBJECT");
  Hasher key;
  key.add(identity).add(entry.directory.string()).add(hash_file(entry.source));
  for (const std::string& arg : key_argv) {
    key.add(arg);
  }
  prepared.row.key = key.hex();
  prepared.row.side = side;
  prepared.row.output = entry.output.string();
  prepared.row.directory = entry.directory.string();
  prepared.row.command = shell_join(retarget_compile(entry, compiler, flags, entry.output));
  prepared.entry = entry;
  if (auto row = store.compiled(prepared.row.key)) {
    prepared.cached = *row;
  }
  prepared.scratch = scratch_store.scratch_path(entry.output.stem().string());
  prepared.depfile = scratch_store.scratch_path(entry.output.stem().string(), ".d");
  prepared.spec.argv = retarget_compile(entry, compiler, flags, prepared.scratch);
  // The headers it read, so that a later run notices an edited header (ccache's direct mode).
  prepared.spec.argv.insert(prepared.spec.argv.end(), {"-MD", "-MF", prepared.depfile.string()});
  prepared.spec.cwd = entry.directory;
  prepared.spec.timeout_seconds = 3600;
  return prepared;
}

std::optional<CompileOutcome> reuse_compile(PreparedCompile& prepared, const ObjectStore& objects) {
  if (!prepared.cached) {
    return std::nullopt;
  }
  const CompileRow& row = *prepared.cached;
  bool object_there = row.object_hash.empty() || std::filesystem::exists(objects.path_of(row.object_hash));
  if (!object_there || !dependencies_unchanged(row.depends)) {
    return std::nullopt;
  }
  std::error_code ignored;
  std::filesystem::remove(prepared.scratch, ignored);
  std::filesystem::remove(prepared.depfile, ignored);
  return CompileOutcome{row, true};
}

CompileOutcome finish_compile(PreparedCompile& prepared, const ProcessResult& run, ObjectStore& objects,
                              Store& store) {
  CompileRow row = prepared.row;
  row.status = run.started ? run.exit_status : 127;
  row.log = last_lines(run.started ? run.output_tail : run.error, 30);
  row.seconds = run.seconds;
  if (row.status == 0 && std::filesystem::exists(prepared.scratch)) {
    row.object_hash = objects.add(prepared.scratch);
  }
  row.depends = dependency_hashes(prepared.depfile, prepared.entry.directory, prepared.entry.source);
  std::error_code ignored;
  std::filesystem::remove(prepared.scratch, ignored);
  std::filesystem::remove(prepared.depfile, ignored);
  store.record_compile(row);
  return {row, false};
}

CompileOutcome compile_into_store(const CompileEntry& entry, const std::string& side,
                                  const std::string& compiler, const std::vector<std::string>& flags,
                                  ObjectStore& objects, Store& store) {
  PreparedCompile prepared = prepare_compile(entry, side, compiler, flags, objects, store);
  if (std::optional<CompileOutcome> reused = reuse_compile(prepared, objects)) {
    return *reused;
  }
  return finish_compile(prepared, run_process(prepared.spec), objects, store);
}

}  // namespace ccbisect
