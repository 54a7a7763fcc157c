// The content-addressed object store under <workdir>/objects, and compiling into it.
//
// Each translation unit is compiled at most once per toolchain, ever: the compile key covers the
// full command line, the compiler's identity (resolved path and `--version`), the working directory
// and the source file's content; the store's `compiles` table maps that key to the object's hash.
// Headers are checked as ccache's direct mode does: each compile records (-MD) the files it read
// with their hashes, and a recorded compile is reused only while all of them are unchanged.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "capture/compdb.hpp"
#include "db/store.hpp"
#include "sys/process.hpp"

namespace ccbisect {

class ObjectStore {
 public:
  explicit ObjectStore(std::filesystem::path root);
  // Moves (or copies) `file` into the store; returns its content hash. Throws UserError if unreadable.
  std::string add(const std::filesystem::path& file);
  std::filesystem::path path_of(const std::string& hash) const;
  // A new empty file `<root>/tmp/<stem>-XXXXXX<suffix>` (sys/temp_file.hpp) for a compiler to write
  // to before `add`; the caller removes it. Throws UserError if it cannot be created.
  std::filesystem::path scratch_path(const std::string& stem, const std::string& suffix = ".o") const;
  // Removes what compiles left in `<root>/tmp` (a run killed mid-compile, kill -9 included). Only
  // safe while the workdir lock is held: no compile of this workdir is running then. Returns how
  // many files it removed; a missing directory is none.
  static std::size_t clear_scratch(const std::filesystem::path& root);
  const std::filesystem::path& root() const { return m_root; }

 private:
  std::filesystem::path m_root;
};

// Resolved path plus the first line of `--version`, memoized; empty if the compiler is missing.
std::string compiler_identity(const std::string& compiler);

// The files a compile read, from its -MD dependency file, with their content hashes (JSON);
// `source` itself is left out (the compile key has it).
std::string dependency_hashes(const std::filesystem::path& depfile, const std::filesystem::path& directory,
                              const std::filesystem::path& source);
// Whether every file recorded by dependency_hashes still has the same content.
bool dependencies_unchanged(const std::string& depends);

struct CompileOutcome {
  CompileRow row;       // object_hash empty when the compile failed
  bool cached = false;  // found in the store, not compiled now
};

// One compile split in three, so that the compiler can run elsewhere (a cluster node: see
// capture/cluster_capture.hpp) while the key, the cache and the store stay here.
struct PreparedCompile {
  CompileEntry entry;
  CompileRow row;                    // key, side, output, directory, command; the rest once it ran
  std::optional<CompileRow> cached;  // the store's row for this key, if any
  std::filesystem::path scratch;     // where the compiler writes the object
  std::filesystem::path depfile;     // and its -MD dependency file
  ProcessSpec spec;                  // the compile itself
};
// The compile's key, the store's row for it and the command, writing into `scratch_store`'s tmp.
// Throws UserError if the compiler does not exist.
PreparedCompile prepare_compile(const CompileEntry& entry, const std::string& side,
                                const std::string& compiler, const std::vector<std::string>& flags,
                                const ObjectStore& scratch_store, Store& store);
// The recorded compile, if it can be reused (its object is there and its headers are unchanged).
std::optional<CompileOutcome> reuse_compile(PreparedCompile& prepared, const ObjectStore& objects);
// Stores what `run` (the compile, wherever it ran) produced and records the compile.
CompileOutcome finish_compile(PreparedCompile& prepared, const ProcessResult& run, ObjectStore& objects,
                              Store& store);

// Compiles `entry` with `compiler` + `flags` for `side`, unless the store already has it. Thread-safe
// (the Store locks itself).
CompileOutcome compile_into_store(const CompileEntry& entry, const std::string& side,
                                  const std::string& compiler, const std::vector<std::string>& flags,
                                  ObjectStore& objects, Store& store);

}  // namespace ccbisect
