"""Writes the Jupyter kernelspec "heatwave": the Java kernel (rapaio-jupyter-kernel) with heatwave on its class path.

usage: kernel_spec.py ROOT KERNELS_DIR [--heap 6g] [--java-opt OPTION ...] [--log FILE]

ROOT is the repository (its pipeline/target holds the app jar, classpath.txt and jvm-flags.txt that bin/heatwave
uses; notebooks/target/kernel holds the kernel jar). The spec goes to KERNELS_DIR/heatwave/kernel.json, replacing an
older one. The kernel JVM gets heatwave's JVM flags (Spark's module flags, the Vector API), a heap, headless AWT and
notebook logging to a file (conf/log4j2-notebook.properties); cells run in that JVM (JShell) on its class path.

Where chrt(1) exists and may do so (Linux) the kernel runs under SCHED_BATCH. The kernel (3.0.1; 3.0.4 is the same) starts the poll
loop of its shell, control and heartbeat channels with a thread that checks its "running" flag before the starting
thread has set it whenever the new thread runs first: that channel then never polls, and the kernel never answers.
On a busy 2-core machine that happens to ≈ 5 % of such thread starts, so to about one kernel start in seven. A
SCHED_BATCH thread does not preempt the thread that woke it: 2 of 20,000 starts instead of 1,118
(bench/ThreadStartRace.java, BENCHMARKS.md).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys


def batch_scheduling_allowed():
    """Whether chrt exists and may switch a process to SCHED_BATCH here (a locked-down container may forbid it)."""
    if not shutil.which("chrt"):
        return False
    return subprocess.run(["chrt", "--batch", "0", "true"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root")
    parser.add_argument("kernels_dir")
    parser.add_argument("--heap", default="6g")
    parser.add_argument("--java-opt", action="append", default=[], help="another JVM option (repeatable)")
    parser.add_argument("--log", default=None, help="log file (default: ROOT/notebooks/target/heatwave-notebook.log)")
    a = parser.parse_args()
    root = os.path.abspath(a.root)
    target = os.path.join(root, "pipeline", "target")
    app_jar = os.path.join(target, "heatwave-pipeline-0.1.0-SNAPSHOT-app.jar")
    kernel_jar = os.path.join(root, "notebooks", "target", "kernel", "rapaio-jupyter-kernel.jar")
    for f in (app_jar, kernel_jar, os.path.join(target, "classpath.txt"), os.path.join(target, "jvm-flags.txt")):
        if not os.path.isfile(f):
            sys.exit(f"kernel_spec: {f} is missing: build first (mvn -B -DskipTests install)")
    with open(os.path.join(target, "jvm-flags.txt")) as f:
        flags = f.read().split()
    with open(os.path.join(target, "classpath.txt")) as f:
        classpath = [app_jar] + [p for p in f.read().strip().split(":") if p]
    log = a.log or os.path.join(root, "notebooks", "target", "heatwave-notebook.log")
    batch = ["chrt", "--batch", "0"] if batch_scheduling_allowed() else []
    spec = {
        "argv": [*batch, "java", *flags, f"-Xmx{a.heap}", "-Djava.awt.headless=true",
                 f"-Dlog4j2.configurationFile={os.path.join(root, 'conf', 'log4j2-notebook.properties')}",
                 f"-Dheatwave.log.file={log}", *a.java_opt,
                 "-jar", kernel_jar, "{connection_file}"],
        "display_name": "Java (heatwave)",
        "language": "java",
        "interrupt_mode": "message",
        "env": {
            # the kernel's separator is ';'
            "RJK_CLASSPATH": ";".join(classpath),
            "RJK_COMPILER_OPTIONS": "--add-modules jdk.incubator.vector",
            "RJK_TIMEOUT_MILLIS": "-1",
            "SPARK_LOCAL_IP": "127.0.0.1",
        },
    }
    out = os.path.join(a.kernels_dir, "heatwave")
    os.makedirs(out, exist_ok=True)
    tmp = os.path.join(out, "kernel.json.tmp")
    with open(tmp, "w") as f:
        json.dump(spec, f, indent=1)
    os.replace(tmp, os.path.join(out, "kernel.json"))
    print(out)


if __name__ == "__main__":
    main()
