"""The settings object: documented in full, read from the environment or files, secrets kept.

``docs/configuration.md`` carries a table generated from ``streams.settings``; regenerate it
with ``python -m streams.settings --update docs/configuration.md`` when a setting changes.
"""

from __future__ import annotations

import os
import traceback
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from streams.agents.app import faust_options, kafka_credentials
from streams.kafka_io import client_options
from streams.settings import TABLE_BEGIN, TABLE_END, Settings, Topics, settings_table
from tests.support import REPO

DOC = REPO / "docs" / "configuration.md"
SECRET = "hunter2-do-not-print"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key in [k for k in os.environ if k.startswith("STREAMS_")]:
        monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)  # no .env file is picked up


def _env_settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return Settings(_env_file=None)  # type: ignore[call-arg]


def test_configuration_doc_is_in_sync() -> None:
    text = DOC.read_text()
    assert TABLE_BEGIN in text and TABLE_END in text
    documented = text.split(TABLE_BEGIN, 1)[1].split(TABLE_END, 1)[0].strip()
    assert documented == settings_table().strip(), (
        "docs/configuration.md is stale: run `python -m streams.settings --update docs/configuration.md`")


def test_every_setting_has_a_row_with_a_meaning() -> None:
    rows = [line.split(" | ") for line in settings_table().splitlines()[2:]]
    names = [row[0].strip("| `") for row in rows]
    assert len(names) == len(set(names))
    assert all(row[2].strip(" |") for row in rows), [r[0] for r in rows if not r[2].strip(" |")]
    scalar = {n for n in Settings.model_fields if n not in ("topics", "risk")}
    assert {f"STREAMS_{n.upper()}" for n in scalar} <= set(names)
    assert {f"STREAMS_TOPIC_{n.upper()}" for n in Topics.model_fields} <= set(names)
    risk = Settings.model_fields["risk"].annotation
    assert risk is not None
    assert {f"STREAMS_RISK__{n.upper()}" for n in risk.model_fields} <= set(names)


def test_every_documented_variable_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each variable of the table reaches its field (string-valued ones, set to a marker)."""
    defaults = Settings(_env_file=None)  # type: ignore[call-arg]
    for name in ("STREAMS_BROKER", "STREAMS_APP_ID", "STREAMS_STORE", "STREAMS_DATA_DIR",
                 "STREAMS_WEB_HOST", "STREAMS_SPACY_MODEL", "STREAMS_SSL_CAFILE"):
        field = name.removeprefix("STREAMS_").lower()
        assert getattr(_env_settings(monkeypatch, **{name: "marker"}), field) == "marker"
        monkeypatch.delenv(name)
    for field in Topics.model_fields:
        settings = _env_settings(monkeypatch, **{f"STREAMS_TOPIC_{field.upper()}": "x.marker.v9"})
        assert getattr(settings.topics, field) == "x.marker.v9"
        monkeypatch.delenv(f"STREAMS_TOPIC_{field.upper()}")
    settings = _env_settings(monkeypatch, STREAMS_PARTITIONS="12", STREAMS_WEB_PORT="7000",
                             STREAMS_RISK__WATCH_ENTER="30", STREAMS_RISK__COOLDOWN="PT2H",
                             STREAMS_MAX_MESSAGE_BYTES="2048", STREAMS_LOG_LEVEL="debug")
    assert (settings.partitions, settings.web_port, settings.max_message_bytes) == (12, 7000, 2048)
    assert settings.risk.watch_enter == 30 and settings.risk.cooldown == timedelta(hours=2)
    assert settings.risk.warning_enter == defaults.risk.warning_enter
    with pytest.raises(ValidationError):
        _env_settings(monkeypatch, STREAMS_RISK__WATCH_ENTER="95")  # above warning: inconsistent


def test_secrets_are_never_printed() -> None:
    settings = Settings(broker="b:9093", security_protocol="SASL_SSL", sasl_username="svc",
                        sasl_password=SecretStr(SECRET))
    for text in (repr(settings), str(settings), settings.model_dump_json(), str(settings.model_dump()),
                 f"{settings}", repr(kafka_credentials(settings)), repr(faust_options(settings))):
        assert SECRET not in text
    # The clients do get it.
    assert client_options(settings)["sasl_plain_password"] == SECRET
    assert kafka_credentials(settings).password == SECRET


def test_password_from_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret_file = tmp_path / "sasl_password"
    secret_file.write_text(SECRET + "\n")
    settings = _env_settings(monkeypatch, STREAMS_BROKER="b:9093", STREAMS_SECURITY_PROTOCOL="SASL_SSL",
                             STREAMS_SASL_USERNAME="svc", STREAMS_SASL_PASSWORD_FILE=str(secret_file))
    assert settings.sasl_password is not None
    assert settings.sasl_password.get_secret_value() == SECRET
    assert SECRET not in repr(settings) + settings.model_dump_json()


def test_bad_secret_configuration_fails_without_echoing_it(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    secret_file = tmp_path / "sasl_password"
    secret_file.write_text(SECRET)
    cases = [
        # both, and different
        dict(STREAMS_SECURITY_PROTOCOL="SASL_SSL", STREAMS_SASL_USERNAME="svc",
             STREAMS_SASL_PASSWORD="other-" + SECRET, STREAMS_SASL_PASSWORD_FILE=str(secret_file)),
        # SASL without a user name
        dict(STREAMS_SECURITY_PROTOCOL="SASL_SSL", STREAMS_SASL_PASSWORD=SECRET),
        # a file that is not there
        dict(STREAMS_SECURITY_PROTOCOL="SASL_SSL", STREAMS_SASL_USERNAME="svc",
             STREAMS_SASL_PASSWORD_FILE=str(tmp_path / "absent")),
        # an invalid value next to the password
        dict(STREAMS_SASL_PASSWORD=SECRET, STREAMS_WEB_PORT="not-a-port"),
    ]
    for env in cases:
        for key in [k for k in os.environ if k.startswith("STREAMS_")]:
            monkeypatch.delenv(key)
        with pytest.raises(ValidationError) as error:
            _env_settings(monkeypatch, **env)
        # What a crash prints: the message and the traceback (``errors()`` keeps the raw
        # input for programs, but nothing prints it).
        assert SECRET not in str(error.value)
        assert SECRET not in "".join(traceback.format_exception(error.value))


def test_sasl_needs_credentials_and_plaintext_needs_none() -> None:
    with pytest.raises(ValidationError, match="STREAMS_SASL_USERNAME"):
        Settings(security_protocol="SASL_SSL")
    plain = Settings(broker="b:9092")
    assert kafka_credentials(plain) is None
    assert client_options(plain) == {"bootstrap_servers": "b:9092", "security_protocol": "PLAINTEXT"}
