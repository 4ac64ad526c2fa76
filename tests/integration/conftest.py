import os

import pytest
from django.conf import settings


@pytest.fixture
def services():
    """Redis and PostgreSQL, or a skip with the reason (a failure when REQUIRE_SERVICES=1)."""
    missing = []
    if not settings.REDIS_URL:
        missing.append("REDIS_URL is not set")
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        missing.append("a worker process cannot see the in-memory SQLite test database")
    if missing:
        reason = "needs Redis and PostgreSQL: " + "; ".join(missing)
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
