"""Websocket consumers. They stay thin: check who is asking, join groups, forward.

Sockets are read-only: every write goes through CSRF-protected HTTP, so a
frame from the client closes the connection.
"""

import logging

from channels.generic.websocket import AsyncJsonWebsocketConsumer

logger = logging.getLogger(__name__)

# Close code for a client that talks on a read-only socket (4000-4999 is ours).
CLOSE_READ_ONLY = 4003


class ReadOnlyConsumer(AsyncJsonWebsocketConsumer):
    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        await self.close(code=CLOSE_READ_ONLY)


class HealthConsumer(ReadOnlyConsumer):
    """Answers a handshake with a round trip through the channel layer.

    Load balancers and operators use it to see that websockets and the channel
    layer work end to end.
    """

    async def connect(self):
        await self.accept()
        await self.channel_layer.send(self.channel_name, {"type": "healthz.ping"})

    async def healthz_ping(self, event):
        await self.send_json({"type": "healthz", "status": "ok"})
