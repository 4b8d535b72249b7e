"""Fixtures for the national view: the returns' fixtures (Wiltshire Police's published return), and the submit flow's
steps called as plain functions (``submit``), sending to a real SMTP server as the daily cycle does.
"""

from datetime import date

from tests.returns.conftest import answered, seed_return
from tests.returns.test_submit import submit

__all__ = ["DUE", "answered", "seed_return", "submit"]

DUE = date(2021, 6, 17)  # "Safe to share?": six months from 17 December 2020; a Thursday
