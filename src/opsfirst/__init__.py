"""opsfirst: operations-first contact-centre management, a course kit for JupyterLab.

The library behind the lessons. Start with :mod:`opsfirst.staffing`.
"""

__version__ = "0.1.0"
