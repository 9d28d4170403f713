"""opsfirst.assignments.grade.sandbox: a student's kernel cannot read what it must not, and cannot take the machine.

Each test runs real kernels (nbclient, as nbgrader does). Where the sandbox cannot run (not
Linux, not root) the tests skip and say why; on Linux as root — CI — the sandbox must work.
Every probe is also run in a plain kernel, where it must succeed: that shows the probe can fail.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from opsfirst.assignments.grade import sandbox

REPO = Path(__file__).resolve().parents[2]
STATUS = sandbox.status()
needs_sandbox = pytest.mark.skipif(not STATUS.available,
                                   reason=f"SANDBOX NOT TESTED HERE: {STATUS.reason}")


def run(cells: list[str], sandboxed: bool = True, cwd: Path | None = None, **limits):
    """Run ``cells`` in a fresh kernel; the outputs of each cell as text (errors by name)."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    kwargs = {"kernel_manager_class": sandbox.SandboxedKernelManager} if sandboxed else {}
    client = NotebookClient(nb, allow_errors=True, timeout=60, **kwargs,
                            resources={"metadata": {"path": str(cwd or REPO)}})
    if limits:
        from traitlets.config import Config

        client.config = Config({"SandboxedKernelManager": limits})
    client.execute()
    return ["".join(o.get("text", "") if o.output_type == "stream" else
                    f"{o.ename}\n" if o.output_type == "error" else
                    o.get("data", {}).get("text/plain", "") for o in c.outputs) for c in nb.cells]


def test_ci_can_sandbox():
    """Check that on Linux as root (how CI and a coach's grading server run) the sandbox works:
    otherwise every other test here would skip and CI would not notice."""
    if sys.platform.startswith("linux") and os.geteuid() == 0:
        assert STATUS.available, STATUS.reason
    else:
        assert not STATUS.available and STATUS.reason


SECRETS = ["solutions", ".git", ".nbgrader", "README.md", "nbgrader_config.py"]


def home_files() -> list[str]:
    """A few of the grader's home files (not the Python install the kernel needs, if there)."""
    home = Path.home()
    python = Path(os.path.realpath(sys.base_prefix))
    return sorted(str(p) for p in home.iterdir() if p not in python.parents)[:5]


def probe(secret: Path) -> str:
    paths = [str(REPO / s) for s in SECRETS] + [str(secret)] + home_files()
    return (f"import os\nfor p in {paths!r}:\n"
            f"    print(p, os.path.exists(p), os.access(p, os.R_OK))")


@needs_sandbox
def test_kernel_cannot_see_the_course_or_the_grader(tmp_path):
    """Check the repository's solutions, .git, gradebook folder, config, a file the grader made
    and the home folders do not exist for the kernel — and do for a plain kernel."""
    secret = tmp_path / "other_student.ipynb"
    secret.write_text("{}")
    plain, boxed = run([probe(secret)], sandboxed=False)[0], run([probe(secret)])[0]
    assert f"{REPO / 'solutions'} True True" in plain and f"{secret} True True" in plain
    for line in boxed.splitlines():
        assert line.endswith("False False"), line
    assert len(boxed.splitlines()) == len(SECRETS) + 1 + len(home_files())


@needs_sandbox
def test_kernel_runs_unprivileged_and_can_still_do_the_course(tmp_path):
    """Check the kernel is not root, has no capabilities, works in a copy of the student's
    folder, can load a dataset and plot, and its writes do not reach the grader's folder."""
    (tmp_path / "notes.txt").write_text("mine")
    out = run(["import os\nprint(os.getuid(), os.getgid(), os.getgroups())\n"
               "print(open('/proc/self/status').read().split('CapEff:')[1].split()[0])",
               "print(open('notes.txt').read()); _ = open('written.txt', 'w').write('x')",
               "from opsfirst import datasets\nprint(len(datasets.load('channel_costs')))",
               "import matplotlib.pyplot as plt\nplt.plot([1, 2]); plt.savefig('p.png'); print('plotted')"],
              cwd=tmp_path)
    uid, gid, groups = out[0].splitlines()[0].split(" ", 2)
    assert int(uid) >= sandbox.FIRST_UID and uid == gid and groups == "[]"
    assert out[0].splitlines()[1] == "0000000000000000"
    assert out[1].strip() == "mine" and not (tmp_path / "written.txt").exists()
    assert out[2].strip() == "4" and "plotted" in out[3]


