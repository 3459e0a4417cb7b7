#!/usr/bin/env bash
# The Debian packages the test suite needs, installed with apt when missing (as root; .ci/run calls this).
# `npm start` needs none of them. Tests that run one of these programs fail, naming this script, when it is
# missing (tests/support/processes.ts requireCommands), rather than skipping.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

# command -> package(s)
declare -A packages=(
  [chromium]="chromium"                                    # browser tests
  [pg_ctlcluster]="postgresql"                             # the production-shape test (API and worker apart)
  [nginx]="nginx"                                          # tests/production: nginx in front of the API
  [prometheus]="prometheus"                                # tests/production: alerts, dashboards (promtool too)
  [ffmpeg]="ffmpeg"                                        # voice: other containers, test clips
  [espeak-ng]="espeak-ng"                                  # voice: generated test speech, the espeak TTS floor
  [pocketsphinx_continuous]="pocketsphinx pocketsphinx-en-us" # voice: the ASR floor engine
)

missing=()
for cmd in "${!packages[@]}"; do
  command -v "$cmd" >/dev/null || missing+=(${packages[$cmd]})
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  dpkg --configure -a || true
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi
