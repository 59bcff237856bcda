"""Hypothesis settings shared by the fuzz tests.

By default a fuzz test is derandomized (the same examples every run, so the shared suite is
never flaky); ``SHENGUAN_FUZZ=deep`` runs ten times as many fresh random examples.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

DEEP = os.environ.get("SHENGUAN_FUZZ") == "deep"


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples * 10 if DEEP else examples, derandomize=not DEEP, deadline=None,
        database=None, print_blob=False,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                               HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )
