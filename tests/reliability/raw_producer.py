"""Produce records whose header names may be any bytes, as a non-Python client can.

aiokafka's producer insists on ``str`` header names and encodes them as UTF-8, but the
Kafka protocol (and the broker) accept any bytes.  Run with ``AIOKAFKA_NO_EXTENSIONS=1``
so aiokafka's pure-Python record builder is used: it calls ``name.encode("utf-8")``,
which :class:`RawName` answers with the exact bytes wanted.

Usage: ``python raw_producer.py BOOTSTRAP TOPIC IN.jsonl OUT.jsonl``.  Each input line is
``{"key": b64|null, "value": b64|null, "headers": [[b64, b64|null], ...], "codec": str|null}``;
each output line gives the partition and offset the record was written to (in input
order), or the error.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import sys
from pathlib import Path
from typing import Any

assert os.environ.get("AIOKAFKA_NO_EXTENSIONS"), "run with AIOKAFKA_NO_EXTENSIONS=1"

from aiokafka import AIOKafkaProducer  # noqa: E402


class RawName(str):
    """A header name that encodes to the bytes it was made from."""

    raw: bytes

    def __new__(cls, raw: bytes) -> RawName:
        name = super().__new__(cls, raw.decode("latin-1"))
        name.raw = raw
        return name

    def encode(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        return self.raw


def _b(text: str | None) -> bytes | None:
    return None if text is None else base64.b64decode(text)


async def main(bootstrap: str, topic: str, source: str, target: str) -> None:
    specs = [json.loads(line) for line in Path(source).read_text(encoding="utf-8").splitlines()]
    producers: dict[Any, AIOKafkaProducer] = {}
    for codec in {s.get("codec") for s in specs}:
        producers[codec] = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all",
                                            compression_type=codec, linger_ms=5)
        await producers[codec].start()
    try:
        futures = []
        for s in specs:
            headers = [(RawName(_b(k) or b""), _b(v)) for k, v in s["headers"]]
            futures.append(await producers[s.get("codec")].send(
                topic, _b(s["value"]), key=_b(s["key"]), headers=headers))
        with open(target, "w", encoding="utf-8") as out:
            for future in futures:
                try:
                    meta = await future
                    out.write(json.dumps({"partition": meta.partition, "offset": meta.offset}) + "\n")
                except Exception as exc:
                    out.write(json.dumps({"error": repr(exc)}) + "\n")
    finally:
        for producer in producers.values():
            await producer.stop()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
