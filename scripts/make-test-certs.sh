#!/usr/bin/env bash
# Makes the certificates the tests use, with openssl, into ${1:-test/.generated}.
# Independent of the product's own code on purpose: tests must not trust certificates
# that certgate itself generated.
set -euo pipefail
out=${1:-test/.generated}
mkdir -p "$out"
cd "$out"
[[ -f .done ]] && exit 0

days_ok=825
ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# ext files
cat > ca.ext <<X
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
X
cat > intermediate.ext <<X
basicConstraints=critical,CA:TRUE,pathlen:0
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
X
cat > client.ext <<X
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
X
cat > client-noeku.ext <<X
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
X
cat > client-serveronly.ext <<X
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
X
cat > server.ext <<X
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1
X

selfsigned_ca() { # name subject
  ec "$1.key"
  openssl req -new -x509 -key "$1.key" -subj "$2" -days 3650 -sha256 -extensions v3 \
    -config <(printf '[req]\ndistinguished_name=dn\n[dn]\n[v3]\n'; cat ca.ext) -out "$1.pem" 2>/dev/null
}
signed() { # name subject issuer extfile [extra x509 args...]
  local name=$1 subj=$2 issuer=$3 ext=$4; shift 4
  ec "$name.key"
  openssl req -new -key "$name.key" -subj "$subj" -out "$name.csr" 2>/dev/null
  openssl x509 -req -in "$name.csr" -CA "$issuer.pem" -CAkey "$issuer.key" -CAcreateserial \
    -extfile "$ext" -sha256 "$@" -out "$name.pem" 2>/dev/null
}

selfsigned_ca root-ca "/O=Test Corp/CN=Test Root CA"
selfsigned_ca other-ca "/O=Other Corp/CN=Other Root CA"
signed intermediate-ca "/O=Test Corp/CN=Test Intermediate CA" root-ca intermediate.ext -days 1825
signed server "/CN=localhost" root-ca server.ext -days $days_ok
signed client "/O=Test Corp/CN=client-one" root-ca client.ext -days $days_ok
signed client-two "/O=Test Corp/CN=client-two" root-ca client.ext -days $days_ok
signed client-noeku "/O=Test Corp/CN=client-noeku" root-ca client-noeku.ext -days $days_ok
signed client-serveronly "/O=Test Corp/CN=client-serveronly" root-ca client-serveronly.ext -days $days_ok
signed client-other "/O=Other Corp/CN=client-other" other-ca client.ext -days $days_ok
signed client-of-intermediate "/O=Test Corp/CN=client-of-intermediate" intermediate-ca client.ext -days $days_ok
# Validity in the past / future: OpenSSL 3.0's x509 has no explicit dates, `openssl ca` does.
signed_dated() { # name subject issuer extfile startdate enddate
  local name=$1 subj=$2 issuer=$3 ext=$4 start=$5 end=$6
  ec "$name.key"
  openssl req -new -key "$name.key" -subj "$subj" -out "$name.csr" 2>/dev/null
  mkdir -p ca-db && : > ca-db/index.txt && echo 1000 > ca-db/serial
  printf '[ca]\ndefault_ca=d\n[d]\ndatabase=ca-db/index.txt\nserial=ca-db/serial\nnew_certs_dir=ca-db\npolicy=p\ndefault_md=sha256\n[p]\ncommonName=supplied\norganizationName=optional\n' > ca-db/ca.cnf
  openssl ca -batch -notext -config ca-db/ca.cnf -cert "$issuer.pem" -keyfile "$issuer.key" -in "$name.csr" \
    -extfile "$ext" -startdate "$start" -enddate "$end" -out "$name.pem" 2>/dev/null
  rm -rf ca-db
}
signed_dated client-expired "/O=Test Corp/CN=client-expired" root-ca client.ext 20200101000000Z 20210101000000Z
signed_dated client-future "/O=Test Corp/CN=client-future" root-ca client.ext 20990101000000Z 20991231000000Z
ec self-signed-client.key
openssl req -new -x509 -key self-signed-client.key -subj "/CN=self-signed-client" -days 365 -sha256 \
  -extensions v3 -config <(printf '[req]\ndistinguished_name=dn\n[dn]\n[v3]\n'; cat client.ext | grep -v authorityKeyIdentifier) \
  -out self-signed-client.pem 2>/dev/null

