"""The "hot" rank: score decayed by age, as one number that needs no refresh.

Newer ideas start higher, and every tenfold of net votes is worth
`SECONDS_PER_DECADE` of recency. Because the time term only grows, the rank of
an idea never has to be recomputed as the clock moves; only a vote changes it.
"""

import math
from datetime import UTC, datetime

EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
SECONDS_PER_DECADE = 45_000  # 12.5 hours


def hot_rank(score: int, created_at: datetime) -> float:
    order = math.log10(max(abs(score), 1))
    sign = (score > 0) - (score < 0)
    return round(sign * order + (created_at - EPOCH).total_seconds() / SECONDS_PER_DECADE, 7)
