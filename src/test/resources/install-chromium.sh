#!/bin/sh
# Installs Debian's Chromium for the attention page's browser test (AttentionPageBrowserTest), if it is missing.
# Call it from CI before the tests; needs root (or sudo) and the Debian package mirrors.
set -eu
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  echo "install-chromium: $(command -v chromium || command -v chromium-browser) is already installed"
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium fonts-dejavu-core
chromium --version
