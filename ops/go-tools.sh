# Shared by the ops/install-*.sh scripts that build a test tool with Go into <repo>/.tmp/bin,
# cached by a version stamp written beside the binary (`<binary>.version`). Source it:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/go-tools.sh"
#   stamp_current "$binary" "$version" && { echo "already installed"; exit 0; }
#   find_go "install-x: 'go' was not found, so x cannot be built; the x tests will skip"
#   go_install_module "$binary" "example.com/x/cmd/x@${version}"   # or build it yourself
#   write_stamp "$binary" "$version"

# True when <binary> is executable and was installed at <version>.
stamp_current() {
  [[ -x "$1" ]] && [[ -f "$1.version" ]] && [[ "$(cat "$1.version")" == "$2" ]]
}

write_stamp() {
  echo "$2" > "$1.version"
}

# Puts Go on PATH (also from /usr/local/go or /usr/lib/go), or prints <message> and exits 1.
find_go() {
  if ! command -v go >/dev/null 2>&1; then
    local candidate
    for candidate in /usr/local/go/bin/go /usr/lib/go/bin/go; do
      if [[ -x "$candidate" ]]; then PATH="$(dirname "$candidate"):$PATH"; break; fi
    done
  fi
  if ! command -v go >/dev/null 2>&1; then
    echo "$1" >&2
    exit 1
  fi
}

# `go install <module@version>` into a scratch dir beside <binary>, checks that the build reports
# that module version, and only then moves it to <binary>, so an interrupted or wrong build never
# leaves a broken binary behind.
go_install_module() {
  local binary="$1" target="$2"
  local version="${target##*@}"
  local dir
  dir="$(dirname "$binary")"
  mkdir -p "$dir"
  local build_dir
  build_dir="$(mktemp -d "${dir}/.build.XXXXXX")"
  # shellcheck disable=SC2064 # expand now: the trap outlives this function's locals
  trap "rm -rf '$build_dir'" EXIT
  GOBIN="$build_dir" go install "$target"
  local built_file built
  built_file="$(find "$build_dir" -maxdepth 1 -type f -perm -u+x | head -n 1)" # the one command built
  built="$(go version -m "$built_file" | awk '$1 == "mod" { print $3; exit }')"
  if [[ "$built" != "$version" ]]; then
    echo "the build of $target reports version '${built:-nothing}', expected $version" >&2
    exit 1
  fi
  mv -f "$built_file" "$binary"
}
