#!/usr/bin/env bash
# The secured cluster's administration (docker-compose.cluster.yml, service kafka-setup), run on
# every start as the super user "admin" (its certificate, on the brokers' own listener): the
# topics with the contract's partitions (contracts/asyncapi.yaml), each service's SCRAM
# credentials, and each service's ACLs, least privilege. Every step is idempotent.
set -euo pipefail

bin=/opt/kafka/bin
admin=(--bootstrap-server "${KAFKA_ADMIN_BOOTSTRAP:-kafka:29091}" --command-config /etc/kafka/secrets/admin.properties)

topic() {
	"$bin/kafka-topics.sh" "${admin[@]}" --create --if-not-exists --topic "$1" --partitions "$2" \
		--replication-factor 3 --config min.insync.replicas=2
}

scram() {
	"$bin/kafka-configs.sh" "${admin[@]}" --alter --entity-type users --entity-name "$1" \
		--add-config "SCRAM-SHA-512=[password=$2]"
}

allow() {
	"$bin/kafka-acls.sh" "${admin[@]}" --add --force "$@" > /dev/null
}

subscribers=(purchase-history-subscriber:purchase-history stock-replenishment-subscriber:stock-replenishment
	purchase-notification-subscriber:purchase-notification)

# The three parts are independent: the topics and the credentials are made while the ACLs are
# added (each tool call is a JVM of its own, a few seconds).
# The contract's topics and each subscriber group's dead-letter topic (<topic>.<group>.dlt).
(
	topic purchases.completed 6
	topic stock.replenishment-requested 3
	for subscriber in "${subscribers[@]}"; do
		topic "purchases.completed.${subscriber#*:}.dlt" 6
	done
) &
topics=$!

# Each service authenticates as itself; the password is its name followed by "-secret" unless
# the environment gives another (.env.example).
password() {
	local variable
	variable="$(tr 'a-z-' 'A-Z_' <<< "$1")_KAFKA_PASSWORD"
	echo "${!variable:-$1-secret}"
}
(
	scram admin "${KAFKA_ADMIN_PASSWORD:-admin-secret}"
	for service in purchase-publisher "${subscribers[@]%%:*}" event-flow-dashboard; do
		scram "$service" "$(password "$service")"
	done
) &
credentials=$!

# The publisher writes purchases; every producer here is idempotent (the cluster's IdempotentWrite).
allow --allow-principal User:purchase-publisher --operation Write --topic purchases.completed
allow --allow-principal User:purchase-publisher --allow-principal User:purchase-history-subscriber \
	--allow-principal User:stock-replenishment-subscriber --allow-principal User:purchase-notification-subscriber \
	--operation IdempotentWrite --cluster
allow --allow-principal User:purchase-history-subscriber --allow-principal User:stock-replenishment-subscriber \
	--allow-principal User:purchase-notification-subscriber --operation Read --topic purchases.completed
# Each subscriber: its group and its replay group, its dead-letter topic (written by the error
# handler, read and written back by the replay), the replay's transactional producers.
for subscriber in "${subscribers[@]}"; do
	principal=User:${subscriber%%:*} group=${subscriber#*:}
	allow --allow-principal "$principal" --operation Read --group "$group" --group "$group.dlt-replay" \
		--topic "purchases.completed.$group.dlt"
	allow --allow-principal "$principal" --operation Write --topic "purchases.completed.$group.dlt"
	allow --allow-principal "$principal" --operation Write --transactional-id "$group.dlt-replay-" \
		--resource-pattern-type prefixed
done
allow --allow-principal User:stock-replenishment-subscriber --operation Write --topic stock.replenishment-requested
# The live page watches: every topic's offsets and every group's members and lag, and reads the
# replenishment orders (without a group).
allow --allow-principal User:event-flow-dashboard --operation Describe --topic '*' --group '*'
allow --allow-principal User:event-flow-dashboard --operation Read --topic stock.replenishment-requested
wait "$topics"
wait "$credentials"
echo "Topics, credentials and ACLs in place"
