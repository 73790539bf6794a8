"""bench/run: every executable benchmark, one table, then each figure as name=value."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "bench" / "run"


def script(folder: Path, name: str, body: str, executable: bool = True) -> Path:
    path = folder / name
    path.write_text(f"#!{sys.executable}\n{body}")
    if executable:
        path.chmod(0o755)
    return path


def run(folder: Path, *args: str, env: dict | None = None):
    return subprocess.run(
        [sys.executable, str(RUNNER), "--dir", str(folder), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def test_it_tabulates_every_figure_with_its_target_and_cores(tmp_path):
    script(
        tmp_path,
        "pipeline",
        "print('warming up')\n"
        "print('portal_cpu_s_per_event=0.012')\n"
        "print('pipeline_events_per_s=81.5')\n",
    )
    script(tmp_path, "submit", "print('submit_p95_ms=140')\n")
    script(tmp_path, "notes", "print('not a benchmark')\n", executable=False)

    result = run(tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "[pipeline] warming up" in out
    assert "not a benchmark" not in out
    rows = {
        line.split()[1]: line.split()
        for line in out.splitlines()
        if line.startswith(("pipeline ", "submit "))
    }
    cores = str(os.cpu_count())
    assert rows["pipeline_events_per_s"] == [
        "pipeline", "pipeline_events_per_s", "81.5", ">=", "75", "met", cores,
    ]  # fmt: skip
    assert rows["portal_cpu_s_per_event"][3:] == ["informational", "info", cores]
    assert rows["submit_p95_ms"][2:6] == ["140", "<", "100", "MISSED"]
    # The figures again, one per line, at the end.
    assert out.rstrip().splitlines()[-3:] == [
        "portal_cpu_s_per_event=0.012",
        "pipeline_events_per_s=81.5",
        "submit_p95_ms=140",
    ]


def test_a_failing_benchmark_fails_the_run_and_the_others_still_report(tmp_path):
    script(tmp_path, "broken", "import sys\nprint('half=1')\nsys.exit(3)\n")
    script(tmp_path, "fine", "print('dashboard_p95_ms=80')\n")

    result = run(tmp_path)

    assert result.returncode == 1
    assert "exit status 3" in result.stdout
    assert result.stdout.rstrip().splitlines()[-1] == "dashboard_p95_ms=80"


def test_it_skips_a_benchmark_whose_service_is_missing_and_says_why(tmp_path):
    script(
        tmp_path,
        "needs_db",
        "# bench-needs: postgres\nprint('dashboard_p95_ms=1')\n",
    )
    script(
        tmp_path,
        "self_skip",
        "import sys\nprint('no certificate template configured')\nsys.exit(77)\n",
    )
    # A port nothing listens on stands for a database that is not there.
    result = run(tmp_path, env={"DATABASE_URL": "postgres://u@127.0.0.1:9/x"})

    assert result.returncode == 0, result.stdout
    assert "[needs_db] skipped: needs postgres, which does not answer here" in (
        result.stdout
    )
    assert "skipped: no certificate template configured" in result.stdout
    assert "dashboard_p95_ms=1" not in result.stdout


def test_it_runs_only_the_benchmarks_named(tmp_path):
    script(tmp_path, "one", "print('a_figure=1')\n")
    script(tmp_path, "two", "print('b_figure=2')\n")

    result = run(tmp_path, "two")

    assert "a_figure" not in result.stdout
    assert result.stdout.rstrip().splitlines()[-1] == "b_figure=2"


def test_reuse_tells_every_benchmark_to_keep_its_seeded_data(tmp_path):
    body = "import os\nprint('reuse=' + (os.environ.get('BENCH_REUSE') or '0'))\n"
    script(tmp_path, "seeds", body)

    assert run(tmp_path, env={"BENCH_REUSE": ""}).stdout.endswith("reuse=0\n")
    assert run(tmp_path, "--reuse").stdout.endswith("reuse=1\n")


def test_every_script_in_bench_is_executable_so_the_runner_finds_it():
    scripts = [
        path
        for path in (ROOT / "bench").iterdir()
        if path.is_file() and path.read_bytes().startswith(b"#!")
    ]
    assert scripts
    not_executable = [path.name for path in scripts if not os.access(path, os.X_OK)]
    assert not not_executable
