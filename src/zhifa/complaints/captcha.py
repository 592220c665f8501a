"""An offline captcha for the public complaint form: a small arithmetic question drawn as SVG by the server
(no third-party service, no internet), its answer kept in the visitor's session and usable once."""

from __future__ import annotations

import secrets
import time

SESSION_KEY = "complaint_captcha"
MAX_AGE_SECONDS = 600


def new_challenge(session) -> str:
    """A new question (e.g. "23 + 9 = ?"), stored with its answer; returns the SVG that shows it."""
    a, b = secrets.randbelow(40) + 10, secrets.randbelow(9) + 1
    plus = secrets.randbelow(2) == 0
    answer = a + b if plus else a - b
    session[SESSION_KEY] = {"answer": answer, "at": int(time.time())}
    return _svg(f"{a}{'+' if plus else '-'}{b}=?")


def check(session, given: str) -> bool:
    """True once for the right answer within ten minutes; the challenge is spent either way."""
    stored = session.pop(SESSION_KEY, None)
    if not stored or int(time.time()) - int(stored.get("at", 0)) > MAX_AGE_SECONDS:
        return False
    given = (given or "").strip().translate(str.maketrans("０１２３４５６７８９－", "0123456789-"))
    return given.lstrip("-").isdigit() and int(given) == int(stored["answer"])


def _svg(text: str) -> str:
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="150" height="44" viewBox="0 0 150 44">',
             '<rect width="150" height="44" fill="#f4f6f8"/>']
    for _ in range(6):  # noise lines
        x1, y1, x2, y2 = (secrets.randbelow(150), secrets.randbelow(44), secrets.randbelow(150), secrets.randbelow(44))
        parts.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#9aa5b1" stroke-width="1"/>')
    x = 10
    for ch in text:
        rot, dy = secrets.randbelow(41) - 20, secrets.randbelow(9) - 4
        parts.append(f'<text x="{x}" y="{30 + dy}" font-size="24" font-family="monospace" fill="#1f3a5f" '
                     f'transform="rotate({rot} {x + 6} {28 + dy})">{ch}</text>')
        x += 18
    parts.append("</svg>")
    return "".join(parts)
