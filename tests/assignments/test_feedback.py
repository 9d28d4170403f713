"""Feedback never shows a hidden test, whatever terminal escapes its error is wrapped in.

A hidden assert that fails leaves its line and message in the cell's error output; the course's
feedback filter (``HideHiddenTestErrors``, then nbgrader's ``ClearHiddenTests``) must take both
out. IPython colours tracebacks, and a learner's notebook can add any escape sequence it likes
(a hyperlink around a line, an erase-line, a cursor code): the line is recognised only after
every escape is stripped. Each case below is run through the same filters as the course's
``nbgrader_config.py`` and the HTML exporter nbgrader uses, and the page is searched for the
line and the message with every escape and tag taken out.
"""

from __future__ import annotations

import html
import re

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter
from nbgrader.preprocessors import ClearHiddenTests

from opsfirst.assignments.feedback import HIDDEN_FAILED, NO_ALT, FeedbackExporter, HideHiddenTestErrors
from opsfirst.assignments.notebooks import strip_escapes

LINE = "assert abs(agents_peak - 57) < 0.5, \"agents_peak should be 57 for the 11:00 peak\""
MESSAGE = "agents_peak should be 57 for the 11:00 peak"
SOURCE = ("expect_whole_number(agents_peak, 'agents_peak')\n### BEGIN HIDDEN TESTS\n"
          f"{LINE}\n### END HIDDEN TESTS")

# each wraps the words of the failing line differently, as a terminal (or a learner) would
WRAPS = {
    "IPython's 16 colours": lambda w: f"\x1b[0;31m{w}\x1b[0m",
    "256 colours": lambda w: f"\x1b[38;5;196m{w}\x1b[39m",
    "24-bit colour": lambda w: f"\x1b[38;2;255;0;0m{w}\x1b[0m",
    "bold and underline": lambda w: f"\x1b[1m\x1b[4m{w}\x1b[24m\x1b[22m",
    "erase to end of line": lambda w: f"{w}\x1b[K",
    "hidden cursor": lambda w: f"\x1b[?25l{w}\x1b[?25h",
    "hyperlink (OSC 8)": lambda w: f"\x1b]8;;file:///tmp/cell.py\x1b\\{w}\x1b]8;;\x1b\\",
    "window title (OSC, BEL)": lambda w: f"\x1b]0;grading\x07{w}",
    "charset switch": lambda w: f"\x1b(B{w}",
    "one-byte CSI": lambda w: f"\x9b31m{w}\x9b0m",
}
OLD = re.compile(r"\x1b\[[0-9;]*m")  # what the feedback filter stripped before: colours only


def wrapped(text: str, wrap) -> str:
    return " ".join(wrap(word) for word in text.split(" "))


def failed_cell(traceback: list[str], evalue: str):
    cell = nbformat.v4.new_code_cell(SOURCE)
    cell.metadata["nbgrader"] = {"grade_id": "agents_peak_tests", "grade": True, "solution": False,
                                 "locked": True, "points": 2, "schema_version": 3}
    cell.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue=evalue,
                                           traceback=traceback)]
    return cell


def feedback_page(cell) -> str:
    """The learner's page as the course's feedback filters and nbgrader's exporter make it."""
    nb = nbformat.v4.new_notebook(cells=[cell])
    resources = {}
    nb, resources = HideHiddenTestErrors().preprocess(nb, resources)
    nb, resources = ClearHiddenTests(enabled=True).preprocess(nb, resources)
    page, _ = FeedbackExporter().from_notebook_node(nb)
    return page


