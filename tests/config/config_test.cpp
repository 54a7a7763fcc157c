// Config tests on real files in a temp dir: defaults, each type and enum error naming the file, the
// section and the key, unknown keys, absurd timeouts, the template loading back, and the cache key:
// byte for byte what it was before the key table, changed by every key that can change a trial's
// outcome and by no other.
#include "config/config.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "bisector/errors.hpp"
#include "tests/support/temp_dir.hpp"

using namespace ccbisect;
using ccbisect::testing::TempDir;

namespace {

// "section.key" -> TOML value, written as one file grouped by section.
using Settings = std::map<std::string, std::string>;

const Settings k_command_base = {{"build.link", R"("make prog")"},
                                 {"good.cc", R"("gcc-12")"},
                                 {"bad.cc", R"("gcc-11")"},
                                 {"oracle.command", R"("")"}};
// The same with type = "qemu": every other value is the default, so only the type differs.
const Settings k_qemu_base = {{"build.link", R"("make prog")"},
                              {"good.cc", R"("gcc-12")"},
                              {"bad.cc", R"("gcc-11")"},
                              {"oracle.type", R"("qemu")"},
                              {"oracle.kernel", R"("")"}};

class ConfigFile {
 public:
  ConfigFile() : m_dir("config") {}
  std::filesystem::path path() const { return m_dir / "ccbisect.toml"; }

  std::filesystem::path write(const std::string& text) const {
    std::ofstream(path()) << text;
    return path();
  }
  std::filesystem::path write(const Settings& settings) const {
    std::map<std::string, std::string> sections;
    for (const auto& [key, value] : settings) {
      std::size_t dot = key.find('.');
      sections[key.substr(0, dot)] += key.substr(dot + 1) + " = " + value + "\n";
    }
    std::string text;
    for (const auto& [section, lines] : sections) {
      text += "[" + section + "]\n" + lines;
    }
    return write(text);
  }
  // The UserError message load_config gives for `text` (a string or Settings), or "" if it loads.
  template <typename Text>
  std::string error(const Text& text) const {
    try {
      load_config(write(text));
    } catch (const UserError& e) {
      return e.what();
    }
    return "";
  }

 private:
  TempDir m_dir;
};

Settings with(Settings settings, const std::string& key, const std::string& value) {
  settings[key] = value;
  return settings;
}

std::string command_file(const std::string& oracle_lines, const std::string& build_lines = "") {
  return "[build]\nlink = \"make\"\n" + build_lines + "[good]\ncc = \"gcc-12\"\n[bad]\ncc = \"gcc-11\"\n" +
         "[oracle]\ncommand = \"./t.sh\"\n" + oracle_lines;
}

}  // namespace

TEST_CASE("A minimal file takes every other value from the defaults", "[config]") {
  ConfigFile file;
  Config config = load_config(file.write(command_file("")));
  CHECK(config.file == file.path());
  CHECK(config.project_dir == file.path().parent_path());
  CHECK(config.compdb == "compile_commands.json");
  CHECK(config.workdir == ".ccbisect");
  CHECK(config.capture == CaptureKind::compdb);
  CHECK(config.link_timeout == 600.0);
  CHECK_FALSE(config.parallel_trials);
  CHECK(config.good.cxx == "g++-12");  // derived from cc
  CHECK(config.bad.cxx == "g++-11");
  CHECK(config.good.flags.empty());
  CHECK(config.oracle.type == OracleType::command);
  CHECK(config.oracle.command == "./t.sh");
  CHECK(config.oracle.timeout == 60.0);
  CHECK(config.oracle.on_timeout == NoVerdict::unresolved);
  CHECK(config.oracle.qemu.program == "qemu-system-x86_64");
  CHECK(config.oracle.qemu.accel == QemuAccel::automatic);
  CHECK(config.oracle.qemu.fail.size() == 6);
  CHECK(config.oracle.qemu.on_error == NoVerdict::unresolved);
  CHECK(config.database_path() == file.path().parent_path() / ".ccbisect" / "ccbisect.db");
}

