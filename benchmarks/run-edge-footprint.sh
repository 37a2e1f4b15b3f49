#!/usr/bin/env bash
# Resident memory and CPU of the edge agent as a whole process, polling ESTATES × 20 simulated devices (the garden
# estate, simulators' scale mode: one Modbus TCP gateway per estate, units 1..20) every second and publishing to a
# local mosquitto. Samples RSS every SAMPLE seconds and prints CPU over the whole window.
#
#   benchmarks/run-edge-footprint.sh [ESTATES=5] [SECONDS=180] [SAMPLE=30] [HEARTBEAT=]   (HEARTBEAT e.g. 00:05:00)
set -euo pipefail
ESTATES=${1:-5}
WINDOW=${2:-180}
SAMPLE=${3:-30}
HEARTBEAT=${4:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$OUT"' EXIT
HZ=$(getconf CLK_TCK)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

dotnet build -c Release "$ROOT/simulators/PropertyEba.Simulators" -v q -nologo >/dev/null
dotnet build -c Release "$ROOT/edge/PropertyEba.Edge" -v q -nologo >/dev/null
SIM="$ROOT/simulators/PropertyEba.Simulators/bin/Release/net10.0/PropertyEba.Simulators.dll"
EDGE="$ROOT/edge/PropertyEba.Edge/bin/Release/net10.0/PropertyEba.Edge.dll"

BROKER_PORT=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$BROKER_PORT" >"$OUT/mosquitto.conf"
mosquitto -c "$OUT/mosquitto.conf" >"$OUT/mosquitto.log" 2>&1 &

dotnet "$SIM" scale --estates "$ESTATES" --estate garden >"$OUT/sim.out" 2>"$OUT/sim.err" &
for _ in $(seq 1 300); do grep -q '^control ' "$OUT/sim.out" 2>/dev/null && break; sleep 0.1; done
CONTROL=$(awk '/^control /{print $2}' "$OUT/sim.out" | head -1)
CONTROL=${CONTROL%%/estates*}

# Every device of every estate as command-line configuration (indices past the shipped examples' replace them).
curl -fsS "$CONTROL/estates" >"$OUT/estates.json"
python3 - "$CONTROL" "$OUT/estates.json" >"$OUT/args" <<'PY'
import json, sys, urllib.request
control, path = sys.argv[1], sys.argv[2]
estates = json.load(open(path))
i = 0
for e in estates:
    name = e.get("name") or e.get("estate")
    for d in json.load(urllib.request.urlopen(f"{control}/estates/{name}/devices")):
        endpoint = d.get("endpoint") or d.get("uri")
        host, port = endpoint.replace("tcp://", "").rsplit(":", 1)
        for k, v in (("DeviceId", f"{name}-{d.get('deviceId') or d.get('id')}"), ("Model", d["model"]), ("Host", host), ("Port", port),
                     ("UnitId", d.get("unitId")), ("PollInterval", "00:00:01")):
            print(f"--Edge:Devices:{i}:{k}={v}")
        i += 1
PY
DEVICES=$(grep -c ':DeviceId=' "$OUT/args")
EXTRA=()
[ -n "$HEARTBEAT" ] && EXTRA+=("--Edge:Runtime:ReportHeartbeat=$HEARTBEAT")
cd "$OUT"
dotnet "$EDGE" $(cat "$OUT/args") "--Edge:Mqtt:Port=$BROKER_PORT" "--Edge:BufferDirectory=$OUT/buffer" "--Edge:LocalPage:Enabled=false" \
  "--Edge:Tenant=bench" "--Edge:Site=scale" "--Edge:EdgeId=edge-1" "${EXTRA[@]}" "--Serilog:MinimumLevel:Default=Information" >"$OUT/edge.log" 2>&1 &
PID=$!
sleep 10
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(dotnet --version), $DEVICES devices in $ESTATES gateways, window ${WINDOW}s, heartbeat ${HEARTBEAT:-none}"
t0=$(awk '{print $14+$15}' "/proc/$PID/stat")
for s in $(seq "$SAMPLE" "$SAMPLE" "$WINDOW"); do
  sleep "$SAMPLE"
  echo "t=${s}s rss $(awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$PID/status") MB"
done
t1=$(awk '{print $14+$15}' "/proc/$PID/stat")
awk -v a="$t0" -v b="$t1" -v hz="$HZ" -v w="$WINDOW" 'BEGIN { printf "cpu %.1f%% of one core over the window\n", (b-a)/hz/w*100 }'
grep -cE "Connected to MQTT" "$OUT/edge.log" | sed "s/^/mqtt connections: /"
grep -E "WRN|ERR|FTL" "$OUT/edge.log" | head -5 || true
