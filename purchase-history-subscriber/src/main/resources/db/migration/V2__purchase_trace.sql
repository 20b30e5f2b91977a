-- The trace of the request that placed the purchase (W3C trace id), to follow a purchase from
-- the publisher's log to this service's and back. NULL for events that carried no trace.
ALTER TABLE purchase ADD COLUMN trace_id VARCHAR(32);
