"""The wheel on its own: built, installed alone (with the locked dependencies) into a new
virtualenv outside the source tree, it lists, plays and renders Chinese with its own data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = "mobile-cancel-after-bill-shock"


def _run(args: list[str], cwd: Path, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, dict]:
    """(the venv's bin folder, an environment for it), the wheel installed there alone."""
    work = tmp_path_factory.mktemp("wheel")
    probe = _run([sys.executable, "-c", "import venv, ensurepip, pip"], work)
    if probe.returncode != 0:
        pytest.skip(f"venv, ensurepip or pip is unavailable to {sys.executable}: {probe.stderr.strip()[-200:]}")
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                  "-w", str(work / "dist"), str(ROOT)], work)
    assert built.returncode == 0, built.stderr
    [wheel] = sorted((work / "dist").glob("retention_sim-*.whl"))
    made = _run([sys.executable, "-m", "venv", str(work / "venv")], work)
    assert made.returncode == 0, made.stderr
    bin_dir = work / "venv" / "bin"
    deps = _run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "--require-hashes", "--no-deps",
                 "-r", str(ROOT / "requirements.lock")], work)
    assert deps.returncode == 0, deps.stderr
    own = _run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], work)
    assert own.returncode == 0, own.stderr
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "RETENTION_SIM_FONT")}
    env.update(RETENTION_SIM_DATA=str(work / "data"), SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy",
               PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}")
    return bin_dir, env


def test_the_installed_package_is_not_the_source_tree(installed):
    bin_dir, env = installed
    where = _run([str(bin_dir / "python"), "-c", "import simulator; print(simulator.__file__)"], bin_dir, env)
    assert where.returncode == 0, where.stderr
    assert "site-packages" in where.stdout and str(ROOT) not in where.stdout


def test_the_installed_wheel_lists_every_shipped_scenario(installed):
    bin_dir, env = installed
    listed = _run([str(bin_dir / "retention-sim"), "list", "--format", "json"], bin_dir, env)
    assert listed.returncode == 0, listed.stderr
    ids = {entry["id"] for entry in json.loads(listed.stdout)}
    assert ids == {p.stem for p in sorted((ROOT / "simulator" / "library").glob("*.yaml"))}


def test_the_installed_wheel_plays_a_call_to_the_end(installed):
    bin_dir, env = installed
    played = _run([str(bin_dir / "retention-sim"), "play", SCENARIO, "--tui", "--auto", "best"], bin_dir, env)
    assert played.returncode == 0, played.stderr
    assert "Score: " in played.stdout


def test_the_installed_wheel_renders_chinese_with_its_bundled_font(installed, tmp_path):
    bin_dir, env = installed
    shot = tmp_path / "zh.png"
    made = _run([str(bin_dir / "retention-sim"), "screenshot", SCENARIO, "--lang", "zh", "--size", "1280x800",
                 "-o", str(shot)], bin_dir, env)
    assert made.returncode == 0, made.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # The screenshot shows glyphs, not boxes, when the font the wheel carries covers every
    # character of the Chinese text on screen: check that font, as installed.
    check = _run([str(bin_dir / "python"), "-c", _COVERAGE, SCENARIO], bin_dir, env)
    assert check.returncode == 0, check.stderr
    missing = json.loads(check.stdout)
    assert missing == [], f"the bundled font cannot draw {missing}"


_COVERAGE = """
import json, sys
from importlib import resources
import yaml
from fontTools.ttLib import TTFont
fonts = resources.files("simulator").joinpath("fonts")
font = next(f for f in fonts.iterdir() if f.name.endswith("Regular-subset.otf"))
with resources.as_file(font) as path:
    cmap = TTFont(str(path), lazy=True).getBestCmap()
text = resources.files("simulator").joinpath(f"library/{sys.argv[1]}.yaml").read_text("utf-8")
def chinese(node):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from ([v] if k == "zh" and isinstance(v, str) else chinese(v))
    elif isinstance(node, list):
        for v in node:
            yield from chinese(v)
wanted = {c for s in chinese(yaml.safe_load(text)) for c in s if ord(c) > 0x2E7F}
print(json.dumps(sorted(c for c in wanted if ord(c) not in cmap), ensure_ascii=False))
"""

