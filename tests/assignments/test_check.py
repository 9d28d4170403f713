"""``opsfirst check`` on a tiny fake assignment, independent of the course's real ones.

The fake course (``fake_root``, with its ``nbgrader_config.py``) has one release, ``exercises/01-fake/01-fake.ipynb``, with
two autograded questions (``agents``: 4242 calls over 3 per agent, right answer 1414; ``share``:
3 of 8, right answer 0.375), one written answer, and a ``solutions/01-fake/mistakes.py``. The
command is pointed at it with ``OPSFIRST_ROOT`` (or the ``root`` argument). Each learner notebook
runs once in a real kernel (three module-scoped fixtures); of the bad inputs, one starts a
kernel.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from opsfirst import cli
from opsfirst.assignments.check import NOT_YET, RIGHT, WRITTEN, check, format_report
from opsfirst.assignments.notebooks import restore

ANSWER = "1414"  # the right value of `agents`: never printed
STUB = "# YOUR CODE HERE\nraise NotImplementedError()"

TESTS_AGENTS = '''"""Check that agents is the calls over the calls one agent takes."""
expect_whole_number(agents, "agents", example="7")
assert agents != calls * 3, "agents multiplies the calls: divide them by the calls one agent takes."
assert agents == 1414, "agents is not yet the calls over the calls one agent takes."'''

TESTS_SHARE = '''"""Check that share is the answered calls over the calls offered."""
expect_number(share, "share", example="0.5")
assert 0 <= share <= 1, "share should be a fraction between 0 and 1."
assert abs(share - 0.375) < 1e-9, "share is not yet the answered calls over the calls offered."'''

MISTAKES = '''from opsfirst.grading import Mistake

MISTAKES = [
    Mistake(id="multiplied", question="agents", code="agents = calls * 3",
            hint="multiplies the calls"),
]
'''


def _cell(kind, source, grade_id, *, solution=False, grade=False, locked=False, points=0):
    cell = (nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell)(source)
    cell.metadata["nbgrader"] = {"grade_id": grade_id, "solution": solution, "grade": grade,
                                 "locked": locked, "points": points, "task": False,
                                 "schema_version": 3}
    return cell


def release_notebook():
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [
        _cell("markdown", "# 01 · A fake assignment", "intro", locked=True),
        _cell("code", "from opsfirst.grading import expect_number, expect_whole_number\n"
                      "calls = 4242", "setup", locked=True),
        _cell("markdown", "## 1. Agents: calls over 3 per agent", "agents_prompt", locked=True),
        _cell("code", STUB, "agents", solution=True),
        _cell("code", TESTS_AGENTS, "agents_tests", grade=True, locked=True, points=1),
        _cell("markdown", "## 2. Share answered: 3 of 8 calls", "share_prompt", locked=True),
        _cell("code", STUB, "share", solution=True),
        _cell("code", TESTS_SHARE, "share_tests", grade=True, locked=True, points=1),
        _cell("markdown", "## 3. Explain", "explain_prompt", locked=True),
        _cell("markdown", "YOUR ANSWER HERE", "explain", solution=True, grade=True, points=2),
    ]
    return nb


@pytest.fixture(scope="module")
def fake_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("repo")
    (root / "exercises" / "01-fake").mkdir(parents=True)
    nbformat.write(release_notebook(), root / "exercises" / "01-fake" / "01-fake.ipynb")
    (root / "solutions" / "01-fake").mkdir(parents=True)
    (root / "solutions" / "01-fake" / "mistakes.py").write_text(MISTAKES)
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.CourseDirectory.source_directory = 'solutions'\n"
        "c.CourseDirectory.release_directory = 'exercises'\n")
    return root


def learner(folder: Path, name: str, answers: dict[str, str], *, edit: dict | None = None,
            delete: tuple = ()) -> Path:
    """A learner's copy of the release: ``answers`` fill answer cells, ``edit`` replaces any
    cell's source, ``delete`` removes cells (all by grade_id)."""
    nb = release_notebook()
    changes = {**answers, **(edit or {})}
    for cell in nb.cells:
        gid = cell.metadata["nbgrader"]["grade_id"]
        if gid in changes:
            cell.source = changes[gid]
    nb.cells = [c for c in nb.cells if c.metadata["nbgrader"]["grade_id"] not in delete]
    folder.mkdir(exist_ok=True)
    path = folder / name
    nbformat.write(nb, path)
    return path


