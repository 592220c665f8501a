from tests.cases.conftest import kit  # noqa: F401  (the case fixtures: officers, head, reviewer)
from tests.overload.conftest import data_dir, stations  # noqa: F401,E402  (治超 stations and data dir)
