"""Execute the notebooks and write them with their HTML (``python -m analysis build``).

``python -m analysis._notebooks SRC OUT FAILURE`` is the build's notebook process: it starts a
kernel per notebook at once (up to four), loads in each the modules the notebooks import, and
runs the cells when a line ``go`` arrives on its standard input (``stop`` or the end of input:
the kernels are shut down, nothing runs). A failed cell's message goes to the file FAILURE and
the exit status is 1.
"""

from __future__ import annotations

import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

#: Kernels at once.
KERNELS = 4
#: Notebooks whose cells run at once: two cores, and the build draws its figures meanwhile.
RUNNING = 2
#: Options for a kernel that waits for the tables. ``exec_lines`` (IPython's documented
#: start-up code) loads the modules every notebook imports while the build cleans, then unbinds
#: the names the import bound: a cell sees only the names it and the cells before it bind, as in
#: JupyterLab. The log level keeps the kernel's notice about unencrypted local TCP (ipykernel 7)
#: out of the build's output: the kernels listen on this machine only, and their messages are
#: signed.
WARM = ["--IPKernelApp.exec_lines=import analysis.products, analysis.figures, matplotlib.pyplot;"
        " del analysis, matplotlib",
        "--IPKernelApp.log_level=ERROR"]


class Gate:
    """Holds the cells back until the tables they read are written, then lets ``running``
    notebooks run at once; or, closed, lets none run."""

    def __init__(self, running: int = RUNNING) -> None:
        self._decided = threading.Event()
        self._go = False
        self.turn = threading.BoundedSemaphore(running)

    def open(self) -> None:
        self._go = True
        self._decided.set()

    def close(self) -> None:
        self._decided.set()

    def wait(self) -> bool:
        """Block until decided; whether the cells may run."""
        self._decided.wait()
        return self._go


def render_one(nb_path: Path, out: Path, gate: Gate | None = None) -> list[Path]:
    """Execute one notebook (in its folder) and write it and its HTML into ``out``; with
    ``gate``, its kernel starts now and its cells wait for the gate."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    from .build import BuildError, _say

    nb = nbformat.read(nb_path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(nb_path.parent)}},
                            extra_arguments=[] if gate is None else list(WARM))
    if gate is not None:
        client.create_kernel_manager()
        client.start_new_kernel()
        if not gate.wait():
            with client.setup_kernel():  # on leaving, the waiting kernel is shut down
                return []
    try:
        if gate is None:
            client.execute()
        else:
            with gate.turn:
                client.execute()
    except CellExecutionError as exc:
        first = str(exc).strip().splitlines()[-1] if str(exc).strip() else "error"
        raise BuildError(f"{nb_path.name}: a cell failed: {first}") from None
    from nbconvert import HTMLExporter

    target = out / nb_path.name
    nbformat.write(nb, target)
    html, _ = HTMLExporter().from_notebook_node(nb)
    target.with_suffix(".html").write_text(html, encoding="utf-8")
    _say(f"  executed {nb_path.name}")
    return [target, target.with_suffix(".html")]


def render(src: Path, out: Path, gate: Gate | None = None) -> list[Path]:
    """Execute every ``NN-*.ipynb`` in ``src`` (up to :data:`KERNELS` kernels at a time) and
    write the executed notebooks and their HTML into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    books = sorted(src.glob("[0-9][0-9]-*.ipynb"))
    with ThreadPoolExecutor(max_workers=max(1, min(len(books), KERNELS))) as pool:
        done = list(pool.map(lambda p: render_one(p, out, gate), books))
    return [p for paths_ in done for p in paths_]


def main(argv: list[str]) -> int:
    """The build's notebook process (see the module's docstring)."""
    from .build import BuildError

    src, out, failure = (Path(a) for a in argv)
    gate = Gate()

    def listen() -> None:
        word = sys.stdin.readline().strip()
        gate.open() if word == "go" else gate.close()

    threading.Thread(target=listen, daemon=True).start()
    try:
        render(src, out, gate)
    except BuildError as exc:
        failure.write_text(str(exc), encoding="utf-8")
        return 1
    except Exception as exc:  # a kernel that would not start, ...: the build says what
        failure.write_text(f"rendering the notebooks failed: {type(exc).__name__}: {exc}",
                           encoding="utf-8")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
