"""``opsfirst report``: a cohort report for the coach, as one self-contained HTML page.

After a cohort is autograded (``opsfirst grade`` or ``nbgrader autograde``), the report reads,
in the course found as every command finds it (:func:`.course.find_root`) and where that
course's ``nbgrader_config.py`` puts them:

- the gradebook, opened read-only: the report never changes a grade;
- the autograded notebooks (``<autograded>/<student>/<assignment>/<assignment>.ipynb``), for
  the error messages of the test cells;
- the assignment's ``mistakes.py`` beside its source, the typical mistakes and their hints;
- the released notebook, for the questions' titles and to tell an answer left as released.

and writes one HTML page (plots as base64 PNG, CSS inline, nothing fetched from the network)
beside the gradebook, in ``reports/``: the score distribution, each question's pass rate, the
most common mistakes (which hint fired), the written answers still waiting for the coach, and
what to re-teach.

What counts
-----------
- *Autograded questions* are the test cells: graded code cells that are not answer cells.
  A student has *full marks*, *partial* credit or *zero* on each, from ``auto_score``.
- Why a student lost marks is :func:`.notebooks.diagnose`'s verdict, the one the learner's
  ``opsfirst check`` gives too: a known mistake (its ``Mistake.hint`` in the message of a
  visible check), or else by kind: the answer left as released, a check that only the hidden
  tests make, an error in the answer cell, or a visible check's own message.
- A written answer is *waiting* when its cell is worth points, has no manual score and nbgrader
  left it to the coach (no automatic score). An answer left exactly as released already scored
  0 automatically: it is listed as *blank*, not waiting. Task cells worth 0 points are prompts.

No hidden test reaches the page: the messages shown are those of visible checks, and any text
that quotes a line or message of a hidden test is replaced by a plain sentence.
"""

from __future__ import annotations

import base64
import html
import io
import sqlite3
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from . import notebooks as nbm
from .course import Course
from .errors import ReportError

__all__ = ["ReportError", "Cohort", "read_cohort", "render", "write_report", "NOT_ANSWERED",
           "HIDDEN_ONLY", "QUOTES_HIDDEN"]

NOT_ANSWERED = nbm.NOT_ATTEMPTED_KIND
HIDDEN_ONLY = nbm.HIDDEN_ONLY
NO_ERROR = "no error shown (nbgrader gives 0 to a test cell that writes to stderr)"
QUOTES_HIDDEN = "(not shown: this message quotes a hidden test)"


@dataclass
class Question:
    """One autograded question: its test cell and what each student scored on it."""

    test: str  #: grade_id of the test cell, e.g. ``total_calls_tests``
    title: str  #: the prompt's heading, e.g. ``1. Calls offered that day``
    max_score: float
    scores: dict[str, float] = field(default_factory=dict)  #: student -> auto_score

    def count(self, kind: str) -> int:
        """Students with ``full`` marks, ``partial`` credit or ``zero``."""
        return sum(1 for s in self.scores.values() if _kind(s, self.max_score) == kind)

    @property
    def pass_rate(self) -> float:
        """Share of students with full marks, 0 to 1."""
        return self.count("full") / len(self.scores) if self.scores else 0.0


@dataclass
class Fired:
    """A known mistake and the students whose test cell showed its hint."""

    id: str
    hint: str
    test: str
    students: list[str]
    message: str  #: the visible check's message, as one of these students saw it


@dataclass
class Waiting:
    """A written (manually graded) cell worth points, per student: waiting, blank or graded."""

    cell: str
    title: str
    max_score: float
    status: dict[str, str] = field(default_factory=dict)  #: student -> waiting/blank/graded


@dataclass
class Cohort:
    """Everything the page shows, read from the gradebook and the autograded notebooks."""

    assignment: str
    students: list[str]
    questions: list[Question]
    fired: list[Fired]
    other: dict[str, Counter]  #: test grade_id -> Counter of (kind, message) -> students
    other_students: dict[tuple[str, str, str], list[str]]
    written: list[Waiting]
    notes: list[str] = field(default_factory=list)

    @property
    def max_points(self) -> float:
        return sum(q.max_score for q in self.questions)

    def totals(self) -> dict[str, float]:
        """Autograded points per student."""
        return {s: sum(q.scores.get(s, 0.0) for q in self.questions) for s in self.students}


