#!/bin/sh
# Installs Debian's prometheus package for its promtool, with which ObservabilityFilesTest checks docker/prometheus's
# alert rules the way Prometheus itself reads them, if promtool is missing. Call it from CI before the tests; needs
# root (or sudo) and the Debian package mirrors. The package's service is not started (no init system in CI).
set -eu
if command -v promtool >/dev/null 2>&1; then
  echo "install-promtool: $(promtool --version 2>&1 | head -1)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends prometheus
echo "install-promtool: $(promtool --version 2>&1 | head -1)"
