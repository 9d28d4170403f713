"""Check the course set-up that `make lab` and `make release` run (opsfirst._course)."""

from __future__ import annotations

import shutil

import pytest

from opsfirst import _course


@pytest.fixture
def fresh_clone(tmp_path, monkeypatch):
    """A course folder as a fresh clone has it: sources, release, config, no gradebook yet."""
    for folder in ("solutions", "exercises"):
        shutil.copytree(_course.ROOT / folder, tmp_path / folder)
    shutil.copy(_course.ROOT / "nbgrader_config.py", tmp_path)
    monkeypatch.setattr(_course, "ROOT", tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.slow
def test_exchange_on_a_fresh_clone_leaves_a_gradebook_ready_to_autograde(fresh_clone):
    """Check that after `make lab`'s exchange step every assignment can be autograded.

    nbgrader autograde needs the gradebook to know each notebook and its graded cells, which
    only generate_assignment records; exercises/ itself must not change.
    """
    from nbgrader.api import Gradebook

    before = {p: p.read_bytes() for p in (fresh_clone / "exercises").rglob("*.ipynb")}
    _course.exchange()
    with Gradebook(f"sqlite:///{fresh_clone / '.nbgrader' / 'gradebook.db'}") as gradebook:
        for name in _course.assignments("exercises"):
            assignment = gradebook.find_assignment(name)
            assert [nb.name for nb in assignment.notebooks] == [name]
            assert assignment.max_score > 0
    outbound = fresh_clone / ".nbgrader" / "exchange" / "opsfirst" / "outbound"
    assert sorted(p.name for p in outbound.iterdir()) == _course.assignments("exercises")
    assert {p: p.read_bytes() for p in (fresh_clone / "exercises").rglob("*.ipynb")} == before
