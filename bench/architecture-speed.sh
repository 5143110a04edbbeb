#!/usr/bin/env bash
# Compute cost of one training step per architecture config, interleaved in one JVM (bench/ArchitectureSpeed.java):
#   bench/architecture-speed.sh [CONFIG…]        default: every conf/compare/*-150k.conf, parabolic first
# Environment: BATCH (default 32), ROUNDS (default 30). Builds the pipeline if needed (via bin/heatwave's build).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ $# -eq 0 ]]; then
  set -- "$root/conf/compare/parabolic-150k.conf" $(ls "$root"/conf/compare/*-150k.conf | grep -v parabolic)
fi
"$root/bin/heatwave" --version > /dev/null   # builds the project if any source is newer than the jar
read -r -a flags < "$root/pipeline/target/jvm-flags.txt"
exec java "${flags[@]}" -Xmx4g -Dlog4j2.level=warn \
  -cp "$root/pipeline/target/heatwave-pipeline-0.1.0-SNAPSHOT-app.jar:$(cat "$root/pipeline/target/classpath.txt")" \
  "$root/bench/ArchitectureSpeed.java" "$@"
