-- The customers' contact preferences, and what became of each purchase's confirmation.
-- SQL that PostgreSQL and H2 (MODE=PostgreSQL) both accept.

CREATE TABLE contact (
    customer_id    VARCHAR(64)              NOT NULL PRIMARY KEY,
    email          VARCHAR(254),
    confirmations  BOOLEAN                  NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

-- One row per purchase, claimed before anything is sent: its purchase id and its event id are
-- unique, so an event seen again finds it. PENDING: claimed, nothing sent; SENDING: handed to
-- the mail server, not yet recorded as accepted (a process that dies here sends it again once,
-- under the same Message-ID); SENT, SKIPPED, FAILED: done, with the reason for the last two.
CREATE TABLE notification (
    purchase_id   UUID                     NOT NULL PRIMARY KEY,
    event_id      VARCHAR(255)             NOT NULL UNIQUE,
    customer_id   VARCHAR(64)              NOT NULL,
    status        VARCHAR(8)               NOT NULL,
    recipient     VARCHAR(254),
    message_id    VARCHAR(320),
    reason        VARCHAR(500),
    currency      CHAR(3)                  NOT NULL,
    total         NUMERIC(19, 4)           NOT NULL,
    occurred_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    sends         INT                      NOT NULL,
    claimed_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    applied_at    TIMESTAMP WITH TIME ZONE,
    trace_id      VARCHAR(32)
);

-- A customer's notifications, newest purchase first.
CREATE INDEX notification_by_customer ON notification (customer_id, occurred_at DESC, purchase_id);
