"""Executes notebooks headless with the heatwave kernel and checks their key outputs.

usage: execute.py OUT_DIR NOTEBOOK... [--retries N] [--update]

Each notebook is run top to bottom in a fresh kernel (nbclient) within its time limit (metadata "heatwave":
{"limit_seconds": S}, default 300: no cell may run longer, and the whole notebook fails if it takes longer) and written, with its outputs, to OUT_DIR (and back
over the source with --update: how the committed outputs are made). A kernel that does not answer within 60 s (a
healthy one answers within seconds; see kernel_spec.py for the start-up race that made one start in seven hang) is
retried; a cell that fails stops that notebook and is reported with its number
and error. Then the checks the notebook carries in its metadata, "heatwave": {"checks": [...]}, each one of
  {"pattern": REGEX, "min": X}        the first group of REGEX over the text outputs, as a number, is >= X
  {"pattern": REGEX, "max": X}        ... is <= X
  {"pattern": REGEX, "equals": TEXT}  ... is exactly TEXT
  {"pattern": REGEX}                  REGEX occurs in the text outputs
  {"figures": N}                      at least N images among the outputs
Prints a line per notebook and last "N passed, N failed"; exits 1 if any failed.
"""
import argparse
import os
import re
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def coalesce_streams(nb):
    """Joins each cell's consecutive outputs to the same stream (the kernel sends every print separately)."""
    for cell in nb.cells:
        merged = []
        for out in cell.get("outputs", []):
            if (out.get("output_type") == "stream" and merged and merged[-1].get("output_type") == "stream"
                    and merged[-1].get("name") == out.get("name")):
                merged[-1]["text"] = merged[-1]["text"] + out["text"]
            else:
                merged.append(out)
        if cell.get("cell_type") == "code":
            cell["outputs"] = merged


def text_of(nb):
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append(out.get("text", ""))
            for mime in ("text/plain", "text/html", "text/markdown"):
                data = out.get("data", {}).get(mime)
                if data:
                    parts.append(data if isinstance(data, str) else "".join(data))
    return "\n".join(parts)


def figures_of(nb):
    return sum(1 for cell in nb.cells for out in cell.get("outputs", []) if "image/png" in out.get("data", {}))


def check(nb):
    """The failed checks of an executed notebook, as messages."""
    failures = []
    text = text_of(nb)
    for c in nb.metadata.get("heatwave", {}).get("checks", []):
        if "figures" in c:
            n = figures_of(nb)
            if n < c["figures"]:
                failures.append(f"{n} figures, expected at least {c['figures']}")
            continue
        m = re.search(c["pattern"], text, re.MULTILINE)
        if m is None:
            failures.append(f"no output matches /{c['pattern']}/")
            continue
        value = m.group(1) if m.groups() else m.group(0)
        if "equals" in c and value != c["equals"]:
            failures.append(f"/{c['pattern']}/ gave {value}, expected exactly {c['equals']}")
        if "min" in c and float(value) < c["min"]:
            failures.append(f"/{c['pattern']}/ gave {value}, expected at least {c['min']}")
        if "max" in c and float(value) > c["max"]:
            failures.append(f"/{c['pattern']}/ gave {value}, expected at most {c['max']}")
    return failures


def failing_cell(nb):
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return i, f"{out.get('ename', '')}: {out.get('evalue', '')}".strip()
    return None, None


def run(path, out_dir, retries, update):
    name = os.path.basename(path)
    for attempt in range(1, retries + 2):
        nb = nbformat.read(path, as_version=4)
        timeout = nb.metadata.get("heatwave", {}).get("limit_seconds", 300)
        client = NotebookClient(nb, timeout=timeout, kernel_name="heatwave", startup_timeout=60,
                                resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
        start = time.time()
        try:
            client.execute()
        except (CellExecutionError, CellTimeoutError) as e:
            coalesce_streams(nb)
            index, error = failing_cell(nb)
            where = f"cell {index}" if index is not None else "a cell"
            nbformat.write(nb, os.path.join(out_dir, name))
            first = (error or str(e)).splitlines()[0] if (error or str(e)) else ""
            return False, f"{name}: {where} failed after {time.time() - start:.0f} s: {first}"
        except (RuntimeError, DeadKernelError, TimeoutError) as e:
            # the kernel did not start or died before running anything: start it again
            print(f"{name}: kernel failure on attempt {attempt} ({type(e).__name__}: {str(e).splitlines()[0]})",
                  flush=True)
            if attempt <= retries:
                continue
            return False, f"{name}: the kernel failed {attempt} times"
        seconds = time.time() - start
        coalesce_streams(nb)
        nbformat.write(nb, os.path.join(out_dir, name))
        if update:
            nbformat.write(nb, path)
        failures = check(nb)
        if seconds > timeout:
            failures.append(f"took {seconds:.0f} s, over its limit of {timeout} s")
        if failures:
            return False, f"{name}: ran in {seconds:.0f} s but " + "; ".join(failures)
        return True, f"{name}: ran in {seconds:.0f} s, {figures_of(nb)} figures, checks passed"
    return False, f"{name}: not run"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir")
    parser.add_argument("notebooks", nargs="+")
    parser.add_argument("--retries", type=int, default=2)
    parser.add_argument("--update", action="store_true")
    a = parser.parse_args()
    os.makedirs(a.out_dir, exist_ok=True)
    passed = failed = 0
    for path in a.notebooks:
        ok, message = run(path, a.out_dir, a.retries, a.update)
        print(message, flush=True)
        if ok:
            passed += 1
        else:
            failed += 1
    print(f"{passed} passed, {failed} failed")
    sys.exit(0 if failed == 0 else 1)


if __name__ == "__main__":
    main()
