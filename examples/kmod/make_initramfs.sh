#!/bin/sh
# make_initramfs.sh OUT MODULE.ko...: packs busybox (busybox-static) and the modules into a gzip'd
# cpio initramfs whose /init loads each module, then powers the machine off, so that QEMU exits as
# soon as the modules have said what they had to say.
#
# Module parameters come from the kernel command line, the way modprobe reads them: for m.ko,
# every word `m.name=value` in /proc/cmdline becomes `name=value` on insmod's command line.
# ccbisect's QEMU oracle runs this before every boot ([oracle] initrd_command), so each trial
# boots the module it has just linked.
set -eu
if [ $# -lt 2 ]; then
	echo "usage: $0 OUT.cpio.gz MODULE.ko..." >&2
	exit 2
fi
out=$1
shift
busybox=/bin/busybox
[ -x "$busybox" ] || { echo "$0: $busybox not found; apt-get install busybox-static" >&2; exit 1; }
# The initramfs has no C library: a dynamically linked busybox (package busybox) cannot run there.
if ldd "$busybox" >/dev/null 2>&1; then
	echo "$0: $busybox is dynamically linked; apt-get install busybox-static" >&2
	exit 1
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/modules"
cp "$busybox" "$root/bin/busybox"
for module in "$@"; do
	cp "$module" "$root/modules/"
done
cat >"$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
for module in /modules/*.ko; do
	name=$(/bin/busybox basename "$module" .ko)
	params=""
	for word in $(/bin/busybox cat /proc/cmdline); do
		case "$word" in
		"$name".*=*) params="$params ${word#"$name".}" ;;
		esac
	done
	echo "init: insmod $name$params"
	/bin/busybox insmod "$module" $params || echo "init: insmod $name failed ($?)"
done
echo "init: done, powering off"
/bin/busybox poweroff -f
INIT
chmod 755 "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out.tmp"
mv "$out.tmp" "$out"