TEST_CASE("Enumerated keys parse into their enum values", "[config]") {
  ConfigFile file;
  Config config = load_config(file.write(command_file("on_timeout = \"fail\"\n", "capture = \"wrapper\"\n")));
  CHECK(config.capture == CaptureKind::wrapper);
  CHECK(config.oracle.on_timeout == NoVerdict::fail);
  CHECK(outcome_of(config.oracle.on_timeout) == Outcome::fail);
  CHECK(outcome_of(NoVerdict::unresolved) == Outcome::unresolved);

  Config qemu = load_config(
      file.write(with(with(k_qemu_base, "oracle.accel", R"("kvm")"), "oracle.on_error", R"("fail")")));
  CHECK(qemu.oracle.type == OracleType::qemu);
  CHECK(qemu.oracle.qemu.accel == QemuAccel::kvm);
  CHECK(qemu.oracle.qemu.on_error == NoVerdict::fail);
  CHECK(name_of(QemuAccel::automatic) == "auto");
}

TEST_CASE("A value of the wrong type names the file, the section, the key and an example", "[config]") {
  ConfigFile file;
  std::string where = file.path().string() + ": ";
  CHECK(file.error(with(k_command_base, "oracle.command", "3")) ==
        where + "[oracle] command must be a string, e.g. \"./test.sh\"");
  CHECK(file.error(command_file("timeout = \"long\"\n")) ==
        where + "[oracle] timeout must be a number of seconds, e.g. 60");
  CHECK(file.error(command_file("", "parallel_trials = \"yes\"\n")) ==
        where + "[build] parallel_trials must be true or false, e.g. false");
  CHECK(file.error(command_file("", "capture = 1\n")) ==
        where + "[build] capture must be \"compdb\", \"wrapper\" or \"kbuild\" (a quoted string)");
  CHECK_THAT(file.error("[build]\nlink = [\"make\"]\n[good]\ncc = \"gcc-12\"\n[bad]\ncc = \"gcc-11\"\n"),
             Catch::Contains("[build] link must be a string"));

  Settings qemu = k_qemu_base;
  CHECK_THAT(file.error(with(qemu, "oracle.smp", "0")),
             Catch::Contains("[oracle] smp must be a positive integer (at most 1024), e.g. 1"));
  CHECK_THAT(file.error(with(qemu, "oracle.smp", R"("2")")), Catch::Contains("[oracle] smp must be"));
  CHECK_THAT(file.error(with(qemu, "oracle.pass", R"("ok")")),
             Catch::Contains("[oracle] pass must be a list of strings, e.g. [\"selftest: PASS\"]"));
  CHECK_THAT(file.error(with(qemu, "oracle.args", R"(["-m", 3])")),
             Catch::Contains("[oracle] args must be a list of strings"));
}

TEST_CASE("An enumerated key with an unknown value lists the allowed ones", "[config]") {
  ConfigFile file;
  std::string where = file.path().string() + ": ";
  CHECK(file.error(command_file("", "capture = \"make\"\n")) ==
        where + "[build] capture must be \"compdb\", \"wrapper\" or \"kbuild\", not \"make\"");
  CHECK(file.error(command_file("on_timeout = \"pass\"\n")) ==
        where + "[oracle] on_timeout must be \"unresolved\" or \"fail\", not \"pass\"");
  CHECK(file.error(command_file("type = \"docker\"\n")) ==
        where + "[oracle] type must be \"command\" or \"qemu\", not \"docker\"");
  CHECK(file.error(with(k_qemu_base, "oracle.accel", R"("hvf")")) ==
        where + "[oracle] accel must be \"auto\", \"kvm\" or \"tcg\", not \"hvf\"");
  CHECK(file.error(with(k_qemu_base, "oracle.on_error", R"("ignore")")) ==
        where + "[oracle] on_error must be \"unresolved\" or \"fail\", not \"ignore\"");
  CHECK_THROWS_WITH(parse_enum<CaptureKind>("cmake", "--capture"),
                    "--capture must be \"compdb\", \"wrapper\" or \"kbuild\", not \"cmake\"");
}

TEST_CASE("A timeout that is not a positive finite number of seconds up to a week is refused", "[config]") {
  ConfigFile file;
  std::string where = file.path().string() + ": ";
  for (std::string value : {"nan", "+nan", "inf", "-inf", "1e400", "-1", "0", "0.0", "604801", "1e9"}) {
    INFO("timeout = " << value);
    CHECK_THAT(file.error(command_file("timeout = " + value + "\n")),
               Catch::StartsWith(where + "[oracle] timeout must be a positive number of seconds, at most "
                                         "604800 (a week)"));
    CHECK_THAT(file.error(command_file("", "link_timeout = " + value + "\n")),
               Catch::StartsWith(where + "[build] link_timeout must be a positive number of seconds"));
  }
  CHECK(load_config(file.write(command_file("timeout = 0.5\n"))).oracle.timeout == 0.5);
  CHECK(load_config(file.write(command_file("timeout = 604800\n"))).oracle.timeout == 604800.0);
}

