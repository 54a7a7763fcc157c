// The QEMU oracle's module initramfs (oracle/initramfs.cpp): a newc cpio archive the kernel can
// unpack, read back here entry by entry.
#include "oracle/initramfs.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <map>

#include "bisector/errors.hpp"
#include "tests/support/temp_dir.hpp"

using namespace ccbisect;
using ccbisect::testing::TempDir;

namespace {

struct Entry {
  unsigned mode = 0;
  std::string data;
};

// Reads a newc archive: every header field is 8 hex digits after the 6-byte magic; names and data
// are padded to 4 bytes.
std::map<std::string, Entry> read_newc(const std::string& archive) {
  std::map<std::string, Entry> entries;
  std::size_t at = 0;
  auto field = [&](std::size_t index) {
    return std::stoul(archive.substr(at + 6 + 8 * index, 8), nullptr, 16);
  };
  while (at + 110 <= archive.size()) {
    REQUIRE(archive.compare(at, 6, "070701") == 0);
    Entry entry;
    entry.mode = static_cast<unsigned>(field(1));
    std::size_t size = field(6);
    std::size_t name_size = field(11);
    std::string name = archive.substr(at + 110, name_size - 1);
    REQUIRE(archive[at + 110 + name_size - 1] == '\0');
    std::size_t data = (at + 110 + name_size + 3) / 4 * 4;
    entry.data = archive.substr(data, size);
    at = (data + size + 3) / 4 * 4;
    if (name == "TRAILER!!!") {
      REQUIRE(at == archive.size());
      return entries;
    }
    entries[name] = entry;
  }
  FAIL("no TRAILER!!! entry");
  return entries;
}

}  // namespace

TEST_CASE("the module initramfs holds busybox, the modules and an /init that loads them",
          "[oracle][initramfs]") {
  TempDir dir("initramfs");
  std::ofstream(dir / "busybox") << "BUSYBOX";
  std::ofstream(dir / "a.ko") << "module a, odd length";
  std::ofstream(dir / "b.ko") << "bb";
  write_module_initramfs(dir / "out.cpio", {dir / "a.ko", dir / "b.ko"}, dir / "busybox");
  std::ifstream in(dir / "out.cpio", std::ios::binary);
  auto entries = read_newc(std::string(std::istreambuf_iterator<char>(in), {}));
  REQUIRE(entries.count("init") == 1);
  CHECK(entries["init"].mode == 0100755);
  CHECK(entries["init"].data == module_init_script());
  CHECK(entries["bin/busybox"].data == "BUSYBOX");
  CHECK(entries["bin/busybox"].mode == 0100755);
  CHECK(entries["modules/a.ko"].data == "module a, odd length");
  CHECK(entries["modules/b.ko"].data == "bb");
  CHECK(entries["modules"].mode == 0040755);
  CHECK_THAT(module_init_script(), Catch::Contains("insmod \"$module\" $params"));
  CHECK_THAT(module_init_script(), Catch::Contains("poweroff -f"));
  CHECK_THROWS_WITH(write_module_initramfs(dir / "x.cpio", {dir / "missing.ko"}, dir / "busybox"),
                    Catch::Contains("cannot read the module") && Catch::Contains("missing.ko"));
}
