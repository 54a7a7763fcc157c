// The module initramfs; see initramfs.hpp.
//
// Hand-written cpio: the kernel reads the "newc" format (a 110-byte ASCII header, the name and the
// data, each padded to 4 bytes; Documentation/driver-api/early-userspace/buffer-format.rst), and
// accepts it uncompressed. That is about 30 lines, against a new dependency (libarchive) or the
// cpio and gzip programs run for every boot.
#include "oracle/initramfs.hpp"

#include <elf.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>

#include "bisector/errors.hpp"
#include "sys/temp_file.hpp"

namespace ccbisect {
namespace {

class CpioWriter {
 public:
  explicit CpioWriter(std::ostream& out) : m_out(out) {}

  void directory(const std::string& name) { entry(name, 0040755, ""); }
  void file(const std::string& name, const std::string& data, bool executable) {
    entry(name, executable ? 0100755 : 0100644, data);
  }
  void finish() { entry("TRAILER!!!", 0, ""); }

 private:
  void entry(const std::string& name, unsigned mode, const std::string& data) {
    // magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor,
    // namesize (with its NUL), check
    m_out << fmt::format(
        "070701{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}", ++m_inode,
        mode, 0, 0, (mode & 0040000) != 0 ? 2 : 1, 0, data.size(), 0, 0, 0, 0, name.size() + 1, 0);
    m_out << name << '\0';
    pad(110 + name.size() + 1);
    m_out << data;
    pad(data.size());
  }
  void pad(std::size_t written) {
    for (std::size_t i = written; i % 4 != 0; ++i) {
      m_out << '\0';
    }
  }

  std::ostream& m_out;
  unsigned m_inode = 0;
};

std::string read_file(const std::filesystem::path& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw UserError(fmt::format("[oracle] modules: cannot read {} {}", what, path.string()));
  }
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Whether an ELF executable asks for a program interpreter (is dynamically linked).
bool has_interpreter(const std::string& elf) {
  if (elf.size() < sizeof(Elf64_Ehdr) || elf.compare(0, 4, ELFMAG) != 0 || elf[EI_CLASS] != ELFCLASS64) {
    return false;
  }
  Elf64_Ehdr header;
  std::memcpy(&header, elf.data(), sizeof header);
  for (std::size_t i = 0; i < header.e_phnum; ++i) {
    std::size_t at = header.e_phoff + i * header.e_phentsize;
    if (at + sizeof(Elf64_Phdr) > elf.size()) {
      break;
    }
    Elf64_Phdr program;
    std::memcpy(&program, elf.data() + at, sizeof program);
    if (program.p_type == PT_INTERP) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string module_init_script() {
  return R"INIT(#!/bin/busybox sh
# Written by ccbisect: load each module, then power off.
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev 2>/dev/null
for module in /modules/*.ko; do
	[ -e "$module" ] || continue
	name=$(/bin/busybox basename "$module" .ko)
	params=""
	for word in $(/bin/busybox cat /proc/cmdline); do
		case "$word" in
		"$name".*=*) params="$params ${word#"$name".}" ;;
		esac
	done
	echo "ccbisect-init: insmod $name$params"
	/bin/busybox insmod "$module" $params || echo "ccbisect-init: insmod $name failed ($?)"
done
echo "ccbisect-init: done, powering off"
/bin/busybox poweroff -f
)INIT";
}

std::filesystem::path static_busybox() {
  std::filesystem::path busybox = "/bin/busybox";
  if (!std::filesystem::exists(busybox)) {
    throw UserError("[oracle] modules: /bin/busybox not found; apt-get install busybox-static");
  }
  if (has_interpreter(read_file(busybox, "busybox"))) {
    throw UserError(
        "[oracle] modules: /bin/busybox is dynamically linked and the initramfs has no C library; "
        "apt-get install busybox-static");
  }
  return busybox;
}

void write_module_initramfs(const std::filesystem::path& out,
                            const std::vector<std::filesystem::path>& modules,
                            const std::filesystem::path& busybox) {
  std::string archive;
  {
    std::ostringstream stream;
    CpioWriter cpio(stream);
    for (const char* dir : {"bin", "dev", "proc", "sys", "modules"}) {
      cpio.directory(dir);
    }
    cpio.file("bin/busybox", read_file(busybox, "busybox"), true);
    for (const std::filesystem::path& module : modules) {
      cpio.file("modules/" + module.filename().string(), read_file(module, "the module"), false);
    }
    cpio.file("init", module_init_script(), true);
    cpio.finish();
    archive = stream.str();
  }
  std::error_code error;
  if (!write_file_atomically(out, archive, error)) {
    throw UserError(fmt::format("cannot write the initramfs {}: {}", out.string(), error.message()));
  }
}

}  // namespace ccbisect
