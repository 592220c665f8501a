"""The verifiable draw of 双随机 now lives in :mod:`zhifa.core.draw` (moved down so that the 案卷评查 sampling
of ``legal``, a feeder of the same layer, can use the same engine without importing ``inspections``).
This module keeps the old import path and stays beside ALGORITHM.md and the test vectors."""

from zhifa.core.draw import *  # noqa: F403
from zhifa.core.draw import ALGORITHM, ALGORITHM_V2, FILE_FORMAT, FILE_FORMAT_V2  # noqa: F401
