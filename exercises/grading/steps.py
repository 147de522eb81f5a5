"""The grading pipeline: nbgrader's own steps, in nbgrader's order, plus three of ours.

Order is data: :data:`SANITIZE_STEPS`, then :data:`AUTOGRADE_STEPS`, mirror nbgrader's
``Autograde.sanitize_preprocessors`` and ``Autograde.autograde_preprocessors`` (a test
compares them), with these differences:

* ``Execute`` becomes :class:`BoxedExecute`: same nbgrader Execute, configured from the
  course (per-cell ``timeout``, ``interrupt_on_timeout``, ``kernel_name``), but the
  kernel starts in the box (see ``kernel.py``), the whole notebook also has one
  wall-clock budget, output is capped while it arrives, and a stopped kernel becomes
  a reason instead of a crash.
* :class:`MarkChecksNotRun` follows it: a check that never ran must score zero, not
  full marks (nbgrader scores a code check without an error as passed).
* :class:`StartNextPhase` sits between the phases, where nbgrader writes the notebook
  to disk and reads it back.
* ``AssignLatePenalties`` is left out: a bulk download carries no submission times.
"""
from __future__ import annotations

import time
from queue import Empty

import nbformat

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    Execute,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    NbGraderPreprocessor,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)
from traitlets import Any as AnyTrait
from traitlets import Float, Integer

from jupyter_core.utils import ensure_async, run_sync
from nbclient.util import run_hook

from .kernel import BoxedKernelManager, discard_kernel

NOT_RUN_NAME = "CheckNotRun"


