#!/usr/bin/env bash
# Makes the secured cluster's certificates on its first start (docker-compose.cluster.yml,
# service kafka-certificates): a certificate authority, a key store for each broker (its service
# name and localhost as names, so that clients on the compose network and on this machine can
# check them) and one for the administrator, signed by it. Nothing is made when they exist:
# to bring your own, put them in the kafka-secrets volume under the same names and the CA's
# certificate in the kafka-ca volume (docs/operations.md).
#
# In /etc/kafka/secrets (the brokers' volume, readable by the brokers' user only):
#   ca.crt, kafka.p12, kafka-2.p12, kafka-3.p12, admin.p12, admin.properties
# In /etc/kafka/ca (the services' volume, the CA's certificate only): ca.crt
set -euo pipefail

secrets=/etc/kafka/secrets
public=/etc/kafka/ca
password=${KAFKA_KEYSTORE_PASSWORD:?the password of the key stores}
days=${KAFKA_CERTIFICATE_DAYS:-825}
owner=${KAFKA_SECRETS_OWNER:-1000:1000}

if [[ -s $secrets/admin.properties && -s $public/ca.crt ]]; then
	echo "Certificates exist in $secrets; nothing to do"
	exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

keytool -genkeypair -keystore "$work/ca.p12" -storetype PKCS12 -storepass "$password" -alias ca \
	-dname "CN=purchase-system Kafka CA" -keyalg RSA -keysize 3072 -validity "$days" \
	-ext bc:c -ext ku:c=keyCertSign,cRLSign
keytool -exportcert -keystore "$work/ca.p12" -storepass "$password" -alias ca -rfc -file "$work/ca.crt"

# A key pair for a name, its certificate signed by the CA, both in <name>.p12 with the CA's.
sign() {
	local name=$1 extensions=$2
	keytool -genkeypair -keystore "$work/$name.p12" -storetype PKCS12 -storepass "$password" -alias "$name" \
		-dname "CN=$name" -keyalg RSA -keysize 2048 -validity "$days"
	keytool -certreq -keystore "$work/$name.p12" -storepass "$password" -alias "$name" -file "$work/$name.csr"
	keytool -gencert -keystore "$work/ca.p12" -storepass "$password" -alias ca -infile "$work/$name.csr" \
		-outfile "$work/$name.crt" -rfc -validity "$days" $extensions
	keytool -importcert -keystore "$work/$name.p12" -storepass "$password" -alias ca -file "$work/ca.crt" -noprompt
	keytool -importcert -keystore "$work/$name.p12" -storepass "$password" -alias "$name" -file "$work/$name.crt"
}

for broker in kafka kafka-2 kafka-3; do
	sign "$broker" "-ext san=dns:$broker,dns:localhost -ext eku=serverAuth,clientAuth"
done
sign admin "-ext eku=clientAuth"

# What the administrative tools (the topics and ACLs step, kafka-*.sh in a broker) connect with.
cat > "$work/admin.properties" <<PROPERTIES
security.protocol=SSL
ssl.keystore.location=$secrets/admin.p12
ssl.keystore.type=PKCS12
ssl.keystore.password=$password
ssl.truststore.location=$secrets/ca.crt
ssl.truststore.type=PEM
PROPERTIES

install -m 0600 -o "${owner%:*}" -g "${owner#*:}" "$work"/{kafka,kafka-2,kafka-3,admin}.p12 "$work/admin.properties" "$secrets/"
install -m 0644 -o "${owner%:*}" -g "${owner#*:}" "$work/ca.crt" "$secrets/ca.crt"
install -m 0644 "$work/ca.crt" "$public/ca.crt"
echo "Made a CA and certificates for kafka, kafka-2, kafka-3 and admin, valid $days days"
