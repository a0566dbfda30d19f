"""Broken services for fault tests: listeners that accept and never answer."""

import socket
import threading

import pytest


class HungServer:
    """A TCP listener on 127.0.0.1 that accepts connections and never answers.

    It is what a Redis or Elasticsearch looks like when its process is stuck
    (or a network path drops replies): connecting works, every read waits.
    """

    def __init__(self) -> None:
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(128)
        self.port = self._sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._closed = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            self.accepted.append(conn)  # held open, never read, never answered

    def close(self) -> None:
        self._closed = True
        self._sock.close()
        for conn in self.accepted:
            conn.close()


@pytest.fixture
def hung_server():
    server = HungServer()
    yield server
    server.close()


# --- figures: each fault test records one row; the session prints them all -----------

FIGURES: list[dict] = []


@pytest.fixture
def figures():
    """Record a fault's figures: `figures(fault=..., worst=..., lost=..., applied=...)`."""

    def record(**row) -> None:
        FIGURES.append(row)

    return record


def figures_table(rows: list[dict]) -> list[str]:
    lines = [
        "| fault | worst page time | writes lost | side effects applied |",
        "|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['fault']} | {row['worst']:.2f} s | {row['lost']} of {row['writes']} "
            f"| {row['applied']} of {row['effects']} |"
        )
    return lines


def pytest_terminal_summary(terminalreporter):
    if not FIGURES:
        return
    terminalreporter.section("fault figures")
    for line in figures_table(FIGURES):
        terminalreporter.write_line(line)