def _kind(score: float, max_score: float) -> str:
    if score >= max_score - 1e-9:
        return "full"
    return "partial" if score > 1e-9 else "zero"


# --------------------------------------------------------------------------- reading

def _read_nb(path: Path):
    try:
        return nbm.read(path)
    except nbm.NotANotebook:  # an unreadable notebook is reported, never fatal
        return None


def _query(db: Path, assignment: str):
    """Rows (student, cell, kind, max_score, cell_type, auto, manual) of the assignment."""
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise ReportError(f"cannot open the gradebook {db}: {error}") from None
    try:
        found = con.execute("SELECT id FROM assignment WHERE name = ?", (assignment,)).fetchone()
        if found is None:
            return None
        rows = con.execute(
            """
            SELECT sa.student_id, bc.name, bc.type,
                   COALESCE(gc.max_score, tc.max_score), COALESCE(gc.cell_type, tc.cell_type),
                   EXISTS (SELECT 1 FROM base_cell s JOIN solution_cells sc ON sc.id = s.id
                           WHERE s.name = bc.name AND s.notebook_id = bc.notebook_id),
                   g.auto_score, g.manual_score
            FROM submitted_assignment sa
            JOIN submitted_notebook sn ON sn.assignment_id = sa.id
            JOIN notebook n ON n.id = sn.notebook_id AND n.name = ?
            JOIN grade g ON g.notebook_id = sn.id
            JOIN base_cell bc ON bc.id = g.cell_id
            LEFT JOIN grade_cells gc ON gc.id = bc.id
            LEFT JOIN task_cells tc ON tc.id = bc.id
            WHERE sa.assignment_id = ?
            ORDER BY sa.student_id
            """, (assignment, found[0])).fetchall()
        students = [r[0] for r in con.execute(
            "SELECT student_id FROM submitted_assignment WHERE assignment_id = ? ORDER BY student_id",
            (found[0],))]
        return students, rows
    except sqlite3.DatabaseError as error:
        raise ReportError(f"cannot read the gradebook {db} ({error}); is it an nbgrader "
                          "gradebook?") from None
    finally:
        con.close()


def read_cohort(assignment: str, course: Course) -> Cohort:
    """Read what the report shows for ``assignment`` in ``course``.

    Raises :class:`ReportError` for an unknown assignment, a missing gradebook or a cohort with
    no graded student.
    """
    known = course.assignments("source")
    if assignment not in known:
        listed = ", ".join(known) if known else f"none in {course.folder('source', '.', 'x').parent}"
        raise ReportError(f"no such assignment: {assignment!r} (the course has: {listed})")
    db = course.db_path
    if db is None:
        raise ReportError(f"the report reads a SQLite gradebook; this course's is {course.db_url}")
    if not db.is_file():
        raise ReportError(f"no gradebook yet at {db}: run `opsfirst grade {assignment} SUBMISSIONS` "
                          f"(or `nbgrader autograde {assignment}`) first")
    queried = _query(db, assignment)
    if queried is None or not queried[0]:
        raise ReportError(f"no graded students for {assignment} in {db}: run `opsfirst grade "
                          f"{assignment} SUBMISSIONS` (or `nbgrader autograde {assignment}`) first")
    students, rows = queried

    release = _read_nb(course.release(assignment))
    titles = nbm.titles(release)
    questions: dict[str, Question] = {}
    written: dict[str, Waiting] = {}
    for student, cell, kind, max_score, cell_type, is_answer, auto, manual in rows:
        max_score = float(max_score or 0)
        if kind == "GradeCell" and cell_type == "code" and not is_answer:
            q = questions.setdefault(cell, Question(cell, titles.get(cell, cell), max_score))
            q.scores[student] = float(auto or 0.0)
        elif max_score > 0 and (kind == "TaskCell" or is_answer):
            w = written.setdefault(cell, Waiting(cell, titles.get(cell, cell), max_score))
            if manual is not None:
                w.status[student] = "graded"
            elif auto is None:
                w.status[student] = "waiting"
            else:  # nbgrader scored it (0) itself: the answer is as released
                w.status[student] = "blank"
    order = [nbm.grade_id(c) for c in release.cells] if release else []
    position = {gid: i for i, gid in enumerate(order)}
    ordered = sorted(questions.values(), key=lambda q: (position.get(q.test, 1e9), q.test))

    cohort = Cohort(assignment, students, ordered, [], defaultdict(Counter), defaultdict(list),
                    sorted(written.values(), key=lambda w: (position.get(w.cell, 1e9), w.cell)))
    _read_messages(cohort, course, release)
    return cohort


