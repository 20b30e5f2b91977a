#!/bin/bash
# Database per service: each subscriber owns its database and its credentials, and no service can
# read another's tables. The passwords come from the environment (.env.example lists them).
set -euo pipefail

create() {
  local name="$1" password="$2"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    --set=name="$name" --set=password="$password" <<'SQL'
CREATE USER :"name" WITH PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
SQL
}

create purchase_history "$PURCHASE_HISTORY_DB_PASSWORD"
create stock_replenishment "$STOCK_REPLENISHMENT_DB_PASSWORD"
create purchase_notification "$PURCHASE_NOTIFICATION_DB_PASSWORD"
