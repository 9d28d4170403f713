"""Run a student's kernel where it cannot read what it must not: ``opsfirst grade``'s sandbox.

When the grader runs as root on Linux, each student's kernel is started

- in a **private view of the file system** (a mount namespace with a fresh, empty root): the
  system's programs and libraries (``/usr``, ``/etc``, ``/bin``, ``/lib*``), the Python that
  runs the kernel, the ``opsfirst`` package and its datasets are mounted read-only; nothing
  else exists in it — not the gradebook, not ``solutions/``, not the repository's ``.git``,
  not the submissions folder, not other students' work, not anyone's home folder;
- as an **unprivileged user of its own** (a numeric user id from a pool, never root, never
  shared by two kernels running at the same time, with no capabilities and ``no_new_privs``),
  so it cannot reach into another kernel through ``/proc`` either;
- with **limits** on memory (address space), processes and CPU time (``sandbox_cpu_seconds``
  for the whole notebook; the per-cell timeout still stops a cell first), and with one thread
  per maths library, so a memory, fork or CPU bomb fails in that student's notebook instead of
  taking the machine (and the other students in the run) with it;
- in **namespaces of its own** for processes, System V IPC, the host name and the network:
  it sees only its own processes (not the grader, not another student's kernel), and has no
  network at all (a network namespace with nothing but loopback); it talks to the grader over
  Unix sockets in its scratch folder (Jupyter's ``ipc`` transport) instead of TCP;
- in a **scratch working folder** holding a copy of the student's own files; it is deleted,
  and every process left behind under that user id is killed, when the kernel stops.

It uses only util-linux and coreutils (``unshare``, ``mount``, ``chroot``, ``setpriv``,
``prlimit``), present on every mainstream Linux. :func:`status` says whether it can be used
here, and why not when it cannot (not Linux, not root, a tool missing, a container that
forbids mount namespaces): ``opsfirst grade`` then grades without it and says so plainly.

When the kernel ends, every process in its process namespace ends with it.
"""

from __future__ import annotations

import errno
import fcntl
import functools
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from jupyter_client import AsyncKernelManager
from traitlets import Int

__all__ = ["SandboxedKernelManager", "SandboxError", "status", "Status", "FIRST_UID", "SLOTS"]

FIRST_UID = 2_146_000_000
"""Kernels run as user ids FIRST_UID .. FIRST_UID + SLOTS - 1 (no names, no home, no groups)."""
SLOTS = 256
TOOLS = ("unshare", "mount", "chroot", "setpriv", "prlimit")
SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")
"""System folders the kernel sees read-only (symlinks, as on merged-/usr systems, are kept)."""

_WRAPPER = r"""
set -eu
umask 022
new=$1 scratch=$2 uid=$3 nproc=$4 memory=$5 cpu=$6
shift 6
# loopback only (down is as good, where iproute2 is missing): the kernel uses Unix sockets
ip link set lo up 2>/dev/null || true
mount -t tmpfs -o mode=755,size=16m opsfirst-sandbox "$new"
reveal() {  # reveal PATH [rw]: mount PATH at the same place in the new root
    if [ -L "$1" ]; then
        mkdir -p "$new$(dirname "$1")"; ln -s "$(readlink "$1")" "$new$1"; return
    fi
    [ -e "$1" ] || return 0
    if [ -d "$1" ]; then mkdir -p "$new$1"; else mkdir -p "$new$(dirname "$1")"; : > "$new$1"; fi
    mount --rbind "$1" "$new$1"
    [ "${2:-ro}" = rw ] || mount -o remount,bind,ro "$new$1"
}
# a private /tmp first: what is revealed below may itself live under /tmp (a clone, a venv)
mkdir -p "$new/dev/shm" "$new/proc" "$new/tmp"
mount -t tmpfs -o mode=1777,size=512m opsfirst-tmp "$new/tmp"
mount -t tmpfs -o mode=1777,size=64m opsfirst-shm "$new/dev/shm"
while [ "$1" != -- ]; do reveal "$1"; shift; done
shift
for d in null zero full random urandom tty; do reveal "/dev/$d" rw; done
ln -s /proc/self/fd "$new/dev/fd"
mount -t proc proc "$new/proc"
reveal "$scratch" rw
exec chroot "$new" prlimit --nproc="$nproc" --as="$memory" --cpu="$cpu" -- \
    setpriv --reuid="$uid" --regid="$uid" --clear-groups --inh-caps=-all --bounding-set=-all \
    --no-new-privs -- /bin/sh -c 'cd "$1" && shift && exec "$@"' sh "$scratch/work" "$@"
"""


@dataclass(frozen=True)
class Status:
    """Whether kernels can be sandboxed here; ``reason`` says why not (empty when they can)."""

    available: bool
    reason: str = ""


