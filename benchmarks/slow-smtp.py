#!/usr/bin/env python3
"""A mail server for benchmark P4 only: it speaks SMTP, accepts every message after a fixed delay
and keeps nothing, like a remote mail server whose round trip the notification subscriber waits
for. Not part of the product.

    benchmarks/slow-smtp.py <address> <port> <delay in ms>

It listens on the given address only: the Docker bridge's, where the benchmark's containers reach
the host, never every interface.

Prints one line per second with the messages accepted so far.
"""
import asyncio
import sys
import time

ADDRESS = sys.argv[1]
PORT = int(sys.argv[2])
DELAY = float(sys.argv[3]) / 1000
accepted = 0


async def session(reader, writer):
    global accepted
    writer.write(b"220 slow-smtp ESMTP\r\n")
    await writer.drain()
    try:
        while True:
            line = await reader.readline()
            if not line:
                return
            command = line[:4].upper()
            if command == b"EHLO":
                writer.write(b"250-slow-smtp\r\n250 8BITMIME\r\n")
            elif command == b"DATA":
                writer.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                await writer.drain()
                while (await reader.readline()) not in (b".\r\n", b".\n", b""):
                    pass
                await asyncio.sleep(DELAY)
                accepted += 1
                writer.write(b"250 2.0.0 Ok: queued\r\n")
            elif command == b"QUIT":
                writer.write(b"221 Bye\r\n")
                await writer.drain()
                return
            else:
                writer.write(b"250 OK\r\n")
            await writer.drain()
    finally:
        writer.close()


async def report():
    while True:
        await asyncio.sleep(1)
        print(f"{time.strftime('%H:%M:%S')} accepted {accepted}", flush=True)


async def main():
    server = await asyncio.start_server(session, ADDRESS, PORT, backlog=256)
    async with server:
        await asyncio.gather(server.serve_forever(), report())


asyncio.run(main())
