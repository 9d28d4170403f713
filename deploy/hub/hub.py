"""A cohort on one server: install the kit for JupyterHub, make the users, run the hub.

``make hub`` (root, Linux) runs ``python deploy/hub/hub.py demo``: it installs everything under
``/opt/opsfirst`` (or ``HUB_PREFIX``), makes a coach and three learners as system users, gives
the coach a course folder and releases the assignments of ``exercises/`` from it, then starts
JupyterHub and prints how to log in. ``python deploy/hub/hub.py remove`` takes the demo users
away again. ``tests/deploy/test_hub.py`` uses the same functions. deploy/README.md explains the set-up.

The layout under PREFIX:

- ``kit/``      the public part of the repository (src, datasets, lessons) — no solutions, no .git;
- ``venv/``     Debian's Python with the kit (editable from ``kit/``), JupyterLab, nbgrader,
                JupyterHub: readable by every user (a Python under /root would not be);
- ``proxy/``    configurable-http-proxy from npm;
- ``etc/jupyter/nbgrader_config.py``  the exchange and nbgrader's JupyterHub login plugin;
- ``exchange/`` nbgrader's exchange (world-writable with the sticky bit, as nbgrader documents);
- ``hub/``      the hub's database, cookie secret and log (root only).

A coach's course folder is ``~coach/opsfirst-course`` (the course's nbgrader_config.py, solutions/
and exercises/; only the coach can read it). Learners work in their own homes (mode 700).
"""

from __future__ import annotations

import hashlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

CONFIG = Path(__file__).resolve().parent
"""This folder: the hub's configuration files beside this installer."""
ROOT = CONFIG.parents[1]
"""The kit's repository, whose public part is installed for every user."""

COURSE = "opsfirst"
PUBLIC = ["src", "datasets", "course", "pyproject.toml", "README.md", "LICENSE"]
COURSE_FILES = ["nbgrader_config.py", "solutions", "exercises"]
COURSE_FOLDER = "opsfirst-course"
DEMO = {"coaches": ["coach"], "learners": ["learner1", "learner2", "learner3"]}


class HubError(RuntimeError):
    """Something the person setting up the hub must fix; the message says what."""


def python() -> str:
    """A Python >= 3.11 every user can run (Debian's /usr/bin/python3 by default)."""
    exe = os.environ.get("OPSFIRST_HUB_PYTHON", "/usr/bin/python3")
    if not Path(exe).exists():
        raise HubError(f"{exe} not found: install python3 and python3-venv (apt-get install "
                       f"python3 python3-venv), or set OPSFIRST_HUB_PYTHON")
    return exe


def cannot_host() -> str:
    """Why this machine cannot run the hub ('' if it can)."""
    if not sys.platform.startswith("linux"):
        return f"the hub needs Linux (this is {sys.platform})"
    if os.geteuid() != 0:
        return "the hub needs root (it makes a system user per learner and starts their servers)"
    missing = [t for t in ("useradd", "userdel", "npm", "setpriv") if shutil.which(t) is None]
    if missing:
        return f"the hub needs {', '.join(missing)} (apt-get install passwd nodejs npm util-linux)"
    try:
        python()
    except HubError as error:
        return str(error)
    return ""


def _run(argv, timeout: float = 900, **kw) -> subprocess.CompletedProcess:
    """Run a command (bounded: pip and npm get 15 minutes), HubError with its output if it fails."""
    try:
        done = subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=timeout, **kw)
    except subprocess.TimeoutExpired:
        raise HubError(f"{' '.join(map(str, argv))} did not finish within {timeout:.0f} s") from None
    if done.returncode != 0:
        raise HubError(f"{' '.join(map(str, argv))} failed ({done.returncode}): "
                       f"{(done.stderr or done.stdout).strip()[-2000:]}")
    return done


def _digest(paths) -> str:
    h = hashlib.sha256()
    for path in paths:
        h.update(Path(path).read_bytes())
    return h.hexdigest()


