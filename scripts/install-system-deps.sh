#!/usr/bin/env bash
# Debian packages the test suite needs: headless Chromium for the browser tests of the HTML views and the web
# UI, and Virtuoso 7 for the external triple store tests (tests/test_virtuoso.py starts its own server on
# loopback, with its database in a temporary folder). Installs only what is missing; needs root (CI runs as
# root) or sudo.
set -euo pipefail
packages=(chromium virtuoso-opensource)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# Virtuoso's package would start its system service, listening on every interface: policy-rc.d (Debian's
# switch for exactly this) forbids starting services while the packages are installed, if nothing set it.
policy=/usr/sbin/policy-rc.d
added_policy=""
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
    $SUDO chmod +x "$policy"
    added_policy=yes
fi
cleanup() { if [ -n "$added_policy" ]; then $SUDO rm -f "$policy"; fi; }
trap cleanup EXIT
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
