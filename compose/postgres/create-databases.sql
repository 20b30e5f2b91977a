-- Database per service: each subscriber owns its database and its credentials, and no
-- service can read another's tables.
CREATE USER purchase_history WITH PASSWORD 'purchase_history';
CREATE DATABASE purchase_history OWNER purchase_history;

CREATE USER stock_replenishment WITH PASSWORD 'stock_replenishment';
CREATE DATABASE stock_replenishment OWNER stock_replenishment;
