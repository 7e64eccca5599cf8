#!/usr/bin/env bash
# Loads finwidth's tidy CSVs (experiments, simulate, merge, theory; docs/cli.md "CSV files") with
# pandas and with R and checks that every column has one type: the text columns (activation,
# gram_id, sampler, version, quantity, component, exact_text, flag) text or all empty, the others
# numbers (NaN / NA where empty).
#
#   tools/check-csv.sh [CSV ...]          default: results/*/*.csv
#
# Needs python3 with pandas (Debian: python3-pandas, used through /usr/bin/python3) and/or R
# (Debian: r-base-core); a missing one is reported and skipped.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ $# -eq 0 ]]; then set -- "$ROOT"/results/*/*.csv; fi
status=0
PY=/usr/bin/python3; [[ -x "$PY" ]] || PY="$(command -v python3 || true)"
if [[ -n "$PY" ]] && "$PY" -c 'import pandas' 2>/dev/null; then
  "$PY" - "$@" <<'PYEOF' || status=1
import sys, pandas as pd
text = {"activation", "gram_id", "sampler", "version", "quantity", "component", "exact_text", "flag", "run"}
ok = True
for f in sys.argv[1:]:
    d = pd.read_csv(f, keep_default_na=False, na_values=[""])
    # a text column may be all empty (read as float NaN); a number column is never text
    bad = [c for c in d.columns if (d[c].dtype == object) != (c in text) and not d[c].isna().all()]
    print(f"pandas: {f}: {len(d)} rows, columns {list(d.columns)}: {'ok' if not bad else 'mixed types in ' + str(bad)}")
    ok &= not bad
sys.exit(0 if ok else 1)
PYEOF
else
  echo "check-csv: pandas not found (apt-get install python3-pandas): skipped"
fi
if command -v Rscript >/dev/null 2>&1; then
  Rscript --vanilla - "$@" <<'REOF' || status=1
args <- commandArgs(trailingOnly = TRUE)
text <- c("activation", "gram_id", "sampler", "version", "quantity", "component", "exact_text", "flag", "run")
ok <- TRUE
for (f in args) {
  d <- read.csv(f, na.strings = "")
  bad <- names(d)[(sapply(d, is.character)) != (names(d) %in% text) & !sapply(d, function(x) all(is.na(x)))]
  cat(sprintf("R: %s: %d rows: %s\n", f, nrow(d), if (length(bad) == 0) "ok" else paste("mixed types in", paste(bad, collapse = ","))))
  ok <- ok && length(bad) == 0
}
quit(status = if (ok) 0 else 1)
REOF
else
  echo "check-csv: R not found (apt-get install r-base-core): skipped"
fi
exit $status
