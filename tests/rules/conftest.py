import pytest

from zhifa.rules.services import load_starter_catalogue


@pytest.fixture
def catalogue(db):
    """The shipped national catalogue plus the 广东 province file, loaded as the demo does."""
    return load_starter_catalogue()
