#!/usr/bin/env python3
"""P7's load: purchases at a fixed rate, the latency of each counted from when it was due.

    paced-load.py <url> <token> <rate per second> <seconds>

A scheduler releases one purchase every 1/rate seconds; a pool of worker threads, each with
its own kept-alive connection, sends them. When every worker is busy, a purchase waits in the
queue and its latency includes the wait, so a slow service cannot hide behind a slow
generator (no coordinated omission). Python and a few threads, not a JVM: the generator
costs a few per cent of one core at 100 purchases/s, which is printed beside the results.

Prints one line per 5-second window, then "RESULT sent non202 p50ms p99ms maxms cpu_ms".
"""
import http.client
import json
import os
import queue
import random
import resource
import sys
import threading
import time
import urllib.parse

WORKERS = 64
WINDOW = float(os.environ.get("PACED_WINDOW", "5"))


def percentile(values, p):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100.0 * len(ordered) + 0.5)) - 1)]


def main():
    url, token, rate, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
    target = urllib.parse.urlsplit(url)
    due = queue.Queue()
    results = []  # (due offset s, latency ms, status)
    lock = threading.Lock()
    start = time.monotonic() + 0.5

    def worker():
        connection = None
        while True:
            when = due.get()
            if when is None:
                return
            body = json.dumps({
                "customerId": "c-%d" % random.randrange(1000),
                "currency": "EUR",
                "items": [{"sku": "SKU-%d" % random.randrange(1, 51), "quantity": random.randrange(1, 4),
                           "unitPrice": 9.99}],
            })
            status = 0
            for _ in range(2):  # one reconnect if the kept-alive connection was closed
                try:
                    if connection is None:
                        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                    connection.request("POST", target.path, body, {
                        "Content-Type": "application/json", "Authorization": "Bearer " + token})
                    response = connection.getresponse()
                    response.read()
                    status = response.status
                    break
                except (OSError, http.client.HTTPException):
                    if connection is not None:
                        connection.close()
                    connection = None
            finished = time.monotonic()
            with lock:
                results.append((when - start, (finished - when) * 1000.0, status))

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    count = int(rate * seconds)
    for i in range(count):
        when = start + i / rate
        delay = when - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        due.put(when)
    for _ in threads:
        due.put(None)
    for thread in threads:
        thread.join(timeout=120)

    windows = int(seconds / WINDOW + 0.999)
    for w in range(windows):
        inside = [r for r in results if w * WINDOW <= r[0] < (w + 1) * WINDOW]
        latencies = [r[1] for r in inside]
        bad = sum(1 for r in inside if r[2] != 202)
        print("%3.0f-%3.0f s: %4d sent, %3d not 202, p50 %6.0f ms, p99 %6.0f ms" % (
            w * WINDOW, (w + 1) * WINDOW, len(inside), bad, percentile(latencies, 50), percentile(latencies, 99)))
    latencies = [r[1] for r in results]
    bad = sum(1 for r in results if r[2] != 202)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print("RESULT %d %d %.1f %.1f %.1f %.0f" % (len(results), bad, percentile(latencies, 50),
                                                percentile(latencies, 99), max(latencies or [0]),
                                                (usage.ru_utime + usage.ru_stime) * 1000))


if __name__ == "__main__":
    main()
