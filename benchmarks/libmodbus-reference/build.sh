#!/bin/sh
# Builds the libmodbus reference client and server into the given folder (default: ./build, git-ignored).
# Needs Debian's gcc, pkg-config and libmodbus-dev.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-"$here/build"}
mkdir -p "$out"
flags=$(pkg-config --cflags --libs libmodbus)
for program in modbus_ref_server modbus_ref_client; do
  gcc -O2 -Wall -Wextra -o "$out/$program" "$here/$program.c" $flags
done
echo "$out"
