"""EM training that splink refuses on a big company keeps the priors instead of failing the night."""

from types import SimpleNamespace

import pytest

from identity.matching import _expectation_maximisation

UNDERFLOW = "m_probability value 0.0 is below the minimum allowed value of 1e-300. Values this small ..."


def linker_raising(error):
    def estimate(*_args, **_kwargs):
        if error:
            raise error

    return SimpleNamespace(training=SimpleNamespace(estimate_parameters_using_expectation_maximisation=estimate))


def test_an_underflowing_estimate_skips_that_session_and_says_so(caplog):
    assert _expectation_maximisation(linker_raising(ValueError(UNDERFLOW)), "rule", "organizations") is False
    assert "organizations: EM session skipped, priors kept" in caplog.text


def test_a_session_that_trains_reports_it():
    assert _expectation_maximisation(linker_raising(None), "rule", "persons") is True


def test_any_other_error_still_fails():
    with pytest.raises(ValueError, match="something else"):
        _expectation_maximisation(linker_raising(ValueError("something else")), "rule", "persons")
