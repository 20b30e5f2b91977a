-- The history of each customer's purchases, consolidated from PurchaseCompleted events.
-- SQL that PostgreSQL and H2 (MODE=PostgreSQL) both accept.

-- One row per purchase applied. Both ids are unique: an event seen again, by its event id
-- (ce_id) or by its purchase id, is a duplicate and changes nothing.
CREATE TABLE purchase (
    purchase_id  UUID                     NOT NULL PRIMARY KEY,
    event_id     VARCHAR(255)             NOT NULL UNIQUE,
    customer_id  VARCHAR(64)              NOT NULL,
    currency     CHAR(3)                  NOT NULL,
    total        NUMERIC(19, 4)           NOT NULL,
    occurred_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    recorded_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- A customer's purchases, newest first.
CREATE INDEX purchase_by_customer ON purchase (customer_id, occurred_at DESC, purchase_id);

CREATE TABLE purchase_line (
    purchase_id  UUID           NOT NULL REFERENCES purchase (purchase_id),
    line_number  INT            NOT NULL,
    sku          VARCHAR(64)    NOT NULL,
    quantity     INT            NOT NULL,
    unit_price   NUMERIC(19, 4) NOT NULL,
    PRIMARY KEY (purchase_id, line_number)
);

-- The consolidated view, kept in the same transaction as the purchases it sums up.
CREATE TABLE customer_summary (
    customer_id        VARCHAR(64)              NOT NULL PRIMARY KEY,
    purchase_count     BIGINT                   NOT NULL,
    first_purchase_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    last_purchase_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE customer_total (
    customer_id  VARCHAR(64)    NOT NULL,
    currency     CHAR(3)        NOT NULL,
    total        NUMERIC(24, 4) NOT NULL,
    PRIMARY KEY (customer_id, currency)
);
