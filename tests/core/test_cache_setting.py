"""ZHIFA_CACHE_URL: a Redis URL gives every web process one cache (the real Redis on 127.0.0.1 here)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

from tests.conftest import require_service

CODE = """
import os, sys
from zhifa.core.commandline import setup_django
setup_django()
from django.core.cache import cache
key = sys.argv[1]
if sys.argv[2] == "set":
    cache.set(key, "郁南", 60)
from django.core.cache import caches
print(type(caches["default"]).__name__, cache.get(key))
"""


def _run(env, *args):
    out = subprocess.run([sys.executable, "-c", CODE, *args], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_a_redis_cache_is_shared_between_processes(tmp_path):
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/13", socket_connect_timeout=1).ping()
        up = True
    except Exception:
        up = False
    require_service("Redis", up, "127.0.0.1:6379 未运行")
    env = {**os.environ, "ZHIFA_DATA_DIR": str(tmp_path), "ZHIFA_CACHE_URL": "redis://127.0.0.1:6379/13",
           "PYTHONPATH": os.pathsep.join(sys.path)}
    key = f"t-{uuid.uuid4().hex}"
    assert _run(env, key, "set") == ["RedisCache", "郁南"]
    assert _run(env, key, "get") == ["RedisCache", "郁南"]  # another process reads what the first wrote
    env.pop("ZHIFA_CACHE_URL")
    assert _run(env, key, "get") == ["LocMemCache", "None"]  # unset: each process its own
