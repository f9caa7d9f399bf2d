#!/usr/bin/env bash
# Opens an `ascribe report` page in headless Chromium (Debian's chromium package), saves a
# screenshot, and fails if a picture is broken or the page logs anything to the console (the page
# has no script of its own, so any console message is an error). A developer's check, not part of
# the test command.
#   bench/report/check-in-browser.sh PAGE [SCREENSHOT] [WIDTH,HEIGHT]
#   e.g. bench/report/check-in-browser.sh out/demo/report/index.html bench/report/demo-report.png
# Exit status: 0 all pictures decoded and the console stayed quiet; 1 otherwise; 2 usage.
set -euo pipefail
if [[ $# -lt 1 || ! -f "$1" ]]; then
  echo "usage: $0 PAGE [SCREENSHOT] [WIDTH,HEIGHT] (PAGE: an existing report/index.html)" >&2
  exit 2
fi
PAGE="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
SHOT="${2:-$(dirname "$PAGE")/screenshot.png}"
SIZE="${3:-1100,1500}"
BROWSER="$(command -v chromium || command -v chromium-browser || true)"
if [[ -z "$BROWSER" ]]; then
  echo "no chromium on PATH: apt-get install -y chromium" >&2
  exit 2
fi
# No sandbox: the check runs as root in containers, where Chromium's sandbox cannot start.
FLAGS=(--headless --no-sandbox --disable-gpu --hide-scrollbars --enable-logging=stderr --v=0
  --virtual-time-budget=5000)
LOG="$(mktemp)"
# A copy beside the page (so relative picture paths still resolve) with a small script that, once
# everything has loaded, writes which pictures failed to decode into the DOM.
PROBE="$(dirname "$PAGE")/.browser-check.html"
trap 'rm -f "$PROBE" "$LOG"' EXIT
sed 's#</body>#<script>window.addEventListener("load",function(){var b=[],im=document.images;for(var i=0;i<im.length;i++){if(!im[i].complete||im[i].naturalWidth===0){b.push(im[i].getAttribute("src"));}}var d=document.createElement("div");d.id="ascribe-check";d.setAttribute("data-images",im.length);d.setAttribute("data-broken",b.join(" "));document.body.appendChild(d);});</script></body>#' \
  "$PAGE" > "$PROBE"
DOM="$("$BROWSER" "${FLAGS[@]}" --dump-dom "file://$PROBE" 2>>"$LOG")"
CHECK="$(grep -o '<div id="ascribe-check"[^>]*>' <<<"$DOM" || true)"
"$BROWSER" "${FLAGS[@]}" --window-size="$SIZE" --screenshot="$SHOT" "file://$PAGE" \
  >/dev/null 2>>"$LOG"
status=0
if [[ -z "$CHECK" ]]; then
  echo "FAIL: the page did not finish loading (no check result in the DOM)" >&2
  status=1
else
  images="$(sed -E 's/.*data-images="([0-9]+)".*/\1/' <<<"$CHECK")"
  broken="$(sed -E 's/.*data-broken="([^"]*)".*/\1/' <<<"$CHECK")"
  if [[ -n "$broken" ]]; then
    echo "FAIL: broken pictures: $broken" >&2
    status=1
  else
    echo "ok: all $images pictures decoded"
  fi
fi
if grep -q ':CONSOLE' "$LOG"; then
  echo "FAIL: the page logged to the console:" >&2
  grep ':CONSOLE' "$LOG" >&2
  status=1
else
  echo "ok: no console messages"
fi
[[ -f "$SHOT" ]] && echo "screenshot: $SHOT" || { echo "FAIL: no screenshot written" >&2; status=1; }
exit $status