@needs_sandbox
def test_memory_and_process_bombs_fail_in_their_cell():
    """Check a 6 GiB allocation is a MemoryError (4 GiB limit) and a fork loop stops at the
    process limit, while the next cell still runs."""
    out = run(["x = bytearray(6 << 30)",
               "import subprocess\nprocs = []\ntry:\n    for _ in range(100):\n"
               "        procs.append(subprocess.Popen(['sleep', '30']))\n"
               "except OSError as e:\n    print('stopped at', len(procs))",
               "print('still here')"], sandbox_processes=20)
    assert out[0].strip() == "MemoryError"
    stopped = int(out[1].split("stopped at")[1])
    assert 5 <= stopped < 20
    assert out[2].strip() == "still here"


@needs_sandbox
def test_what_a_kernel_leaves_behind_is_killed_and_removed():
    """Check a process started to outlive the kernel is killed, and the scratch folder goes.
    (Its pid is the kernel's namespace's own, so it is found by its user id.)"""
    out = run(["import os, subprocess\n"
               "p = subprocess.Popen(['sleep', '300'], start_new_session=True)\n"
               "print(os.getuid(), p.pid, os.getcwd())"])
    uid, pid, cwd = out[0].split()
    assert not Path(cwd).exists()
    left = [e.name for e in os.scandir("/proc") if e.name.isdigit() and _uid(e) == int(uid)
            and "State:\tZ" not in _text(Path(e.path) / "status")]
    assert left == []


@needs_sandbox
def test_two_kernels_at_once_get_different_users():
    """Check two sandboxes open together hold different user ids (one cannot reach the other's
    processes through /proc), and an id is used again once freed."""
    a, b = sandbox._Sandbox(), sandbox._Sandbox()
    with a, b:
        assert a.uid != b.uid and {a.uid, b.uid} <= set(range(sandbox.FIRST_UID,
                                                             sandbox.FIRST_UID + sandbox.SLOTS))
        first = a.uid
    with sandbox._Sandbox() as c:
        assert c.uid == first


def _uid(entry) -> int:
    try:
        return entry.stat().st_uid
    except FileNotFoundError:
        return -1


