"""``opsfirst check`` on a tiny fake assignment, independent of the course's real ones.

The fake course (``fake_root``, with its ``nbgrader_config.py``) has one release, ``exercises/01-fake/01-fake.ipynb``, with
two autograded questions (``agents``: 4242 calls over 3 per agent, right answer 1414; ``share``:
3 of 8, right answer 0.375), one written answer, and a ``solutions/01-fake/mistakes.py`` but no
source notebook: a cohort's server, where only the visible checks can run. A second fake course
(``hidden_root``) holds the source too, as a self-study learner's clone does: its visible checks
pin less, and its hidden tests print, warn, raise and assert with messages full of the answer,
so that whatever a hidden test says can be searched for in the report. The command is pointed
at a course with ``OPSFIRST_ROOT`` (or the ``root`` argument). Each learner notebook runs once in
a real kernel (module-scoped fixtures); of the bad inputs, one starts a kernel. The kit's own
assignments, hidden tests included, are checked in test_check_hidden.py.
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

from course_helpers import assert_gives_nothing_away
from opsfirst import cli
from opsfirst.assignments.check import (HIDDEN_NOT_YET, HIDDEN_RAN_NOTE, NOT_ATTEMPTED, NOT_YET,
                                        RIGHT, VISIBLE_ONLY_NOTE, WRITTEN, Question, Report,
                                        add_hidden_tests, check, format_report, hidden_code)
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


def test_without_sources_it_says_once_that_right_means_passes_the_visible_checks(all_right):
    """A cohort's server: solutions/ holds mistakes.py but no source notebook."""
    assert not all_right.hidden
    text = " ".join(format_report(all_right).split())
    assert text.count('"right" here means "passes the visible checks"') == 1
    assert " ".join(VISIBLE_ONLY_NOTE.split()) in text and "hidden tests" in text
    assert " ".join(HIDDEN_RAN_NOTE.split()) not in text


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
    assert "--strict" in done.stdout and "hidden tests" in done.stdout


# --------------------------------------------------------------------------- hidden tests

# The visible checks of the course with sources pin a range only, so that wrong values pass them;
# the hidden tests say everything a hidden test must never get to say to a learner.
H_AGENTS_VISIBLE = '''"""Check that agents is the calls over the calls one agent takes."""
expect_whole_number(agents, "agents", example="7")
assert agents != calls * 3, "agents multiplies the calls: divide them by the calls one agent takes."
assert 1000 <= agents <= 2000, "agents is out of range: divide the calls by the calls one agent takes."'''
H_AGENTS_HIDDEN = '''_secret_expected_agents = calls // 3
print("hidden: expected", _secret_expected_agents)
assert agents != 1500, "agents rounds the calls per agent to whole hundreds (hidden 1414)"
assert agents != _secret_expected_agents - 1, "agents is one short of 1414"
assert agents == _secret_expected_agents, f"agents is {agents}, expected {_secret_expected_agents}"'''
H_SHARE_VISIBLE = '''"""Check that share is the answered calls over the calls offered."""
expect_number(share, "share", example="0.5")
assert 0 <= share <= 1, "share should be a fraction between 0 and 1."'''
H_SHARE_HIDDEN = '''import sys as _secret_sys
_secret_share = 3 / 8
print("hidden share", _secret_share)
if share == 0.4:
    print("hidden warning: share should be", _secret_share, file=_secret_sys.stderr)
elif share == 0.45:
    _secret_unset_variable
elif share == 0.5:
    raise ValueError(f"hidden error {_secret_share}")
else:
    assert abs(share - _secret_share) < 1e-9, f"share {share} is not {_secret_share}"'''
H_MISTAKES = MISTAKES + '''MISTAKES += [
    # its hint is in a hidden assert's message only: shown in the hint's own words
    Mistake(id="rounded", question="agents", code="agents = 1500",
            hint="rounds the calls per agent to whole hundreds"),
    # its hint holds a number the release does not show: withheld
    Mistake(id="one_short", question="agents", code="agents = calls // 3 - 1",
            hint="one short of 1414"),
]
'''
HIDDEN_SAYS = ["_secret", "hidden:", "hidden share", "hidden warning", "hidden error", "hidden 1414",
               "one short", "expected", "is not", "Traceback", "ValueError", "NameError",
               "AssertionError", "stderr"]


