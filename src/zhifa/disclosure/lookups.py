"""Reads the public portal needs from apps above it (see :mod:`zhifa.core.lookups`)."""

from zhifa.core import lookups

PUBLIC_RATINGS = lookups.declare(
    "credit.public_ratings",
    doc="已公布的信用评价结果：a queryset of published final ratings with year, public_name, scheme "
    "(and get_scheme_display), grade and published_on; provided by zhifa.credit",
)