TEST_CASE("An unknown key or section says where it is and what to do", "[config]") {
  ConfigFile file;
  std::string where = file.path().string() + ": ";
  CHECK(file.error(command_file("timout = 5\n")) ==
        where +
            "unknown key timout in [oracle]; check its spelling or remove it (known keys: type, command, "
            "timeout, on_timeout, repeat, qemu, kernel, modules, initrd, initrd_command, append, memory, "
            "smp, accel, "
            "args, "
            "pass, "
            "fail, on_error)");
  CHECK(file.error(command_file("", "cc = \"gcc\"\n")) ==
        where + "unknown key cc in [build]; it belongs in [good] or [bad]: move it there");
  CHECK(file.error(command_file("") + "[qemu]\nkernel = \"k\"\n") ==
        where + "unknown section [qemu]; known sections are [build], [good], [bad], [oracle] and [executor]");
  CHECK(file.error(command_file("kernel = \"k\"\n")) ==
        where +
            "[oracle] kernel applies only to type = \"qemu\" (this file has type = \"command\"); remove it "
            "or change the type");
  CHECK(
      file.error("[build]\nlink = \"make\"\n[good]\ncc = \"gcc-12\"\n[bad]\ncc = \"gcc-11\"\n") ==
      where +
          "missing [oracle] command (exit 0 pass, 125 unresolved (git bisect run convention), other non-zero "
          "fail); for example: command = \"./test.sh\"");
  CHECK_THAT(file.error("[build\n"), Catch::StartsWith(where + "not valid TOML"));
  CHECK_THAT(file.error(""), Catch::Contains("missing [build] link"));
}

// The template with every key that applies to `type` active and every other commented out.
std::string uncommented(const std::string& text, OracleType type) {
  std::istringstream in(text);
  std::string out;
  std::string line;
  std::regex key_line(R"(^(# )?(\w+) = .*)");
  std::smatch match;
  std::string section;
  while (std::getline(in, line)) {
    if (line.starts_with("[")) {
      section = line;
    }
    if (std::regex_match(line, match, key_line)) {
      std::string bare = match[1].matched ? line.substr(2) : line;
      std::string name = match[2].str();  // before `line` changes: `match` points into it
      for (const ConfigKeyInfo& key : config_keys()) {
        if (key.name == name) {
          line = !key.only_for || *key.only_for == type ? bare : "# " + bare;
        }
      }
    }
    if (section == "[oracle]" && line.starts_with("type = ")) {
      line = fmt::format("type = \"{}\"", name_of(type));
    }
    out += line + "\n";
  }
  return out;
}

TEST_CASE("The template loads as written, and with every key uncommented", "[config]") {
  ConfigFile file;
  std::string text = config_template();
  Config as_written = load_config(file.write(text));
  CHECK(as_written.link == "make prog");
  CHECK(as_written.good.cc == "gcc-12");
  CHECK(as_written.bad.cc == "gcc-11");
  CHECK(as_written.oracle.command == "./test.sh");
  CHECK(as_written.oracle.type == OracleType::command);
  // Every key is in the template, once.
  for (const ConfigKeyInfo& key : config_keys()) {
    INFO(key.section << "." << key.name);
    CHECK(text.find("\n" + std::string(key.name) + " = ") +
              text.find("\n# " + std::string(key.name) + " = ") !=
          2 * std::string::npos);
  }

  Config command = load_config(file.write(uncommented(text, OracleType::command)));
  CHECK(command.good.cxx == "g++-12");
  CHECK(command.parallel_trials == false);
  CHECK(command.link_timeout == 600.0);

  Config qemu = load_config(file.write(uncommented(text, OracleType::qemu)));
  CHECK(qemu.oracle.type == OracleType::qemu);
  CHECK(qemu.oracle.qemu.kernel == "vmlinuz");
  CHECK(qemu.oracle.qemu.initrd_command == "./make_initramfs.sh initramfs.cpio.gz m.ko");
  CHECK(qemu.oracle.qemu.args == std::vector<std::string>{"-nic", "none"});
  CHECK(qemu.oracle.qemu.pass == std::vector<std::string>{"selftest: PASS"});
  CHECK(qemu.oracle.qemu.fail == Config{}.oracle.qemu.fail);
  CHECK(qemu.oracle.command.empty());
}

