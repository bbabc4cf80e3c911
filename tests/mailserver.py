"""A real SMTP server on loopback (aiosmtpd) that can refuse or stall, for the tests of
background e-mail: what arrives is what a mail system would have accepted."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller

from tests.live.servers import free_port


@dataclass
class Behaviour:
    refuse: int = 0  # refuse this many messages (451), then accept
    stall_first: float = 0.0  # hold the first message this long, then refuse it
    received: list[Message] = field(default_factory=list)
    refused: int = 0
    stalling: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.stall_first and not self.stalling.is_set():
            self.stalling.set()
            await asyncio.sleep(self.stall_first)
            return "451 4.3.0 Timed out"
        if self.refused < self.refuse:
            self.refused += 1
            return "451 4.3.0 Try again later"
        self.received.append(message_from_bytes(envelope.content))
        return "250 OK"

    def addresses(self) -> list[str]:
        return sorted(str(message["To"]) for message in self.received)


@contextmanager
def mail_server(**behaviour: Any) -> Iterator[tuple[int, Behaviour]]:
    handler = Behaviour(**behaviour)
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, handler
    finally:
        controller.stop()
