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
source "${repo_root}/ops/go-tools.sh"
src="${repo_root}/ops/tikv"
binary="${repo_root}/.tmp/bin/guardyn-mock-tikv"
version="$(cat "$src/go.mod" "$src/go.sum" "$src/main.go" | sha256sum | cut -c1-16)"

if stamp_current "$binary" "$version"; then
  echo "install-tikv-mock: guardyn-mock-tikv ($version) already installed at $binary"
  exit 0
fi
find_go "install-tikv-mock: 'go' (1.21 or newer) was not found, so the TiKV stand-in cannot be built; the TiKV tests will skip"
mkdir -p "$(dirname "$binary")"
echo "install-tikv-mock: building guardyn-mock-tikv with $(go version) (a few minutes on a cold module cache)"
(cd "$src" && go build -mod=mod -o "${binary}.tmp" .)
mv -f "${binary}.tmp" "$binary"
write_stamp "$binary" "$version"
echo "install-tikv-mock: installed guardyn-mock-tikv ($version) at $binary"
