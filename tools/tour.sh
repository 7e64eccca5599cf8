#!/usr/bin/env bash
# Regenerates the complete outputs of README.md's tour in docs/tour.md: runs TourTest (sim) with
# -Dfinwidth.tour.write=true, which rewrites each block of docs/tour.md from what its command
# prints and then checks README.md's excerpts against them (a line README.md shows that the output
# no longer has fails the test: update README.md by hand). Review with `git diff docs/tour.md`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec ./run.sh test -pl sim -am -Dtest=TourTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfinwidth.tour.write=true "$@"
