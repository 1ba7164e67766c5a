"""The cache in tests: each test process keeps to keys of its own.

Without `REDIS_URL` the cache is each process's own memory. With it (.ci/run's PostgreSQL run)
it is one Redis that both test processes share, and any other run on the machine: the test
settings give each process a key prefix of its own (tests/conftest.py), and `clear()` here
removes that process's keys only, where Django's `cache.clear()` would empty the whole Redis
database under the other processes' feet.
"""

import uuid

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache


def own_prefix(cache_settings: dict) -> dict:
    """The cache settings with a key prefix of this process's own, for a Redis cache."""
    if not cache_settings["BACKEND"].endswith(".RedisCache"):
        return cache_settings
    return {**cache_settings, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}


def clear() -> None:
    """Empty the default cache of this process's keys."""
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        cache.clear()
        return
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