def plain(page: str) -> str:
    """What the learner reads: the page without its style sheets, scripts, tags and escapes."""
    page = re.sub(r"<(style|script)\b.*?</\1>", "", page, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", "", strip_escapes(page)))


@pytest.mark.parametrize("kind", WRAPS)
def test_no_trace_of_a_failed_hidden_assert_in_any_escapes(kind):
    """Check the line and message of a failed hidden assert, wrapped word by word in escapes, are
    nowhere on the feedback page, and the learner reads the plain sentence instead."""
    wrap = WRAPS[kind]
    traceback = [wrapped("AssertionError Traceback (most recent call last)", wrap),
                 "Cell In[7], line 3\n" + wrapped(LINE, wrap),
                 wrapped(f"AssertionError: {MESSAGE}", wrap)]
    cell = failed_cell(traceback, wrapped(MESSAGE, wrap))
    # the control: the old, colours-only stripping does not see the line in every case
    if kind not in ("IPython's 16 colours", "256 colours", "24-bit colour", "bold and underline"):
        assert LINE not in OLD.sub("", "\n".join(traceback))
    text = plain(feedback_page(cell))
    assert HIDDEN_FAILED in text
    for secret in (LINE, MESSAGE, "57", "11:00"):
        assert secret not in text, (kind, secret)


def test_a_hidden_message_alone_is_hidden_too():
    """Check %xmode Minimal's error (the message, no line): still recognised as the hidden test's."""
    cell = failed_cell([f"\x1b[0;31mAssertionError\x1b[0m: {MESSAGE}"], MESSAGE)
    text = plain(feedback_page(cell))
    assert MESSAGE not in text and HIDDEN_FAILED in text


def test_a_visible_check_keeps_its_teaching_message():
    """Check the filter leaves a visible test's failure alone: its message teaches."""
    said = "agents_peak should be a whole number, like 14; you gave 56.3."
    cell = failed_cell(["\x1b[0;31mAssertionError\x1b[0m Traceback",
                        "\x1b[0;32mexpect_whole_number\x1b[0m(agents_peak, 'agents_peak')",
                        f"AssertionError: {said}"], said)
    text = plain(feedback_page(cell))
    assert said in text and HIDDEN_FAILED not in text


PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5Erk"
       "Jggg==")


def a_learners_notebook():
    """Text, code, a plot (an image without alt text), images in markdown with and without alt
    text, a visible check that failed, and an HTML output that holds an image too."""
    nb = nbformat.v4.new_notebook()
    plot = nbformat.v4.new_code_cell("df.plot()")
    plot.outputs = [nbformat.v4.new_output("display_data", data={"image/png": PNG,
                                                                 "text/plain": "<Figure>"})]
    table = nbformat.v4.new_code_cell("df")
    table.outputs = [nbformat.v4.new_output("execute_result", execution_count=3, data={
        "text/html": f'<table><tr><td><img src="data:image/png;base64,{PNG}" width=4></td>'
                     '</tr></table>', "text/plain": "table"})]
    nb.cells = [nbformat.v4.new_markdown_cell("# Week 1\n\nService level is *calls* answered "
                                              "in 20 s over calls offered: 3 < 5 > 2."),
                nbformat.v4.new_markdown_cell(f'![a chart](data:image/png;base64,{PNG}) and '
                                              f'<img src="data:image/png;base64,{PNG}">'),
                plot, table, failed_cell(["AssertionError: agents_peak should be 57"],
                                         "agents_peak should be 57")]
    nb.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    return nb


@pytest.mark.parametrize("template", ["classic", "lab"])
def test_the_feedback_exporter_makes_nbconverts_page(template):
    """Check FeedbackExporter's page is HTMLExporter's, once both are read as HTML: the same
    elements, text and attributes, alt text on every image that had none (3 here)."""
    nb = a_learners_notebook()
    theirs, _ = HTMLExporter(template_name=template).from_notebook_node(nb)
    ours, _ = FeedbackExporter(template_name=template).from_notebook_node(nb)
    if template == "classic":  # nbgrader's feedback template is built on it: no lab cells
        assert str(BeautifulSoup(ours, features="html.parser")) == theirs
    else:  # the lab template's cells are made focusable only by nbconvert's own pass
        assert ours.count(f'alt="{NO_ALT}"') == theirs.count(f'alt="{NO_ALT}"') == 3
    assert ours.count("<img") == 4 and ours.count(f'alt="{NO_ALT}"') == 3


def test_templates_are_compiled_once_and_pages_stay_the_same(monkeypatch):
    """Check a second FeedbackExporter (a grading worker makes one per student) loads the
    compiled templates and makes the same page; a template whose source changed is compiled
    again, not served stale."""
    from opsfirst.assignments import feedback

    cache = feedback._TemplatesInMemory()
    monkeypatch.setattr(feedback, "_COMPILED", cache)
    nb = a_learners_notebook()
    first, _ = FeedbackExporter(template_name="classic").from_notebook_node(nb)
    compiled = dict(cache._compiled)
    assert compiled
    loaded = []
    monkeypatch.setattr(cache, "load_bytecode", lambda bucket: (
        loaded.append(bucket.key), feedback._TemplatesInMemory.load_bytecode(cache, bucket)))
    second, _ = FeedbackExporter(template_name="classic").from_notebook_node(nb)
    assert second == first and loaded and cache._compiled == compiled
    # a changed source: its checksum no longer matches, so it is compiled again
    from jinja2.bccache import Bucket
    from jinja2 import Environment
    bucket = Bucket(Environment(), next(iter(compiled)), "another checksum")
    cache.load_bytecode(bucket)
    assert bucket.code is None
