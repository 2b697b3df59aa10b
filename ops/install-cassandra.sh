#!/usr/bin/env bash
# Installs the CQL server the ScyllaDB timeline adapter's tests run against: Apache Cassandra 5.0
# (the org.apache.cassandra:cassandra-all artifact and its runtime dependencies, fetched with Maven
# from Maven Central) into <repo>/.tmp/cassandra/lib. Cached: a lib/ of the pinned version is kept
# (the version is recorded beside it). It runs on JDK 17 (ops/cassandra/local-server.ts starts it).
#
#   bash ops/install-cassandra.sh
#
# CASSANDRA_VERSION overrides the pinned version (default 5.0.8). Without the jars the Cassandra
# tests skip and say so.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="${CASSANDRA_VERSION:-5.0.8}"
home="${repo_root}/.tmp/cassandra"
lib="${home}/lib"
stamp="${home}/lib.version"

if [[ -d "$lib" ]] && [[ -f "$stamp" ]] && [[ "$(cat "$stamp")" == "$version" ]] && ls "$lib"/cassandra-all-*.jar >/dev/null 2>&1; then
  echo "install-cassandra: Cassandra $version already installed in $lib"
  exit 0
fi
if ! command -v mvn >/dev/null 2>&1; then
  echo "install-cassandra: 'mvn' was not found (apt-get install maven); the Cassandra tests will skip" >&2
  exit 1
fi
if [[ ! -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ]] && [[ -z "${CASSANDRA_JAVA:-}" ]]; then
  echo "install-cassandra: warning: JDK 17 (/usr/lib/jvm/java-17-openjdk-amd64) is missing (apt-get install openjdk-17-jdk-headless); Cassandra 5.0 runs on 11 or 17 only" >&2
fi
mkdir -p "$home"
build_dir="$(mktemp -d "${home}/build.XXXXXX")"
trap 'rm -rf "$build_dir"' EXIT
cat > "$build_dir/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>guardyn.ops</groupId>
  <artifactId>cassandra-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.cassandra</groupId>
      <artifactId>cassandra-all</artifactId>
      <version>${version}</version>
    </dependency>
  </dependencies>
</project>
POM
echo "install-cassandra: fetching cassandra-all ${version} and its runtime dependencies with Maven"
started=$(date +%s)
mvn -q -B -f "$build_dir/pom.xml" dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$build_dir/lib"
ls "$build_dir/lib"/cassandra-all-*.jar >/dev/null
rm -rf "$lib"
mv "$build_dir/lib" "$lib"
echo "$version" > "$stamp"
echo "install-cassandra: installed Cassandra $version in $lib ($(ls "$lib" | wc -l) jars, $(du -sh "$lib" | cut -f1), $(( $(date +%s) - started )) s)"
