#!/bin/bash
# Starts the compose file's broker secured like the embedded default: clients and brokers authenticate with
# SASL/SCRAM-SHA-256, the controller listener with SASL/PLAIN for the node's own admin login, the KRaft ACL authorizer
# allows nothing without an ACL, and User:admin (its password from the Docker secret) is the only super user. The
# admin's SCRAM credential is written when the storage is formatted; every other principal's by kafka-users.sh.
set -euo pipefail
admin="$(cat /run/secrets/kafka-admin.password)"
config=/tmp/server.properties
cat > "$config" <<PROPERTIES
node.id=1
process.roles=broker,controller
listeners=SASL_PLAINTEXT://:9092,CONTROLLER://:9093,HOST://:9094
advertised.listeners=SASL_PLAINTEXT://kafka:9092,HOST://localhost:9094
listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT,HOST:SASL_PLAINTEXT
controller.listener.names=CONTROLLER
controller.quorum.voters=1@kafka:9093
inter.broker.listener.name=SASL_PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-256
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-256
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="${admin}" user_admin="${admin}";
listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${admin}";
listener.name.host.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin
allow.everyone.if.no.acl.found=false
auto.create.topics.enable=false
log.dirs=/var/lib/kafka/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPERTIES
/opt/kafka/bin/kafka-storage.sh format --ignore-formatted --cluster-id "${CLUSTER_ID}" --config "$config" \
  --add-scram "SCRAM-SHA-256=[name=admin,password=${admin}]"
exec /opt/kafka/bin/kafka-server-start.sh "$config"