def _read_messages(cohort: Cohort, course: Course, release) -> None:
    """Fill ``fired`` and ``other`` from each autograded notebook, question by question, with
    :func:`.notebooks.diagnose`."""
    mistakes = course.mistakes(cohort.assignment)
    stubs = {nbm.grade_id(c): c.source for c in (release.cells if release else [])
             if nbm.is_answer(c)}
    timeout = course.config.Execute.get("timeout", 60) if "Execute" in course.config else 60
    names = nbm.answer_names(release)
    fired: dict[str, Fired] = {}
    hidden_sources: list[str] = []
    by_test = {q.test: q for q in cohort.questions}
    for student in cohort.students:
        path = course.folder("autograded", student, cohort.assignment) / f"{cohort.assignment}.ipynb"
        nb = _read_nb(path) if path.is_file() else None
        if nb is None:
            cohort.notes.append(f"The autograded notebook of {student} is missing or unreadable, "
                                "so their mistakes are not counted below.")
            continue
        owner = nbm.owners(nb)
        cells = {nbm.grade_id(c): c for c in nb.cells if nbm.grade_id(c)}
        for test, q in by_test.items():
            cell = cells.get(test)
            if cell is None:
                continue
            hidden_sources.append(cell.source)
            if _kind(q.scores.get(student, 0.0), q.max_score) == "full":
                continue
            question = owner.get(test)
            verdict = nbm.diagnose(question, cells.get(question), [cell],
                                   stub=stubs.get(question), mistakes=mistakes, timeout=timeout,
                                   who="the answer cell", names=names)
            if verdict.mistake is not None:
                m = verdict.mistake
                f = fired.setdefault(m.id, Fired(m.id, m.hint, test, [], verdict.detail))
                f.students.append(student)
                continue
            kind, message = verdict.kind, verdict.detail
            if kind in (nbm.PASSED, nbm.WARNING):  # marks lost, yet no error left to show
                kind, message = NO_ERROR, ""
            elif kind == nbm.TEST_ERROR:
                kind = f"the test cell stopped with {verdict.ename}"
            cohort.other[test][(kind, message)] += 1
            cohort.other_students[(test, kind, message)].append(student)
    # Any message that quotes a hidden test is not shown (a hidden assert with a message, or a
    # student's code that prints one).
    def quoted(text: str) -> bool:
        return any(nbm.quotes_hidden(text, source) for source in hidden_sources)

    for f in fired.values():
        if quoted(f.message):
            f.message = QUOTES_HIDDEN
    for test, counter in list(cohort.other.items()):
        for (kind, message), n in list(counter.items()):
            if message and quoted(message):
                del counter[(kind, message)]
                students = cohort.other_students.pop((test, kind, message))
                counter[(kind, QUOTES_HIDDEN)] += n
                cohort.other_students[(test, kind, QUOTES_HIDDEN)] += students
    order = {m.id: i for i, m in enumerate(mistakes)}
    cohort.fired = sorted(fired.values(), key=lambda f: (-len(f.students), order[f.id]))


# --------------------------------------------------------------------------- plots

