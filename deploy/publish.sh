#!/usr/bin/env bash
# Publishes the edge agent for a Raspberry Pi (linux-arm64) and a PC (linux-x64), each framework-dependent (needs
# the .NET 10 runtime on the device) and self-contained trimmed (needs nothing). Output: artifacts/edge/<rid>-<kind>/.
#   deploy/publish.sh                 # all four
#   deploy/publish.sh linux-arm64     # one runtime, both kinds
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$root/artifacts/edge}
rids=("${@:-linux-arm64 linux-x64}")
for rid in ${rids[*]}; do
  dotnet publish "$root/edge/PropertyEba.Edge" -c Release -r "$rid" --self-contained false \
    -o "$out/$rid-framework-dependent" -nologo -clp:ErrorsOnly
  dotnet publish "$root/edge/PropertyEba.Edge" -c Release -r "$rid" --self-contained true -p:PublishTrimmed=true \
    -o "$out/$rid-self-contained" -nologo -clp:ErrorsOnly
  cp "$root/deploy/propertyeba-edge.service" "$out/$rid-self-contained/"
  mkdir -p "$out/$rid-self-contained/docs" && cp "$root/docs/edge.md" "$root/docs/profiles.md" "$out/$rid-self-contained/docs/"
  echo "$rid: $(du -sh "$out/$rid-framework-dependent" | cut -f1) framework-dependent, $(du -sh "$out/$rid-self-contained" | cut -f1) self-contained trimmed"
done
