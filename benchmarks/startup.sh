#!/usr/bin/env bash
# Start-up time of the packaged bundle against running from source, in the same run:
#     benchmarks/startup.sh [BUNDLE_DIR]      (default dist/probation-diary; build it first with
#                                               packaging/build-linux.sh)
# Uses hyperfine when installed (apt-get install hyperfine), else a plain loop with `time`.
# Prints each mean and the ratio bundle/source. No display is used (Qt offscreen).
set -euo pipefail
cd "$(dirname "$0")/.."
BUNDLE="${1:-dist/probation-diary}/probation-diary"
SOURCE=".venv/bin/probation-diary"
RUNS="${RUNS:-20}"
unset DISPLAY WAYLAND_DISPLAY
export QT_QPA_PLATFORM=offscreen
[ -x "$BUNDLE" ] || { echo "no bundle at $BUNDLE: run packaging/build-linux.sh" >&2; exit 1; }
echo "bundle size: $(du -sh "$(dirname "$BUNDLE")" | cut -f1); load: $(cut -d' ' -f1-3 /proc/loadavg)"
mean() {  # seconds per run of "$@", over $RUNS runs after 2 warm-ups
    if command -v hyperfine >/dev/null; then
        local json; json="$(mktemp)"
        hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$json" "$*" >/dev/null 2>&1
        python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; print(f\"{r['mean']:.3f} {r['user']:.3f}\")" "$json"
        rm -f "$json"
    else
        "$@" >/dev/null; "$@" >/dev/null
        local start end; start=$(date +%s.%N)
        for _ in $(seq "$RUNS"); do "$@" >/dev/null; done
        end=$(date +%s.%N)
        python3 -c "print(f'{($end-$start)/$RUNS:.3f} -')"
    fi
}
for args in "--version" "--self-test"; do
    read -r b bu <<<"$(mean "$BUNDLE" $args)"
    read -r s su <<<"$(mean "$SOURCE" $args)"
    python3 - "$args" "$b" "$s" "$bu" "$su" <<'PY'
import sys
args, b, s, bu, su = sys.argv[1:]
line = f"{args:<12} bundle {float(b)*1000:7.0f} ms   source {float(s)*1000:7.0f} ms   ratio {float(b)/float(s):.2f}"
if bu != "-":
    line += f"   (CPU user: bundle {float(bu)*1000:.0f} ms, source {float(su)*1000:.0f} ms, ratio {float(bu)/float(su):.2f})"
print(line)
PY
done