def hidden_notebooks():
    """(release, source) of the course with sources: the source's test cells hold hidden tests."""
    release, source = release_notebook(), release_notebook()
    tests = {"agents_tests": (H_AGENTS_VISIBLE, H_AGENTS_HIDDEN),
             "share_tests": (H_SHARE_VISIBLE, H_SHARE_HIDDEN)}
    for rcell, scell in zip(release.cells, source.cells):
        gid = rcell.metadata["nbgrader"]["grade_id"]
        if gid in tests:
            visible, hidden = tests[gid]
            rcell.source = visible
            scell.source = f"{visible}\n### BEGIN HIDDEN TESTS\n{hidden}\n### END HIDDEN TESTS"
    return release, source


def hidden_lines():
    return [line.strip() for line in (H_AGENTS_HIDDEN + "\n" + H_SHARE_HIDDEN).splitlines()
            if len(line.strip()) > 4]


@pytest.fixture(scope="module")
def hidden_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("clone")
    release, source = hidden_notebooks()
    for folder, nb in (("exercises", release), ("solutions", source)):
        (root / folder / "01-fake").mkdir(parents=True)
        nbformat.write(nb, root / folder / "01-fake" / "01-fake.ipynb")
    (root / "solutions" / "01-fake" / "mistakes.py").write_text(H_MISTAKES)
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.CourseDirectory.source_directory = 'solutions'\n"
        "c.CourseDirectory.release_directory = 'exercises'\n")
    return root


def hidden_learner(folder: Path, answers: dict[str, str]) -> Path:
    release, _ = hidden_notebooks()
    for cell in release.cells:
        gid = cell.metadata["nbgrader"]["grade_id"]
        if gid in answers:
            cell.source = answers[gid]
    folder.mkdir(exist_ok=True)
    nbformat.write(release, folder / "mine.ipynb")
    return folder / "mine.ipynb"


@pytest.fixture(scope="module")
def hidden_runs(hidden_root, tmp_path_factory):
    """Each learner checked once with `opsfirst check --strict` in the course with sources:
    name -> (exit code, stdout, stderr, notebook unchanged)."""
    learners = {
        "right": {"agents": "agents = calls // 3", "share": "share = 3 / 8",
                  "explain": "Big teams pool their calls."},
        # a known mistake only a hidden test recognises; a hidden test writes to stderr
        "rounded": {"agents": "agents = 1500", "share": "share = 0.4"},
        # a known mistake whose hint would give a number away; a hidden NameError
        "one_short": {"agents": "%xmode Minimal\nagents = calls // 3 - 1", "share": "share = 0.45"},
        # a visible check still teaches; a hidden test raises another error
        "multiplied": {"agents": "agents = calls * 3", "share": "share = 0.5"},
    }
    runs = {}
    for name, answers in learners.items():
        path = hidden_learner(tmp_path_factory.mktemp(f"learner-{name}"), answers)
        before = path.read_bytes()
        runs[name] = (*run_cli("check", "--strict", "--course-root", str(hidden_root), str(path)),
                      path.read_bytes() == before)
    return runs


def verdict_lines(out: str) -> dict[str, str]:
    """question -> its verdict and message, as printed."""
    found, current = {}, None
    for line in out.splitlines():
        words = line.split()
        if line.startswith("  ") and not line.startswith("    ") and words:
            current = words[0]
            found[current] = " ".join(words[1:])
        elif current and line.startswith("    "):
            found[current] += " " + " ".join(words)
        elif not line.strip():
            current = None
    return found


def test_with_sources_the_right_answer_is_right_and_strict_exits_0(hidden_runs):
    code, out, err, unchanged = hidden_runs["right"]
    assert (code, err) == (0, "") and unchanged
    said = verdict_lines(out)
    assert said["agents"] == "right" and said["share"] == "right"
    text = " ".join(out.split())
    assert " ".join(HIDDEN_RAN_NOTE.split()) in text
    assert "passes the visible checks\"" not in text  # not the note of a course without sources
    assert_gives_nothing_away(out, [1414, 0.375], HIDDEN_SAYS + hidden_lines())


