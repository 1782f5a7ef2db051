#!/bin/bash
# Runs once, when the database is created: one login and one database per domain (its password from the Docker secret
# <domain>-db.password), so that no domain's service or capture holds the superuser's password or reaches another
# domain's tables. A capture's login needs REPLICATION to read the write-ahead log.
set -euo pipefail
for file in /run/secrets/*-db.password; do
  domain="$(basename "$file" -db.password)"
  password="$(cat "$file")"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE ROLE "${domain}" LOGIN REPLICATION PASSWORD '${password}';
CREATE DATABASE "${domain}" OWNER "${domain}";
REVOKE ALL ON DATABASE "${domain}" FROM PUBLIC;
SQL
  echo "database ${domain} with its own login"
done
