#!/usr/bin/env python3
"""A real SMTP server for tests: every accepted message lands in a Maildir.

Usage: python scripts/mailsink.py PORT MAILDIR

Started by scripts/testenv.py (which exports EMAIL_HOST, EMAIL_PORT and
IDEALOOP_MAILDIR). Tests read the Maildir with the stdlib `mailbox` module.
A fault test may write an address into MAILDIR/../hold-rcpt: the server then
delays its answer to that RCPT TO until the file is gone, so a client can be
caught in the middle of a message that the server has not accepted.
"""

import asyncio
import mailbox
import sys
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


class MaildirHandler:
    def __init__(self, maildir: Path):
        self.maildir = mailbox.Maildir(maildir, create=True)
        self.hold = maildir.parent / "hold-rcpt"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        while self.hold.exists() and self.hold.read_text().strip() == address:
            await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.maildir.add(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


class Sink(Controller):
    def factory(self):
        return SMTP(self.handler, hostname="mailsink.test", data_size_limit=10_000_000)


def main() -> None:
    port, maildir = int(sys.argv[1]), Path(sys.argv[2])
    controller = Sink(MaildirHandler(maildir), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"mailsink listening on 127.0.0.1:{port}, writing to {maildir}", flush=True)
    try:
        asyncio.run(asyncio.Event().wait())
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