def run_cli(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


def statuses(report) -> dict[str, str]:
    return {q.name: q.status for q in report.questions}


# --------------------------------------------------------------------------- one run each

@pytest.fixture(scope="module")
def all_right(fake_root, tmp_path_factory):
    # named like another assignment: the grade_ids decide, not the file name
    path = learner(tmp_path_factory.mktemp("learner"), "02-staff-an-interval.ipynb",
                   {"agents": "agents = calls // 3", "share": "share = 3 / 8",
                    "explain": "Big teams pool their calls."})
    return check(path, root=fake_root)


@pytest.fixture(scope="module")
def mistake(fake_root, tmp_path_factory, monkeypatch_module):
    """A recognised mistake on agents; share and the written answer as released (stubs)."""
    monkeypatch_module.setenv("OPSFIRST_ROOT", str(fake_root))
    path = learner(tmp_path_factory.mktemp("learner"), "mine.ipynb",
                   {"agents": "agents = calls * 3"})
    before = path.read_bytes()
    code, out, err = run_cli("check", str(path))
    return code, out, err, path.read_bytes() == before


@pytest.fixture(scope="module")
def tampered(fake_root, tmp_path_factory):
    """Wrong answers whose test cells the learner emptied (agents) or deleted (share)."""
    path = learner(tmp_path_factory.mktemp("learner"), "mine.ipynb",
                   {"agents": "agents = 7", "share": "share = 2"},
                   edit={"agents_tests": "pass"}, delete=("share_tests",))
    return check(path, root=fake_root)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def test_all_right_reports_every_question_right(all_right):
    assert statuses(all_right) == {"agents": RIGHT, "share": RIGHT, "explain": WRITTEN}
    assert all_right.assignment == "01-fake"
    text = format_report(all_right)
    assert "2 of 2 questions right, 0 not yet, 0 not attempted" in text
    assert "written: your coach reads this" in text
    assert "hidden tests" in text.lower() and "visible checks" in text


def test_recognised_mistake_gives_its_hint_and_not_the_answer(mistake):
    code, out, err, unchanged = mistake
    assert code == 0 and err == ""
    agents_line = next(line for line in out.splitlines() if line.strip().startswith("agents"))
    assert "not yet" in agents_line
    assert "multiplies the calls" in out
    assert ANSWER not in out and "0.375" not in out
    assert unchanged, "the learner's notebook must not be written"


def test_stub_left_as_released_is_not_attempted(mistake):
    code, out, err, unchanged = mistake
    share_line = next(line for line in out.splitlines() if line.strip().startswith("share"))
    assert share_line.split() == ["share", "not", "attempted"]
    assert "not attempted (written answer)" in out
    assert "0 of 2 questions right, 1 not yet, 1 not attempted" in out
    assert "1 answer for your coach to mark, 1 of them not attempted yet." in out


def test_edited_test_cell_cannot_fake_a_pass(tampered):
    agents = next(q for q in tampered.questions if q.name == "agents")
    assert agents.status == NOT_YET
    assert "not yet the calls over the calls one agent takes" in agents.message


def test_deleted_test_cell_is_put_back_and_runs(tampered):
    share = next(q for q in tampered.questions if q.name == "share")
    assert share.status == NOT_YET
    assert share.message == "share should be a fraction between 0 and 1."


def test_deleted_test_cell_goes_back_after_its_answer_cell():
    nb = release_notebook()
    nb.cells = [c for c in nb.cells if c.metadata["nbgrader"]["grade_id"] != "share_tests"]
    nb.cells[1].source = "calls = 1"  # an edited read-only cell is restored too
    ids = [c.metadata["nbgrader"]["grade_id"] for c in restore(nb, release_notebook()).cells]
    assert ids == [c.metadata["nbgrader"]["grade_id"] for c in release_notebook().cells]
    assert restore(nb, release_notebook()).cells[1].source.endswith("calls = 4242")


# --------------------------------------------------------------------------- bad input

@pytest.fixture
def fake_env(fake_root, monkeypatch):
    monkeypatch.setenv("OPSFIRST_ROOT", str(fake_root))
    return fake_root


def assert_one_line_error(result, *words):
    code, out, err = result
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert err.startswith("opsfirst check: ")
    for word in words:
        assert word in err


def test_no_such_file(fake_env, tmp_path):
    assert_one_line_error(run_cli("check", str(tmp_path / "nope.ipynb")), "no such file")


def test_python_file_is_not_a_notebook(fake_env, tmp_path):
    (tmp_path / "answers.py").write_text("agents = 1414\n")
    assert_one_line_error(run_cli("check", str(tmp_path / "answers.py")), "not a Jupyter notebook")


def test_corrupt_notebook(fake_env, tmp_path):
    (tmp_path / "broken.ipynb").write_text('{"cells": [')
    assert_one_line_error(run_cli("check", str(tmp_path / "broken.ipynb")),
                          "not a Jupyter notebook")


def test_notebook_of_no_known_assignment(fake_env, tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("agents = 1")])
    nbformat.write(nb, tmp_path / "01-fake.ipynb")
    assert_one_line_error(run_cli("check", str(tmp_path / "01-fake.ipynb")),
                          "not from any assignment")


def test_kernel_that_does_not_exist(fake_env, tmp_path):
    path = learner(tmp_path, "mine.ipynb", {})
    code, out, err = run_cli("check", "--kernel", "no-such-kernel", str(path))
    assert_one_line_error((code, "", err), "could not start", "no-such-kernel")


def test_kernel_that_dies_on_start(fake_env, tmp_path, monkeypatch):
    spec = tmp_path / "jupyter" / "kernels" / "broken"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-c", "import sys; sys.exit('this kernel is broken')",
                 "{connection_file}"],
        "display_name": "broken", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    path = learner(tmp_path, "mine.ipynb", {})
    code, out, err = run_cli("check", "--kernel", "broken", str(path))
    assert_one_line_error((code, "", err), "could not start")


def test_console_script_help():
    script = Path(sys.executable).with_name("opsfirst")
    for argv in ([], ["check"]):
        done = subprocess.run([script, *argv, "--help"], capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""
        assert "check" in done.stdout
    assert "visible checks" in done.stdout and "NOTEBOOK" in done.stdout
