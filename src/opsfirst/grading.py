"""What assignment notebooks import: the checks their test cells call, and their mistakes.

Test cells of the assignments (``solutions/NN-slug/NN-slug.ipynb``) start with type checks that
teach: :func:`expect_number` and :func:`expect_whole_number` give a learner a plain message
("agents should be a whole number of agents, like 14; you gave 14.2") instead of a bare
``AssertionError``, and refuse objects that merely compare equal to the right answer.
Nothing here writes to stderr: nbgrader gives 0 to a test cell that does.

:class:`Mistake` records a typical mistake of a question, kept next to the assignment's source
in ``mistakes.py``; the soundness tests check that each one is caught by its own hint.

:class:`HideHiddenTestErrors`, the feedback filter that hides a failed hidden test, lives in
:mod:`opsfirst.assignments.feedback` with the coach's tools; it can still be imported from here.
"""

from __future__ import annotations

import numbers
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
                             f"{_what(value)}.")
    if value != value:  # NaN
        raise AssertionError(f"{name} is NaN (not a number): check the cells that compute it.")
    if value in (float("inf"), float("-inf")):
        raise AssertionError(f"{name} is infinite: something was divided by zero (a row with none "
                             "of what you divided by?). Add everything up first, then divide once.")


WHOLE_PEOPLE = "Agents come in whole people: round up with math.ceil."


def expect_whole_number(value: Any, name: str, example: str = "14", why: str = WHOLE_PEOPLE) -> None:
    """Raise AssertionError unless ``value`` is a whole number (int or numpy integer).

    ``why`` ends the message for a value with decimals: what the whole number counts and how to
    get one. The default is about agents; a count of something else says its own (calls are
    added up, not averaged).

    Examples
    --------
    >>> import numpy as np
    >>> expect_whole_number(np.int64(14), "agents")
    >>> expect_whole_number(14.2, "agents")
    Traceback (most recent call last):
    ...
    AssertionError: agents should be a whole number, like 14; you gave 14.2. Agents come in whole people: round up with math.ceil.
    >>> expect_whole_number(140.5, "total_calls", example="3120", why="Calls come whole: add them up with .sum().")
    Traceback (most recent call last):
    ...
    AssertionError: total_calls should be a whole number, like 3120; you gave 140.5. Calls come whole: add them up with .sum().
    """
    expect_number(value, name, example)
    if not isinstance(value, numbers.Integral):
        if float(value).is_integer():
            raise AssertionError(f"{name} should be a whole number, like {example}; you gave "
                                 f"{value!r}, a decimal. Use int(...) once it is whole.")
        raise AssertionError(f"{name} should be a whole number, like {example}; you gave {value!r}. "
                             f"{why}")


def _short(value: Any) -> str:
    text = " ".join(repr(value).split())  # one line: a learner's terminal shows only the first
    return text if len(text) <= 60 else text[:57] + "..."


def _what(value: Any) -> str:
    """What a learner gave instead of one number, in one line, with the way out where the
    usual suspects are concerned: a column (pandas Series), a table, an array or a list.

    >>> import pandas as pd
    >>> _what(pd.Series([0.27], index=["2025-09-10"]))
    'a pandas Series holding one value; take the value itself out with .iloc[0]'
    >>> _what(pd.Series([0.9, 0.7, 0.8]))
    'a pandas Series of 3 values (a whole column, not one number): add them up with .sum(), or pick the one the question asks for'
    >>> _what([14])
    'a list holding one value; take the value itself out with [0]'
    """
    kind = type(value).__name__
    if hasattr(value, "iloc") and hasattr(value, "shape"):  # pandas Series or DataFrame
        size, how = value.size, ".iloc[0]" if value.ndim == 1 else ".iloc[0, 0]"
        what = f"a pandas {kind}"
    elif hasattr(value, "shape") and hasattr(value, "item"):  # a numpy array
        size, how, what = value.size, ".item()", "a numpy array"
    elif isinstance(value, (list, tuple)):
        size, how, what = len(value), "[0]", f"a {kind}"
    else:
        return f"{kind} {_short(value)}"
    if size == 1:
        return f"{what} holding one value; take the value itself out with {how}"
    whole = "a whole column" if getattr(value, "ndim", 1) == 1 else "a whole table"
    return (f"{what} of {size} values ({whole}, not one number): add them up with .sum(), "
            "or pick the one the question asks for")


def __getattr__(name: str):
    # The feedback filter lives with the rest of the grading tools; it stays importable from
    # here, where course configurations written before it moved import it.
    if name == "HideHiddenTestErrors":
        from opsfirst.assignments.feedback import HideHiddenTestErrors

        return HideHiddenTestErrors
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
