-- wrk script: POST a different valid purchase on every request, each with its own
-- Idempotency-Key, over 1,000 customers and 50 SKUs.
--
--   wrk -t2 -c8 -d20s -s benchmarks/purchase.lua http://localhost:8080/purchases
--
-- With TOKEN set, every request carries it (Authorization: Bearer), one token for the whole
-- run, as a calling service holds one.
--
-- The last line printed is machine-readable for benchmarks/run:
--   RESULT <requests> <4xx/5xx answers or socket errors> <seconds> <p50 ms> <p99 ms>

local threads = {}

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function init(args)
  sent = 0
  token = os.getenv("TOKEN")
  math.randomseed(os.time() + thread_id * 7919)
  run = string.format("%x-%d", os.time(), thread_id)
end

function request()
  sent = sent + 1
  local customer = "bench-c-" .. math.random(0, 999)
  local lines = math.random(1, 3)
  local items = {}
  for n = 1, lines do
    items[n] = string.format('{"sku":"BENCH-%d","quantity":%d,"unitPrice":%d.%02d}',
      math.random(0, 49), math.random(1, 4), math.random(1, 500), math.random(0, 99))
  end
  local body = string.format('{"customerId":"%s","currency":"BRL","items":[%s]}',
    customer, table.concat(items, ","))
  local headers = {
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = run .. "-" .. sent,
  }
  if token and token ~= "" then
    headers["Authorization"] = "Bearer " .. token
  end
  return wrk.format("POST", nil, headers, body)
end

function done(summary, latency, requests)
  local errors = summary.errors
  local bad = errors.connect + errors.read + errors.write + errors.timeout + errors.status
  io.write(string.format("RESULT %d %d %.3f %.2f %.2f\n", summary.requests, bad,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
