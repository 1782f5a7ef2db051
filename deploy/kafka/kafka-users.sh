#!/bin/bash
# Gives every principal whose client-properties file is mounted its own SCRAM credential on the broker, as admin. Run
# once before `backbone apply`, which then derives every principal's ACLs from the catalog. Idempotent.
set -euo pipefail
for file in /run/secrets/*.properties; do
  principal="$(basename "$file" .properties)"
  [ "$principal" = admin ] && continue
  password="$(sed -n 's/^sasl.jaas.config=.* password="\([^"]*\)".*/\1/p' "$file")"
  /opt/kafka/bin/kafka-configs.sh --bootstrap-server kafka:9092 --command-config /run/secrets/admin.properties \
    --alter --entity-type users --entity-name "$principal" --add-config "SCRAM-SHA-256=[password=${password}]" \
    > /dev/null
  echo "SCRAM credential of ${principal} set"
done
