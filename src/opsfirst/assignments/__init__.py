"""The course's assignments, as learners and coaches work with them (nbgrader underneath).

One module per job; everything reads notebooks through :mod:`.notebooks` and finds the course
through :mod:`.course`:

* :mod:`.notebooks` -- the one cell model (answer, test, hand-graded, read-only cells, grade
  ids, points), restoring released cells, hidden tests, and :func:`~.notebooks.diagnose`, the
  one verdict on why a question failed;
* :mod:`.course` -- where the course is (the folder you run in) and what its
  ``nbgrader_config.py`` says: gradebook, submitted, autograded, feedback, exchange; making the
  release (``opsfirst release``) and putting it in the exchange (``opsfirst exchange``);
* :mod:`.check` -- ``opsfirst check``: a learner's answers, right / not yet / not attempted;
* :mod:`.report` -- ``opsfirst report``: the coach's cohort page;
* :mod:`.feedback` -- the feedback filter that keeps hidden tests out of what learners get back;
* :mod:`.grade` -- ``opsfirst grade``: names, the pool of workers, hardening and the sandbox.

Notebooks never import this package: assignment cells import :mod:`opsfirst.grading`.
"""
