"""Real channel classes the tests select through the setting (no mocks): one records what it was given,
one always fails."""

from __future__ import annotations

from zhifa.notifications.channels import Channel

SENT: list[tuple[str, str]] = []


class RecordingChannel(Channel):
    name = "recording"

    def send(self, notification) -> None:
        SENT.append((notification.user.get_username(), notification.title))


class BrokenChannel(Channel):
    name = "broken"

    def send(self, notification) -> None:
        raise ConnectionError("gateway down")
