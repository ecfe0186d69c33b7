#!/usr/bin/env bash
# Makes a test CA and certificates it signs, with openssl, offline (README, "Security"):
#
#   scripts/make-test-certs.sh DIR [NAME...]
#
# writes DIR/ca.crt and DIR/ca.key (the CA), then NAME.crt and NAME.key for each NAME (default:
# server client), each valid DAYS days (default 365), with a P-256 key written unencrypted as
# PKCS#8 (BEGIN PRIVATE KEY, what the server reads). Each certificate may serve as a server's
# and as a client's, and names DNS:localhost, IP:127.0.0.1 and DNS:NAME, or what SAN gives
# (e.g. SAN=DNS:db1.example.com,IP:10.0.0.5; a client dialling a node checks its address is
# there). An existing DIR/ca.key is reused, so that certificates made later have the same CA.
# For production, keep ca.key offline and give each host its own names.
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: $0 DIR [NAME...]" >&2
  exit 2
fi
dir="$1"; shift
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(server client)
days="${DAYS:-365}"
mkdir -p "$dir"
umask 077   # keys readable by their owner only

if [ ! -f "$dir/ca.key" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" -days "$days" -subj "/CN=Strata test CA" 2>/dev/null
fi
for name in "${names[@]}"; do
  san="${SAN:-DNS:localhost,IP:127.0.0.1,DNS:$name}"
  ext="$(mktemp)"
  printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=digitalSignature,keyEncipherment" \
    "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=$san" > "$ext"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$dir/$name.key" -out "$dir/$name.csr" -subj "/CN=$name" 2>/dev/null
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
    -set_serial "0x$(openssl rand -hex 8)" -days "$days" -extfile "$ext" -out "$dir/$name.crt" 2>/dev/null
  rm -f "$ext" "$dir/$name.csr"
  echo "$dir/$name.crt $dir/$name.key ($san)"
done
chmod 644 "$dir"/*.crt
