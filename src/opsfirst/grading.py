"""Grading support: what assignment test cells call, and what nbgrader's feedback needs.

Test cells of the assignments (``solutions/NN-slug/NN-slug.ipynb``) start with type checks that
teach: :func:`expect_number` and :func:`expect_whole_number` give a learner a plain message
("agents should be a whole number of agents, like 14; you gave 14.2") instead of a bare
``AssertionError``, and refuse objects that merely compare equal to the right answer.
Nothing here writes to stderr: nbgrader gives 0 to a test cell that does.

:class:`Mistake` records a typical mistake of a question, kept next to the assignment's source
in ``mistakes.py``; the soundness tests check that each one is caught by its own hint.

:class:`HideHiddenTestErrors` is an nbconvert preprocessor for ``nbgrader generate_feedback``:
where a *hidden* test failed, it replaces the error (which would quote the hidden assert's line
and message) with a plain sentence, and leaves the teaching messages of visible tests alone.
"""

from __future__ import annotations

import numbers
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["Mistake", "expect_number", "expect_whole_number", "HideHiddenTestErrors"]


@dataclass(frozen=True)
class Mistake:
    """A typical mistake on one question, and the hint that must catch it.

    Attributes
    ----------
    id : short name of the mistake, e.g. ``"shrinkage_multiplied"``.
    question : ``grade_id`` of the answer cell it belongs to, e.g. ``"agents_with_shrinkage"``.
    code : what the learner writes instead of the solution: it replaces the text between
        ``### BEGIN SOLUTION`` and ``### END SOLUTION`` in that answer cell.
    hint : a distinctive part of the visible test's message for this mistake; it must appear in
        the output of this mistake, and in no other mistake's output. ``None`` for a mistake
        that passes every visible test and only the hidden tests catch: the soundness tests use
        it to check that feedback shows no hidden test.
    """

    id: str
    question: str
    code: str
    hint: str | None


def _is_real_number(value: Any) -> bool:
    # bool is a number to Python, never to a manager; an object that merely compares equal is
    # not a number either. numpy numbers register as numbers.Real / numbers.Integral.
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def expect_number(value: Any, name: str, example: str = "10.0") -> None:
    """Raise AssertionError with a plain message unless ``value`` is one real number.

    Examples
    --------
    >>> expect_number(10.0, "traffic")
    >>> expect_number("10", "traffic")
    Traceback (most recent call last):
    ...
    AssertionError: traffic should be a number, like 10.0; you gave the text '10' (remove the quotes).
    """
    if isinstance(value, str):
        raise AssertionError(f"{name} should be a number, like {example}; you gave the text "
                             f"{value!r} (remove the quotes).")
    if isinstance(value, bool) or not _is_real_number(value):
        raise AssertionError(f"{name} should be one number, like {example}; you gave "
                             f"{type(value).__name__} {_short(value)}.")
    if value != value:  # NaN
        raise AssertionError(f"{name} is NaN (not a number): check the cells that compute it.")


def expect_whole_number(value: Any, name: str, example: str = "14") -> None:
    """Raise AssertionError unless ``value`` is a whole number (int or numpy integer).

    Examples
    --------
    >>> import numpy as np
    >>> expect_whole_number(np.int64(14), "agents")
    >>> expect_whole_number(14.2, "agents")
    Traceback (most recent call last):
    ...
    AssertionError: agents should be a whole number, like 14; you gave 14.2. Agents come in whole people: round up with math.ceil.
    """
    expect_number(value, name, example)
    if not isinstance(value, numbers.Integral):
        if float(value).is_integer():
            raise AssertionError(f"{name} should be a whole number, like {example}; you gave "
                                 f"{value!r}, a decimal. Use int(...) once it is whole.")
        raise AssertionError(f"{name} should be a whole number, like {example}; you gave {value!r}. "
                             "Agents come in whole people: round up with math.ceil.")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# --------------------------------------------------------------------------- feedback

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
HIDDEN_FAILED = ("A hidden test in this cell did not pass. Hidden tests check your answer with "
                 "other numbers and more precisely; look again at how you worked it out.")


def _hidden_lines(source: str) -> list[str]:
    """The non-empty lines between ### BEGIN HIDDEN TESTS and ### END HIDDEN TESTS."""
    lines, inside = [], False
    for line in source.splitlines():
        marker = line.strip()
        if marker == "### BEGIN HIDDEN TESTS":
            inside = True
        elif marker == "### END HIDDEN TESTS":
            inside = False
        elif inside and marker:
            lines.append(marker)
    return lines


def _hide_hidden_errors(cell) -> bool:
    """Rewrite the error outputs of ``cell`` that come from its hidden tests; True if any did."""
    hidden = _hidden_lines(cell.get("source", ""))
    if not hidden:
        return False
    changed = False
    for output in cell.get("outputs", []):
        if output.get("output_type") != "error":
            continue
        text = _ANSI.sub("", "\n".join(output.get("traceback", [])) + "\n" + output.get("evalue", ""))
        if any(line in text for line in hidden):
            output["ename"] = "AssertionError"
            output["evalue"] = HIDDEN_FAILED
            output["traceback"] = [f"AssertionError: {HIDDEN_FAILED}"]
            changed = True
    return changed


try:  # nbconvert is there wherever nbgrader is; the type checks above do not need it
    from nbconvert.preprocessors import Preprocessor
    from traitlets import Bool
except ImportError:  # pragma: no cover
    Preprocessor = object  # type: ignore[assignment,misc]

if Preprocessor is not object:

    class HideHiddenTestErrors(Preprocessor):
        """For feedback: replace errors raised by hidden tests with a plain sentence.

        Runs before nbgrader's ``ClearHiddenTests`` (which removes the hidden source but not
        the traceback that quotes it). Visible tests keep their messages: they teach.
        """

        enabled = Bool(True).tag(config=True)

        def preprocess_cell(self, cell, resources, index):
            if cell.cell_type == "code" and cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
                _hide_hidden_errors(cell)
            return cell, resources