# Handy combined forms.
cat intermediate-ca.pem root-ca.pem > ca-bundle.pem
cat client-of-intermediate.pem intermediate-ca.pem > client-of-intermediate-chain.pem
openssl x509 -in root-ca.pem -outform DER -out root-ca.der
openssl x509 -in server.pem -outform DER -out server.der
rm -f ./*.csr ./*.srl
touch .done

# ==============================================================================================
# lib/pki unit-test inputs. Everything below belongs to lib/pki's tests; outputs start with "pki-".
# .done is cleared first and set again last, so a failure in this section forces a re-run.
rm -f .done
pki_pass="correct horse battery staple"
pki_key() { openssl genpkey "$@" 2>/dev/null; }
pki_selfsigned_ca() { # name subject keyfile [req args...]
  local name=$1 subj=$2 key=$3; shift 3
  openssl req -new -x509 -key "$key" -subj "$subj" -days 3650 "$@" -extensions v3 \
    -config <(printf '[req]\ndistinguished_name=dn\n[dn]\n[v3]\n'; cat ca.ext) -out "$name.pem" 2>/dev/null
}
pki_sign() { # name subject keyfile issuer extfile [x509 args...]
  local name=$1 subj=$2 key=$3 issuer=$4 ext=$5; shift 5
  openssl req -new -key "$key" -subj "$subj" -out "$name.csr" 2>/dev/null
  openssl x509 -req -in "$name.csr" -CA "$issuer.pem" -CAkey "$issuer.key" -CAcreateserial -extfile "$ext" \
    -days 825 "$@" -out "$name.pem" 2>/dev/null
}
printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nsubjectAltName=DNS:localhost\n' > pki-server-noeku.ext
printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\nsubjectAltName=DNS:localhost\n' > pki-server-clientonly.ext

# Key algorithms and strengths (self-signed CAs).
pki_key -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out pki-rsa1024-ca.key
pki_selfsigned_ca pki-rsa1024-ca "/CN=pki RSA 1024 CA" pki-rsa1024-ca.key -sha256
pki_key -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out pki-rsapss-ca.key
pki_selfsigned_ca pki-rsapss-ca "/CN=pki RSA-PSS CA" pki-rsapss-ca.key -sha256
pki_key -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out pki-p384-ca.key
pki_selfsigned_ca pki-p384-ca "/O=pki/CN=pki P-384 CA" pki-p384-ca.key -sha384
pki_key -algorithm ed25519 -out pki-ed25519-ca.key
pki_selfsigned_ca pki-ed25519-ca "/CN=pki Ed25519 CA" pki-ed25519-ca.key
pki_key -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -out pki-secp256k1-ca.key
pki_selfsigned_ca pki-secp256k1-ca "/CN=pki secp256k1 CA" pki-secp256k1-ca.key -sha256
pki_key -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out pki-rsa1024-client.key
pki_sign pki-rsa1024-client "/CN=pki-rsa1024-client" pki-rsa1024-client.key root-ca client.ext -sha256

# Server certificates and their keys in every accepted form.
openssl genrsa -traditional -out pki-rsa-server.pkcs1.key 2048 2>/dev/null
pki_sign pki-rsa-server "/CN=localhost" pki-rsa-server.pkcs1.key root-ca server.ext -sha256
openssl rsa -in pki-rsa-server.pkcs1.key -aes256 -traditional -passout "pass:$pki_pass" -out pki-rsa-server.legacy-enc.key 2>/dev/null
openssl ec -in server.key -out pki-server.sec1.key 2>/dev/null
openssl pkcs8 -topk8 -in server.key -v2 aes-256-cbc -passout "pass:$pki_pass" -out pki-server.enc.key
signed pki-server-of-intermediate "/CN=localhost" intermediate-ca server.ext -days $days_ok
cat pki-server-of-intermediate.pem intermediate-ca.pem > pki-server-chain.pem
cat intermediate-ca.pem pki-server-of-intermediate.pem > pki-server-chain-reversed.pem
pki_sign pki-server-noeku "/CN=localhost" server.key root-ca pki-server-noeku.ext -sha256
pki_sign pki-server-clientonly "/CN=localhost" server.key root-ca pki-server-clientonly.ext -sha256
signed_dated pki-expired-server "/CN=localhost" root-ca server.ext 20200101000000Z 20210101000000Z
signed_dated pki-expired-ca "/O=Test Corp/CN=pki expired CA" root-ca intermediate.ext 20200101000000Z 20210101000000Z

# Validity and signature warnings.
pki_sign pki-expiring-client "/CN=pki-expiring-client" client.key root-ca client.ext -sha256 -days 10
pki_sign pki-sha1-client "/CN=pki-sha1-client" client.key root-ca client.ext -sha1

# Names: RFC 4514 escaping, a multi-valued RDN, every SAN type we print; a namesake of the root
# (same subject and issuer, but signed by the root's key, so not self-signed).
pki_sign pki-names-client '/O=Test, Inc./OU=a\+b/CN=#hash "q" <x>;y\\z /CN=multi+UID=val' client.key root-ca client.ext -sha256
printf 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\nsubjectAltName=DNS:example.com,IP:127.0.0.1,IP:::1,IP:2001:db8::8:800:200c:417a,email:a@example.com,URI:https://example.com/x\n' > pki-san.ext
pki_sign pki-san-client "/CN=pki-san-client" client.key root-ca pki-san.ext -sha256
pki_sign pki-root-namesake "/O=Test Corp/CN=Test Root CA" client.key root-ca ca.ext -sha256
pki_selfsigned_ca pki-sha1-ca "/CN=pki SHA-1 CA" pki-p384-ca.key -sha1

# Things that are not certificates.
openssl req -new -key client.key -subj "/CN=pki-request" -out pki-request.pem 2>/dev/null
cat client.pem client.key > pki-client-with-key.pem
openssl pkcs12 -export -in client.pem -inkey client.key -passout pass: -out pki-client.p12 2>/dev/null
openssl crl2pkcs7 -nocrl -certfile ca-bundle.pem -outform DER -out pki-bundle.p7b

rm -f ./*.csr ./*.srl
touch .done

# >>> upload-corpus ============================================================================
# Inputs for the certificate upload tests (e2e/api-certificates.spec.ts, e2e/certificates.spec.ts,
# bench/certificate-validation.bench.ts). Outputs start with "upload-". Self-contained and run in the
# output directory, so an existing directory gains these files without regenerating the keys other
# suites already uploaded (e2e/support/certificates-helpers.ts runs this section alone, by its markers).
# Needs root-ca.{pem,key} and client.ext/server.ext/ca.ext/intermediate.ext from the first section.
up_ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
up_conf() { printf '[req]\ndistinguished_name=dn\n[dn]\n[v3]\n'; cat "$1"; }
up_ca() { # name subject keyfile [req args...]: a self-signed CA
  local name=$1 subj=$2 key=$3; shift 3
  openssl req -new -x509 -key "$key" -subj "$subj" -days 3650 -sha256 "$@" -extensions v3 -config <(up_conf ca.ext) -out "$name" 2>/dev/null
}
up_sign() { # name subject keyfile extfile [x509 args...]: signed by root-ca
  local name=$1 subj=$2 key=$3 ext=$4; shift 4
  openssl req -new -key "$key" -subj "$subj" -out "$name.csr" 2>/dev/null
  openssl x509 -req -in "$name.csr" -CA root-ca.pem -CAkey root-ca.key -CAcreateserial -extfile "$ext" "$@" -out "$name" 2>/dev/null
  rm -f "$name.csr"
}
up_pad() { # source size-in-bytes target: the certificate, then filler text up to the size
  { cat "$1"; head -c $(($2 - $(wc -c < "$1"))) /dev/zero | tr '\0' '#'; } > "$3"
}

# Accepted: a CA in every input form, a client, a server with its key (plain, encrypted, with chain).
up_ec upload-ca.key
up_ca upload-ca.pem "/O=Upload Corp/CN=Upload Root CA" upload-ca.key
openssl x509 -in upload-ca.pem -outform DER -out upload-ca.der
sed 's/$/\r/' upload-ca.pem > upload-ca-crlf.pem
{ echo "Issued by the upload test script; text around PEM blocks is ignored."; openssl x509 -in upload-ca.pem -text; echo "-- end of file --"; } > upload-ca-with-text.pem
up_ec upload-client.key
up_sign upload-client.pem "/O=Upload Corp/CN=upload-client" upload-client.key client.ext -days 825 -sha256
up_ec upload-server.key
up_sign upload-server.pem "/CN=localhost" upload-server.key server.ext -days 825 -sha256
openssl pkcs8 -topk8 -in upload-server.key -v2 aes-256-cbc -passout "pass:upload passphrase" -out upload-server.enc.key
cat upload-server.pem root-ca.pem > upload-server-chain.pem
# Bundles: 100 CAs is the most one upload may hold; 101 is refused. One key, many subjects: fast.
up_ec upload-bundle.key
rm -f upload-ca-bundle-100.pem
for i in $(seq 1 100); do up_ca upload-bundle-one.pem "/O=Upload Bundle/CN=Upload Bundle CA $i" upload-bundle.key; cat upload-bundle-one.pem >> upload-ca-bundle-100.pem; done
up_ca upload-bundle-one.pem "/O=Upload Bundle/CN=Upload Bundle CA 101" upload-bundle.key
cat upload-ca-bundle-100.pem upload-bundle-one.pem > upload-ca-bundle-101.pem
rm -f upload-bundle-one.pem

# Accepted with a warning.
up_ec upload-intermediate-ca.key
up_sign upload-intermediate-ca.pem "/O=Upload Corp/CN=Upload Intermediate CA" upload-intermediate-ca.key intermediate.ext -days 1825 -sha256
up_sign upload-expiring-client.pem "/O=Upload Corp/CN=upload-expiring-client" upload-client.key client.ext -days 10 -sha256
up_sign upload-sha1-client.pem "/O=Upload Corp/CN=upload-sha1-client" upload-client.key client.ext -days 825 -sha1
# Markup in the subject: must be stored and shown as text.
up_sign upload-xss-client.pem "/O=Upload Corp/CN=<img src=x onerror=alert(1)>" upload-client.key client.ext -days 825 -sha256

# Refused.
: > upload-empty.pem
head -c 2048 /dev/urandom > upload-garbage.bin
printf 'This is not a certificate.\nJust some text someone saved as .pem\n' > upload-garbage.txt
openssl x509 -in upload-ca.pem -outform DER | head -c 200 > upload-truncated.der
head -n 5 upload-ca.pem > upload-truncated.pem
{ cat upload-ca.der; printf 'trailing bytes'; } > upload-trailing.der
{ echo "-----BEGIN CERTIFICATE-----"; base64 -w 64 upload-trailing.der; echo "-----END CERTIFICATE-----"; } > upload-trailing.pem
openssl req -new -key upload-client.key -subj "/CN=upload-request" -out upload-request.pem 2>/dev/null
openssl req -in upload-request.pem -outform DER -out upload-request.der
openssl pkey -in upload-client.key -outform DER -out upload-client.key.der
cat upload-client.pem upload-client.key > upload-client-with-key.pem
cat upload-server.pem upload-server.key > upload-server-with-key.pem
cat upload-ca.pem upload-client.pem > upload-ca-bundle-with-leaf.pem
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out upload-rsa1024.key 2>/dev/null
up_sign upload-rsa1024-client.pem "/O=Upload Corp/CN=upload-rsa1024-client" upload-rsa1024.key client.ext -days 825 -sha256
up_ca upload-rsa1024-ca.pem "/O=Upload Corp/CN=Upload RSA 1024 CA" upload-rsa1024.key
up_pad upload-ca.pem $((5 * 1024 * 1024)) upload-5mib.pem
up_pad upload-ca.pem $((1024 * 1024 + 512 * 1024)) upload-1.5mib.pem
rm -f ./*.srl
touch upload-done
# <<< upload-corpus ============================================================================

# >>> identity ================================================================================
# Certificates API users bind to themselves (lib/api/*identity*.test.ts, the API client-certificate
# port's tests). Outputs start with "identity-". Self-contained like the upload corpus: run alone in an
# existing directory by test/certs.ts when identity-done is missing. Made the way the README tells a user
# to: `openssl req -x509` with the system's openssl.cnf, whose v3_ca section would make the certificate a
# CA, so the CA:FALSE override is part of the recipe.
id_selfsigned() { # name subject [extra req args...]
  local name=$1 subj=$2; shift 2
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$name.key" -out "$name.pem" \
    -subj "$subj" -days 365 "$@" 2>/dev/null
}
# Six, one more than a user may bind.
for i in 1 2 3 4 5 6; do
  id_selfsigned "identity-client-$i" "/CN=api-user-$i" -addext basicConstraints=critical,CA:FALSE -addext extendedKeyUsage=clientAuth
done
openssl x509 -in identity-client-1.pem -outform DER -out identity-client-1.der
openssl x509 -in identity-client-2.pem -outform DER -out identity-client-2.der
# Refused: no clientAuth EKU (serverAuth only), and the recipe without the CA:FALSE override (a CA).
id_selfsigned identity-serverauth "/CN=api-user-serverauth" -addext basicConstraints=critical,CA:FALSE -addext extendedKeyUsage=serverAuth
id_selfsigned identity-ca-clientauth "/CN=api-user-ca" -addext extendedKeyUsage=clientAuth
touch identity-done
# <<< identity ================================================================================

# >>> crl =====================================================================================
# Certificate revocation lists made by `openssl ca -gencrl` (lib/pki/crl.test.ts). Outputs start with
# "crl-". Self-contained like the upload corpus: run alone in an existing directory by test/certs.ts
# when crl-done is missing. Needs root-ca, other-ca, client, client-two and the pki- Ed25519 and
# RSA-PSS CAs from the first section. Each CA gets a minimal `openssl ca` database in crl-db-NAME/.
crl_ca() { # name cert key: a fresh database (index.txt, crlnumber) and config for one CA
  local db=crl-db-$1
  rm -rf "$db" && mkdir -p "$db" && : > "$db/index.txt" && echo 01 > "$db/crlnumber"
  printf '[ca]\ndefault_ca=d\n[d]\ndatabase=%s/index.txt\ncrlnumber=%s/crlnumber\ndefault_md=%s\ndefault_crl_days=30\ncertificate=%s\nprivate_key=%s\ncrl_extensions=crl_ext\n[crl_ext]\nauthorityKeyIdentifier=keyid:always\n' \
    "$db" "$db" "${4:-sha256}" "$2" "$3" > "$db/ca.cnf"
}
crl_ca root root-ca.pem root-ca.key
openssl ca -config crl-db-root/ca.cnf -gencrl -out crl-root-empty.pem 2>/dev/null
openssl ca -config crl-db-root/ca.cnf -revoke client.pem 2>/dev/null
openssl ca -config crl-db-root/ca.cnf -gencrl -out crl-root-1.pem 2>/dev/null
openssl ca -config crl-db-root/ca.cnf -revoke client-two.pem -crl_reason keyCompromise 2>/dev/null
openssl ca -config crl-db-root/ca.cnf -gencrl -out crl-root-2.pem 2>/dev/null
openssl crl -in crl-root-2.pem -outform DER -out crl-root-2.der
crl_ca other other-ca.pem other-ca.key
openssl ca -config crl-db-other/ca.cnf -revoke client.pem 2>/dev/null
openssl ca -config crl-db-other/ca.cnf -gencrl -out crl-other.pem 2>/dev/null
crl_ca ed25519 pki-ed25519-ca.pem pki-ed25519-ca.key default
openssl ca -config crl-db-ed25519/ca.cnf -revoke client.pem 2>/dev/null
openssl ca -config crl-db-ed25519/ca.cnf -gencrl -out crl-ed25519.pem 2>/dev/null
crl_ca rsapss pki-rsapss-ca.pem pki-rsapss-ca.key
openssl ca -config crl-db-rsapss/ca.cnf -revoke client.pem 2>/dev/null
openssl ca -config crl-db-rsapss/ca.cnf -gencrl -out crl-rsapss.pem 2>/dev/null
# openssl's own reading of each, for the tests to compare against.
for f in crl-root-empty crl-root-1 crl-root-2 crl-other crl-ed25519 crl-rsapss; do
  openssl crl -in "$f.pem" -text -noout > "$f.txt"
done
touch crl-done
# <<< crl =====================================================================================
