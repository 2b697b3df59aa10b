#!/usr/bin/env bash
# Installs coturn (BSD-3-Clause), the TURN/STUN server that relays call media for devices behind
# NAT, from the distribution's packages (Debian's `coturn`: /usr/bin/turnserver). Idempotent: when
# `turnserver` is already on PATH (or GUARDYN_TURN__BIN names one), it says so and exits 0.
#
#   bash ops/install-coturn.sh
#
# `guardyn up` starts turnserver as a supervised child when it finds one (docs/CALLS-TURN.md); the
# browser call test (test/e2e/call-relay.test.ts) starts its own on loopback. Nothing here enables
# the Debian service: Guardyn runs turnserver itself, with its own flags and secret.
# Exits non-zero, saying why, when it cannot install (no apt-get, not root and no sudo, the package
# missing); .ci/run then lets the call tests skip.
set -euo pipefail

found="${GUARDYN_TURN__BIN:-}"
if [[ -n "$found" && -x "$found" ]]; then
  echo "install-coturn: turnserver already installed at $found"
  exit 0
fi
if command -v turnserver >/dev/null 2>&1; then
  echo "install-coturn: turnserver already installed at $(command -v turnserver)"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-coturn: 'turnserver' is not installed and there is no apt-get here; install coturn with your system's package manager (the package is usually 'coturn')" >&2
  exit 1
fi

as_root=()
if [[ "$(id -u)" != "0" ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    echo "install-coturn: 'turnserver' is not installed and installing the 'coturn' package needs root (run as root, or allow sudo without a password)" >&2
    exit 1
  fi
fi

echo "install-coturn: installing Debian's coturn package (apt-get)"
if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends coturn; then
  echo "install-coturn: apt-get install coturn failed; updating the package lists and trying once more"
  "${as_root[@]}" apt-get update -q || true
  if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends coturn; then
    echo "install-coturn: could not install the 'coturn' package with apt-get (see the messages above)" >&2
    exit 1
  fi
fi
# The package may enable its own service; Guardyn starts turnserver itself, so stop that one if it runs.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet coturn 2>/dev/null; then
  "${as_root[@]}" systemctl disable --now coturn >/dev/null 2>&1 || true
fi
if ! command -v turnserver >/dev/null 2>&1; then
  echo "install-coturn: the coturn package is installed but 'turnserver' is not on PATH" >&2
  exit 1
fi
echo "install-coturn: installed turnserver at $(command -v turnserver) ($(dpkg-query -W -f='${Version}' coturn 2>/dev/null || echo 'version unknown'))"