def test_a_wrong_value_that_passes_the_visible_checks_is_not_right(hidden_runs):
    code, out, err, _ = hidden_runs["one_short"]
    assert code == 1 and err == ""
    said = verdict_lines(out)
    assert said["agents"].startswith("not yet") and said["share"].startswith("not yet")
    # the hint of `one_short` holds 1414, which the release does not show: withheld
    assert said["agents"] == "not yet - " + " ".join(HIDDEN_NOT_YET.split())
    assert said["share"] == "not yet - " + " ".join(HIDDEN_NOT_YET.split())
    assert "0 of 2 questions right, 2 not yet" in out


def test_a_known_mistake_recognised_by_a_hidden_test_gets_its_hint(hidden_runs):
    code, out, err, _ = hidden_runs["rounded"]
    assert code == 1 and err == ""
    said = verdict_lines(out)
    assert said["agents"] == ("not yet - a common mistake: rounds the calls per agent to whole "
                              "hundreds.")
    # a hidden test that only writes to stderr fails (nbgrader scores such a cell 0)
    assert said["share"] == "not yet - " + " ".join(HIDDEN_NOT_YET.split())


def test_a_visible_check_still_teaches_when_hidden_tests_run(hidden_runs):
    code, out, err, _ = hidden_runs["multiplied"]
    assert code == 1
    said = verdict_lines(out)
    assert said["agents"].startswith("not yet - a common mistake: agents multiplies the calls")


@pytest.mark.parametrize("learner", ["right", "rounded", "one_short", "multiplied"])
def test_a_hidden_test_never_reaches_the_report(hidden_runs, learner):
    """Not its source, message, numbers, printed values, warnings, errors or variable names."""
    code, out, err, unchanged = hidden_runs[learner]
    assert unchanged, "the learner's notebook must not be written"
    assert_gives_nothing_away(out + err, [1414, 0.375], HIDDEN_SAYS + hidden_lines())


def test_strict_exit_codes(fake_env, tmp_path, mistake):
    """0 without --strict whatever the score; 2 for bad input with or without it (the 1 and the
    0 of --strict: the runs above)."""
    assert mistake[0] == 0  # a wrong answer, no --strict
    code, out, err = run_cli("check", "--strict", str(tmp_path / "nope.ipynb"))
    assert code == 2 and "no such file" in err
    assert cli.build_parser().parse_args(["check", "x.ipynb"]).strict is False


def test_report_all_right_counts_only_the_questions_checked_here(all_right):
    assert all_right.all_right  # the written answer is the coach's: it does not count
    one_wrong = [Question("agents", NOT_YET)] + all_right.questions[1:]
    assert not Report(all_right.assignment, all_right.notebook, one_wrong).all_right
    assert not Report("01-fake", Path("x.ipynb"), [Question("agents", NOT_ATTEMPTED)]).all_right


def test_hidden_code_is_the_hidden_block_or_else_the_whole_cell():
    cell = "expect_number(x, 'x')\n### BEGIN HIDDEN TESTS\n_y = 2\nassert x == _y\n### END HIDDEN TESTS"
    assert hidden_code(cell) == "_y = 2\nassert x == _y"
    inside = "if x:\n    ### BEGIN HIDDEN TESTS\n    assert x == 2\n    ### END HIDDEN TESTS"
    assert hidden_code(inside) == inside  # an indented block alone is not a program
    assert hidden_code("assert x > 0") is None
    assert hidden_code("### BEGIN HIDDEN TESTS\n\n### END HIDDEN TESTS") is None


def test_hidden_tests_go_right_after_their_test_cell_with_no_grade_id():
    release, source = hidden_notebooks()
    ran = restore(release, release)
    added = add_hidden_tests(ran, source)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in ran.cells]
    assert ids[ids.index("agents_tests") + 1] is None and ids[ids.index("share_tests") + 1] is None
    assert set(added) == {"agents_tests", "share_tests"}
    assert added["share_tests"].source == H_SHARE_HIDDEN
    assert len(ran.cells) == len(release.cells) + 2
