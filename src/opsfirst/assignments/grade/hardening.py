"""nbgrader preprocessors that make ``opsfirst grade`` fair against hostile notebooks.

``opsfirst grade`` puts these into each worker's nbgrader configuration (see
:func:`configure`); plain ``nbgrader autograde`` does not use them.

:class:`RestoreLockedCells` (sanitize step, before nbgrader's ``OverwriteCells``)
    Puts back every read-only cell (setup, test cells) a student deleted or edited, with
    :func:`opsfirst.assignments.notebooks.restore` — the same code ``opsfirst check`` uses — from the
    assignment's source. ``OverwriteCells`` then gives each its gradebook source (hidden tests
    included). nbgrader alone sends a deleted test cell to manual grading and exports 0.

:class:`HardenedExecute` (replaces nbgrader's ``Execute``)
    - **a kernel that dies** (``os._exit``, a segfault) costs only the cells from the crash on:
      the cell that was running and every later code cell get an error output
      (``KernelDied``), the earlier cells keep theirs, and nbgrader scores what ran;
    - **stderr**: after a *test* cell ran, its ``stderr`` stream outputs are removed (nbgrader
      gives 0 to a test cell that wrote to stderr — a warning raised by student code, a
      background thread printing — even when every assert passed). Errors are ``error``
      outputs, not streams: a failing test still fails;
    - **tampering**: a hidden *canary* cell is run after every test cell and at the end, and a
      first hidden cell snapshots ``builtins``. A canary raises ``AssertionError`` — through the
      same path as a failing test — only if the builtins are the ones the snapshot saw and the
      test helpers (``expect_number``, ``expect_whole_number``) still reject text (its traceback
      in IPython's ``Minimal`` mode, put back after the cell: a full traceback costs ~15 ms a
      canary, a student's own errors keep theirs). A canary that
      produces no error means something between the kernel and nbgrader's grading lies (an
      IPython input transformer that rewrites cells, a silenced traceback, patched builtins,
      redefined test helpers): every autograded test cell is then given an error output
      (``TamperingSuspected``), so the submission's autograded marks are 0. A test counts only
      if the canary after it ran: a kernel that dies between a test and its canary loses that
      test too. The canaries are removed from the notebook before it is saved; the findings
      are in ``nb.metadata["opsfirst_grade"]`` (``tampering``, ``kernel_died``), which
      ``opsfirst grade`` reads back for its output and CSV.
    - **an endless loop**: nbgrader's per-cell timeout (``c.Execute.timeout``,
      ``interrupt_on_timeout``) applies unchanged: the cell gets ``CellTimeoutError``, the
      notebook goes on. A loop that ignores the interrupt (``SIGINT`` ignored) is treated as a
      dead kernel: that cell and the later ones score 0, the earlier ones keep their marks
      (nbgrader alone fails the whole submission).

``configure`` also has each kernel shut down at once after its last cell (every output is in
by then; nbgrader's graceful shutdown only waits for the process, ~0.6 s a student measured).
With ``configure(..., sandbox=True)`` every kernel runs in :mod:`.sandbox` (its own
unprivileged user, a private read-only view of the system): it cannot read the gradebook, the
solutions or other students' work.

Limits: the canary is in the kernel's reach. A student who reads this file can write a
transformer that spares the canary cells (their text is randomised per run, not secret), and
an object that lies in comparisons is caught by the test cells' own type checks
(``expect_number``), not by the canary.
"""

from __future__ import annotations

import secrets

import nbformat
from nbformat.notebooknode import NotebookNode
from traitlets import Unicode

from nbgrader.preprocessors import Execute, NbGraderPreprocessor

from ..notebooks import is_test, meta, restore

__all__ = ["RestoreLockedCells", "HardenedExecute", "configure"]

META = "opsfirst_grade"
_ROLE = "opsfirst_role"


def _error(ename: str, evalue: str) -> NotebookNode:
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue,
                                  traceback=[f"{ename}: {evalue}"])


class RestoreLockedCells(NbGraderPreprocessor):
    """Put back deleted or edited read-only cells from the assignment's source notebook."""

    source = Unicode("", help="the assignment's source notebook (solutions/NN-slug/NN-slug.ipynb)"
                     ).tag(config=True)

    def preprocess(self, nb, resources):
        if not self.source:
            return nb, resources
        release = nbformat.read(self.source, as_version=4)
        restored = restore(nb, release)
        nb.cells = restored.cells
        return nb, resources


