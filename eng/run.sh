#!/usr/bin/env bash
# Runs the whole platform on a fresh machine: installs the Debian packages it needs (not the npm test peers), then
# starts the Aspire AppHost in Release (nats-server and the six services under DCP, dashboard on http://localhost:18888, viewer
# on http://localhost:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
bash eng/install-deps.sh
# Release: the services run as users deploy them (a Debug build costs far more CPU per frame).
exec dotnet run -c Release --project AppHost -- "$@"