def _png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _histogram(cohort: Cohort, title: str) -> str:
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    totals = list(cohort.totals().values())
    top = cohort.max_points
    fig = Figure(figsize=(6.4, 3.0))
    ax = fig.subplots()
    counts = Counter(round(t) for t in totals)
    xs = list(range(0, int(round(top)) + 1))
    ax.bar(xs, [counts.get(x, 0) for x in xs], width=0.8, color="#3b6ea5")
    ax.set_xticks(xs)
    ax.set_xlabel(f"autograded points (of {top:g})")
    ax.set_ylabel("students")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def _pass_bars(cohort: Cohort, title: str) -> str:
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    qs = cohort.questions
    fig = Figure(figsize=(6.4, 0.45 * len(qs) + 1.2))
    ax = fig.subplots()
    labels = [_short(q.title, 40) for q in qs]
    left = [0] * len(qs)
    for kind, colour, label in (("full", "#2e7d32", "full marks"), ("partial", "#f0a500", "partial"),
                                ("zero", "#c62828", "zero")):
        values = [q.count(kind) for q in qs]
        ax.barh(labels, values, left=left, color=colour, label=label)
        left = [a + b for a, b in zip(left, values)]
    ax.invert_yaxis()
    ax.set_xlabel("students")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title, fontsize=10)
    ax.legend(loc="lower right", fontsize=8, frameon=False, ncols=3, bbox_to_anchor=(1, 1.08))
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


