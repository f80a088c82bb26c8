"""Rounding of quantities to a UoM rounding step.

Quantities travel as floats (that is what Odoo stores), so a value that is
mathematically a whole number of steps often arrives a few ulps above it
(0.1 * 3 / 0.01 == 30.000000000000004).  Rounding up naively would then add a
whole step, so anything within a tiny epsilon of a step boundary counts as
being on it.  The epsilon is a millionth of a step plus a relative part
(1e-12 of the magnitude involved, a few thousand times the noise of a chain
of float operations) because the noise of large quantities grows with them;
genuine remainders that small do not occur with the quantity precisions
Odoo stores.
"""

import math

from .model import PlanningError

_EPS_STEPS = 1e-6
_EPS_REL = 1e-12

_DIGITS = {}


def check_rounding(rounding, product_id):
    if rounding is None or not rounding > 0:
        raise PlanningError(
            "Product %r has an invalid UoM rounding %r: it must be positive."
            % (product_id, rounding)
        )
    return float(rounding)


def ceil_steps(qty, rounding, scale=0.0):
    """Number of rounding steps needed to hold qty, rounded up.

    scale: the largest quantity qty was computed from, so that the noise of
    a subtraction of large numbers is recognised as noise.  Never negative.
    """
    n = qty / rounding
    floor = math.floor(n)
    magnitude = max(abs(n), abs(scale) / rounding)
    if n - floor <= _EPS_STEPS + magnitude * _EPS_REL:
        steps = int(floor)
    else:
        steps = int(floor) + 1
    return steps if steps > 0 else 0


def is_noise(qty, rounding, scale=0.0):
    """True when qty is zero up to float noise (it would round up to 0)."""
    return (
        qty / rounding <= _EPS_STEPS + max(abs(qty), abs(scale)) / rounding * _EPS_REL
    )


def digits(rounding):
    """Decimals needed to write a multiple of rounding exactly."""
    found = _DIGITS.get(rounding)
    if found is None:
        found = 12
        for candidate in range(13):
            if abs(round(rounding, candidate) - rounding) <= rounding * 1e-9:
                found = candidate
                break
        _DIGITS[rounding] = found
    return found


def to_qty(steps, rounding):
    """steps * rounding without the float tail (3 * 0.1 -> 0.3)."""
    return round(steps * rounding, digits(rounding))


def round_up(qty, rounding, scale=0.0):
    return to_qty(ceil_steps(qty, rounding, scale), rounding)
