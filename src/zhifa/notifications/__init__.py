"""Notifications (消息提醒): tell the person who acts next.

An app that hands work to someone (a case submitted for 法制审核, a review done, a deadline near) calls
:func:`zhifa.notifications.services.notify`; the in-app notification is written after the caller's
transaction commits and then offered to the configured delivery channels (:mod:`.channels`). The layer sits
just above ``accounts`` (it resolves "the heads of a unit"), so every business app may call it.
"""
