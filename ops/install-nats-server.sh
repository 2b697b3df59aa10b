#!/usr/bin/env bash
# Installs the nats-server that Guardyn's tests and `guardyn up` run.
#
#   bash ops/install-nats-server.sh            # build the pinned release into <repo>/.tmp/bin/nats-server
#   bash ops/install-nats-server.sh --debian   # Debian's nats-server package (2.9.x) into /usr/sbin, for the 2.9 path
#
# NATS_SERVER_VERSION overrides the pinned version (default v2.14.9). Idempotent: an existing
# binary of the requested version is kept. ops/nats/local-server.ts finds .tmp/bin/nats-server
# by itself; GUARDYN_NATS_SERVER_BIN=<path> names a binary explicitly.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="${NATS_SERVER_VERSION:-v2.14.9}"
[[ "$version" == v* ]] || version="v${version}"
bin_dir="${repo_root}/.tmp/bin"
binary="${bin_dir}/nats-server"

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

installed_version() { # prints e.g. v2.14.9, or nothing
  "$1" --version 2>/dev/null | sed -n 's/^nats-server: *\(v[0-9][^ ]*\).*/\1/p' | head -n 1
}

install_debian() {
  if [[ $(id -u) -ne 0 ]] && ! command -v sudo >/dev/null; then
    echo "install-nats-server: --debian needs root (apt-get install nats-server)" >&2
    exit 1
  fi
  local sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  echo "install-nats-server: installing Debian's nats-server package with apt-get"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends nats-server
  local deb_bin=/usr/sbin/nats-server
  if [[ ! -x "$deb_bin" ]]; then
    echo "install-nats-server: apt-get finished but $deb_bin is missing" >&2
    exit 1
  fi
  echo "install-nats-server: installed nats-server $(installed_version "$deb_bin") at $deb_bin"
  echo "install-nats-server: to run the tests against it: export GUARDYN_NATS_SERVER_BIN=$deb_bin"
}

install_go() {
  if [[ -x "$binary" ]] && [[ "$(installed_version "$binary")" == "$version" ]]; then
    echo "install-nats-server: nats-server $version already installed at $binary"
    return
  fi
  if ! command -v go >/dev/null 2>&1; then
    for candidate in /usr/local/go/bin/go /usr/lib/go/bin/go; do
      if [[ -x "$candidate" ]]; then PATH="$(dirname "$candidate"):$PATH"; break; fi
    done
  fi
  if ! command -v go >/dev/null 2>&1; then
    cat >&2 <<MSG
install-nats-server: 'go' was not found on PATH, so nats-server ${version} cannot be built.
  Install Go (1.25 or newer) and run this script again, or
  run 'bash ops/install-nats-server.sh --debian' for Debian's nats-server 2.9 (older; newer JetStream features are then off), or
  set GUARDYN_MESSAGING__NATS_URL to use an existing NATS server with JetStream.
MSG
    exit 1
  fi
  mkdir -p "$bin_dir"
  # Build into a scratch dir and move into place only once it checks out, so an interrupted or
  # wrong build never leaves a broken .tmp/bin/nats-server behind.
  build_dir="$(mktemp -d "${repo_root}/.tmp/nats-server-build.XXXXXX")"
  trap 'rm -rf "$build_dir"' EXIT
  echo "install-nats-server: building nats-server ${version} with $(go version) (about a minute)"
  GOBIN="$build_dir" go install "github.com/nats-io/nats-server/v2@${version}"
  local got
  got="$(installed_version "$build_dir/nats-server")"
  if [[ "$got" != "$version" ]]; then
    echo "install-nats-server: the build reports '${got:-nothing}', expected $version" >&2
    exit 1
  fi
  mv -f "$build_dir/nats-server" "$binary"
  echo "install-nats-server: installed nats-server $version at $binary"
}

mode=go
for arg in "$@"; do
  case "$arg" in
    --debian) mode=debian ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install-nats-server: unknown option '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done

if [[ "$mode" == debian ]]; then install_debian; else install_go; fi
