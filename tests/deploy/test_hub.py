"""A cohort on JupyterHub, end to end: deploy/hub as a coach and learners use it.

Needs Linux and root (it makes system users and runs the hub as root, as a course server does);
elsewhere every test skips and says so. The kit is installed once for the module into a fresh
prefix under /tmp with Debian's Python (~35 s), exactly as ``make hub`` installs it.

The flow (one hub, a coach, three learners and one user outside the course): the coach releases
the assignments (as ``make hub`` does), the learners' servers start, they fetch 00-welcome over
their servers' nbgrader API, two complete it — one right, one with a typical mistake — and
submit, one submits nothing; the coach collects; root grades with ``opsfirst grade`` (sandboxed
kernels); the coach releases feedback; the learners fetch it. Then: the grades, the feedback
(no hidden test), the outsider (no files, whatever the status code), and what one learner can
read of another's or the coach's files.

Every user and process the test made is removed afterwards; the hub's log is copied to
tests/artefacts/hub/.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from course_helpers import HIDDEN, fill, mistakes_of, page_text

REPO = Path(__file__).resolve().parents[2]
HUB_INSTALLER = REPO / "deploy" / "hub" / "hub.py"
_spec = importlib.util.spec_from_file_location("opsfirst_hub_installer", HUB_INSTALLER)
_hub = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_hub)
ARTEFACTS = REPO / "tests" / "artefacts" / "hub"
COURSE = _hub.COURSE
WELCOME = "00-welcome"
REASON = _hub.cannot_host() if sys.platform.startswith("linux") else "the hub needs Linux"
pytestmark = pytest.mark.slow  # the install alone takes ~40 s


def test_ci_can_host_the_hub():
    """Check that on Linux as root (CI) nothing the hub needs is missing, so the tests below
    cannot skip there unnoticed."""
    if not (sys.platform.startswith("linux") and os.geteuid() == 0):
        pytest.skip(f"HUB NOT TESTED HERE: {REASON}")
    assert REASON == ""


# --------------------------------------------------------------------------- helpers

def source(assignment: str = WELCOME):
    return nbformat.read(REPO / "solutions" / assignment / f"{assignment}.ipynb", 4)


def hidden_test_lines(assignment: str = WELCOME) -> list[str]:
    lines = [line.strip() for cell in source(assignment).cells for block in HIDDEN.findall(cell.source)
             for line in block.splitlines() if len(line.strip()) > 12]
    assert lines, "the assignment has hidden tests"
    return lines


def typical_mistake(assignment: str = WELCOME):
    """The first typical mistake that has a hint (from the assignment's mistakes.py)."""
    return next(m for m in mistakes_of(assignment) if m.hint)


def learner_work(hub: _hub.Hub, user: str, replace: dict[str, str] | None) -> None:
    """Fetch 00-welcome on ``user``'s server; unless ``replace`` is None, answer it (the
    solution, with ``replace[question]`` instead) and submit."""
    params = {"course_id": COURSE, "assignment_id": WELCOME}
    r = hub.as_user(user, "POST", "assignments/fetch", params=params)
    assert r.status_code == 200 and r.json()["success"], r.text
    if replace is None:
        return
    path = f"api/contents/{COURSE}/{WELCOME}/{WELCOME}.ipynb"
    model = hub.as_user(user, "GET", path).json()
    assert model["type"] == "notebook", model
    done = fill(nbformat.from_dict(model["content"]), source(), replace)
    r = hub.as_user(user, "PUT", path, json={"type": "notebook", "format": "json", "content": done})
    assert r.status_code == 200, r.text
    r = hub.as_user(user, "POST", "assignments/submit", params=params)
    assert r.status_code == 200 and r.json()["success"] is not False, r.text


def can_read(user: str, path: Path) -> bool:
    """Can the system user ``user`` read (or list) ``path``? Asked as that user, not guessed."""
    import pwd

    pw = pwd.getpwnam(user)
    test = ["test", "-r", str(path)] if not path.is_dir() else ["ls", str(path)]
    done = subprocess.run(["setpriv", f"--reuid={pw.pw_uid}", f"--regid={pw.pw_gid}", "--init-groups",
                           "--", *test], capture_output=True)
    return done.returncode == 0


class Memory:
    """Peak memory in use on the machine while running (MemTotal - MemAvailable), sampled."""

    def __init__(self):
        self.base = self.peak = self.used()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    @staticmethod
    def used() -> int:
        info = dict(line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines())
        return (int(info["MemTotal"].split()[0]) - int(info["MemAvailable"].split()[0])) * 1024

    def _watch(self):
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, self.used())

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def rss_of(users) -> int:
    """Resident memory of every process the given users run, in bytes."""
    import pwd

    uids = {pwd.getpwnam(u).pw_uid for u in users}
    total = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid in uids:
                    fields = Path(entry.path, "statm").read_text().split()
                    total += int(fields[1]) * os.sysconf("SC_PAGE_SIZE")
            except (FileNotFoundError, ProcessLookupError, PermissionError):
                continue
    return total


