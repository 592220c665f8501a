"""THE qualified-record checks of the 两客一危 metrics, elementwise, written once for both paths: the NumPy pass
(:mod:`definitions`) calls them on whole arrays, the compiled pass (:mod:`kernel`) on each record. Nothing but
operators and NumPy functions (numba compiles them). Their own module so that the definitions and the kernel
both import them and neither imports the other at load time."""

from __future__ import annotations

import numpy as np

# THE qualified-record checks: bit *k* of a record's mask set when it fails the *k*-th check of CHECKS.
# Elementwise, written once for both paths: the NumPy pass calls them on whole arrays, the compiled pass
# (kernel.py) on each record. Nothing but operators and NumPy functions (numba compiles them).


def plate_fails(plate_bad, color_bad):
    """``plate_bad``: plate missing or empty; ``color_bad``: colour missing, empty or ``unknown``."""
    return plate_bad * 1 | color_bad * 2


def value_fails(
    ts, ts_ok, recv, recv_ok, lon, lon_ok, lat, lat_ok, sp, sp_ok, hd, hd_ok, alt, alt_ok, st, st_ok,
    t_min, t_tol, alt_min, alt_max, lon_min, lon_max, lat_min, lat_max, sp_max,
):  # fmt: skip
    """The other checks. ``*_ok`` is False where the value is missing (its value is then meaningless); a
    missing value fails no check but its own (SQL semantics: a comparison with NULL is not true), except
    that a missing coordinate is ``coord_missing``. NaN counts as above every number (``x != x``), as in
    DuckDB's and Spark SQL's order of doubles. ``status`` bit 1 is JT/T 808's 定位 bit. The limits are
    :func:`check_limits`."""
    coord_ok = lon_ok & lat_ok
    return (
        np.logical_not(coord_ok) * 4
        | ((lon_ok & (lon == 0)) | (lat_ok & (lat == 0))) * 8
        | (
            coord_ok
            & (lon != 0)
            & (lat != 0)
            & (
                (lon < lon_min)
                | (lon > lon_max)
                | (lon != lon)
                | (lat < lat_min)
                | (lat > lat_max)
                | (lat != lat)
            )
        )
        * 16
        | (ts_ok & (ts < t_min)) * 32
        | (ts_ok & recv_ok & (ts > recv + t_tol)) * 64
        | (sp_ok & ((sp < 0) | (sp > sp_max) | (sp != sp))) * 128
        | (hd_ok & ((hd < 0) | (hd > 359))) * 256
        | (alt_ok & ((alt < alt_min) | (alt > alt_max))) * 512
        | (st_ok & (((st >> 1) & 1) == 0)) * 1024
    )
