#!/usr/bin/env bash
# Runs the whole platform on a fresh machine: installs system dependencies, then starts the AppHost
# (nats-server and the six services, dashboard on http://localhost:18888, viewer on http://localhost:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
bash eng/install-deps.sh
exec dotnet run --project AppHost -- "$@"
