"""The code's shape holds: no module-level import cycles, and any module imports first."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def cycle_checker():
    spec = importlib.util.spec_from_file_location("cycles", ROOT / "scripts/check_import_cycles.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_project_has_no_module_level_import_cycle():
    found, count = cycle_checker().find_cycles()
    assert count > 100
    assert found == []


def test_the_checker_finds_a_cycle_through_a_package_that_re_exports(tmp_path):
    # The shape of the old community.abuse ↔ ideas.services cycle.
    (tmp_path / "kernel").mkdir()
    (tmp_path / "kernel/__init__.py").write_text("")
    (tmp_path / "kernel/abuse.py").write_text("from domain.services.rules import lock\n")
    (tmp_path / "domain/services").mkdir(parents=True)
    (tmp_path / "domain/__init__.py").write_text("")
    (tmp_path / "domain/services/__init__.py").write_text(
        "from domain.services.comments import x\n"
    )
    (tmp_path / "domain/services/rules.py").write_text("lock = 1\n")
    (tmp_path / "domain/services/comments.py").write_text("from kernel import abuse\nx = 1\n")
    # A function-level import is not a module-level cycle.
    (tmp_path / "domain/late.py").write_text("def f():\n    import kernel.abuse\n")

    found, _ = cycle_checker().find_cycles(tmp_path, ["kernel", "domain"])

    assert found == [
        ["domain.services", "domain.services.comments", "kernel.abuse"],
    ]


@pytest.mark.parametrize(
    "module",
    [
        "community.abuse",
        "community.permissions",
        "community.moderation.services",
        "community.members.services",
        "ideas.services.comments",
        "ideas.services.limits",
        "ideas.triage.views",
        "search.api",
    ],
)
def test_a_module_imports_when_it_is_the_first_one_loaded(module):
    code = f"import django; django.setup(set_prefix=False); import {module}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "community.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
