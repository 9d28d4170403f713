"""Feedback that never shows a hidden test: the filter nbgrader's ``generate_feedback`` runs.

nbgrader's ``ClearHiddenTests`` removes the hidden tests' *source* from feedback, but when a
hidden assert fails, its line and message are still in the cell's error *output*.
:class:`HideHiddenTestErrors` (the course's ``nbgrader_config.py`` puts it before
``ClearHiddenTests``) replaces such an error with a plain sentence. It recognises one with
:func:`opsfirst.assignments.notebooks.quotes_hidden`, after stripping every terminal escape
sequence, so colour codes cannot break up a quoted line; visible tests keep their messages:
they teach.

:class:`FeedbackExporter` is nbconvert's HTML exporter without its last pass, which parses the
whole page again with BeautifulSoup (nbgrader's feedback page holds all of Bootstrap's CSS):
half of the time feedback took, 0.25 s a student measured (``benchmarks/README.md``).
"""

from __future__ import annotations

import re

from jinja2 import BytecodeCache
from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from .notebooks import error_text, meta, quotes_hidden

__all__ = ["HIDDEN_FAILED", "HideHiddenTestErrors", "hide_hidden_errors", "FeedbackExporter"]

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


NO_ALT = "No description has been provided for this image"
_IMAGE_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\salt=)([^>]*?)\s*(/?)>")


class _TemplatesInMemory(BytecodeCache):
    """Compiled templates kept for the life of the process (a grading worker makes one
    exporter per student); Jinja checks each one against its template's source."""

    def __init__(self):
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self._compiled:
            bucket.bytecode_from_string(self._compiled[bucket.key])

    def dump_bytecode(self, bucket):
        self._compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _TemplatesInMemory()


class FeedbackExporter(HTMLExporter):
    """nbconvert's ``HTMLExporter`` for feedback pages, without the BeautifulSoup pass.

    ``HTMLExporter.from_notebook_node`` renders the page, then parses all of it again to give
    every image without one an ``alt`` text and to make JupyterLab's cells focusable. A
    feedback page (nbgrader's template, built on nbconvert's *classic* one, with Bootstrap's
    CSS inline) has no JupyterLab cells, so only the images are left to do, and a regular
    expression does them: the same page, in half the time (``tests/assignments/
    test_feedback.py`` compares the two). Its templates are compiled once per process, not
    once per page. The course's ``nbgrader_config.py`` makes ``generate_feedback`` use it.
    """

    def _create_environment(self):
        environment = super()._create_environment()
        environment.bytecode_cache = _COMPILED  # the template is compiled once per process
        return environment

    def from_notebook_node(self, nb, resources=None, **kw):
        info = nb.metadata.get("language_info", {})
        lexer = info.get("pygments_lexer", info.get("name", None))
        self.register_filter("highlight_code", self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        page, missing = _IMAGE_WITHOUT_ALT.subn(rf'<img\1 alt="{NO_ALT}"\2>', page)
        if missing:
            self.log.warning("Alternative text is missing on %s image(s).", missing)
        return page, resources
