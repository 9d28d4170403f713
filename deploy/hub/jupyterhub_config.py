"""JupyterHub for an opsfirst cohort on one server (started by `make hub` / `python deploy/hub/hub.py`).

Everything that differs between a demo, a test and a real course comes from the environment,
set by deploy/hub/hub.py (see deploy/README.md for each variable):

- real system users, one per learner and coach, each server started as that user
  (LocalProcessSpawner), working in a home folder only that user can read;
- a shared password for the day (SharedPasswordAuthenticator) and a longer one for the coaches,
  who are the hub's admins; only the listed users may log in;
- nbgrader's exchange at $PREFIX/exchange, with nbgrader's JupyterHubAuthPlugin: learners are the
  hub group nbgrader-opsfirst, coaches formgrade-opsfirst; anyone else sees no course;
- the kit (Python, JupyterLab, nbgrader, opsfirst) in $PREFIX/venv, readable by every user.
"""

import os
import shutil
import pwd

c = get_config()  # noqa: F821

env = os.environ
PREFIX = env["OPSFIRST_HUB_PREFIX"]
COURSE = "opsfirst"
COACHES = [u for u in env.get("OPSFIRST_HUB_COACHES", "").split(",") if u]
LEARNERS = [u for u in env.get("OPSFIRST_HUB_LEARNERS", "").split(",") if u]
OTHERS = [u for u in env.get("OPSFIRST_HUB_OTHERS", "").split(",") if u]  # may log in, no course
VENV_BIN = os.path.join(PREFIX, "venv", "bin")

# --- where it listens, where it keeps its state
c.JupyterHub.bind_url = f"http://{env.get('OPSFIRST_HUB_IP', '127.0.0.1')}:{env.get('OPSFIRST_HUB_PORT', '8000')}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env.get("OPSFIRST_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env.get('OPSFIRST_HUB_PROXY_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [os.path.join(PREFIX, "proxy", "bin", "configurable-http-proxy")]
c.JupyterHub.db_url = "sqlite:///" + os.path.join(PREFIX, "hub", "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(PREFIX, "hub", "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = os.path.join(PREFIX, "hub", "jupyterhub.pid")

# --- who may log in: a shared password for the day (switch to the organisation's login with
# e.g. oauthenticator's GenericOAuthenticator or ldapauthenticator: see deploy/README.md).
# Anyone with the learners' password can log in as any learner; the coaches are hub admins
# and log in only with their own, longer password, so a learner cannot become a coach.
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = env["OPSFIRST_HUB_PASSWORD"]
c.SharedPasswordAuthenticator.admin_password = env["OPSFIRST_HUB_COACH_PASSWORD"]
c.Authenticator.admin_users = set(COACHES)
c.Authenticator.allowed_users = set(COACHES + LEARNERS + OTHERS)

# --- groups: nbgrader reads a user's courses from them
c.JupyterHub.load_groups = {
    f"nbgrader-{COURSE}": {"users": LEARNERS},
    f"formgrade-{COURSE}": {"users": COACHES},
}
c.JupyterHub.load_roles = [
    # A single-user server's token acts for its user, so nbgrader can ask the hub which courses
    # the user is in (the default server role may not read the user's groups).
    {"name": "server", "scopes": ["inherit"]},
]
if env.get("OPSFIRST_HUB_SERVICE_TOKEN"):  # deploy/hub/hub.py (tests, the demo) drives the hub with it
    c.JupyterHub.services = [{"name": "opsfirst-admin", "api_token": env["OPSFIRST_HUB_SERVICE_TOKEN"]}]
    c.JupyterHub.load_roles.append({"name": "opsfirst-admin", "services": ["opsfirst-admin"],
                                    "scopes": ["admin:users", "admin:servers", "tokens", "list:users",
                                               "read:users", "admin:groups"]})

# --- each user's JupyterLab, as that system user
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [os.path.join(VENV_BIN, "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {
    "PATH": f"{VENV_BIN}:/usr/local/bin:/usr/bin:/bin",
    # nbgrader's exchange and course settings shared by everyone (etc/jupyter/nbgrader_config.py)
    "JUPYTER_CONFIG_PATH": os.path.join(PREFIX, "etc", "jupyter"),
    "OPSFIRST_EXCHANGE": os.path.join(PREFIX, "exchange"),
}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
# answer spawn requests at once (a Tornado setting, not a JupyterHub one); clients poll "ready"
c.JupyterHub.tornado_settings = {"slow_spawn_timeout": 0}


def _lessons(spawner):
    """A learner's first login: the lesson notebooks in ~/lessons (theirs to change)."""
    user = pwd.getpwnam(spawner.user.name)
    target = os.path.join(user.pw_dir, "lessons")
    if os.path.exists(target):
        return
    source = os.path.join(PREFIX, "kit", "course")
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.md", ".*"))
    for folder, dirs, files in os.walk(target):
        for name in [folder] + [os.path.join(folder, n) for n in dirs + files]:
            os.chown(name, user.pw_uid, user.pw_gid)


c.Spawner.pre_spawn_hook = _lessons
