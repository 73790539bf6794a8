"""The pinned runtime dependencies have no known vulnerability (`pip-audit --strict`).

pip-audit resolves requirements.txt with its transitive dependencies and asks PyPI's
vulnerability data for each exact version; `--strict` fails on any dependency it could
not audit, so "clean" means every package was checked.

When the vulnerability service cannot be reached (or answers no version data, as a
package mirror without PyPI's per-version JSON API does), the test is **skipped with the
reason**, not passed: `-ra` prints the skip in every run's summary. CI treats it so
because the registry a CI machine reaches may serve downloads without the advisory
API; a red build for a service outside the project would block every change while
proving nothing about the code, and teaches people to ignore red builds. Where the
service must be consulted (a release pipeline with full network access), set
PIP_AUDIT_REQUIRED=true and an unreachable service fails the run instead.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "requirements.txt"
SERVICE = "https://pypi.org/pypi/{name}/{version}/json"


def _pins() -> list[tuple[str, str]]:
    pins = []
    for line in REQUIREMENTS.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins.append((name.split("[", 1)[0].strip(), version.strip()))
    return pins


def _unreachable(reason: str) -> None:
    message = f"vulnerability service unreachable, dependencies NOT audited: {reason}"
    if os.environ.get("PIP_AUDIT_REQUIRED", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


def test_every_runtime_dependency_is_pinned():
    lines = [
        line.split("#", 1)[0].strip() for line in REQUIREMENTS.read_text().splitlines()
    ]
    unpinned = [line for line in lines if line and "==" not in line]
    assert not unpinned
    assert _pins()


def test_pip_audit_finds_no_known_vulnerability():
    name, version = _pins()[0]
    try:
        probe = requests.get(SERVICE.format(name=name, version=version), timeout=15)
    except requests.RequestException as exc:
        _unreachable(f"{type(exc).__name__} asking about {name} {version}")
    if probe.status_code != 200:
        _unreachable(
            f"HTTP {probe.status_code} for {name} {version} (no per-version data)"
        )

    result = subprocess.run(
        [sys.executable, "-m", "pip_audit", "-r", str(REQUIREMENTS), "--strict",
         "--format", "json", "--progress-spinner", "off"],
        capture_output=True, text=True, timeout=900, cwd=ROOT,
    )  # fmt: skip
    try:
        report = json.loads(result.stdout or "{}")
    except json.JSONDecodeError:
        report = {}
    vulnerable = [
        f"{dep['name']} {dep['version']}: "
        + ", ".join(
            v["id"] + (f" (fixed in {v['fix_versions']})") for v in dep["vulns"]
        )
        for dep in report.get("dependencies", [])
        if dep.get("vulns")
    ]
    assert not vulnerable, "known vulnerabilities:\n" + "\n".join(vulnerable)
    if result.returncode != 0 and (
        "could not be audited" in result.stderr or "Connection" in result.stderr
    ):
        _unreachable(result.stderr.strip().splitlines()[-1])
    assert result.returncode == 0, result.stderr[-2000:]
    audited = {dep["name"].lower() for dep in report["dependencies"]}
    assert {pin.lower() for pin, _ in _pins()} <= audited
