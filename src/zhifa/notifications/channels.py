"""Delivery channels: where a notification goes besides the bell (短信 SMS, 政务微信, email…).

Interface — a channel is a class with a ``name`` and one method::

    class MyChannel(Channel):
        name = "sms"
        def send(self, notification: Notification) -> None:
            ...  # notification.user (the recipient), .title, .body, .link, .kind_label

``send`` is called after the notification row is committed, once per new notification (an idempotent
repeat is not re-sent). It should return quickly (hand long work to a queue); an exception is logged
with the channel's name and never reaches the person who acted, nor the other channels.

Selection — the setting ``NOTIFICATION_CHANNELS`` (environment ``ZHIFA_NOTIFY_CHANNELS``, comma-separated)
lists the channels: ``log`` (the default: one log line per notification, no external call) or the dotted
path of a class (``mybureau.sms.SmsChannel``). The in-app notification is always written; an empty list
delivers nowhere else.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from .models import Notification

log = logging.getLogger("zhifa.notifications")


class Channel:
    """Base class of a delivery channel (see the module docstring)."""

    name = "base"

    def send(self, notification: Notification) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class LogChannel(Channel):
    """Writes one line per notification to the ``zhifa.notifications`` logger; calls nothing outside."""

    name = "log"

    def send(self, notification: Notification) -> None:
        log.info(
            "消息提醒 #%s → %s：%s（%s）",
            notification.pk,
            notification.user.get_username(),
            notification.title,
            notification.link or "无链接",
        )


BUILTIN = {"log": LogChannel}


def _load(spec: str) -> Channel:
    cls = BUILTIN.get(spec) or import_string(spec)
    channel = cls()
    if not callable(getattr(channel, "send", None)):
        raise TypeError(f"{spec} 不是消息提醒渠道（缺少 send 方法）")
    return channel


@lru_cache(maxsize=8)
def _channels_for(specs: tuple[str, ...]) -> tuple[Channel, ...]:
    return tuple(_load(s) for s in specs)


def configured() -> tuple[Channel, ...]:
    """The channels named by the setting (loaded once per distinct setting value)."""
    raw = getattr(settings, "NOTIFICATION_CHANNELS", ("log",))
    if isinstance(raw, str):
        raw = raw.split(",")
    return _channels_for(tuple(s.strip() for s in raw if s.strip()))


def deliver(notifications: list[Notification]) -> None:
    """Offer each new notification to every configured channel; a failing channel is logged, not raised."""
    for channel in configured():
        for n in notifications:
            try:
                channel.send(n)
            except Exception:  # a channel must never break the hand-off that caused it
                log.exception("消息提醒渠道 %s 发送 #%s 失败", getattr(channel, "name", channel), n.pk)
