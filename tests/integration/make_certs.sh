#!/usr/bin/env bash
# make_certs.sh DIR — a throw-away PKI for the TLS tests, made at test time:
#   ca.pem                         the test CA the client is told to trust
#   good.pem/good.key              for 127.0.0.1 and localhost, signed by ca
#   wrongname.pem/wrongname.key    for other.example only, signed by ca
#   other-ca.pem                   a second CA nobody trusts
#   untrusted.pem/untrusted.key    for 127.0.0.1 and localhost, signed by other-ca
#   client.pem/client.key          a client certificate (clientAuth), signed by ca
set -euo pipefail
dir=$1
mkdir -p "$dir"
cd "$dir"
ossl() { openssl "$@" 2>/dev/null; }
ca() { # name subject
    ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$2" \
        -keyout "$1.key" -out "$1.pem" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign
}
leaf() { # name ca san [extended key usage]
    ossl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=authpp-test" -keyout "$1.key" -out "$1.csr"
    printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=%s\n' "$3" "${4:-serverAuth}" > "$1.ext"
    ossl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -days 2 -extfile "$1.ext" -out "$1.pem"
}
ca ca "authpp test CA"
ca other-ca "authpp other CA"
leaf good ca "IP:127.0.0.1,DNS:localhost"
leaf wrongname ca "DNS:other.example"
leaf untrusted other-ca "IP:127.0.0.1,DNS:localhost"
leaf client ca "DNS:authpp-client" clientAuth