class HardenedExecute(Execute):
    """nbgrader's Execute, kept alive through a dead kernel, stderr-proof and with canaries."""

    def preprocess(self, nb, resources=None, km=None):
        token = secrets.token_hex(4)
        self._token, self._dead_at, self._stuck = token, None, False
        snapshot = f"_opsfirst_builtins_{token}"
        cells = [self._hidden("snapshot", f"""\
import builtins as _b_{token}
{snapshot} = dict(vars(_b_{token}))
del _b_{token}
_ip_{token}, _tb_{token} = get_ipython(), []
def _put_back_{token}(result):  # the traceback mode a canary changed, after its cell
    while _tb_{token}:
        _ip_{token}.InteractiveTB.set_mode(_tb_{token}.pop())
_ip_{token}.events.register("post_run_cell", _put_back_{token})
""")]
        for cell in nb.cells:
            cells.append(cell)
            if is_test(cell):
                cells.append(self._canary(token, snapshot))
        cells.append(self._canary(token, snapshot))
        nb.cells = cells
        try:
            nb, resources = super().preprocess(nb, resources, km)
        finally:
            nb, findings = self._judge(nb)
        nb.metadata[META] = findings
        return nb, resources

    @staticmethod
    def _hidden(role: str, source: str):
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata[_ROLE] = role
        return cell

    def _canary(self, token: str, snapshot: str):
        return self._hidden("canary", f"""\
import builtins as _b_{token}
_bad_{token} = [_n for _n, _v in {snapshot}.items()
              if _n not in ("_", "__", "___", "input", "raw_input") and getattr(_b_{token}, _n, None) is not _v]
for _n_{token} in ("expect_number", "expect_whole_number"):
    if _n_{token} in globals():
        try:
            globals()[_n_{token}]("canary", "canary")
            _bad_{token}.append(_n_{token})
        except AssertionError:
            pass
if not _bad_{token}:
    _tb_{token}.append(_ip_{token}.InteractiveTB.mode)
    _ip_{token}.InteractiveTB.set_mode("Minimal")
    assert False, "opsfirst canary {token}"
""")

    def preprocess_cell(self, cell, resources, index):
        from nbclient.exceptions import CellTimeoutError, DeadKernelError

        if self._dead_at is not None:
            if cell.cell_type == "code":
                cell.outputs = [_error("KernelDied", "not run: the kernel died in an earlier cell")]
            return cell, resources
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except (DeadKernelError, CellTimeoutError) as error:
            # CellTimeoutError reaches here only when the interrupt did not stop the cell
            # (SIGINT ignored): the kernel is stuck and is shut down like a dead one.
            self._dead_at, self._stuck = index, isinstance(error, CellTimeoutError)
            why = ("ran past the cell timeout and could not be interrupted" if self._stuck
                   else "the kernel died while this cell ran (os._exit, a crash)")
            cell.outputs = list(cell.get("outputs", [])) + [_error("KernelDied", why)]
            return cell, self.resources
        if is_test(cell):
            cell.outputs = [o for o in cell.outputs
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
        return cell, resources

    def _judge(self, nb):
        """Check the canaries, zero the tests if one lied, take the hidden cells out."""
        tampering, died, confirmed, kept = False, None, set(), []
        pending = []  # test cells waiting for their canary
        for cell in nb.cells:
            role = cell.metadata.get(_ROLE)
            outputs = cell.get("outputs", [])
            dead = any(o.get("ename") == "KernelDied" for o in outputs if o.get("output_type") == "error")
            if dead and died is None:
                died = meta(cell).get("grade_id") or ("a hidden grading cell" if role else "a cell")
            if role == "canary":
                ran = not dead and cell.get("execution_count") is not None
                failed = any(o.get("output_type") == "error" and f"canary {self._token}" in
                             str(o.get("evalue", "")) for o in outputs)
                if ran and not failed:
                    tampering = True
                if ran and failed:
                    confirmed.update(id(c) for c in pending)
                pending = []
                continue
            if role:
                continue
            if is_test(cell):
                pending.append(cell)
            kept.append(cell)
        nb.cells = kept
        for cell in kept:
            if not is_test(cell):
                continue
            if tampering:
                cell.outputs = [_error("TamperingSuspected",
                                       "a hidden check found the grading tampered with; "
                                       "autograded marks withheld")]
            elif id(cell) not in confirmed and not any(o.get("output_type") == "error"
                                                        for o in cell.get("outputs", [])):
                cell.outputs = list(cell.get("outputs", [])) + [_error(
                    "KernelDied", "not counted: the kernel died before this test could be confirmed")]
        return nb, {"tampering": tampering, "kernel_died": died, "kernel_stuck": self._stuck}


def _check_metadata_with_one_validator() -> None:
    """Have nbgrader check each cell's metadata with one jsonschema validator per schema.

    nbgrader's ``CheckCellMetadata`` (twice per submission) calls ``jsonschema.validate`` on
    every cell, which checks the schema itself against its meta-schema each time and builds a
    new validator: ~0.1 s a submission. This does what ``jsonschema.validate`` does (the same
    validator class, the same best error raised), building the validator once per schema.
    """
    import json
    import types

    import jsonschema
    from nbgrader.nbgraderformat import common

    if getattr(common.jsonschema, "opsfirst_cached", False):
        return
    validators = {}

    def validate(instance, schema):
        key = json.dumps(schema, sort_keys=True)
        validator = validators.get(key)
        if validator is None:
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            validator = validators[key] = cls(schema)
        error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
        if error is not None:
            raise error

    common.jsonschema = types.SimpleNamespace(validate=validate, opsfirst_cached=True)


def configure(config, source: str, sandbox: bool = False) -> None:
    """Make an nbgrader ``Autograde`` run (``config``) use the hardening above; with
    ``sandbox``, every kernel runs in :mod:`.sandbox` (check its ``status()`` first)."""
    from nbgrader.converters import Autograde

    traits = Autograde.class_traits()

    def chain_of(name):
        configured = config.Autograde.get(name) if name in config.Autograde else None
        return list(configured if configured is not None else traits[name].default())

    sanitize = chain_of("sanitize_preprocessors")
    at = next(i for i, p in enumerate(sanitize) if p.__name__ == "OverwriteCells")
    sanitize.insert(at, RestoreLockedCells)
    chain = [HardenedExecute if p is Execute else p
             for p in chain_of("autograde_preprocessors")]
    config.Autograde.sanitize_preprocessors = sanitize
    config.Autograde.autograde_preprocessors = chain
    config.RestoreLockedCells.source = str(source)
    _check_metadata_with_one_validator()
    # every output is in once the last cell is idle: a graceful shutdown only waits (per student
    # 3.80 s instead of 4.45 s with 2 workers, medians of 16; benchmarks/README.md)
    config.HardenedExecute.shutdown_kernel = "immediate"
    if sandbox:
        from .sandbox import SandboxedKernelManager

        config.HardenedExecute.kernel_manager_class = SandboxedKernelManager
