"""`make run`'s .env: written with DEBUG off; one from before the embedded run served
as production does has DEBUG=true switched off, everything else kept."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "write_env.py"


@pytest.fixture
def write_env(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("write_env", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "ENV_FILE", tmp_path / ".env")
    return module


def test_a_new_env_file_has_debug_off(write_env):
    write_env.main()
    lines = write_env.ENV_FILE.read_text().splitlines()
    assert "DEBUG=false" in lines and "DEBUG=true" not in lines


def test_an_old_env_file_gets_debug_off_and_keeps_its_secrets(write_env, capsys):
    write_env.ENV_FILE.write_text("SECRET_KEY=kept\nDEBUG=true\nALLOWED_HOSTS=x\n")
    write_env.main()
    assert write_env.ENV_FILE.read_text() == (
        "SECRET_KEY=kept\nDEBUG=false\nALLOWED_HOSTS=x\n"
    )
    assert "now with DEBUG=false" in capsys.readouterr().out
