"""The grading workers: nbgrader loaded once per process, one student at a time, on every core.

Each worker is a ``spawn``-ed process that loads nbgrader once and grades one student at a time
with the nbgrader API (``autograde`` then ``generate_feedback``), hardened
(:mod:`.hardening`) and, where it can be, with each kernel sandboxed (:mod:`.sandbox`). The
main process hands out the students one by one, so it always knows whose grading a worker is
doing: a worker that dies costs that student only (the worker is replaced), and a student whose
grading runs over ``STUDENT_TIMEOUT`` is stopped.
"""

from __future__ import annotations

import os
import sys
import time
import warnings
from collections import deque
from pathlib import Path

from .. import notebooks as nbm
from ..course import Course
from ..errors import GradeError

__all__ = ["STUDENT_TIMEOUT", "LOCKED_RETRIES", "quiet", "worker", "run_pool", "first_error"]

#: Seconds one student's grading (autograde and feedback) may take before it is stopped.
STUDENT_TIMEOUT = 15 * 60
#: How often a student's grading is tried again when SQLite says "database is locked".
LOCKED_RETRIES = 3


def quiet() -> None:
    """Mute the warnings nbgrader prints while grading (the grades are right, measured:
    SQLAlchemy 2.1's "... not in session" on every gradebook update, "checksum ... has changed"
    for hidden tests); what a worker prints goes to the grading log anyway."""
    warnings.filterwarnings("ignore")


def worker(root: str, assignment: str, conn, log_path: str, sandbox: bool = False) -> None:
    """A grading process: loads nbgrader once, then grades the students it is sent."""
    log = open(log_path, "a", buffering=1)
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    quiet()
    course = Course.load(root, db_timeout=30)
    from .hardening import configure

    configure(course.config, course.source(assignment), sandbox=sandbox)
    api = course.api()
    conn.send("ready")
    while True:
        student = conn.recv()
        if student is None:
            break
        result = _grade_one(api, assignment, student)
        if result["ok"]:
            result["findings"] = _findings(course, assignment, student)
        conn.send(result)
    # every result is sent and every grade committed: leave at once (tearing down nbgrader,
    # SQLAlchemy and the rest took 0.6 s a worker, measured)
    sys.stdout.flush()
    sys.stderr.flush()
    log.close()
    os._exit(0)


def _findings(course: Course, assignment: str, student: str) -> dict:
    """What the hardening found in a student's autograded notebook (tampering, a dead kernel)."""
    from .hardening import META

    try:
        nb = nbm.read(course.folder("autograded", student, assignment) / f"{assignment}.ipynb")
        return dict(nb.metadata.get(META) or {})
    except Exception:  # noqa: BLE001 - no findings is not a reason to fail the student
        return {}


def _grade_one(api, assignment: str, student: str) -> dict:
    start, retries = time.perf_counter(), 0
    while True:
        result = api.autograde(assignment, student, force=True, create=True)
        text = (result.get("error") or "") + (result.get("log") or "")
        if result["success"] or "database is locked" not in text or retries >= LOCKED_RETRIES:
            break
        retries += 1
        time.sleep(0.5 * retries)
    log = result.get("log") or ""
    if result["success"]:
        feedback = api.generate_feedback(assignment, student, force=True)
        log += feedback.get("log") or ""
        if not feedback["success"]:
            return dict(student=student, ok=False, retries=retries, log=log,
                        seconds=time.perf_counter() - start,
                        message="graded, but its feedback could not be made: "
                                + first_error(feedback.get("log"), feedback.get("error")))
    return dict(student=student, ok=result["success"], retries=retries, log=log,
                seconds=time.perf_counter() - start,
                message="" if result["success"] else first_error(log, result.get("error")))


_KNOWN_ERRORS = [
    ("DeadKernelError", "its kernel died while the notebook ran (a crash, or os._exit in its code); "
                        "nbgrader keeps no marks for it"),
    ("CellTimeoutError", "a cell ran longer than the course's cell timeout"),
    ("NotJSONError", "the notebook cannot be read"),
]


