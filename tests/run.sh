#!/usr/bin/env bash
# Installs the test prerequisites that are missing (Debian packages listed in tests/apt-packages.txt),
# uses each of them once (tests/preflight.sh), builds the solution and runs every test project, one after
# another, then prints one summary line: "N passed, N failed". A missing prerequisite that cannot be
# installed, or one that is installed but does not work, stops the run before anything is built.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# --- prerequisites -------------------------------------------------------------------------------
mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' tests/apt-packages.txt | grep -v '^$')
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "tests/run.sh: installing missing prerequisites: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq || { echo "tests/run.sh: apt-get update failed"; exit 2; }
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    || { echo "tests/run.sh: could not install ${missing[*]}"; exit 2; }
  # The tests start their own mosquitto on free ports. Debian's package also starts a system broker on
  # 1883, which would keep `dotnet run --project cloud/PropertyEba.Cloud` from starting its embedded
  # one; a broker this script brought in is stopped and not started at boot.
  if [[ " ${missing[*]} " == *" mosquitto "* ]] && command -v systemctl >/dev/null && systemctl is-enabled mosquitto >/dev/null 2>&1; then
    echo "tests/run.sh: stopping and disabling the system mosquitto service the package started (the tests run their own)"
    $sudo systemctl disable --now mosquitto || true
  fi
fi

# --- preflight: each prerequisite used once, in the environment the tests get ---------------------------
# An installed package is not yet a working one (a module it only recommends, a PYTHONPATH that shadows it).
# One line per problem, naming the Debian package; then the run stops, before any build or test.
bash tests/preflight.sh || exit 2

# --- build ---------------------------------------------------------------------------------------
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export PROPERTYEBA_ARTIFACTS="$root/tests/artifacts"
mkdir -p "$PROPERTYEBA_ARTIFACTS"
dotnet build PropertyEba.sln -c Release -nologo -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }

# --- style: .editorconfig and the .NET conventions (reported, and fails the run, but tests still run) ---
status=0
if ! dotnet format PropertyEba.sln --verify-no-changes --no-restore; then
  echo "tests/run.sh: 'dotnet format PropertyEba.sln' would change the files above; run it and commit."
  status=1
fi

# --- tests ---------------------------------------------------------------------------------------
log=$(mktemp)
for project in tests/*.Tests/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  echo "=== $name"
  start=$(date +%s)
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "console;verbosity=normal" \
    --results-directory "$PROPERTYEBA_ARTIFACTS/$name" --logger "trx;LogFileName=$name.trx" \
    --blame-hang-timeout 5m 2>&1 | tee -a "$log" \
    | awk '/^[[:space:]]*Failed [A-Za-z]|Cleanup Failure|Test Run Aborted/ { tail = 30 } tail > 0 { print; tail--; next } /^[[:space:]]*(Passed|Skipped) |Failed!|Passed!|error|Total tests/ { print }'
  rc=${PIPESTATUS[0]}
  echo "=== $name: exit $rc after $(( $(date +%s) - start ))s"
  [ "$rc" -ne 0 ] && status=1
done

passed=$(grep -oE "Passed: +[0-9]+" "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE "Failed: +[0-9]+" "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE "Skipped: +[0-9]+" "$log" | awk '{s+=$2} END {print s+0}')
# The failing tests' names again at the very end, where a truncated CI log still shows them.
# A fixture that fails to clean up (or a crashed test host) fails its project without failing a test: name it too.
failures=$(grep -E '^[[:space:]]*Failed [A-Za-z]|\[Test [A-Za-z]+ Cleanup Failure|Test Run Aborted' "$log" \
  | sed -E -e 's/^[[:space:]]*Failed /  /' -e 's/^.*\[(Test [A-Za-z]+ Cleanup Failure[^]]*)\].*/  \1/' -e 's/^.*(Test Run Aborted.*)/  \1/' | sort -u)
rm -f "$log"
if [ -n "$failures" ]; then
  echo "Failed tests (their output is above, after each project's '=== ' line):"
  echo "$failures"
fi
echo "Screenshots and test results: $PROPERTYEBA_ARTIFACTS"
if [ "$skipped" -gt 0 ]; then
  echo "tests/run.sh: $skipped test(s) were skipped; a skipped test proves nothing, so the run fails."
  status=1
fi
if [ "$passed" -eq 0 ]; then
  echo "tests/run.sh: no test ran."
  status=1
fi
echo "$passed passed, $failed failed"
exit $status
