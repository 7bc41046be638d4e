"""Hypothesis profiles, loaded by conftest.py before any test module is imported.

- "ci" (the default): reproducible — derandomized, no example database — and as long as the
  suite always was: 100 examples for a test that does not choose its own number. Tests that set
  `@settings(max_examples=...)` keep their number. No deadline, so a loaded machine cannot fail a
  test on time alone.
- "fuzz": the long run of tools/fuzz.sh (`--hypothesis-profile=fuzz`, or HYPOTHESIS_PROFILE=fuzz):
  random, 1000 examples for each test of tests/test_fuzz.py (which never fixes its own number),
  failures saved in .hypothesis/ and printed with a reproduction blob.

`--hypothesis-profile NAME` wins over HYPOTHESIS_PROFILE, which wins over "ci": the hypothesis
plugin loads the option's profile in pytest_configure, after conftest.py has run this module.

The `fuzz` marker (tests/test_fuzz.py) is registered here: conftest.py re-exports this module's
names with `import *`, and pytest collects hooks from a conftest by attribute name; the hook has
its own name (pluggy's `specname`) so another module re-exported the same way may define its own
pytest_configure without replacing this one.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

__all__ = ["pytest_configure_fuzz_marker"]

settings.register_profile(
    "ci",
    max_examples=100,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
)
settings.register_profile(
    "fuzz",
    max_examples=1000,
    derandomize=False,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.hookimpl(specname="pytest_configure")
def pytest_configure_fuzz_marker(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "fuzz: property tests over arbitrary input (tests/test_fuzz.py); run long with tools/fuzz.sh",
    )