def _reasons() -> str:
    if not sys.platform.startswith("linux"):
        return f"the sandbox needs Linux (this is {sys.platform})"
    if os.geteuid() != 0:
        return "the sandbox needs the grader to run as root (to give each kernel its own user)"
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        return f"the sandbox needs {', '.join(missing)} (util-linux) on PATH"
    return ""


@functools.lru_cache(maxsize=1)
def status() -> Status:
    """Can kernels be sandboxed on this machine? Tried once per process with a real kernel-less
    run of the wrapper (``python -c``), so a container that forbids mounts says so here."""
    reason = _reasons()
    if reason:
        return Status(False, reason)
    try:
        with _Sandbox() as box:
            code = "import os, opsfirst; assert os.getuid() != 0; print('ok')"
            done = subprocess.run(box.command([sys.executable, "-c", code]), cwd=box.scratch,
                                  env=box.launcher_env(), capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as error:
        return Status(False, f"the sandbox could not start: {error}")
    if done.returncode != 0 or done.stdout.strip() != "ok":
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        return Status(False, f"the sandbox could not start: {last}")
    return Status(True)


def _revealed() -> list[str]:
    """What a kernel needs to see: its Python (venv and base), opsfirst, the datasets."""
    import opsfirst
    from opsfirst._paths import DATASETS

    paths = [*SYSTEM, sys.prefix, sys.base_prefix, os.path.realpath(sys.base_prefix),
             str(Path(opsfirst.__file__).resolve().parent), str(DATASETS)]
    exe = Path(sys.executable)
    paths += [str(exe.parent), os.path.realpath(exe)]
    out: list[str] = []
    for p in paths:
        if p not in out and os.path.lexists(p):
            out.append(p)
    # a folder inside another revealed one is already there
    return [p for p in out if not any(p != q and p.startswith(q.rstrip("/") + "/") for q in out
                                      if os.path.isdir(q) and not os.path.islink(q))]


def _slot_dir() -> Path:
    path = Path(tempfile.gettempdir()) / "opsfirst-sandbox"
    path.mkdir(mode=0o700, exist_ok=True)
    if path.stat().st_uid != os.geteuid():
        raise PermissionError(f"{path} belongs to another user; remove it")
    return path


SEED_BYTES = 100 << 20
SEED_FILES = 2000


class SandboxError(RuntimeError):
    """A kernel cannot be given its sandbox; the message says why."""


def _student_files(folder) -> list[tuple[str, str]]:
    """(path, path relative to ``folder``) of the files to copy into a kernel's working folder:
    regular files, no hidden ones, no symlinks followed, nothing of the sandboxes themselves —
    and at most SEED_FILES files and SEED_BYTES bytes, or SandboxError (a folder that big is
    not a student's submission; copying it blindly once filled a disk)."""
    if not folder or not Path(folder).is_dir():
        return []
    own = str(_slot_dir())
    found, total = [], 0
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                             and not os.path.join(dirpath, d).startswith(own))
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            if name.startswith(".") or os.path.islink(path) or not os.path.isfile(path):
                continue
            total += os.path.getsize(path)
            found.append((path, os.path.relpath(path, folder)))
            if total > SEED_BYTES or len(found) > SEED_FILES:
                raise SandboxError(f"{folder} holds more than {SEED_FILES} files or "
                                   f"{SEED_BYTES >> 20} MB: too much for a student's folder; "
                                   "not copied into the kernel's sandbox")
    return found


def _uid_free(uid: int) -> bool:
    try:
        pwd.getpwuid(uid)
        return False
    except KeyError:
        return True