TEST_CASE("The outcome key is the one recorded before the key table existed", "[config]") {
  // A file with a value for most keys; the expected key was printed by the hand-written
  // serialisation that outcome_key replaced, so that existing trial caches keep their hits.
  ConfigFile file;
  file.write(R"([build]
link = "make prog"
capture = "wrapper"
link_timeout = 30

[good]
cc = "gcc-12"
flags = "-O1"

[bad]
cc = "clang-14"
flags = "-O2"

[oracle]
type = "qemu"
kernel = "vmlinuz"
timeout = 2.5
on_timeout = "fail"
smp = 2
accel = "tcg"
args = ["-nic", "none"]
pass = ["ok"]
on_error = "fail"
)");
  std::string expected =
      R"({"bad":{"cc":"clang-14","cxx":"clang++-14","flags":"-O2"},"capture":"wrapper",)"
      R"("compdb":"compile_commands.json","file":"FILE","good":{"cc":"gcc-12","cxx":"g++-12","flags":"-O1"},)"
      R"("link":"make prog","link_timeout":30.0,"oracle":{"accel":"tcg","append":"console=ttyS0",)"
      R"("args":["-nic","none"],"command":"","fail":["Kernel panic","Oops","BUG:","general protection fault",)"
      R"("Fatal trap","kernel BUG at"],"initrd":"","initrd_command":"","kernel":"vmlinuz","memory":"256M",)"
      R"("on_error":"fail","on_timeout":"fail","pass":["ok"],"qemu":"qemu-system-x86_64","smp":2,)"
      R"("timeout":2.5,"type":"qemu"},"workdir":".ccbisect"})";
  expected.replace(expected.find("FILE"), 4, file.path().string());
  CHECK(outcome_key(load_config(file.path())) == expected);
}

TEST_CASE("A kbuild file needs no link (ccbisect makes it) and no kernel for the QEMU oracle", "[config]") {
  ConfigFile file;
  Config config = load_config(file.write(
      "[build]\ncapture = \"kbuild\"\nmodule = \"mod\"\nmake_args = \"LLVM=1 W=1\"\n"
      "drop_flags = [\"-ftrivial-auto-var-init=zero\"]\n[good]\ncc = \"gcc-12\"\n[bad]\ncc = \"gcc-11\"\n"
      "[oracle]\ntype = \"qemu\"\nmodules = [\"mod/m.ko\"]\n"));
  CHECK(config.capture == CaptureKind::kbuild);
  CHECK(config.link.empty());
  CHECK(config.module == "mod");
  CHECK(config.make_args == "LLVM=1 W=1");
  CHECK(config.drop_flags == std::vector<std::string>{"-ftrivial-auto-var-init=zero"});
  CHECK(config.oracle.qemu.modules == std::vector<std::string>{"mod/m.ko"});
  CHECK(config.oracle.qemu.kernel.empty());
  // Other build kinds still need both.
  CHECK_THAT(file.error("[build]\ncapture = \"wrapper\"\n[good]\ncc = \"gcc-12\"\n[bad]\ncc = \"gcc-11\"\n"
                        "[oracle]\ncommand = \"./t.sh\"\n"),
             Catch::Contains("missing [build] link"));
  CHECK_THAT(file.error(command_file("", "capture = \"kind-of\"\n")),
             Catch::Contains(R"("compdb", "wrapper" or "kbuild")"));
}

