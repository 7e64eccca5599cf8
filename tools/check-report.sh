#!/usr/bin/env bash
# Renders an experiment's report.html in headless Chromium and checks that every image loaded:
# the page is loaded from a copy with a small script appended that writes, after the load event,
# how many <img> have naturalWidth > 0; Chromium dumps the DOM and we read the count. Then it takes
# a screenshot of the page and checks it (size, colours, non-white pixels) with tools/PngCheck.java.
#
#   tools/check-report.sh [REPORT_HTML] [SCREENSHOT_PNG]
#   default: results/universality/report.html, screenshot beside it (report-screenshot.png)
#
# Needs Debian's chromium (apt-get install chromium) and a JDK 25 (JAVA_HOME or java on the PATH).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPORT="$(readlink -f "${1:-$ROOT/results/universality/report.html}")"
SHOT="${2:-$(dirname "$REPORT")/report-screenshot.png}"
CHROMIUM="$(command -v chromium || command -v chromium-browser || true)"
[[ -f "$REPORT" ]] || { echo "check-report: no report at $REPORT (run ./run.sh first)" >&2; exit 2; }
[[ -n "$CHROMIUM" ]] || { echo "check-report: chromium not found (apt-get install chromium)" >&2; exit 2; }
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update
       --disable-sync --no-first-run --hide-scrollbars --virtual-time-budget=10000)

# 1. every image loaded: a copy of the page with a counter appended (beside the original so that
#    relative links resolve the same way)
PROBE="$(dirname "$REPORT")/.probe-$$.html"
trap 'rm -rf "$WORK" "$PROBE"' EXIT
sed 's|</body>|<script>window.addEventListener("load", () => { const i = [...document.images];\
 document.body.setAttribute("data-images", i.length + "/" + i.filter(x => x.complete \&\& x.naturalWidth > 0).length); });</script></body>|' \
  "$REPORT" > "$PROBE"
"$CHROMIUM" "${flags[@]}" --user-data-dir="$WORK/profile1" --dump-dom "file://$PROBE" > "$WORK/dom.html" 2>"$WORK/chromium1.log"
counts="$(sed -n 's/.*data-images="\([0-9]*\/[0-9]*\)".*/\1/p' "$WORK/dom.html" | head -n1)"
total="${counts%/*}"; loaded="${counts#*/}"
if [[ -z "$counts" || "$total" -lt 1 || "$total" != "$loaded" ]]; then
  echo "check-report: images loaded: ${loaded:-?} of ${total:-?} (FAILED)"; exit 1
fi
echo "check-report: $REPORT: all $total images loaded (naturalWidth > 0)"

# 2. a screenshot of the whole report, checked to show something
rows="$(grep -o '<tr>' "$REPORT" | wc -l)"
height=$(( 800 + 700 * total + 90 * rows ))
"$CHROMIUM" "${flags[@]}" --user-data-dir="$WORK/profile2" --window-size=1100,"$height" \
  --screenshot="$SHOT" "file://$REPORT" > "$WORK/chromium2.log" 2>&1
"$JAVA" "$ROOT/tools/PngCheck.java" "$SHOT" 1000 1000
echo "check-report: screenshot: $SHOT"
