"""nbgrader settings every user of the hub shares (found through JUPYTER_CONFIG_PATH).

A learner's JupyterLab reads only this; a coach's commands also read the course's own
nbgrader_config.py (in the coach's course folder), which keeps the exchange set here.
"""

import os

from nbgrader.auth import JupyterHubAuthPlugin

c = get_config()  # noqa: F821

c.Exchange.root = os.environ["OPSFIRST_EXCHANGE"]
# One exchange can serve several courses: each course's folders are apart, and a user sees only
# the courses of their hub groups (nbgrader-<course> learners, formgrade-<course> coaches).
c.Exchange.path_includes_course = True
c.Authenticator.plugin_class = JupyterHubAuthPlugin
