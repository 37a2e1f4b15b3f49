#!/usr/bin/env bash
# Runs the test suite as a new user would on a fresh Debian 12 machine that has only the .NET SDK: a
# throw-away debootstrap root (Debian's minimal base plus the libraries the SDK itself needs), this
# machine's SDK mounted read-only, a clean clone of the committed HEAD, then `tests/run.sh` in it as root.
# None of this machine's packages, NuGet cache, build output or environment is visible in there, so a
# prerequisite that only happens to be installed here fails there. The root is removed afterwards.
#
# usage: tests/fresh-machine.sh [--keep] [COMMAND...]
#   COMMAND  what to run in the clone (default: tests/run.sh), e.g. `bash tests/preflight.sh`
#   --keep   keep the root for a look (its path is printed); remove it later with `rm -rf --one-file-system`
# Needs root, debootstrap (installed when missing), the Debian mirror of this machine's apt sources, the
# NuGet registry, and about 3 GB in ${FRESH_MACHINE_DIR:-/var/tmp}. Takes about 15 minutes.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
repo=$(pwd)

keep=0
if [ "${1:-}" = "--keep" ]; then keep=1; shift; fi
command=("$@")
[ ${#command[@]} -eq 0 ] && command=(tests/run.sh)

[ "$(id -u)" -eq 0 ] || { echo "fresh-machine: needs root (debootstrap, chroot and mounts)"; exit 2; }
dotnet_home=$(dirname "$(readlink -f "$(command -v dotnet)")") || { echo "fresh-machine: no dotnet on PATH"; exit 2; }
if ! command -v debootstrap >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null \
    || { echo "fresh-machine: could not install debootstrap"; exit 2; }
fi
# The mirror this machine's apt already uses (deb822 sources, or the one-line format).
mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $3 ~ /^bookworm$/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null)
[ -n "$mirror" ] || { echo "fresh-machine: no Debian mirror found in /etc/apt/sources.list*"; exit 2; }

base=$(mktemp -d "${FRESH_MACHINE_DIR:-/var/tmp}/propertyeba-fresh-XXXXXX")
root="$base/root"
mounts=()
cleanup() {
  local pid m
  # Whatever the run left behind inside the root (a broker, a browser) goes first, or its mounts stay busy.
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$root" ] && kill -9 "$pid" 2>/dev/null
  done
  for ((m = ${#mounts[@]} - 1; m >= 0; m--)); do
    umount -R "${mounts[m]}" 2>/dev/null || umount -R -l "${mounts[m]}" 2>/dev/null
  done
  if ((keep)); then
    echo "fresh-machine: kept $root"
  elif findmnt -rn -o TARGET | grep -q "^$root"; then
    echo "fresh-machine: $root still has mounts; not removed"
  else
    rm -rf --one-file-system "$base"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bind() { # bind SOURCE TARGET-INSIDE-ROOT [ro]
  mkdir -p "$root$2"
  mount --rbind "$1" "$root$2" && mount --make-rslave "$root$2" && mounts+=("$root$2") || return 1
  if [ "${3:-}" = ro ]; then mount -o remount,bind,ro "$root$2" || return 1; fi
}

echo "fresh-machine: debootstrap Debian 12 (minbase) into $root"
# The .NET SDK's own needs on Debian 12 (libc6, libgcc-s1, libstdc++6 and zlib1g come with minbase).
if ! debootstrap --variant=minbase --include=ca-certificates,libicu72,libssl3,libgssapi-krb5-2,tzdata \
    bookworm "$root" "$mirror" >"$base/debootstrap.log" 2>&1; then
  tail -n 5 "$base/debootstrap.log"
  echo "fresh-machine: debootstrap failed (log above)"
  exit 2
fi
# The same apt sources (with security updates) as this machine, and its resolver.
rm -f "$root/etc/apt/sources.list"
cp /etc/apt/sources.list.d/*.sources "$root/etc/apt/sources.list.d/" 2>/dev/null || cp /etc/apt/sources.list "$root/etc/apt/"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
# The certificate authorities this machine kind adds locally (an egress proxy's, for example) belong to the machine,
# not to this project: without them the fresh root could not reach the NuGet registry at all.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  chroot "$root" /usr/sbin/update-ca-certificates >/dev/null 2>&1 || { echo "fresh-machine: update-ca-certificates failed in the root"; exit 2; }
fi
# No package may start its service inside the root: it would take this machine's ports (mosquitto's 1883),
# and a root without an init system has nothing to stop it. This machine's image has the same file.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"

mkdir -p "$root/proc" "$root/sys"
mount -t proc proc "$root/proc" && mounts+=("$root/proc") || exit 2
mount -t sysfs sys "$root/sys" && mounts+=("$root/sys") || exit 2
bind /dev /dev || exit 2   # with /dev/pts (socat's pseudo-terminals) and /dev/shm (chromium)
bind "$dotnet_home" /usr/share/dotnet ro || exit 2
ln -sf /usr/share/dotnet/dotnet "$root/usr/bin/dotnet"

echo "fresh-machine: clean clone of $(git -C "$repo" rev-parse --short HEAD) (committed work only)"
git clone -q --no-hardlinks "$repo" "$root/root/PropertyEba" || exit 2

echo "fresh-machine: running '${command[*]}' inside"
# A new machine's environment: none of this shell's, except the SDK's settings this machine kind sets.
environment=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}")
while IFS= read -r variable; do environment+=("$variable"); done < <(env | grep -E '^(DOTNET_|NUGET_|SSL_CERT_)')
[ -n "${CI:-}" ] && environment+=("CI=$CI")
chroot "$root" /usr/bin/env -i "${environment[@]}" /bin/bash -c 'cd /root/PropertyEba && exec "$@"' bash "${command[@]}"
status=$?
echo "fresh-machine: '${command[*]}' exited $status"
exit $status
