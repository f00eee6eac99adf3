"""The core stays pure: no screen, clock, disk writes, randomness or shell imports."""

import ast
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "simulator" / "core"
FORBIDDEN_IN_CORE = {"pygame", "time", "datetime", "random", "sqlite3", "socket", "subprocess", "jinja2",
                     "platformdirs", "simulator.cli", "simulator.tui", "simulator.storage", "simulator.window"}


def module_name(path: Path, root: Path = ROOT) -> str:
    """'simulator/core/loading/reader.py' → 'simulator.core.loading.reader' (a package is its __init__)."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, root: Path = ROOT) -> set[str]:
    """Every module ``path`` (a file under ``root``) imports, relative imports resolved to absolute names."""
    tree = ast.parse(path.read_text("utf-8"))
    package = module_name(path, root).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            if not node.module:  # `from .. import storage` imports the module simulator.storage
                found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def forbidden(module: str) -> bool:
    """Whether the core may not import ``module``: a banned module or anything inside one."""
    return any(module == banned or module.startswith(banned + ".") for banned in FORBIDDEN_IN_CORE)


def core_files() -> list[Path]:
    """Every module of the core, in every sub-package (simulator/core/loading/ and any later one)."""
    return sorted(CORE.rglob("*.py"))


def test_the_core_imports_nothing_that_touches_the_outside_world():
    for path in core_files():
        bad = {m for m in imported_modules(path) if forbidden(m)}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_the_purity_check_reads_the_core_sub_packages():
    assert CORE / "loading" / "reader.py" in core_files()


def test_relative_imports_are_resolved_to_the_module_they_name():
    assert "simulator.core.model" in imported_modules(CORE / "loading" / "reader.py")


def test_a_relative_import_of_the_shell_from_a_sub_package_is_caught(tmp_path):
    # The shape a banned import would take deep in the core: `from ... import storage` in core/loading/.
    (tmp_path / "simulator" / "core" / "loading").mkdir(parents=True)
    sneaky = tmp_path / "simulator" / "core" / "loading" / "sneaky.py"
    sneaky.write_text("from ... import storage\nfrom ...tui import TerminalPlayer\n", "utf-8")
    assert {m for m in imported_modules(sneaky, tmp_path) if forbidden(m)} == {"simulator.storage", "simulator.tui"}


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
