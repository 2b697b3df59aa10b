#!/usr/bin/env bash
# Builds the TiKV/PD stand-in the TiKV adapter's tests run against (ops/tikv: the upstream
# client library's mock cluster served over real gRPC) into <repo>/.tmp/bin/guardyn-mock-tikv.
# Modules come from the Go module proxy. Cached: the binary is kept while the sources it was
# built from (recorded as a hash beside it) are unchanged.
#
#   bash ops/install-tikv-mock.sh
#
# stores/kv/tikv/mock-server.ts finds the binary by itself; GUARDYN_TIKV_MOCK_BIN=<path> names
# one explicitly. Without the binary the TiKV tests skip and say so.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="${repo_root}/ops/tikv"
bin_dir="${repo_root}/.tmp/bin"
binary="${bin_dir}/guardyn-mock-tikv"
stamp="${binary}.version"
version="$(cat "$src/go.mod" "$src/go.sum" "$src/main.go" | sha256sum | cut -c1-16)"

if [[ -x "$binary" ]] && [[ -f "$stamp" ]] && [[ "$(cat "$stamp")" == "$version" ]]; then
  echo "install-tikv-mock: guardyn-mock-tikv ($version) already installed at $binary"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  for candidate in /usr/local/go/bin/go /usr/lib/go/bin/go; do
    if [[ -x "$candidate" ]]; then PATH="$(dirname "$candidate"):$PATH"; break; fi
  done
fi
if ! command -v go >/dev/null 2>&1; then
  echo "install-tikv-mock: 'go' (1.21 or newer) was not found, so the TiKV stand-in cannot be built; the TiKV tests will skip" >&2
  exit 1
fi
mkdir -p "$bin_dir"
echo "install-tikv-mock: building guardyn-mock-tikv with $(go version) (a few minutes on a cold module cache)"
(cd "$src" && go build -mod=mod -o "${binary}.tmp" .)
mv -f "${binary}.tmp" "$binary"
echo "$version" > "$stamp"
echo "install-tikv-mock: installed guardyn-mock-tikv ($version) at $binary"