def first_error(log: str | None, error: str | None) -> str:
    """One line that says why nbgrader failed on a submission."""
    text = (log or "") + (error or "")
    for marker, message in _KNOWN_ERRORS:
        if marker in text:
            return message
    lines = [nbm.strip_escapes(line).strip() for line in (log or "").splitlines()]
    wanted = ("DeadKernelError", "Kernel died", "CellTimeoutError", "timed out", "NotJSONError",
              "ValidationError", "not valid", "Error")
    for word in wanted:
        for line in lines:
            if word in line and "Please see the error message" not in line:
                return line.removeprefix("[ERROR] ")[:160]
    tail = [line for line in (error or "").strip().splitlines() if line.strip()]
    return (tail[-1].strip() if tail else "nbgrader failed (see the log)")[:160]


def run_pool(course: Course, assignment: str, students: list[str], jobs: int, log_path: Path,
              on_done, prepare=None, sandbox: bool = False) -> dict[str, dict]:
    """Grade ``students`` in ``jobs`` spawned workers; ``on_done(result)`` after each one.

    ``prepare()`` runs in this process while the workers start (each loads nbgrader, ~3 s),
    before any student is handed out.
    """
    import multiprocessing as mp
    from multiprocessing.connection import wait

    ctx = mp.get_context("spawn")
    queue, results = deque(students), {}

    class Worker:
        def __init__(self):
            self.conn, child = ctx.Pipe()
            self.proc = ctx.Process(target=worker, daemon=True,
                                    args=(str(course.root), assignment, child, str(log_path), sandbox))
            self.proc.start()
            child.close()
            self.student, self.started, self.ready = None, 0.0, False

        def ask_to_stop(self):
            try:
                self.conn.send(None)
            except OSError:
                pass

        def stop(self, kill=False):
            if kill:
                _kill_tree(self.proc.pid)
            else:
                self.ask_to_stop()
                self.proc.join(timeout=1)  # idle: nothing is lost if it has to be stopped
            if self.proc.is_alive():
                self.proc.terminate()
                self.proc.join(timeout=2)
            if self.proc.is_alive():
                _kill_tree(self.proc.pid)
                self.proc.join(timeout=5)

    def failed(student, message, seconds=0.0):
        return dict(student=student, ok=False, retries=0, log="", seconds=seconds, message=message)

    workers = [Worker() for _ in range(max(1, min(jobs, len(students))))]
    try:
        if prepare is not None:
            prepare()
        while queue or any(w.student for w in workers):
            for w in workers:
                if w.ready and w.student is None and queue:
                    w.student, w.started = queue.popleft(), time.monotonic()
                    w.conn.send(w.student)
            signalled = wait([w.conn for w in workers] + [w.proc.sentinel for w in workers],
                             timeout=1.0)
            for i, w in enumerate(workers):
                if w.conn in signalled or w.proc.sentinel in signalled:
                    try:
                        message = w.conn.recv() if w.conn.poll() else None
                    except (EOFError, OSError):
                        message = None
                    if message == "ready":
                        w.ready = True
                        continue
                    if message is None:
                        if w.proc.is_alive():
                            continue
                        if not w.ready:
                            raise GradeError(f"a grading process could not start (exit code "
                                             f"{w.proc.exitcode}); see {log_path}")
                        workers[i] = Worker()
                        if not w.student:
                            continue
                        message = failed(w.student, f"its grading process died (exit code "
                                                    f"{w.proc.exitcode}); the others went on")
                elif w.student and time.monotonic() - w.started > STUDENT_TIMEOUT:
                    w.stop(kill=True)
                    workers[i] = Worker()
                    message = failed(w.student, f"stopped after {STUDENT_TIMEOUT} s",
                                     STUDENT_TIMEOUT)
                else:
                    continue
                results[message["student"]] = message
                w.student = None
                on_done(message)
    finally:
        for w in workers:  # all at once: each then only has to be waited for
            if not w.student:
                w.ask_to_stop()
        for w in workers:
            w.stop(kill=bool(w.student))
    return results


def _kill_tree(pid: int) -> None:
    """Kill a worker and what it started (its kernel), so nothing keeps running."""
    import psutil

    try:
        parent = psutil.Process(pid)
        processes = parent.children(recursive=True) + [parent]
    except psutil.NoSuchProcess:
        return
    for process in processes:
        try:
            process.kill()
        except psutil.NoSuchProcess:
            pass
