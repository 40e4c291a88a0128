#!/usr/bin/env bash
# Runs every test of the platform on a fresh machine (only the .NET SDK, Node.js and apt needed):
# installs system dependencies, builds once, runs all test projects, prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

bash eng/install-deps.sh --test-peers || { echo "dependency install failed"; echo "0 passed, 1 failed"; exit 1; }

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

dotnet build Platform.sln -nologo -v:q
build_rc=$?
if ((build_rc != 0)); then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

# A hang is a failure, not a stuck CI: blame-hang kills a test host that stops making progress. The integration tests
# run the whole platform and a browser: they go last, alone, so that other test hosts do not starve them.
test_rc=0
for run in unit integration; do
  if [[ $run == unit ]]; then target=(Platform.sln -p:SkipIntegrationTests=true); else target=(tests/IntegrationTests); fi
  dotnet test "${target[@]}" --no-build -nologo -v:q \
    --logger "trx" --results-directory "$results" \
    --blame-hang-timeout 5m "$@" || test_rc=$?
done

passed=0; failed=0
for trx in "$results"/*.trx; do
  [[ -f "$trx" ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
((failed > 0)) && node eng/trx-failures.mjs "$results"/*.trx
if ((test_rc != 0 && failed == 0)); then failed=1; fi  # a crashed test host counts as a failure
echo "${passed} passed, ${failed} failed"
exit $(( failed > 0 ? 1 : 0 ))
