#!/bin/sh
# Installs Debian's onnx and numpy for the test export of decoder LLMs to ONNX (src/test/python/export_decoder_onnx.py,
# run by TinyDecoderExports), if they are missing. Call it from CI before the tests; needs root (or sudo) and the
# Debian package mirrors.
set -eu
if /usr/bin/python3 -c 'import onnx, numpy' >/dev/null 2>&1; then
  echo "install-python-onnx: /usr/bin/python3 already has onnx and numpy"
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends python3-onnx python3-numpy
/usr/bin/python3 -c 'import onnx; print("install-python-onnx: onnx", onnx.__version__)'
