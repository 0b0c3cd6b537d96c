#!/usr/bin/env bash
# A local stand-in for docker.io/library/python:3.10-slim-bookworm, for machines without
# a registry of images (this one): Debian bookworm from Debian's packages (debootstrap)
# plus the Python 3.10 that scripts/find-python.sh finds, in /usr/local as in the official
# image. Used by scripts/deploy-test.sh only; a user's build takes the official image.
#   scripts/container-base.sh IMAGE_NAME WORK_DIR     prints nothing; IMAGE_NAME exists after
set -euo pipefail
image="${1:?image name}"; work="${2:?work folder}"
cd "$(dirname "$0")/.."
podman image exists "$image" && exit 0
python=$(scripts/find-python.sh)
prefix=$("$python" -c 'import sys; print(sys.base_prefix)')
rootfs="$work/rootfs"
rm -rf "$rootfs"; mkdir -p "$work"
echo "Building the local base image $image (debootstrap, about a minute) ..." >&2
# the shared libraries the Python build links to, beside what python:3.10-slim carries
debootstrap --variant=minbase \
  --include=ca-certificates,tzdata,netbase,libsqlite3-0,libreadline8,libncursesw6,libnsl2,libtirpc3,libffi8,libssl3,libbz2-1.0,liblzma5,zlib1g,libuuid1,libgdbm6 \
  bookworm "$rootfs" http://deb.debian.org/debian > "$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
cp -a "$prefix/." "$rootfs/usr/local/"
rm -rf "$rootfs"/usr/local/lib/python3.10/{test,idlelib,tkinter,turtledemo} \
       "$rootfs"/usr/local/lib/python3.10/lib-dynload/_tkinter*.so
chroot "$rootfs" ldconfig
chroot "$rootfs" /usr/local/bin/python3.10 -c 'import ssl, sqlite3, zoneinfo, venv, ctypes, readline'
# this machine reaches PyPI through a proxy with its own certificate authority: the
# base trusts the host's bundle (the test script passes PIP_CERT to the build)
cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
tar -C "$rootfs" -c . | podman import \
  --change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["python3"]' - "$image" >&2
rm -rf "$rootfs"
