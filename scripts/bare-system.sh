#!/usr/bin/env bash
# A bare Debian 12 root file system for test/prebuild.test.ts: the glibc family only (libc6,
# libgcc-s1, libstdc++6, from Debian's packages), this machine's node and npm, and nothing
# else — no libtgowt, ffmpeg, libvpx, libsrtp, X11, PulseAudio or compiler. The tarballs given
# are installed into /app with npm, offline.
#
#   bash scripts/bare-system.sh <root> <package.tgz>...    (as root: it mounts /proc in <root>)
#   bash scripts/bare-system.sh --remove <root>
set -euo pipefail
say() { printf 'bare-system: %s\n' "$*" >&2; }

if [ "${1:-}" = "--remove" ]; then
  root=$2
  if mountpoint -q "$root/proc" 2>/dev/null; then umount "$root/proc"; fi
  rm -rf --one-file-system "$root"
  exit 0
fi

root=$1
shift
cache="$(cd "$(dirname "$0")/.." && pwd)/.cache/bare-system-debs"
packages=(libc6 libgcc-s1 libstdc++6 gcc-12-base)

mkdir -p "$cache"
if ! (cd "$cache" && apt-get download -qq "${packages[@]}" >/dev/null 2>&1); then
  say "apt-get download failed; updating the package lists"
  apt-get update -qq
  (cd "$cache" && apt-get download -qq "${packages[@]}")
fi
# Only the newest download of each package.
mkdir -p "$root"
for p in "${packages[@]}"; do
  deb=$(ls -t "$cache/${p}_"*.deb | head -n 1)
  dpkg-deb -x "$deb" "$root"
done

# node and npm, as this machine has them (node needs only the glibc family: checked below).
node_bin=$(command -v node)
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
mkdir -p "$root/usr/bin" "$root/usr/lib/node_modules" "$root/tmp" "$root/root" "$root/proc" \
  "$root/dev" "$root/app" "$root/pkgs" "$root/etc"
cp "$node_bin" "$root/usr/bin/node"
cp -r "$npm_dir" "$root/usr/lib/node_modules/npm"
chmod 1777 "$root/tmp"
for dev in "null c 1 3" "zero c 1 5" "random c 1 8" "urandom c 1 9"; do
  read -r name type major minor <<< "$dev"
  [ -e "$root/dev/$name" ] || mknod -m 666 "$root/dev/$name" "$type" "$major" "$minor"
done
echo "root:x:0:0:root:/root:/bin/sh" > "$root/etc/passwd"
mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"

# Inside, a clean environment: nothing of this machine's set-up (proxies, CA files) leaks in.
chroot_bin=$(command -v chroot)
inside() { env -i HOME=/root PATH=/usr/bin:/bin LANG=C.UTF-8 "$chroot_bin" "$root" "$@"; }
missing=$(inside /usr/bin/node -e 'process.exit(0)' 2>&1 || true)
if [ -n "$missing" ]; then
  say "node does not run in the bare system: $missing"
  exit 1
fi

cp "$@" "$root/pkgs/"
# The package and its dependencies, from their tarballs only: --offline, an empty cache.
(cd "$root/app" && echo '{"name":"bare-app","version":"1.0.0","private":true}' > package.json)
tarballs=()
for t in "$@"; do tarballs+=("/pkgs/$(basename "$t")"); done
inside /usr/bin/node /usr/lib/node_modules/npm/bin/npm-cli.js install --prefix /app \
  --offline --no-audit --no-fund --no-update-notifier --cache /root/.npm "${tarballs[@]}" >&2
say "ready: $root"
