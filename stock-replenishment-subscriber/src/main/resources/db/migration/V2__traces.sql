-- The trace of the request behind each purchase applied (W3C trace id), and the trace context
-- an outbox event continues when it is relayed (W3C traceparent), so that a replenishment event
-- belongs to the trace of the purchase that triggered it. NULL where there was no trace.
ALTER TABLE applied_purchase ADD COLUMN trace_id VARCHAR(32);
ALTER TABLE outbox ADD COLUMN traceparent VARCHAR(55);
