"""The build's order: the notebooks' kernels start first, their cells run once the tables are
written, while the figures are drawn; and the notebook process itself."""

from __future__ import annotations

import time

import nbformat
import pytest


class _FakeNotebooks:
    """Stands in for build._Notebooks and records when the build calls it."""

    def __init__(self, seen: list, fail: str = ""):
        self.seen, self.fail = seen, fail
        seen.append("kernels start")

    def go(self):
        self.seen.append("go")

    def stop(self):
        self.seen.append("stop")

    def result(self):
        self.seen.append("result")
        if self.fail:
            from analysis.build import BuildError

            raise BuildError(self.fail)


@pytest.fixture
def fake_build(monkeypatch):
    import analysis.build as build
    import analysis.manifest as manifest

    seen, opts = [], {"fail": "", "tables_fail": False}
    monkeypatch.setattr(manifest, "verify_manifest", lambda raw: [])
    monkeypatch.setattr(build, "clean_raw", lambda: seen.append("clean"))

    def tables():
        if opts["tables_fail"]:
            raise build.InputError("no tables", file="x.csv")
        seen.append("tables")
        return None, None

    monkeypatch.setattr(build, "_tables", tables)
    monkeypatch.setattr(build, "_figures", lambda ds, t: seen.append("figures"))
    monkeypatch.setattr(build, "_Notebooks", lambda: _FakeNotebooks(seen, opts["fail"]))
    return build, seen, opts


def test_kernels_start_first_and_cells_wait_for_the_tables(fake_build):
    build, seen, opts = fake_build
    assert build.build() == 0
    assert seen == ["kernels start", "clean", "tables", "go", "figures", "result"]

    seen.clear()
    opts["fail"] = "01-x.ipynb: a cell failed: boom"
    with pytest.raises(build.BuildError, match="01-x.ipynb"):
        build.build()
    assert seen[-2:] == ["figures", "result"]  # the figures are drawn all the same

    seen.clear()
    opts["fail"], opts["tables_fail"] = "", True
    with pytest.raises(build.InputError):
        build.build()
    assert seen == ["kernels start", "clean", "stop"]  # nothing runs, the kernels are stopped

    seen.clear()
    opts["tables_fail"] = False
    assert build.build(notebooks=False) == 0
    assert seen == ["clean", "tables", "figures"]


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)


def test_cells_wait_for_the_gate_in_a_started_kernel(tmp_path, monkeypatch):
    """The kernel starts (and runs its start-up lines) before the gate opens; the notebook's
    cells run only after."""
    import threading

    import analysis._notebooks as notebooks

    src, out = tmp_path / "nb", tmp_path / "out"
    src.mkdir()
    ready, ran = tmp_path / "kernel-ready.txt", tmp_path / "ran.txt"
    monkeypatch.setattr(notebooks, "WARM", [
        f"--IPKernelApp.exec_lines=open({str(ready)!r}, 'w').write('x')"])
    _notebook(src / "01-a.ipynb", f"open({str(ran)!r}, 'w').write('x')", "print(1 + 1)")
    gate = notebooks.Gate()
    worker = threading.Thread(target=notebooks.render, args=(src, out, gate))
    worker.start()
    try:
        for _ in range(600):  # the kernel is up, its start-up lines run
            if ready.exists():
                break
            time.sleep(0.1)
        assert ready.exists()
        time.sleep(1.0)  # a cell that did not wait would have run by now
        assert not ran.exists()
    finally:
        gate.open()
        worker.join(120)
    assert ran.exists()
    assert nbformat.read(out / "01-a.ipynb", as_version=4).cells[1].outputs[0]["text"] == "2\n"


def test_the_notebook_process_runs_and_reports_a_failed_cell(tmp_path):
    from analysis.build import BuildError, _Notebooks

    src, out = tmp_path / "nb", tmp_path / "out"
    src.mkdir()
    _notebook(src / "01-a.ipynb", "print(1 + 1)")
    rendering = _Notebooks(src, out)
    rendering.go()
    rendering.result()
    assert nbformat.read(out / "01-a.ipynb", as_version=4).cells[0].outputs[0]["text"] == "2\n"
    assert (out / "01-a.html").stat().st_size > 0

    _notebook(src / "02-b.ipynb", "raise ValueError('boom in a cell')")
    rendering = _Notebooks(src, out)
    rendering.go()
    with pytest.raises(BuildError, match="02-b.ipynb: a cell failed: .*boom in a cell"):
        rendering.result()


def test_the_notebook_process_runs_nothing_when_stopped(tmp_path):
    from analysis.build import _Notebooks

    src, out = tmp_path / "nb", tmp_path / "out"
    src.mkdir()
    stamp = tmp_path / "ran.txt"
    _notebook(src / "01-a.ipynb", f"open({str(stamp)!r}, 'w').write('x')")
    rendering = _Notebooks(src, out)
    rendering.stop()
    assert not stamp.exists() and not (out / "01-a.ipynb").exists()
