// Keeping and restoring the user's objects; see originals.hpp. The manifest is JSON (path -> copy
// name or null, mtime in nanoseconds) written through a rename, so a kill while saving leaves the
// previous manifest intact and the copies it names.
#include "trials/originals.hpp"

#include <chrono>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bisector/errors.hpp"
#include "sys/process.hpp"
#include "trials/build_tool.hpp"

namespace ccbisect {

namespace fs = std::filesystem;

namespace {

nlohmann::json read_manifest(const fs::path& file) {
  std::ifstream in(file);
  if (!in) {
    return nlohmann::json::object();
  }
  nlohmann::json manifest = nlohmann::json::parse(in, nullptr, false);
  return manifest.is_object() ? manifest : nlohmann::json::object();
}

void write_manifest(const fs::path& file, const nlohmann::json& manifest) {
  fs::path temp = file;
  temp += ".new";
  std::ofstream(temp) << manifest.dump(1);
  std::error_code error;
  fs::rename(temp, file, error);
  if (error) {
    throw UserError(
        fmt::format("{}: cannot write the record of the user's objects: {}", file.string(), error.message()));
  }
}

}  // namespace

void Originals::save(const std::vector<fs::path>& outputs) const {
  fs::path manifest_file = m_dir / "manifest.json";
  nlohmann::json manifest = read_manifest(manifest_file);
  bool changed = false;
  for (const fs::path& output : outputs) {
    std::string key = fs::absolute(output).lexically_normal().string();
    if (manifest.contains(key)) {
      continue;
    }
    std::error_code error;
    if (!fs::is_regular_file(output, error)) {
      manifest[key] = {{"copy", nullptr}};
      changed = true;
      continue;
    }
    fs::create_directories(m_dir, error);
    std::string copy = fmt::format("{}.o", manifest.size());
    fs::copy_file(output, m_dir / copy, fs::copy_options::overwrite_existing, error);
    auto mtime = fs::last_write_time(output, error);
    if (error) {
      throw UserError(fmt::format("cannot keep a copy of {} in {}: {}; check that the workdir is writable",
                                  output.string(), m_dir.string(), error.message()));
    }
    manifest[key] = {{"copy", copy}, {"mtime", mtime.time_since_epoch().count()}};
    changed = true;
  }
  if (changed) {
    fs::create_directories(m_dir);
    write_manifest(manifest_file, manifest);
  }
}

bool Originals::pending() const {
  std::error_code error;
  return fs::exists(m_dir / "manifest.json", error);
}

std::vector<fs::path> Originals::restore() const {
  nlohmann::json manifest = read_manifest(m_dir / "manifest.json");
  std::vector<fs::path> restored;
  for (const auto& [path, entry] : manifest.items()) {
    std::error_code error;
    if (entry["copy"].is_null()) {
      fs::remove(path, error);  // nothing was there: the user's build makes it again
    } else {
      fs::path temp = path + ".ccbisect-restore";
      fs::copy_file(m_dir / entry["copy"].get<std::string>(), temp, fs::copy_options::overwrite_existing,
                    error);
      if (!error) {
        fs::last_write_time(
            temp, fs::file_time_type(fs::file_time_type::duration(entry["mtime"].get<std::int64_t>())),
            error);
      }
      if (!error) {
        fs::rename(temp, path, error);
      }
    }
    if (error) {
      throw UserError(fmt::format("cannot restore {}: {}", path, error.message()));
    }
    restored.push_back(path);
  }
  std::error_code ignored;
  fs::remove_all(m_dir, ignored);
  return restored;
}

std::string relink_restored(const std::vector<fs::path>& restored, const std::string& link,
                            const fs::path& directory, double timeout_seconds) {
  if (restored.empty()) {
    return "";
  }
  BuildTool tool(restored);
  for (const fs::path& path : restored) {
    std::error_code error;
    if (!tool.kept_mtime(path) && fs::exists(path, error)) {
      fs::last_write_time(path, fs::file_time_type::clock::now(), error);
    }
  }
  tool.age_consumers(restored);
  if (link.empty()) {
    return "";  // the user's next build relinks
  }
  ProcessResult run = run_shell(link, directory, timeout_seconds);
  if (!run.started || run.timed_out || run.exit_status != 0) {
    return fmt::format("relinking with `{}` failed (exit {}); run the build yourself:\n{}", link,
                       run.exit_status, last_lines(run.started ? run.output_tail : run.error, 8));
  }
  return "";
}

}  // namespace ccbisect
