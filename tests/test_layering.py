"""The core stays pure: no screen, clock, disk writes, randomness or shell imports."""

import ast
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "simulator" / "core"
FORBIDDEN_IN_CORE = {"pygame", "time", "datetime", "random", "sqlite3", "socket", "subprocess", "jinja2",
                     "platformdirs", "simulator.cli", "simulator.tui", "simulator.storage", "simulator.window"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def test_the_core_imports_nothing_that_touches_the_outside_world():
    for path in CORE.glob("*.py"):
        bad = {m for m in imported_modules(path) if m.split(".")[0] in FORBIDDEN_IN_CORE or m in FORBIDDEN_IN_CORE}
        assert not bad, f"{path.name} imports {bad}"


def test_only_the_window_package_imports_pygame():
    for path in (ROOT / "simulator").rglob("*.py"):
        if "window" in path.relative_to(ROOT / "simulator").parts:
            continue
        assert not {m for m in imported_modules(path) if m.split(".")[0] == "pygame"}, path


def test_the_import_linter_contracts_hold():
    lint = shutil.which("lint-imports") or str(Path(__import__("sys").executable).parent / "lint-imports")
    done = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 kept, 0 broken" in done.stdout
