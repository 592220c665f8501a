import pytest

from tests.factories import make_user
from zhifa.rules.services import load_starter_catalogue


@pytest.fixture
def catalogue(db):
    """The shipped national catalogue plus the 广东 province file, loaded as the demo does."""
    return load_starter_catalogue()


@pytest.fixture
def rule_reviewer(tree):
    """The 法制审核人员 of the city: a catalogue version binds both counties of the tree, so it is published
    by their common superior (a county's reviewer is refused, tests/security/test_scoping.py)."""
    return make_user("reviewer_city", tree.city, {"legal_reviewer"})