TEST_CASE("The outcome key changes with every outcome key and with no other", "[config]") {
  // A different value for every key. Adding a key to the table without deciding here whether it
  // changes a trial's outcome fails the first check.
  const Settings changed = {
      {"build.compdb", R"("other.json")"},
      {"build.link", R"("make other")"},
      {"build.workdir", R"(".elsewhere")"},
      {"build.capture", R"("wrapper")"},
      {"build.parallel_trials", "true"},
      {"build.link_timeout", "30"},
      {"build.kdir", R"("/usr/src/linux")"},
      {"build.module", R"("mod")"},
      {"build.make_args", R"("LLVM=1")"},
      {"build.drop_flags", R"(["-fno-x"])"},
      {"good.cc", R"("clang-14")"},
      {"good.cxx", R"("clang++-14")"},
      {"good.flags", R"("-O1")"},
      {"bad.cc", R"("clang-16")"},
      {"bad.cxx", R"("clang++-16")"},
      {"bad.flags", R"("-O3")"},
      {"oracle.type", R"("qemu")"},
      {"oracle.command", R"("./other.sh")"},
      {"oracle.timeout", "5"},
      {"oracle.on_timeout", R"("fail")"},
      {"oracle.repeat", "3"},
      {"oracle.qemu", R"("qemu-system-aarch64")"},
      {"oracle.kernel", R"("bzImage")"},
      {"oracle.modules", R"(["m.ko"])"},
      {"oracle.initrd", R"("initrd.img")"},
      {"oracle.initrd_command", R"("./pack.sh")"},
      {"oracle.append", R"("console=ttyS0 quiet")"},
      {"oracle.memory", R"("1G")"},
      {"oracle.smp", "4"},
      {"oracle.accel", R"("tcg")"},
      {"oracle.args", R"(["-nic", "none"])"},
      {"oracle.pass", R"(["ok"])"},
      {"oracle.fail", R"(["Oops"])"},
      {"oracle.on_error", R"("fail")"},
      {"executor.type", R"("slurm")"},
      {"executor.partition", R"("batch")"},
      {"executor.jobs", "8"},
      {"executor.srun_options", R"(["--time=5"])"},
      {"executor.shared_dir", R"("/shared")"},
      {"executor.program", R"("/shared/ccbisect")"},
  };
  REQUIRE(changed.size() == config_keys().size());
  ConfigFile file;
  std::size_t outcome_keys = 0;
  for (const ConfigKeyInfo& key : config_keys()) {
    std::string name = fmt::format("{}.{}", key.section, key.name);
    INFO(name);
    REQUIRE(changed.count(name) == 1);
    // The oracle type is compared between the two bases, which differ in nothing else.
    const Settings& base = key.only_for == OracleType::qemu ? k_qemu_base : k_command_base;
    std::string before = outcome_key(load_config(file.write(base)));
    std::string after = name == "oracle.type"
                            ? outcome_key(load_config(file.write(k_qemu_base)))
                            : outcome_key(load_config(file.write(with(base, name, changed.at(name)))));
    CHECK((before != after) == key.changes_outcome);
    outcome_keys += key.changes_outcome ? 1 : 0;
  }
  // Everything but parallel_trials, which only says how many trials run at once, [oracle]
  // repeat, which only says how often the same configuration is asked, and the six [executor] keys,
  // which only say where a trial runs.
  CHECK(outcome_keys == config_keys().size() - 8);
}

TEST_CASE("[executor] chooses where trials run; local unless it says slurm", "[config]") {
  ConfigFile file;
  Config local = load_config(file.write(command_file("")));
  CHECK(local.executor.type == ExecutorType::local);
  CHECK(local.executor.jobs == 0);
  CHECK(local.shared_path() == local.workdir_path());

  Config slurm =
      load_config(file.write(command_file("") +
                             "[executor]\ntype = \"slurm\"\npartition = \"batch\"\njobs = 4\n"
                             "srun_options = [\"--time=5\", \"--mem=1G\"]\nshared_dir = \"/nfs/cc\"\n"));
  CHECK(slurm.executor.type == ExecutorType::slurm);
  CHECK(slurm.executor.partition == "batch");
  CHECK(slurm.executor.jobs == 4);
  CHECK(slurm.executor.srun_options == std::vector<std::string>{"--time=5", "--mem=1G"});
  CHECK(slurm.shared_path() == "/nfs/cc");
  // Where trials run never changes what they answer: the same cache key.
  CHECK(outcome_key(slurm) == outcome_key(local));

  std::string where = file.path().string() + ": [executor] ";
  CHECK(file.error(command_file("") + "[executor]\ntype = \"lava\"\n") ==
        where + "type must be \"local\" or \"slurm\", not \"lava\"");
  CHECK(file.error(command_file("") + "[executor]\njobs = 0\n") ==
        where + "jobs must be a positive integer (at most 1024), e.g. 2");
  CHECK_THAT(file.error(command_file("") + "[executor]\nnodes = 3\n"),
             Catch::Contains("unknown key nodes in [executor]"));
}
