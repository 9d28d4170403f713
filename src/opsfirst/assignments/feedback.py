"""Feedback that never shows a hidden test: the filter nbgrader's ``generate_feedback`` runs.

nbgrader's ``ClearHiddenTests`` removes the hidden tests' *source* from feedback, but when a
hidden assert fails, its line and message are still in the cell's error *output*.
:class:`HideHiddenTestErrors` (the course's ``nbgrader_config.py`` puts it before
``ClearHiddenTests``) replaces such an error with a plain sentence. It recognises one with
:func:`opsfirst.assignments.notebooks.quotes_hidden`, after stripping every terminal escape
sequence, so colour codes cannot break up a quoted line; visible tests keep their messages:
they teach.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from .notebooks import error_text, meta, quotes_hidden

__all__ = ["HIDDEN_FAILED", "HideHiddenTestErrors", "hide_hidden_errors"]

HIDDEN_FAILED = ("A hidden test in this cell did not pass. Hidden tests check your answer with "
                 "other numbers and more precisely; look again at how you worked it out.")


def hide_hidden_errors(cell) -> bool:
    """Rewrite the error outputs of ``cell`` that quote its hidden tests; True if any did."""
    source = cell.get("source", "")
    changed = False
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error" and quotes_hidden(error_text(output), source):
            output["ename"] = "AssertionError"
            output["evalue"] = HIDDEN_FAILED
            output["traceback"] = [f"AssertionError: {HIDDEN_FAILED}"]
            changed = True
    return changed


class HideHiddenTestErrors(Preprocessor):
    """For feedback: replace errors raised by hidden tests with a plain sentence.

    Runs before nbgrader's ``ClearHiddenTests`` (which removes the hidden source but not
    the traceback that quotes it). Visible tests keep their messages: they teach.
    """

    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and meta(cell).get("grade"):
            hide_hidden_errors(cell)
        return cell, resources
