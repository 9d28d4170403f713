"""nbgrader set-up for the opsfirst course.

nbgrader and its JupyterLab extensions read this file from the folder JupyterLab starts in, so
`make lab` starts JupyterLab here, at the repository root.

- solutions/NN-slug/  the assignment sources (solutions, hidden tests, mark schemes);
- exercises/NN-slug/  the student release, made by `make release` (nbgrader generate_assignment)
                      and committed; a test fails when it is out of date;
- .nbgrader/          everything a course run makes: the exchange the Assignment List uses,
                      the gradebook, submissions, autograded notebooks and feedback (git-ignored).
"""

import os

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, ClearMarkScheme, GetGrades

from opsfirst.assignments.feedback import FeedbackExporter, HideHiddenTestErrors

c = get_config()  # noqa: F821  (provided by traitlets when it reads this file)

ROOT = os.path.dirname(os.path.abspath(__file__))
STATE = os.path.join(ROOT, ".nbgrader")
os.makedirs(STATE, exist_ok=True)  # the gradebook cannot be created in a missing folder

c.CourseDirectory.course_id = "opsfirst"
c.CourseDirectory.root = ROOT
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.submitted_directory = os.path.join(".nbgrader", "submitted")
c.CourseDirectory.autograded_directory = os.path.join(".nbgrader", "autograded")
c.CourseDirectory.feedback_directory = os.path.join(".nbgrader", "feedback")
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(STATE, "gradebook.db")
# Only the notebook is an assignment's material: mistakes.py stays with the source.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "mistakes.py"]

# The exchange: this machine's own (.nbgrader/exchange) unless a JupyterHub set up by
# deploy/hub says where the cohort's shared one is.
c.Exchange.root = os.environ.get("OPSFIRST_EXCHANGE") or os.path.join(STATE, "exchange")
# The formgrader's Manage Assignments page would list this whole configuration underneath.
c.FormgradeExtension.debug = False

# Feedback never shows a hidden test: not its source (ClearHiddenTests), and not the line and
# message of a hidden assert that failed (HideHiddenTestErrors, which must run first). Nor the
# coach's mark schemes: autograding puts the locked task cells back with them (ClearMarkScheme).
c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor, HideHiddenTestErrors,
                                    ClearHiddenTests, ClearMarkScheme]
# The same pages as nbconvert's HTMLExporter makes, in half the time (no second parse of each).
c.GenerateFeedback.exporter_class = FeedbackExporter

# A cell that runs longer than this is stopped and scores 0; the rest of the notebook goes on.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Deadlines (none by default), read by `opsfirst grade` (course/coach-guide.md, "Deadlines"):
# c.OpsfirstDeadlines.due = {"00-welcome": "2026-12-10 17:00"}
# c.OpsfirstDeadlines.timezone = "Europe/London"          # how to read the dates (default UTC)
# c.OpsfirstDeadlines.extensions = {"jane_doe": {"00-welcome": 48}}   # hours, per learner
# c.LateSubmissionPlugin.penalty_method = "zero"          # nbgrader's own: late work scores 0
