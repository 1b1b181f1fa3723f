#!/usr/bin/env bash
# Install the built bundle for the current user (no root): run it from inside the bundle folder,
#     ./install-user.sh            (or: ./install-user.sh --uninstall)
# The bundle goes to ~/.local/opt/probation-diary, the command to ~/.local/bin, and the menu
# entry and icon to ~/.local/share. The diary itself (~/.local/share/probation-diary) is never
# touched, by installing or by uninstalling.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
opt="$HOME/.local/opt/probation-diary"
bin="$HOME/.local/bin"
if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$opt" "$bin/probation-diary" "$data/applications/probation-diary.desktop" \
        "$data/icons/hicolor/256x256/apps/probation-diary.png"
    echo "Removed Probation Diary (your diary was left as it is)."
    exit 0
fi
[ -x "$here/probation-diary" ] || { echo "run this from the built bundle folder" >&2; exit 1; }
mkdir -p "$opt" "$bin" "$data/applications" "$data/icons/hicolor/256x256/apps"
if [ "$here" != "$opt" ]; then
    rm -rf "$opt"
    cp -a "$here" "$opt"
fi
ln -sf "$opt/probation-diary" "$bin/probation-diary"
cp "$here/probation-diary.desktop" "$data/applications/probation-diary.desktop"
sed -i "s|^Exec=.*|Exec=$opt/probation-diary|; s|^TryExec=.*|TryExec=$opt/probation-diary|" \
    "$data/applications/probation-diary.desktop"
cp "$here/probation-diary.png" "$data/icons/hicolor/256x256/apps/probation-diary.png"
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
"$opt/probation-diary" --version
echo "Installed. Start it from your applications menu, or run: probation-diary"
