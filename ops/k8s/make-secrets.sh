#!/usr/bin/env bash
# Creates (or keeps) the Secrets the manifests refer to, in the current kubectl context:
#   apps/guardyn-jwt-keys  the JWT key set: one Ed25519 PKCS#8 PEM per key, <kid>.pem
#   apps/guardyn-audit     the audit checkpoint key pair (signing-key.pem, public-key.pem)
#   apps/guardyn-s3, data/guardyn-s3   the object store's access and secret key
#   apps/guardyn-turn      the TURN REST secret shared by coturn and the call service (key secret)
# Existing Secrets are left as they are (key rotation: docs/OPERATIONS.md).
# Needs kubectl and openssl. Keys are written to a temporary directory that is removed.
set -euo pipefail
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

exists() { kubectl -n "$1" get secret "$2" >/dev/null 2>&1; }

if ! exists apps guardyn-jwt-keys; then
  kid="k$(date -u +%Y%m%d%H%M%S)"
  openssl genpkey -algorithm ed25519 -out "$tmp/$kid.pem"
  kubectl -n apps create secret generic guardyn-jwt-keys --from-file="$kid.pem=$tmp/$kid.pem"
  echo "guardyn-jwt-keys: created with key $kid"
fi

if ! exists apps guardyn-audit; then
  openssl genpkey -algorithm ed25519 -out "$tmp/signing-key.pem"
  openssl pkey -in "$tmp/signing-key.pem" -pubout -out "$tmp/public-key.pem"
  kubectl -n apps create secret generic guardyn-audit \
    --from-file=signing-key.pem="$tmp/signing-key.pem" --from-file=public-key.pem="$tmp/public-key.pem"
  echo "guardyn-audit: created; keep public-key.pem for auditors"
fi

if ! exists apps guardyn-s3 || ! exists data guardyn-s3; then
  access="guardyn$(openssl rand -hex 6)"
  secret="$(openssl rand -base64 30 | tr -d '/+=\n')"
  for ns in apps data; do
    kubectl -n "$ns" delete secret guardyn-s3 --ignore-not-found
    kubectl -n "$ns" create secret generic guardyn-s3 --from-literal=accessKey="$access" --from-literal=secretKey="$secret"
  done
  echo "guardyn-s3: created in apps and data"
fi

if ! exists apps guardyn-turn; then
  kubectl -n apps create secret generic guardyn-turn --from-literal=secret="$(openssl rand -base64 36 | tr -d '/+=\n')"
  echo "guardyn-turn: created (coturn's static-auth-secret and the call service's GUARDYN_CALLS__TURN_SECRET)"
fi