def install(prefix: Path, log=print) -> None:
    """Install (or bring up to date) everything the hub needs under ``prefix``."""
    prefix = Path(prefix)
    prefix.mkdir(parents=True, exist_ok=True)
    prefix.chmod(0o755)
    kit = prefix / "kit"
    if kit.exists():
        shutil.rmtree(kit)
    kit.mkdir()
    for name in PUBLIC:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, kit / name, ignore=shutil.ignore_patterns(
                "__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info"))
        elif source.exists():
            shutil.copy2(source, kit / name)
    venv = prefix / "venv"
    stamp = venv / ".opsfirst-installed"
    want = _digest([ROOT / "pyproject.toml"])
    if not stamp.exists() or stamp.read_text() != want:
        started = time.perf_counter()
        log(f"installing the kit for all users in {venv} (first time ~1 min) ...")
        if not (venv / "bin" / "python").exists():
            _run([python(), "-m", "venv", venv])
        _run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
        _run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "-e", f"{kit}[hub]"])
        stamp.write_text(want)
        log(f"  done in {time.perf_counter() - started:.0f} s")
    proxy = prefix / "proxy" / "bin" / "configurable-http-proxy"
    if not proxy.exists():
        log("installing configurable-http-proxy (npm) ...")
        _run(["npm", "install", "--global", "--silent", "--no-fund", "--no-audit",
              "--prefix", prefix / "proxy", "configurable-http-proxy@4"])
    etc = prefix / "etc" / "jupyter"
    etc.mkdir(parents=True, exist_ok=True)
    shutil.copy(CONFIG / "nbgrader_config.py", etc / "nbgrader_config.py")
    exchange = prefix / "exchange"
    exchange.mkdir(exist_ok=True)
    exchange.chmod(0o1777)
    (prefix / "hub").mkdir(exist_ok=True)
    (prefix / "hub").chmod(0o700)
    for part in ("kit", "venv", "proxy", "etc"):
        _run(["chmod", "-R", "a+rX,go-w", prefix / part])


# --------------------------------------------------------------------------- users

MARK = ".opsfirst-hub-user"  # in the home of a user add_user made: only those are ever removed