class BoxedExecute(Execute):
    """nbgrader's Execute with a boxed kernel and one deadline for the whole notebook.

    Afterwards ``resources["grading"]`` holds ``stopped`` (None, "timeout" or "crashed")
    and ``stopped_detail``.
    """

    box = AnyTrait(None, allow_none=True)
    notebook_timeout = Float(60.0)
    max_output_bytes = Integer(100 * 1024)
    spare_manager = AnyTrait(None, allow_none=True)  # a kernel the worker booted ahead of time

    def __init__(self, **kwargs):
        kwargs.setdefault("kernel_manager_class", BoxedKernelManager)
        super().__init__(**kwargs)
        # Kill at once at the end: nobody is waiting for a polite goodbye.
        self.shutdown_kernel = "immediate"
        # The course's per-cell limit (nbgrader's Execute.timeout; None or <= 0: none):
        # preprocess_cell sets self.timeout to it or to what is left of the notebook's.
        self.cell_timeout = self.timeout if self.timeout and self.timeout > 0 else None

    def _wanted_kernel(self) -> str:
        from jupyter_client.kernelspec import NATIVE_KERNEL_NAME

        name = self.kernel_name or self.nb.metadata.get("kernelspec", {}).get("name") or NATIVE_KERNEL_NAME
        return NATIVE_KERNEL_NAME if name == "python" else name

    def create_kernel_manager(self):
        # A kernel the worker started ahead of time, when it is still alive and the
        # kernel this notebook asks for.
        spare, self.spare_manager = self.spare_manager, None
        if (spare is not None and spare.kernel_name == self._wanted_kernel() and spare.has_kernel
                and run_sync(spare.is_alive)()):
            self.km = self._manager = spare
            return spare
        discard_kernel(spare)
        manager = super().create_kernel_manager()
        self.box.configure(manager)
        self._manager = manager
        return manager

    async def async_start_new_kernel_client(self):
        """nbclient's own, with a quicker wait for the kernel (see :meth:`_wait_until_ready`)."""
        self.kc = self.km.client()
        try:
            await ensure_async(self.kc.start_channels())
            await self._wait_until_ready(self.startup_timeout)
        except Exception:
            await self._async_cleanup_kernel()
            raise
        self.kc.allow_stdin = False
        await run_hook(self.on_notebook_start, notebook=self.nb)
        return self.kc

    start_new_kernel_client = run_sync(async_start_new_kernel_client)

    async def _wait_until_ready(self, timeout: float) -> None:
        """jupyter_client's ``wait_for_ready``, less its last step: after the kernel has
        answered, it drains IOPub until nothing has arrived for 0.2 s, which costs 0.2 s
        per notebook. Nothing needs the drain: nbclient ignores messages that do not
        answer its own requests."""
        client = self.kc
        deadline = time.monotonic() + timeout
        while True:
            client.kernel_info()
            try:
                reply = await ensure_async(client.shell_channel.get_msg(timeout=1))
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:  # IOPub is connected once anything arrives on it
                    await ensure_async(client.iopub_channel.get_msg(timeout=0.2))
                except Empty:
                    pass
                else:
                    client._handle_kernel_info_reply(reply)
                    return
            if not await ensure_async(client.is_alive()):
                raise RuntimeError("The kernel stopped before it was ready.")
            if time.monotonic() > deadline:
                raise RuntimeError(f"The kernel did not answer within {timeout:g} seconds.")

    def preprocess(self, nb, resources=None, km=None):
        report = resources.setdefault("grading", {})
        report.update(stopped=None, stopped_detail="")
        self._deadline = time.monotonic() + self.notebook_timeout
        self._manager = None
        self._output_sizes: dict[int, int] = {}
        try:
            return super().preprocess(nb, resources, km)
        except (CellTimeoutError, TimeoutError) as error:
            report.update(stopped="timeout", stopped_detail=str(error)[:200])
        except DeadKernelError as error:
            # A kernel that dies once the time is up ran out of time; before that, it crashed.
            if time.monotonic() >= self._deadline:
                report.update(stopped="timeout")
            else:
                report.update(stopped="crashed", stopped_detail=str(error)[:200])
        except RuntimeError as error:
            report.update(stopped="crashed", stopped_detail=str(error)[:200])
        finally:
            # nbclient has shut the kernel down; this also ends whatever it started.
            if self._manager is not None:
                self._manager.kill_process_group()
                self._manager = None
        return nb, resources

    def preprocess_cell(self, cell, resources, index):
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise CellTimeoutError("The notebook ran out of time.")
        # Each cell gets the course's per-cell limit, or what is left of the notebook's
        # budget when that is less. A cell stopped by the course's limit is interrupted
        # and the notebook goes on when interrupt_on_timeout says so, as in nbgrader;
        # when the notebook's budget is out, the next cell stops the notebook.
        left = max(1, int(remaining + 0.999))
        self.timeout = min(self.cell_timeout, left) if self.cell_timeout else left
        resources.setdefault("grading", {})["cell_timeout"] = self.cell_timeout
        return super().preprocess_cell(cell, resources, index)

    def output(self, outs, msg, display_id, cell_index):
        """Keep at most ``max_output_bytes`` of a cell's output, as it arrives."""
        size = len(str(msg.get("content", "")))
        used = self._output_sizes.get(cell_index, 0)
        self._output_sizes[cell_index] = used + size
        if used + size <= self.max_output_bytes:
            return super().output(outs, msg, display_id, cell_index)
        if used <= self.max_output_bytes:
            note = NotebookNode(output_type="stream", name="stderr", text=(
                f"\n... output cut: this cell printed more than {self.max_output_bytes // 1024} KB ...\n"))
            outs.append(note)
        return None


class MarkChecksNotRun(NbGraderPreprocessor):
    """Give a check that never ran an error output, so that it scores zero."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and utils.is_grade(cell) and cell.get("execution_count") is None:
            cell.outputs = [NotebookNode(
                output_type="error", ename=NOT_RUN_NAME,
                evalue="This check did not run because the notebook stopped before it.",
                traceback=[])]
        return cell, resources


class StartNextPhase(NbGraderPreprocessor):
    """Between phases nbgrader writes the notebook to disk and reads it back; we keep it
    in memory, so we rebuild it the way reading does (restored cells arrive as plain
    dicts, which later steps cannot use)."""

    def preprocess(self, nb, resources):
        return nbformat.from_dict(nb), resources


SANITIZE_STEPS = (ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells, CheckCellMetadata)
AUTOGRADE_STEPS = (
    BoxedExecute,
    MarkChecksNotRun,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    CheckCellMetadata,
)
FEEDBACK_STEPS = (GetGrades,)
PIPELINE = SANITIZE_STEPS + (StartNextPhase,) + AUTOGRADE_STEPS + (StartNextPhase,) + FEEDBACK_STEPS


def build_pipeline(config, box, settings) -> list:
    """One instance of each step, configured from the course's nbgrader config."""
    steps = []
    for step_class in PIPELINE:
        step = step_class(config=config)
        if isinstance(step, BoxedExecute):
            step.box = box
            step.notebook_timeout = settings.timeout
            step.max_output_bytes = settings.max_output_bytes
        steps.append(step)
    return steps
