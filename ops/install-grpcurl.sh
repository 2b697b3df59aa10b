#!/usr/bin/env bash
# Installs grpcurl (MIT), the command-line gRPC client, built from the Go module proxy into
# <repo>/.tmp/bin/grpcurl. test/e2e/grpcurl.test.ts runs it against `guardyn up` with no .proto
# files (everything comes from server reflection). Cached: a binary of the pinned version is kept
# (the version is recorded beside it, since a module build reports none).
#
#   bash ops/install-grpcurl.sh
#
# GRPCURL_VERSION overrides the pinned version (default v1.9.4, which builds with Go 1.25 and
# 1.26). The test finds .tmp/bin/grpcurl by itself; GUARDYN_GRPCURL_BIN=<path> names a binary
# explicitly, and a grpcurl on PATH is used last. Without one the test skips and says so.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "${repo_root}/ops/go-tools.sh"
version="${GRPCURL_VERSION:-v1.9.4}"
[[ "$version" == v* ]] || version="v${version}"
binary="${repo_root}/.tmp/bin/grpcurl"

if stamp_current "$binary" "$version"; then
  echo "install-grpcurl: grpcurl $version already installed at $binary"
  exit 0
fi
find_go "install-grpcurl: 'go' (1.25 or newer) was not found, so grpcurl cannot be built; the grpcurl test will skip"
echo "install-grpcurl: building grpcurl ${version} with $(go version) (about a minute on a warm module cache)"
go_install_module "$binary" "github.com/fullstorydev/grpcurl/cmd/grpcurl@${version}"
"$binary" -help >/dev/null 2>&1
write_stamp "$binary" "$version"
echo "install-grpcurl: installed grpcurl $version at $binary"