def grade(prefix: Path, course: Path, assignment: str = WELCOME) -> dict:
    """``opsfirst grade`` over what the coach collected, as root (so kernels are sandboxed), with
    the hub's own installation — the command deploy/README.md gives the coach's administrator."""
    done = subprocess.run([prefix / "venv" / "bin" / "opsfirst", "grade", assignment,
                           str(course / ".nbgrader" / "submitted"), "--course-root", str(course)],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    with open(course / ".nbgrader" / f"grades-{assignment}.csv") as f:
        return {"rows": {r["student"]: r for r in csv.DictReader(f)}, "output": done.stdout + done.stderr}


# --------------------------------------------------------------------------- the hub

@pytest.fixture(scope="module")
def prefix():
    """The kit installed for every user, as `make hub` installs it, in a fresh folder."""
    if REASON:
        pytest.skip(f"HUB NOT TESTED HERE: {REASON}")
    path = Path(tempfile.mkdtemp(prefix="opsfirst-hub-", dir="/tmp"))
    started = time.perf_counter()
    try:
        _hub.install(path, log=lambda line: None)
        print(f"\nhub install: {time.perf_counter() - started:.0f} s")
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def cohort(prefix):
    """Users made for this run (random suffix), removed afterwards with all their processes."""
    tag = secrets.token_hex(2)
    names = {"coach": f"hc{tag}", "right": f"hl{tag}a", "wrong": f"hl{tag}b", "idle": f"hl{tag}c",
             "outsider": f"hx{tag}"}
    try:
        for name in names.values():
            _hub.add_user(name)
        yield names
    finally:
        for name in names.values():
            _hub.remove_user(name)


def login(url: str, user: str, password: str) -> bool:
    """Log in through the hub's login page as a person would; True if the hub let them in."""
    import requests

    with requests.Session() as browser:
        page = browser.get(f"{url}/hub/login", timeout=30)
        xsrf = browser.cookies.get("_xsrf") or re.search(r'name="_xsrf" value="([^"]+)"', page.text).group(1)
        r = browser.post(f"{url}/hub/login", data={"username": user, "password": password, "_xsrf": xsrf},
                         allow_redirects=False, timeout=30)
        return r.status_code == 302 and "jupyterhub-hub-login" in browser.cookies


def keep_log(hub: _hub.Hub, name: str) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    if hub.log_path.exists():
        shutil.copy(hub.log_path, ARTEFACTS / f"{name}.log")


@pytest.fixture(scope="module")
def flow(prefix, cohort):
    """The whole cohort flow, timed; what the tests below check."""
    n = cohort
    times, started = {}, time.perf_counter()
    course = _hub.setup_coach(prefix, n["coach"], log=lambda line: None)
    times["coach releases"] = time.perf_counter() - started
    hub = _hub.Hub(prefix, [n["coach"]], [n["right"], n["wrong"], n["idle"]], [n["outsider"]])
    try:
        t = time.perf_counter()
        hub.start()
        times["hub starts"] = time.perf_counter() - t
        t = time.perf_counter()
        servers = [n["right"], n["wrong"], n["idle"], n["outsider"], n["coach"]]
        for user in servers:
            hub.spawn(user)
        for user in servers:
            hub.wait_ready(user)
        times["5 servers start"] = time.perf_counter() - t

        t = time.perf_counter()
        mistake = typical_mistake()
        outsider = {"list": hub.as_user(n["outsider"], "GET", "assignments", params={"course_id": COURSE}),
                    "fetch": hub.as_user(n["outsider"], "POST", "assignments/fetch",
                                         params={"course_id": COURSE, "assignment_id": WELCOME}),
                    "courses": hub.as_user(n["outsider"], "GET", "courses")}
        with ThreadPoolExecutor(3) as pool:
            list(pool.map(lambda args: learner_work(hub, *args),
                          [(n["right"], {}), (n["wrong"], {mistake.question: mistake.code}),
                           (n["idle"], None)]))
        times["fetch, work, submit"] = time.perf_counter() - t

        t = time.perf_counter()
        nbgrader = prefix / "venv" / "bin" / "nbgrader"
        _hub.run_as(n["coach"], [nbgrader, "collect", WELCOME], prefix, cwd=course)
        times["coach collects"] = time.perf_counter() - t
        t = time.perf_counter()
        graded = grade(prefix, course)
        times["opsfirst grade"] = time.perf_counter() - t
        t = time.perf_counter()
        _hub.run_as(n["coach"], [nbgrader, "release_feedback", WELCOME], prefix, cwd=course)
        feedback = {}
        for user in (n["right"], n["wrong"]):
            r = hub.as_user(user, "POST", "assignments/fetch_feedback",
                            params={"course_id": COURSE, "assignment_id": WELCOME})
            assert r.status_code == 200, r.text
            home = Path(f"/home/{user}")
            feedback[user] = sorted((home / COURSE / WELCOME / "feedback").rglob("*.html"))
        times["feedback released and fetched"] = time.perf_counter() - t
        formgrader = hub.as_user(n["coach"], "GET", "formgrader/api/assignments")
        # the coach's report, made as the coach in their course folder (the course is the
        # folder the command runs in)
        _hub.run_as(n["coach"], [prefix / "venv" / "bin" / "opsfirst", "report", WELCOME],
                    prefix, cwd=course)
        report = course / ".nbgrader" / "reports" / f"{WELCOME}-report.html"
        logins = {(user, password): login(hub.url, user, password) for user, password in [
            (n["right"], hub.password), (n["coach"], hub.coach_password),
            (n["coach"], hub.password), (n["right"], hub.coach_password),
            (n["right"], "not-the-password"), ("root", hub.password), ("nobody", hub.password)]}
        times["whole flow"] = time.perf_counter() - started
        print("\nhub flow (s): " + ", ".join(f"{k} {v:.1f}" for k, v in times.items()))
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        (ARTEFACTS / "flow.json").write_text(json.dumps(times, indent=1))
    finally:
        hub.stop()  # before the checks: the next test may start a hub on the same prefix
        keep_log(hub, "flow")
    return dict(hub=hub, names=n, course=course, prefix=prefix, graded=graded, outsider=outsider,
                feedback=feedback, mistake=mistake, times=times, formgrader=formgrader,
                logins=logins, report=report.read_text())


def test_the_grades_are_exactly_right(flow):
    """Check the right learner has every autograded mark, the one with the typical mistake
    loses exactly that question's marks, the idle learner (nothing submitted) is not graded."""
    n, rows = flow["names"], flow["graded"]["rows"]
    assert set(rows) == {n["right"], n["wrong"]}
    full = rows[n["right"]]
    assert float(full["autograded_score"]) == float(full["autograded_max"]) == 6
    wrong = rows[n["wrong"]]
    question = flow["mistake"].question
    assert float(wrong[question]) == 0
    assert float(wrong["autograded_score"]) == 6 - float(full[question])
    for row in rows.values():
        assert row["manual_grading"] == "needs manual grading" and row["warnings"] == ""
    assert "kernels: isolated" in flow["graded"]["output"]


def test_the_coach_sees_the_cohort_in_the_formgrader(flow):
    """Check the coach's own JupyterLab on the hub: its Formgrader reads the course folder and
    lists 00-welcome with the two submissions, ready for hand-grading."""
    r = flow["formgrader"]
    assert r.status_code == 200, r.text
    assignments = {a["name"]: a for a in r.json()}
    assert assignments[WELCOME]["num_submissions"] == 2
    assert assignments[WELCOME]["status"] == "released"


def test_the_coach_gets_the_cohort_report(flow):
    """Check `opsfirst report`, run by the coach on the hub from their course folder, shows the
    assignment and the hint of the typical mistake one learner made, and quotes no hidden test."""
    text = page_text(flow["report"])
    assert "00-welcome" in text and flow["mistake"].hint in text
    for line in hidden_test_lines():
        assert line not in text, line


def test_feedback_reaches_the_learners_without_hidden_tests(flow):
    """Check both learners fetched one feedback page, with their score and no hidden test."""
    n = flow["names"]
    for user in (n["right"], n["wrong"]):
        pages = flow["feedback"][user]
        assert len(pages) == 1, pages
        text = page_text(pages[0].read_text())
        assert "Score" in text or "score" in text
        for line in hidden_test_lines():
            assert line not in text, line
    assert flow["mistake"].hint in page_text(flow["feedback"][n["wrong"]][0].read_text())


def test_the_shared_password_lets_in_the_listed_users_only(flow):
    """Check logging in through the login page: a learner with the day's password and the coach
    with the coaches' password get in; the coach account with the learners' password (a learner
    trying to become the coach), a learner with the coaches' password, a wrong password, root and
    a system user not on the list do not."""
    n, hub = flow["names"], flow["hub"]
    assert flow["logins"] == {
        (n["right"], hub.password): True, (n["coach"], hub.coach_password): True,
        (n["coach"], hub.password): False, (n["right"], hub.coach_password): False,
        (n["right"], "not-the-password"): False, ("root", hub.password): False,
        ("nobody", hub.password): False}


def test_make_hub_prints_how_to_log_in(prefix):
    """Check the demo `make hub` runs (here with this run's user names): it prints the address
    and a password that works, stops on Ctrl-C, and `remove` takes its users away."""
    import signal

    tag = secrets.token_hex(2)
    demo = {"coaches": [f"dc{tag}"], "learners": [f"dl{tag}1", f"dl{tag}2"]}
    env = dict(os.environ, HUB_PREFIX=str(prefix), HUB_PORT=str(_hub.free_port()))
    code = (f"import runpy; h = runpy.run_path({str(HUB_INSTALLER)!r}); h['DEMO'].clear(); "
            f"h['DEMO'].update({demo!r}); h['demo']()")
    shutil.rmtree(prefix / "exchange" / COURSE, ignore_errors=True)  # another coach's course run
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=env, start_new_session=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 180
        while not any("password:" in line for line in lines) and time.monotonic() < deadline \
                and proc.poll() is None:
            time.sleep(0.2)
        text = "".join(lines)
        found = re.search(r"running at (http://\S+)/", text)
        assert found, text
        url = found.group(1)
        password = re.search(r"password: (\S+)", text).group(1)
        coach_password = re.search(r"coaches' password: (\S+)", text).group(1)
        assert login(url, demo["coaches"][0], coach_password)
        assert "opsfirst grade" in text
        assert f"~{demo['coaches'][0]}/{_hub.COURSE_FOLDER}" in text or "course folder" in text
        assert login(url, demo["learners"][0], password) and not login(url, demo["learners"][0], password + "x")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            proc.wait(timeout=60)
        removed = subprocess.run([sys.executable, "-c",
                                  f"import runpy; h = runpy.run_path({str(HUB_INSTALLER)!r}); "
                                  f"h['DEMO'].clear(); h['DEMO'].update({demo!r}); h['remove']()"],
                                 capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, "".join(lines)
    assert "removed" in removed.stdout
    import pwd

    for name in demo["coaches"] + demo["learners"]:
        with pytest.raises(KeyError):
            pwd.getpwnam(name)


def test_a_user_outside_the_course_gets_nothing(flow):
    """Check the outsider: no course, an empty list, and no files — the fetch answers 200 all
    the same, which is why the files are what is checked."""
    out, home = flow["outsider"], Path(f"/home/{flow['names']['outsider']}")
    assert out["courses"].json()["value"] == []
    assert out["list"].json()["value"] == []
    assert out["fetch"].status_code == 200 and out["fetch"].json()["value"] == []
    assert not (home / COURSE).exists()
    assert not list(home.rglob("*.ipynb")) or all("lessons" in p.parts for p in home.rglob("*.ipynb"))


def test_learners_cannot_read_each_other_or_the_coach(flow):
    """Check, as the learner's own system user: another learner's work, the coach's course
    folder (solutions, gradebook) and the exchange's inbox are out of reach; the learner's own
    work and the released assignment are not."""
    n, prefix, course = flow["names"], flow["prefix"], flow["course"]
    mine = Path(f"/home/{n['right']}") / COURSE / WELCOME / f"{WELCOME}.ipynb"
    theirs = Path(f"/home/{n['wrong']}") / COURSE / WELCOME / f"{WELCOME}.ipynb"
    assert mine.exists() and theirs.exists()
    assert can_read(n["right"], mine) and not can_read(n["right"], theirs)
    for secret in (course / "solutions", course / ".nbgrader" / "gradebook.db", course,
                   prefix / "exchange" / COURSE / "inbound", prefix / "hub"):
        assert secret.exists(), secret
        assert not can_read(n["right"], secret), secret
    assert can_read(n["right"], prefix / "exchange" / COURSE / "outbound" / WELCOME / f"{WELCOME}.ipynb")


def test_learners_find_the_lessons_in_their_home(flow):
    """Check a learner's first login put the lesson notebooks in ~/lessons, theirs to change."""
    import pwd

    user = flow["names"]["right"]
    lessons = Path(f"/home/{user}") / "lessons"
    names = sorted(p.name for p in lessons.glob("*.ipynb"))
    assert names == sorted(p.name for p in (REPO / "course").glob("*.ipynb"))
    assert all(p.stat().st_uid == pwd.getpwnam(user).pw_uid for p in lessons.iterdir())


# --------------------------------------------------------------------------- load

LOAD_LEARNERS = 20


def test_twenty_learners_at_once(prefix):
    """Check 20 learners whose servers start, fetch, work and submit at the same time: every
    submission collected and graded right, nothing lost. Prints time and memory."""
    tag = secrets.token_hex(2)
    coach, learners = f"lc{tag}", [f"ll{tag}{i:02d}" for i in range(LOAD_LEARNERS)]
    mistake = typical_mistake()
    answers = {u: ({mistake.question: mistake.code} if i % 4 == 3 else {}) for i, u in enumerate(learners)}
    hub = None
    try:
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(_hub.add_user, [coach] + learners))
        # a new course run on this server: nbgrader lets only the coach who made the course's
        # exchange folder release into it (without CourseDirectory.groupshared)
        shutil.rmtree(prefix / "exchange" / COURSE, ignore_errors=True)
        course = _hub.setup_coach(prefix, coach, log=lambda line: None)
        hub = _hub.Hub(prefix, [coach], learners).start()
        with Memory() as memory:
            t = time.perf_counter()
            for user in learners:
                hub.spawn(user)
            for user in learners:
                hub.wait_ready(user, timeout=300)
            started = time.perf_counter() - t
            servers_rss = rss_of(learners)
            t = time.perf_counter()
            with ThreadPoolExecutor(LOAD_LEARNERS) as pool:
                list(pool.map(lambda u: learner_work(hub, u, answers[u]), learners))
            worked = time.perf_counter() - t
        t = time.perf_counter()
        _hub.run_as(coach, [prefix / "venv" / "bin" / "nbgrader", "collect", WELCOME], prefix, cwd=course)
        collected = sorted(p.name for p in (course / ".nbgrader" / "submitted").iterdir())
        graded = grade(prefix, course)
        grading = time.perf_counter() - t
        assert collected == sorted(learners)
        rows = graded["rows"]
        assert sorted(rows) == sorted(learners)
        for user in learners:
            wants_mistake = bool(answers[user])
            score = float(rows[user]["autograded_score"])
            assert rows[user]["status"] == "graded"
            assert (score < 6) == wants_mistake and float(rows[user][mistake.question]) == (
                0 if wants_mistake else float(rows[learners[0]][mistake.question])), (user, rows[user])
        per_server = servers_rss / LOAD_LEARNERS
        print(f"\nload: {LOAD_LEARNERS} learners; servers started in {started:.1f} s; fetch+save+submit "
              f"(concurrent) {worked:.1f} s; collect+grade {grading:.1f} s; peak memory in use "
              f"+{(memory.peak - memory.base) / 2**30:.2f} GiB over the {memory.base / 2**30:.2f} GiB before; "
              f"one idle learner server {per_server / 2**20:.0f} MiB RSS")
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        (ARTEFACTS / "load.json").write_text(json.dumps({
            "learners": LOAD_LEARNERS, "servers_start_s": started, "work_submit_s": worked,
            "collect_grade_s": grading, "peak_extra_bytes": memory.peak - memory.base,
            "server_rss_bytes": per_server}, indent=1))
    finally:
        if hub is not None:
            hub.stop()
            keep_log(hub, "load")
        for user in [coach] + learners:
            _hub.remove_user(user)
