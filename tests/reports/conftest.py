from tests.cases.conftest import kit  # noqa: F401  (the case fixtures: officers, head, reviewer)