class _Sandbox:
    """One kernel's user id (held by a lock file), scratch folder and empty root."""

    def __init__(self, nproc: int = 256, memory: int = 4 << 30, cpu: int = 600):
        self.nproc, self.memory, self.cpu = nproc, memory, cpu
        self.uid: int | None = None
        self._lock = None

    def __enter__(self) -> "_Sandbox":
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def open(self) -> None:
        slots = _slot_dir()
        for slot in range(SLOTS):
            uid = FIRST_UID + slot
            if not _uid_free(uid):
                continue
            lock = open(slots / f"slot-{slot}", "w")
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as error:
                lock.close()
                if error.errno in (errno.EAGAIN, errno.EACCES):
                    continue
                raise
            self._lock, self.uid = lock, uid
            break
        else:
            raise RuntimeError(f"all {SLOTS} sandbox user ids are in use")
        _kill_user(self.uid)  # anything an earlier kernel with this id left behind
        for stale in slots.glob(f"kernel-{self.uid}-*"):  # and its folder, if it was killed
            shutil.rmtree(stale, ignore_errors=True)
        self.base = Path(tempfile.mkdtemp(prefix=f"kernel-{self.uid}-", dir=slots))
        self.root = self.base / "root"
        self.scratch = self.base / "scratch"
        for path in (self.root, self.scratch, self.scratch / "work", self.scratch / "home"):
            path.mkdir()
        for path in (self.scratch, self.scratch / "work", self.scratch / "home"):
            os.chown(path, self.uid, self.uid)
        self.scratch.chmod(0o700)

    def command(self, argv: list[str]) -> list[str]:
        """``argv`` (a kernel command) wrapped so it runs inside this sandbox."""
        home = self.scratch / "home"
        env = ["env", "-i", f"HOME={home}", f"JPY_PARENT_PID={os.getpid()}", f"USER=student", f"LOGNAME=student",
               f"PATH={Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
               "LANG=C.UTF-8", "PYTHONDONTWRITEBYTECODE=1", f"MPLCONFIGDIR={home / '.matplotlib'}",
               *(f"{v}=1" for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"))]
        # --fork: the wrapper is the first process of the new process namespace; --kill-child:
        # if the grader kills unshare, the kernel goes too (and with it the whole namespace)
        return ["unshare", "--mount", "--propagation", "private", "--pid", "--fork",
                "--kill-child", "--ipc", "--uts", "--net", "--", "/bin/sh", "-c", _WRAPPER,
                "opsfirst-sandbox", str(self.root), str(self.scratch), str(self.uid),
                str(self.nproc), str(self.memory), str(self.cpu), *_revealed(), "--", *env, *argv]

    @staticmethod
    def launcher_env() -> dict:
        return {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8"}

    def seed(self, folder: str | os.PathLike | None) -> None:
        """Copy the student's own files (``folder``: nbgrader's autograded folder) into the
        kernel's working folder, and the grader's matplotlib font list (saves ~2 s a kernel)."""
        work = self.scratch / "work"
        for source, relative in _student_files(folder):
            target = work / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        try:
            import matplotlib

            fonts = sorted(Path(matplotlib.get_cachedir()).glob("fontlist-*.json"))
        except Exception:  # noqa: BLE001 - only a speed-up
            fonts = []
        if fonts:
            target = self.scratch / "home" / ".matplotlib"
            target.mkdir(exist_ok=True)
            shutil.copy(fonts[-1], target)
        for dirpath, dirnames, filenames in os.walk(self.scratch):
            for name in dirnames + filenames:
                os.lchown(os.path.join(dirpath, name), self.uid, self.uid)

    def close(self) -> None:
        if self.uid is None:
            return
        _kill_user(self.uid)
        shutil.rmtree(self.base, ignore_errors=True)
        if self._lock is not None:
            self._lock.close()
        self.uid, self._lock = None, None


def _kill_user(uid: int) -> None:
    """SIGKILL every process running as ``uid`` (what a student's kernel left behind)."""
    for _ in range(5):
        found = False
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                if entry.stat().st_uid != uid:
                    continue
                # a zombie is dead already: its parent (outside the kernel's process namespace,
                # or the machine's init) reaps it; waiting for that cost 0.25 s a kernel
                with open(os.path.join(entry.path, "stat"), "rb") as f:
                    if f.read().rsplit(b")", 1)[-1].split()[0] == b"Z":
                        continue
                os.kill(int(entry.name), signal.SIGKILL)
                found = True
            except (ProcessLookupError, FileNotFoundError, PermissionError):
                continue
        if not found:
            return
        time.sleep(0.05)


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels run in a :class:`_Sandbox` (see the module's text)."""

    sandbox_memory = Int(4 << 30, help="Address-space limit of a sandboxed kernel, in bytes.").tag(config=True)
    sandbox_processes = Int(256, help="Most processes a sandboxed kernel's user may have.").tag(config=True)
    sandbox_cpu_seconds = Int(600, help="CPU seconds a sandboxed kernel may use in all (one "
                              "student's whole notebook); past it the kernel is stopped.").tag(config=True)

    _box: _Sandbox | None = None

    async def _async_pre_start_kernel(self, **kw):
        if self._box is None:
            self._box = _Sandbox(nproc=self.sandbox_processes, memory=self.sandbox_memory,
                                 cpu=self.sandbox_cpu_seconds)
            self._box.open()
            self._box.seed(kw.get("cwd"))
            self.connection_file = str(self._box.scratch / "kernel.json")
            # no network in the sandbox: the kernel's sockets are files in its scratch folder
            self.transport = "ipc"
            self.ip = str(self._box.scratch / "kernel")
        kw["cwd"] = str(self._box.scratch)
        kw["env"] = self._box.launcher_env()
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        os.chown(self.connection_file, self._box.uid, self._box.uid)
        return cmd, kw

    def format_kernel_cmd(self, extra_arguments=None):
        return self._box.command(super().format_kernel_cmd(extra_arguments))

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart and self._box is not None:
            self._box.close()
            self._box = None
