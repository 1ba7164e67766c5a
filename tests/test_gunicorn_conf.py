"""gunicorn.conf.py: every name it sets is a gunicorn setting of the right kind, and each comes
from the environment (docs/deploy.md)."""

import os
import runpy
from types import ModuleType
from unittest import mock

import pytest
from gunicorn.config import Config

from tests.test_settings import ROOT

CONF = ROOT / "gunicorn.conf.py"


def load(**env: str) -> dict:
    """The settings gunicorn.conf.py makes with these variables (and no others it reads)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GUNICORN_", "WEB_CONCURRENCY", "DJANGO_LOG_FORMAT"))
    }
    with mock.patch.dict(os.environ, {**environment, **env}, clear=True):
        namespace = runpy.run_path(str(CONF))
    return {
        name: value
        for name, value in namespace.items()
        if not name.startswith("_") and not callable(value) and not isinstance(value, ModuleType)
    }


def test_every_name_is_a_gunicorn_setting_gunicorn_accepts():
    config = Config()
    for name, value in load().items():
        assert name in config.settings, f"{name} is not a gunicorn setting"
        config.set(name, value)  # gunicorn's own validation
    assert config.control_socket_disable is True
    assert config.bind == ["127.0.0.1:8000"]
    assert "%({x-request-id}o)s" in config.access_log_format


def test_the_environment_sets_them():
    settings = load(
        GUNICORN_BIND="0.0.0.0:8000,unix:/run/mentoring/gunicorn.sock",
        WEB_CONCURRENCY="3",
        GUNICORN_THREADS="4",
        GUNICORN_TIMEOUT="90",
        GUNICORN_GRACEFUL_TIMEOUT="20",
    )
    assert settings["bind"] == ["0.0.0.0:8000", "unix:/run/mentoring/gunicorn.sock"]
    assert (settings["workers"], settings["threads"]) == (3, 4)
    assert (settings["timeout"], settings["graceful_timeout"]) == (90, 20)


def test_its_log_is_json_in_production_and_text_with_debug_on():
    assert "logconfig_dict" in load(DJANGO_DEBUG="false")
    assert "logconfig_dict" not in load(DJANGO_DEBUG="true")
    assert "logconfig_dict" in load(DJANGO_DEBUG="true", DJANGO_LOG_FORMAT="json")
    assert "logconfig_dict" not in load(DJANGO_DEBUG="false", DJANGO_LOG_FORMAT="text")


def test_a_bad_number_is_refused_with_the_variable_named():
    with pytest.raises(SystemExit, match="WEB_CONCURRENCY must be a whole number"):
        load(WEB_CONCURRENCY="many")