# --------------------------------------------------------------------------- page

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2.2rem;border-bottom:1px solid #ddd}
.lede{font-size:1.05rem}.muted{color:#666;font-size:.9rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.92rem}
th,td{border:1px solid #ddd;padding:.3rem .55rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
.waiting{background:#fff4d6}.blank{color:#888}.graded{color:#2e7d32}
img{max-width:100%}blockquote{margin:.3rem 0 .3rem 1rem;color:#444;border-left:3px solid #ccc;padding-left:.6rem}
.reteach li{margin-bottom:.7rem}
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".") if x != int(x) else f"{int(x)}"


def _students(n: int) -> str:
    return f"{n} student" + ("" if n == 1 else "s")


def render(cohort: Cohort, generated: datetime | None = None) -> str:
    """The report page for ``cohort``, as one HTML string."""
    generated = generated or datetime.now()
    n = len(cohort.students)
    totals = cohort.totals()
    values = list(totals.values())
    mean, median, top = statistics.fmean(values), statistics.median(values), cohort.max_points
    full = sum(1 for v in values if v >= top - 1e-9)
    worst = min(cohort.questions, key=lambda q: q.pass_rate) if cohort.questions else None
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>{_e(cohort.assignment)}: cohort report</title><style>{CSS}</style></head><body>"]
    parts.append(f"<h1>{_e(cohort.assignment)}: how the cohort did</h1>")
    parts.append(f"<p class='muted'>{_students(n)} graded · report made {generated:%d %B %Y, %H:%M} "
                 "from the gradebook and the autograded notebooks.</p>")
    lede = (f"{_students(n)} handed in. The autograded part is worth {_num(top)} points: the mean "
            f"score is {mean:.1f} and the median {_num(median)}; {full} of {n} earned every "
            "autograded point.")
    if worst is not None and worst.pass_rate < 1:
        lede += (f" The hardest question was <b>{_e(worst.title)}</b>: "
                 f"{worst.count('full')} of {n} got full marks.")
    parts.append(f"<p class='lede' id='summary' data-students='{n}' data-mean='{mean:.4f}' "
                 f"data-median='{median:g}' data-max='{top:g}'>{lede}</p>")
    for note in cohort.notes:
        parts.append(f"<p class='muted'>{_e(note)}</p>")

    parts += _section_reteach(cohort, n)
    parts += _section_scores(cohort, totals, mean, median, top, full, n)
    parts += _section_questions(cohort, n)
    parts += _section_mistakes(cohort)
    parts += _section_written(cohort)
    parts.append("<p class='muted'>Hidden tests are never shown here: messages come from the visible "
                 "checks that students see too.</p></body></html>")
    return "\n".join(parts)


def _section_scores(cohort, totals, mean, median, top, full, n) -> list[str]:
    title = f"Scores: median {_num(median)} of {_num(top)} autograded points; {full} of {n} got them all"
    rows = "".join(f"<tr data-student='{_e(s)}' data-score='{t:g}'><td>{_e(s)}</td>"
                   f"<td class='n'>{_num(t)}</td></tr>" for s, t in sorted(totals.items(), key=lambda x: (-x[1], x[0])))
    return [f"<h2>{_e(title)}</h2>",
            f"<p>Mean {mean:.1f}, median {_num(median)}, lowest {_num(min(totals.values()))}, "
            f"highest {_num(max(totals.values()))} (of {_num(top)}). Written answers marked by you "
            "are not included.</p>",
            f"<img alt='Histogram of autograded scores' src='data:image/png;base64,"
            f"{_histogram(cohort, f'Median {_num(median)} of {_num(top)} points; {full} of {n} got them all')}'>",
            "<details><summary>Each student's autograded points</summary><table>"
            f"<tr><th>student</th><th>points</th></tr>{rows}</table></details>"]


def _section_questions(cohort, n) -> list[str]:
    if not cohort.questions:
        return ["<h2>No autograded questions</h2>"]
    worst = min(cohort.questions, key=lambda q: q.pass_rate)
    best = max(cohort.questions, key=lambda q: q.pass_rate)
    title = (f"Questions: {worst.title} is the hardest ({_pct(worst.pass_rate)} full marks), "
             f"{best.title} the easiest ({_pct(best.pass_rate)})")
    if worst.pass_rate == best.pass_rate:
        title = f"Questions: every question has {_pct(worst.pass_rate)} full marks"
    rows = []
    for q in cohort.questions:
        rows.append(f"<tr data-question='{_e(q.test)}' data-full='{q.count('full')}' "
                    f"data-partial='{q.count('partial')}' data-zero='{q.count('zero')}'>"
                    f"<td>{_e(q.title)}</td><td class='n'>{_num(q.max_score)}</td>"
                    f"<td class='n'>{q.count('full')}</td><td class='n'>{q.count('partial')}</td>"
                    f"<td class='n'>{q.count('zero')}</td><td class='n'>{_pct(q.pass_rate)}</td></tr>")
    plot_title = f"Fewest full marks: {_short(worst.title, 40)} ({worst.count('full')} of {n})"
    return [f"<h2>{_e(title)}</h2>",
            "<p>Pass rate is the share of students with full marks on the question's autograded "
            "tests (visible and hidden).</p>",
            "<table><tr><th>question</th><th>points</th><th>full marks</th><th>partial</th>"
            f"<th>zero</th><th>pass rate</th></tr>{''.join(rows)}</table>",
            f"<img alt='Pass rate per question' src='data:image/png;base64,"
            f"{_pass_bars(cohort, plot_title)}'>"]


def _section_mistakes(cohort) -> list[str]:
    titles = {q.test: q.title for q in cohort.questions}
    if cohort.fired:
        top = cohort.fired[0]
        title = (f"Mistakes: the most common is “{top.hint}” on {titles.get(top.test, top.test)} "
                 f"({_students(len(top.students))})")
    else:
        title = "Mistakes: no known mistake showed up"
    out = [f"<h2>{_e(title)}</h2>",
           "<p>Each known mistake has a hint in the question's visible checks; a student counts "
           "when their test cell showed it.</p>"]
    if cohort.fired:
        rows = "".join(
            f"<tr data-mistake='{_e(f.id)}' data-students='{len(f.students)}'>"
            f"<td>{_e(titles.get(f.test, f.test))}</td><td>{_e(f.message)}</td>"
            f"<td class='n'>{len(f.students)}</td><td>{_e(', '.join(f.students))}</td></tr>"
            for f in cohort.fired)
        out.append("<table><tr><th>question</th><th>what the check told them</th><th>students</th>"
                   f"<th>who</th></tr>{rows}</table>")
    other_rows = []
    for q in cohort.questions:
        for (kind, message), count in cohort.other.get(q.test, Counter()).most_common():
            who = cohort.other_students[(q.test, kind, message)]
            said = f"<blockquote>{_e(message)}</blockquote>" if message else ""
            other_rows.append(f"<tr data-other='{_e(q.test)}' data-students='{count}'>"
                              f"<td>{_e(q.title)}</td><td>{_e(kind)}{said}</td><td class='n'>{count}</td>"
                              f"<td>{_e(', '.join(who))}</td></tr>")
    if other_rows:
        out.append("<h3>Other failures (no known hint)</h3><table><tr><th>question</th><th>what "
                   f"happened</th><th>students</th><th>who</th></tr>{''.join(other_rows)}</table>")
    return out


def _section_written(cohort) -> list[str]:
    if not cohort.written:
        return ["<h2>Written answers: none in this assignment</h2>"]
    waiting = sum(1 for w in cohort.written for s in w.status.values() if s == "waiting")
    blank = sum(1 for w in cohort.written for s in w.status.values() if s == "blank")
    title = (f"Written answers: {waiting} waiting for you" if waiting
             else "Written answers: all marked")
    head = "".join(f"<th>{_e(w.title)} ({_num(w.max_score)} pt)</th>" for w in cohort.written)
    rows = []
    label = {"waiting": "waiting", "blank": "blank (0)", "graded": "marked"}
    for student in cohort.students:
        cells = "".join(
            f"<td class='{w.status.get(student, 'blank')}' data-cell='{_e(w.cell)}' "
            f"data-status='{w.status.get(student, 'none')}'>{label.get(w.status.get(student), '—')}</td>"
            for w in cohort.written)
        rows.append(f"<tr data-student='{_e(student)}'><td>{_e(student)}</td>{cells}</tr>")
    return [f"<h2 id='written' data-waiting='{waiting}' data-blank='{blank}'>{_e(title)}</h2>",
            f"<p>{waiting} answer{'s' if waiting != 1 else ''} still need{'s' if waiting == 1 else ''} "
            "your marks: open the Formgrader in JupyterLab (menu Nbgrader → Formgrader), where the "
            "mark scheme is shown next to each answer. "
            + (f"{blank} left blank (as released) already scored 0 automatically: nothing to read."
               if blank else "") + "</p>",
            f"<table><tr><th>student</th>{head}</tr>{''.join(rows)}</table>"]


def _section_reteach(cohort, n) -> list[str]:
    titles = {q.test: q.title for q in cohort.questions}
    weak = sorted((q for q in cohort.questions if q.pass_rate < 1), key=lambda q: q.pass_rate)[:3]
    if not weak:
        return ["<h2>What to re-teach: nothing stands out, every student got every autograded question</h2>"]
    items = []
    for q in weak:
        text = (f"<b>{_e(q.title)}</b>: {q.count('full')} of {n} got full marks"
                f" ({_pct(q.pass_rate)}).")
        mistakes = [f for f in cohort.fired if f.test == q.test][:2]
        for i, f in enumerate(mistakes):
            text += (f" {'The most common mistake' if i == 0 else 'Next'} ({_students(len(f.students))}: "
                     f"{_e(', '.join(f.students))}); their check told them:"
                     f"<blockquote>{_e(f.message)}</blockquote>")
        other = cohort.other.get(q.test, Counter())
        unanswered = sum(c for (k, _), c in other.items() if k == NOT_ANSWERED)
        hidden = sum(c for (k, _), c in other.items() if k == HIDDEN_ONLY)
        if hidden:
            text += (f" {_students(hidden)} passed the visible checks but not the hidden ones: "
                     "their answer looks right but is not; go through the method again.")
        if unanswered:
            text += f" {_students(unanswered)} did not answer it."
        items.append(f"<li>{text}</li>")
    names = ", ".join(titles[q.test] for q in weak)
    return [f"<h2>{_e('What to re-teach: ' + names)}</h2>",
            "<p>The questions with the lowest pass rates, and what went wrong most often.</p>",
            f"<ul class='reteach'>{''.join(items)}</ul>"]


def write_report(assignment: str, root: str | Path | None = None,
                 output: str | Path | None = None) -> Path:
    """Read the cohort, write the page and return its path.

    ``root``: the course (default: found from the current folder, :func:`.course.find_root`);
    ``output`` defaults to ``reports/<assignment>-report.html`` beside the course's gradebook.
    """
    course = Course.load(root)
    cohort = read_cohort(assignment, course)
    page = render(cohort)
    path = Path(output) if output else course.report_path(assignment)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page, encoding="utf-8")
    except OSError as error:
        raise ReportError(f"cannot write the report to {path}: {error.strerror or error}") from None
    return path
