#!/usr/bin/env bash
# Installs the S3 API server the S3 blob adapter's tests run against (versitygw, Apache-2.0,
# an S3 gateway over a plain directory), built from the Go module proxy into
# <repo>/.tmp/bin/versitygw. Cached: a binary of the pinned version is kept (the version is
# recorded beside it, since the module build reports none).
#
#   bash ops/install-s3-server.sh
#
# VERSITYGW_VERSION overrides the pinned version (default v1.7.0). ops/s3/local-server.ts finds
# .tmp/bin/versitygw by itself; GUARDYN_S3_SERVER_BIN=<path> names a binary explicitly. Without
# the binary the S3 tests skip and say so.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "${repo_root}/ops/go-tools.sh"
version="${VERSITYGW_VERSION:-v1.7.0}"
[[ "$version" == v* ]] || version="v${version}"
binary="${repo_root}/.tmp/bin/versitygw"

if stamp_current "$binary" "$version"; then
  echo "install-s3-server: versitygw $version already installed at $binary"
  exit 0
fi
find_go "install-s3-server: 'go' (1.25 or newer) was not found, so versitygw cannot be built; the S3 tests will skip"
echo "install-s3-server: building versitygw ${version} with $(go version) (a few minutes on a cold module cache)"
go_install_module "$binary" "github.com/versity/versitygw/cmd/versitygw@${version}"
"$binary" --help >/dev/null
write_stamp "$binary" "$version"
echo "install-s3-server: installed versitygw $version at $binary"
