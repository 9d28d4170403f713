"""Checks that hold across the whole course: the front door (course/README.md) agrees with the
lessons and assignments it lists, every lesson has its parts, every link resolves, and no
notebook reaches for the network.

The front door's path table is the course's one list of modules, times and points: these tests
read it and compare it with the notebooks, so a new module, a changed point or a re-estimated
time cannot leave it stale.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import nbformat
import pytest

from opsfirst.assignments import notebooks

ROOT = Path(__file__).resolve().parents[2]
COURSE = ROOT / "course"
FRONT_DOOR = COURSE / "README.md"
# The course's modules (../shared/COURSE.md): a lesson and its assignment share the slug.
SLUGS = ["00-welcome", "01-operations-first", "02-staff-an-interval", "03-plan-the-week",
         "04-first-contact-resolution", "05-wysiati", "06-channels", "07-back-to-the-floor"]
NOT_YET = "in preparation"
LESSONS = sorted(p for p in COURSE.glob("[0-9][0-9]-*.ipynb"))
# Markdown documents whose relative links must resolve (besides every notebook's markdown).
DOCUMENTS = [ROOT / "README.md", ROOT / "ARCHITECTURE.md", *sorted(COURSE.glob("*.md")),
             ROOT / "solutions" / "README.md", ROOT / "datasets" / "README.md",
             ROOT / "deploy" / "README.md", ROOT / "benchmarks" / "README.md"]
NOTEBOOKS = sorted([*COURSE.glob("*.ipynb"), *ROOT.glob("solutions/*/*.ipynb"),
                    *ROOT.glob("exercises/*/*.ipynb")])


def _table(text: str, name: str) -> list[list[str]]:
    """The rows of the markdown table between ``<!-- name ... -->`` and ``<!-- end name -->``."""
    match = re.search(rf"<!-- {name}\b.*?-->\n(.*?)<!-- end {name} -->", text, re.S)
    assert match, f"course/README.md has no <!-- {name} --> ... <!-- end {name} --> table"
    lines = [line for line in match.group(1).splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in lines[2:]]  # after the header and its |---| line


def _path_rows() -> dict[str, dict[str, str]]:
    header = ["number", "module", "after", "lesson", "assignment", "points", "assumes"]
    rows = {}
    for cells in _table(FRONT_DOOR.read_text(encoding="utf-8"), "path-table"):
        assert len(cells) == len(header), f"path table row {cells[0]!r}: {len(cells)} columns"
        row = dict(zip(header, cells))
        link = re.fullmatch(r"\[[^\]]+\]\(([^)]+)\.ipynb\)", row["module"])
        if link:
            rows[link.group(1)] = row
        else:  # a module not written yet is named, not linked
            slug = next((s for s in SLUGS if s.startswith(row["number"] + "-")), row["number"])
            assert not (COURSE / f"{slug}.ipynb").exists(), (
                f"path table row {row['number']}: the module cell must link to its lesson")
            rows[slug] = row
    return rows


def _minutes(text: str) -> str:
    """'about 75 minutes' / '30–45 minutes' / '60 to 90 minutes' -> '75' / '30–45' / '60–90'."""
    match = re.search(r"(\d+)(?:\s*(?:–|-|to)\s*(\d+))?\s*min", text)
    assert match, f"no time in minutes in {text!r}"
    return match.group(1) if match.group(2) is None else f"{match.group(1)}–{match.group(2)}"


def _lesson_time(slug: str) -> str:
    top = nbformat.read(COURSE / f"{slug}.ipynb", as_version=4).cells[0].source
    match = re.search(r"\*\*Time needed:\*\*\s*([^\n]*)", top)
    assert match, f"course/{slug}.ipynb: its top cell states no **Time needed:**"
    return _minutes(match.group(1))


def _assignment(slug: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "solutions" / slug / f"{slug}.ipynb", as_version=4)


def _assignment_time(slug: str) -> str:
    for cell in _assignment(slug).cells[:3]:
        match = re.search(r"\*\*Time:\*\*\s*([^\n]*)", cell.source)
        if match:
            return _minutes(match.group(1))
    raise AssertionError(f"solutions/{slug}: its introduction states no **Time:**")


def _points(slug: str) -> tuple[float, float]:
    auto = manual = 0.0
    for cell in _assignment(slug).cells:
        points = notebooks.points(cell)
        if not points:
            continue
        if notebooks.is_marked_by_hand(cell):
            manual += points
        else:
            auto += points
    return auto, manual


def _number(value: float) -> str:
    return f"{value:g}"


def test_the_front_door_lists_every_module_in_order():
    rows = _path_rows()
    assert list(rows) == SLUGS, "course/README.md's path table must list the eight modules in order"
    for slug, row in rows.items():
        assert row["number"] == slug[:2]


@pytest.mark.parametrize("slug", SLUGS)
def test_the_front_door_agrees_with_the_module(slug):
    """Times and points in the path table are the ones the lesson and the assignment state."""
    row = _path_rows()[slug]
    lesson = COURSE / f"{slug}.ipynb"
    source = ROOT / "solutions" / slug / f"{slug}.ipynb"
    if not lesson.exists() or not source.exists():
        assert not lesson.exists() and not source.exists(), (
            f"{slug}: the lesson and the assignment arrive together")
        assert row["lesson"] == row["assignment"] == row["points"] == NOT_YET, (
            f"{slug} is not written yet: its row must say {NOT_YET!r}, not promise times or points")
        return
    assert row["lesson"] == f"{_lesson_time(slug)} min", f"{slug}: lesson time"
    assert row["assignment"] == f"{_assignment_time(slug)} min", f"{slug}: assignment time"
    auto, manual = _points(slug)
    assert row["points"] == f"{_number(auto)} + {_number(manual)}", f"{slug}: points"


def test_the_front_door_gives_the_course_total():
    """The sentence under the table adds the points up."""
    text = FRONT_DOOR.read_text(encoding="utf-8")
    built = [slug for slug in SLUGS if (ROOT / "solutions" / slug).is_dir()]
    auto = sum(_points(slug)[0] for slug in built)
    manual = sum(_points(slug)[1] for slug in built)
    expected = (f"{len(built)} assignments, {_number(auto + manual)} points: "
                f"{_number(auto)} autograded and {_number(manual)} marked by hand")
    assert expected in text, f"course/README.md should say: {expected!r}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_has_its_parts(lesson):
    """Questions, objectives, time and what to know first at the top; key points at the end."""
    cells = nbformat.read(lesson, as_version=4).cells
    top = cells[0].source
    for part in ("**Questions**", "**Objectives**", "**Time needed:**", "**What to know first:**"):
        assert part in top, f"{lesson.name}: the top cell has no {part}"
    assert any(c.cell_type == "markdown" and re.search(r"^## Key points", c.source, re.M)
               for c in cells), f"{lesson.name}: no '## Key points' heading"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_ran_in_under_a_minute(lesson):
    """The committed run's own timings (nbclient records them per cell) add up to under 60 s.

    This reads the run that produced the committed outputs, not a timing taken now: a busy
    test machine cannot make it flaky, and nbval re-runs every lesson anyway.
    """
    total = 0.0
    for cell in nbformat.read(lesson, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        timing = cell.metadata.get("execution", {})
        assert {"iopub.execute_input", "shell.execute_reply"} <= set(timing), (
            f"{lesson.name}: a code cell has no recorded timing; run the lesson with "
            f"jupyter nbconvert --to notebook --execute --inplace {lesson.relative_to(ROOT)}")
        start = datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
        end = datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
        total += (end - start).total_seconds()
    assert total < 60, f"{lesson.name}: its cells took {total:.0f} s in the committed run"


_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def _links(path: Path):
    if path.suffix == ".ipynb":
        texts = [c.source for c in nbformat.read(path, as_version=4).cells
                 if c.cell_type == "markdown"]
    else:
        texts = [path.read_text(encoding="utf-8")]
    for text in texts:
        text = re.sub(r"```.*?```", "", text, flags=re.S)  # code blocks hold no links
        for target in _LINK.findall(text):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue  # a web address or a heading on the same page
            yield target


@pytest.mark.parametrize("document", [*DOCUMENTS, *LESSONS], ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_resolves(document):
    missing = []
    for target in _links(document):
        file = target.split("#")[0]
        if file and not (document.parent / file).exists():
            missing.append(target)
    assert not missing, f"{document.relative_to(ROOT)} links to files that do not exist: {missing}"


_NETWORK = re.compile(r"\b(?:requests|urllib|http\.client|socket|httpx|urlopen)\b|https?://")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_notebook_reaches_for_the_network(notebook):
    """Offline: no code cell names a web address or a network library (the data ships)."""
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type == "code":
            assert not _NETWORK.search(cell.source), (
                f"{notebook.relative_to(ROOT)}: a code cell reaches for the network:\n{cell.source}")