def _text(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


@needs_sandbox
def test_what_is_revealed_may_live_under_tmp(tmp_path, monkeypatch):
    """Check a revealed folder under /tmp (a clone or a venv there, as on CI) is visible in the
    kernel's view, although the kernel gets a private /tmp (a bug found on a fresh clone)."""
    import subprocess

    shared = tmp_path / "kit"
    shared.mkdir()
    (shared / "data.csv").write_text("a,b\n")
    secret = tmp_path / "beside-it.txt"  # not revealed: must not be there
    secret.write_text("x")
    os.chmod(tmp_path, 0o755)
    revealed = sandbox._revealed()
    monkeypatch.setattr(sandbox, "_revealed", lambda: revealed + [str(shared)])
    with sandbox._Sandbox() as box:
        code = (f"print(open({str(shared / 'data.csv')!r}).read().strip()); import os; "
                f"print(os.path.exists({str(secret)!r}), os.path.exists({str(tmp_path)!r}))")
        done = subprocess.run(box.command([sys.executable, "-c", code]), env=box.launcher_env(),
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines == ["a,b", "False True"]


@needs_sandbox
def test_only_a_students_own_files_are_copied_and_not_too_many(tmp_path, monkeypatch):
    """Check the working folder gets the student's regular files (not hidden ones, not what a
    symlink points to), and a folder over the size limit is refused with a clear message
    instead of copied (a folder holding the sandboxes themselves once filled the disk)."""
    folder = tmp_path / "student"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "mine.csv").write_text("1\n")
    (folder / ".secret").write_text("x")
    (folder / "link.txt").symlink_to("/etc/hostname")
    files = sorted(rel for _, rel in sandbox._student_files(folder))
    assert files == ["data/mine.csv"]
    monkeypatch.setattr(sandbox, "SEED_BYTES", 100)
    (folder / "big.bin").write_bytes(b"0" * 200)
    with pytest.raises(sandbox.SandboxError, match="too much for a student's folder"):
        sandbox._student_files(folder)
    assert sandbox._student_files(Path(sandbox._slot_dir()).parent / "no-such-folder") == []


NAMESPACES = ("pid", "ipc", "uts", "net", "mnt")


@needs_sandbox
def test_kernel_has_its_own_processes_ipc_host_name_and_network():
    """Check the kernel's namespaces differ from the grader's (a plain kernel shares them), it
    sees only its own few processes (a plain kernel sees the grader), and it has no network
    interface but loopback."""
    probe = ("import os\n"
             f"print(*[os.readlink(f'/proc/self/ns/{{n}}') for n in {NAMESPACES!r}])\n"
             "pids = [int(p) for p in os.listdir('/proc') if p.isdigit()]\n"
             f"print(len(pids), {os.getpid()} in pids)\n"
             "print(sorted(os.listdir('/sys/class/net')) if os.path.isdir('/sys/class/net') "
             "else open('/proc/net/dev').read().split()[-17:-16])")
    mine = [os.readlink(f"/proc/self/ns/{n}") for n in NAMESPACES]
    plain, boxed = run([probe], sandboxed=False)[0].splitlines(), run([probe])[0].splitlines()
    assert plain[0].split() == mine
    assert all(a != b for a, b in zip(boxed[0].split(), mine)), (boxed[0], mine)
    count, sees_grader = plain[1].split()
    assert sees_grader == "True" and int(count) > 5
    count, sees_grader = boxed[1].split()
    assert sees_grader == "False" and int(count) <= 3
    net = open("/proc/net/dev").read()
    interfaces = [line.split(":")[0].strip() for line in net.splitlines()[2:]]
    assert "lo" in interfaces and len(interfaces) > 1, "the control needs a machine with a network"


@needs_sandbox
def test_kernel_cannot_open_a_connection_even_to_this_machine():
    """Check a socket to a port the grader listens on (127.0.0.1) is refused from the sandbox,
    and works from a plain kernel."""
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    accepted = []

    def serve():
        server.settimeout(30)
        try:
            while True:
                conn, _ = server.accept()
                accepted.append(conn)
        except OSError:
            pass

    threading.Thread(target=serve, daemon=True).start()
    probe = ("import socket\ntry:\n"
             f"    socket.create_connection(('127.0.0.1', {port}), timeout=5).close(); print('connected')\n"
             "except OSError as e:\n    print('refused', type(e).__name__)")
    try:
        assert run([probe], sandboxed=False)[0].strip() == "connected"
        boxed = run([probe])[0].strip()
        assert boxed.startswith("refused"), boxed
        assert len(accepted) == 1
    finally:
        server.close()


@needs_sandbox
def test_kernel_has_a_cpu_time_limit():
    """Check the kernel's CPU-time limit is the configured one (a plain kernel has none), and a
    notebook that spends it is stopped."""
    probe = "import resource\nprint(resource.getrlimit(resource.RLIMIT_CPU)[1])"
    assert run([probe], sandboxed=False)[0].strip() == str(-1)  # RLIM_INFINITY
    assert run([probe], sandbox_cpu_seconds=120)[0].strip() == "120"
    from nbclient.exceptions import DeadKernelError

    with pytest.raises(DeadKernelError):  # SIGXCPU after 2 s of CPU, well before the cell timeout
        run(["while True:\n    pass", "print('after')"], sandbox_cpu_seconds=2)
