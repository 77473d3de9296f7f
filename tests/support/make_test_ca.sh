#!/usr/bin/env bash
# Makes a throw-away certificate authority for the TLS tests in folder $1: ca.crt, server.crt and
# server.key (for localhost / 127.0.0.1), client.crt and client.key (subject
# O=Parkline Test, CN=park-staff-client), other.crt and other.key (signed by a second CA that the
# server does not trust). Elliptic-curve keys: quick to make.
set -euo pipefail
cd "$1"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
key ca.key
openssl req -x509 -new -key ca.key -out ca.crt -days 2 -subj "/O=Parkline Test/CN=Parkline Test CA"
key server.key
openssl req -new -key server.key -out server.csr -subj "/O=Parkline Test/CN=localhost"
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >server.ext
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt \
  -days 2 -extfile server.ext 2>/dev/null
key client.key
openssl req -new -key client.key -out client.csr -subj "/O=Parkline Test/CN=park-staff-client"
printf 'extendedKeyUsage=clientAuth\n' >client.ext
openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out client.crt \
  -days 2 -extfile client.ext 2>/dev/null
key other-ca.key
openssl req -x509 -new -key other-ca.key -out other-ca.crt -days 2 -subj "/CN=Untrusted CA"
key other.key
openssl req -new -key other.key -out other.csr -subj "/O=Parkline Test/CN=park-staff-client"
openssl x509 -req -in other.csr -CA other-ca.crt -CAkey other-ca.key -CAcreateserial \
  -out other.crt -days 2 -extfile client.ext 2>/dev/null
