-- Stock levels, replenishment orders and the outbox of the events announcing them.
-- SQL that PostgreSQL and H2 (MODE=PostgreSQL) both accept.

CREATE TABLE stock_item (
    sku               VARCHAR(64)              NOT NULL PRIMARY KEY,
    -- Negative when purchases are backordered: a purchase has happened, it is never refused.
    on_hand           BIGINT                   NOT NULL,
    reorder_point     BIGINT                   NOT NULL,
    reorder_quantity  BIGINT                   NOT NULL CHECK (reorder_quantity > 0),
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The purchases already taken off stock. Both ids are unique: an event seen again, by its
-- event id (ce_id) or by its purchase id, is a duplicate and changes nothing.
CREATE TABLE applied_purchase (
    purchase_id  UUID                     NOT NULL PRIMARY KEY,
    event_id     VARCHAR(255)             NOT NULL UNIQUE,
    applied_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE replenishment_order (
    id                  UUID                     NOT NULL PRIMARY KEY,
    sku                 VARCHAR(64)              NOT NULL REFERENCES stock_item (sku),
    quantity            BIGINT                   NOT NULL CHECK (quantity > 0),
    status              VARCHAR(16)              NOT NULL,
    -- The sku while the order is open, NULL once received: at most one open order per SKU,
    -- whatever the number of replicas (a portable stand-in for a partial unique index).
    open_sku            VARCHAR(64)              UNIQUE,
    on_hand_at_request  BIGINT                   NOT NULL,
    requested_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    received_at         TIMESTAMP WITH TIME ZONE,
    CONSTRAINT replenishment_status CHECK ((status = 'OPEN' AND open_sku = sku AND received_at IS NULL)
        OR (status = 'RECEIVED' AND open_sku IS NULL AND received_at IS NOT NULL))
);

CREATE INDEX replenishment_by_sku ON replenishment_order (sku, requested_at);

-- Events written in the same transaction as the change they announce, relayed to Kafka
-- afterwards. The id is the event id (ce_id), stable across re-sends.
CREATE TABLE outbox (
    id            UUID                     NOT NULL PRIMARY KEY,
    topic         VARCHAR(255)             NOT NULL,
    record_key    VARCHAR(255)             NOT NULL,
    ce_type       VARCHAR(255)             NOT NULL,
    ce_source     VARCHAR(255)             NOT NULL,
    ce_subject    VARCHAR(255)             NOT NULL,
    ce_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    payload       VARCHAR(65536)           NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    published_at  TIMESTAMP WITH TIME ZONE
);

CREATE INDEX outbox_by_state ON outbox (published_at, created_at);
