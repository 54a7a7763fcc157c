#!/bin/sh
# Prints the newest kernel version that has both an image (/boot/vmlinuz-V, linux-image-amd64) and
# headers to build modules against (/lib/modules/V/build, linux-headers-amd64). Not `uname -r`:
# the kernel we boot in QEMU need not be the one this machine runs.
for image in $(ls -v /boot/vmlinuz-* 2>/dev/null | sort -rV); do
	version=${image#/boot/vmlinuz-}
	if [ -d "/lib/modules/$version/build" ]; then
		echo "$version"
		exit 0
	fi
done
echo "kernel_version.sh: no kernel with headers; apt-get install linux-image-amd64 linux-headers-amd64" >&2
exit 1