def add_user(name: str) -> pwd.struct_passwd:
    """A system user with a home only they can read (learners must not read each other's work).

    A user that already exists is used as it is (its home made private); only a user made here
    is marked as removable by :func:`remove_user`."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        _run(["useradd", "--create-home", "--shell", "/bin/bash", "--user-group", name])
        home = Path(pwd.getpwnam(name).pw_dir)
        (home / MARK).write_text("made by the opsfirst hub installer (deploy/hub/hub.py); `hub.py remove` removes it\n")
    user = pwd.getpwnam(name)
    os.chmod(user.pw_dir, 0o700)
    return user


def remove_user(name: str) -> None:
    """Stop everything ``name`` runs and remove the user, their group and home — only if
    :func:`add_user` made the user (a person's own account is never removed)."""
    try:
        user = pwd.getpwnam(name)
    except KeyError:
        return
    if not (Path(user.pw_dir) / MARK).exists():
        raise HubError(f"user {name} was not made by the opsfirst hub installer: not removed")
    subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
    for _ in range(20):
        done = subprocess.run(["userdel", "--remove", name], capture_output=True, text=True)
        if done.returncode in (0, 6):  # 6: no such user
            return
        time.sleep(0.25)  # "user is currently used by process": give the kill a moment
        subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
    raise HubError(f"could not remove user {name}: {done.stderr.strip()}")


def user_env(prefix: Path, name: str) -> dict:
    """The environment a user's JupyterLab (and its terminals) has on the hub."""
    home = pwd.getpwnam(name).pw_dir
    return {"HOME": home, "USER": name, "LOGNAME": name, "LANG": "C.UTF-8",
            "PATH": f"{Path(prefix) / 'venv' / 'bin'}:/usr/local/bin:/usr/bin:/bin",
            "JUPYTER_CONFIG_PATH": str(Path(prefix) / "etc" / "jupyter"),
            "OPSFIRST_EXCHANGE": str(Path(prefix) / "exchange")}


def run_as(name: str, argv, prefix: Path, cwd=None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``argv`` as the system user ``name`` with their hub environment (as root)."""
    user = pwd.getpwnam(name)
    return _run(["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--init-groups",
                 "--", *argv], env=user_env(prefix, name), cwd=cwd or user.pw_dir, timeout=timeout)


def setup_coach(prefix: Path, coach: str, log=print) -> Path:
    """Give ``coach`` a course folder (config, solutions, exercises) and release every
    assignment of ``exercises/`` into the hub's exchange, as the coach."""
    user = add_user(coach)
    course = Path(user.pw_dir) / COURSE_FOLDER
    if not course.exists():
        course.mkdir()
        for name in COURSE_FILES:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, course / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, course / name)
        # JupyterLab starts in the coach's home: its formgrader reads this, which reads the course
        (Path(user.pw_dir) / "nbgrader_config.py").write_text(
            "c = get_config()  # noqa: F821\n"
            f"load_subconfig({str(course / 'nbgrader_config.py')!r})\n")
        _run(["chown", "-R", f"{user.pw_uid}:{user.pw_gid}", course, Path(user.pw_dir) / "nbgrader_config.py"])
    nbgrader = str(Path(prefix) / "venv" / "bin" / "nbgrader")
    for assignment in sorted(p.name for p in (course / "exercises").iterdir() if p.is_dir()):
        run_as(coach, [nbgrader, "release_assignment", assignment, "--force"], prefix, cwd=course)
        log(f"released {assignment} into {Path(prefix) / 'exchange' / COURSE}")
    return course


# --------------------------------------------------------------------------- the hub

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Hub:
    """A running JupyterHub (``start``), driven through its REST API with a service token."""

    def __init__(self, prefix: Path, coaches, learners, others=(), password: str | None = None,
                 coach_password: str | None = None, ip: str = "127.0.0.1", port: int | None = None):
        self.prefix = Path(prefix)
        self.coaches, self.learners, self.others = list(coaches), list(learners), list(others)
        self.password = password or secrets.token_urlsafe(9)
        # JupyterHub wants an admin password of 32 characters or more
        self.coach_password = coach_password or secrets.token_urlsafe(24)
        if len(self.coach_password) < 32 or self.coach_password == self.password:
            raise HubError("the coaches' password must have 32 characters or more and differ "
                           "from the learners'")
        self.ip, self.port = ip, port or free_port()
        self.url = f"http://{ip}:{self.port}"
        self.token = secrets.token_hex(24)
        self.log_path = self.prefix / "hub" / "jupyterhub.log"
        self.process: subprocess.Popen | None = None
        self._tokens: dict[str, str] = {}

    def start(self, timeout: float = 60) -> "Hub":
        env = {"PATH": f"{self.prefix / 'venv' / 'bin'}:/usr/local/bin:/usr/bin:/bin",
               "LANG": "C.UTF-8", "HOME": "/root",
               "OPSFIRST_HUB_PREFIX": str(self.prefix), "OPSFIRST_HUB_IP": self.ip,
               "OPSFIRST_HUB_PORT": str(self.port), "OPSFIRST_HUB_API_PORT": str(free_port()),
               "OPSFIRST_HUB_PROXY_PORT": str(free_port()),
               "OPSFIRST_HUB_COACHES": ",".join(self.coaches),
               "OPSFIRST_HUB_LEARNERS": ",".join(self.learners),
               "OPSFIRST_HUB_OTHERS": ",".join(self.others),
               "OPSFIRST_HUB_PASSWORD": self.password, "OPSFIRST_HUB_COACH_PASSWORD": self.coach_password,
               "OPSFIRST_HUB_SERVICE_TOKEN": self.token}
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [self.prefix / "venv" / "bin" / "jupyterhub", "-f", CONFIG / "jupyterhub_config.py"],
            cwd=self.prefix / "hub", env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HubError(f"JupyterHub stopped at start (exit {self.process.returncode}); "
                               f"see {self.log_path}")
            try:
                if self.api("GET", "/").status_code == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.25)
        raise HubError(f"JupyterHub did not answer within {timeout:.0f} s; see {self.log_path}")

    def api(self, method: str, path: str, **kw):
        import requests

        return requests.request(method, f"{self.url}/hub/api{path}", timeout=60,
                                headers={"Authorization": f"token {self.token}"}, **kw)

    def spawn(self, user: str) -> None:
        """Ask for ``user``'s server (returns at once; see :meth:`wait_ready`)."""
        r = self.api("POST", f"/users/{user}/server")
        if r.status_code not in (201, 202, 400):  # 400: already running
            raise HubError(f"could not start {user}'s server: {r.status_code} {r.text}")

    def wait_ready(self, user: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.api("GET", f"/users/{user}").json()
            server = (model.get("servers") or {}).get("")
            if server and server.get("ready"):
                return
            time.sleep(0.3)
        raise HubError(f"{user}'s server was not ready within {timeout:.0f} s; see {self.log_path}")

    def user_token(self, user: str) -> str:
        if user not in self._tokens:
            r = self.api("POST", f"/users/{user}/tokens", json={"note": "opsfirst", "expires_in": 7200})
            if r.status_code != 201:
                raise HubError(f"no token for {user}: {r.status_code} {r.text}")
            self._tokens[user] = r.json()["token"]
        return self._tokens[user]

    def as_user(self, user: str, method: str, path: str, **kw):
        """A request to ``user``'s own server (``path`` after /user/NAME/), as that user."""
        import requests

        return requests.request(method, f"{self.url}/user/{user}/{path.lstrip('/')}", timeout=120,
                                headers={"Authorization": f"token {self.user_token(user)}"}, **kw)

    def stop(self, timeout: float = 30) -> None:
        """Stop the hub; it stops the servers it started. Anything left is killed."""
        if self.process is None:
            return
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        for user in self.coaches + self.learners + self.others:
            subprocess.run(["pkill", "-KILL", "-u", user], capture_output=True)
        self.process = None


# --------------------------------------------------------------------------- make hub

def demo() -> None:
    reason = cannot_host()
    if reason:
        raise SystemExit(f"make hub: {reason}")
    prefix = Path(os.environ.get("HUB_PREFIX", "/opt/opsfirst"))
    install(prefix)
    for name in DEMO["coaches"] + DEMO["learners"]:
        add_user(name)
    for coach in DEMO["coaches"]:
        setup_coach(prefix, coach)
    hub = Hub(prefix, DEMO["coaches"], DEMO["learners"], password=os.environ.get("HUB_PASSWORD"),
              coach_password=os.environ.get("HUB_COACH_PASSWORD"),
              ip=os.environ.get("HUB_IP", "127.0.0.1"), port=int(os.environ.get("HUB_PORT", "8000")))
    hub.start()
    print(f"""
The opsfirst hub is running at {hub.url}/  (log: {hub.log_path})
  coach:    {', '.join(DEMO['coaches'])}   learners: {', '.join(DEMO['learners'])}
  password: {hub.password}   (the learners', the same for all of them today)
  coaches' password: {hub.coach_password}   (coaches log in only with this one)
The coach's course folder is ~coach/{COURSE_FOLDER}; the assignments are released.
Grade what the coach collected, as root (each learner's kernel sandboxed):
  sudo {prefix}/venv/bin/opsfirst grade NN-slug ~coach/{COURSE_FOLDER}/.nbgrader/submitted --course-root ~coach/{COURSE_FOLDER}
Stop with Ctrl-C. Remove the demo users with: make hub-remove""", flush=True)
    try:
        hub.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        hub.stop()


def remove() -> None:
    for name in DEMO["coaches"] + DEMO["learners"]:
        try:
            remove_user(name)
        except HubError as error:
            print(f"make hub-remove: {error}")
    print("removed the demo users made by make hub, and their homes")


if __name__ == "__main__":
    commands = {"demo": demo, "remove": remove}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        raise SystemExit(f"usage: python deploy/hub/hub.py {{{','.join(commands)}}}")
    try:
        commands[sys.argv[1]]()
    except HubError as error:
        raise SystemExit(f"make hub: {error}")
