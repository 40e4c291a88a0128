#!/usr/bin/env bash
# Installs what the platform needs beyond the .NET SDK: Debian packages (nats-server, ...); with --test-peers also
# the npm peers used by the interop tests (Node.js needed). Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(nats-server ffmpeg chromium fonts-dejavu-core)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  echo "==> installing Debian packages: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[[ "${1:-}" == "--test-peers" ]] || exit 0
if [[ ! -d tests/interop/node_modules ]] || [[ tests/interop/package-lock.json -nt tests/interop/node_modules ]]; then
  echo "==> installing npm peers for interop tests"
  npm ci --prefix tests/interop --no-audit --no-fund --loglevel=error
  touch tests/interop/node_modules
fi
