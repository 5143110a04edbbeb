#!/usr/bin/env bash
# One scheduled retraining, as cron and the systemd timer run it (scheduling/crontab, scheduling/systemd/):
# bin/heatwave retrain, acting on its exit code. Configure with environment variables:
#   HEATWAVE_HOME   the heatwave checkout or installation (default: this script's parent directory)
#   REGISTRY        the model registry, any Hadoop FileSystem URI (required), e.g. hdfs:///models/fashion
#   INCOMING        where the nightly data arrive (data.path; required), e.g. hdfs:///incoming/fashion
#   CONFIG          the run configuration (default: conf/retrain-fashion-mnist.conf)
#   RETRIES         how often a locked registry is retried (default 3), WAIT seconds apart (default 600)
# Exit codes (those of bin/heatwave retrain, from sysexits.h):
#   0  decided: promoted, kept or unchanged — the decision is the last line of the output (JSON)
#   65 the data were refused (data checks: another image size or classes, or a drift with retrain.drift.refuse);
#      the decision and its report say why: look at the data, nothing is retried
#   75 the registry is locked by a live run, or the data changed while they were read: retried here
#   78 a bad configuration; 1 anything else — both need a person
set -uo pipefail
home="${HEATWAVE_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${REGISTRY:?set REGISTRY to the model registry URI}" "${INCOMING:?set INCOMING to the data location}"
config="${CONFIG:-$home/conf/retrain-fashion-mnist.conf}"
for attempt in $(seq 0 "${RETRIES:-3}"); do
  "$home/bin/heatwave" retrain --registry "$REGISTRY" --config "$config" --set "data.path=$INCOMING"
  code=$?
  if [[ $code -ne 75 ]]; then
    exit $code
  fi
  echo "retrain-nightly: registry locked or data still arriving (exit 75); attempt $((attempt + 1)), waiting ${WAIT:-600} s" >&2
  sleep "${WAIT:-600}"
done
exit 75
