# Build the Windows bundle and installer (run on Windows, in PowerShell, from anywhere):
#     powershell -ExecutionPolicy Bypass -File packaging\build-windows.ps1
# Needs Python 3.11+ on PATH and Inno Setup 6 (iscc.exe) for the installer step.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
$venv = ".venv-windows"
if (-not (Test-Path "$venv\Scripts\python.exe")) { python -m venv $venv }
$py = "$venv\Scripts\python.exe"
& $py -m pip install --upgrade pip
& $py -m pip install -e . "pyinstaller==6.22.3"
$version = & $py -c "import probation_diary; print(probation_diary.__version__)"
$env:QT_QPA_PLATFORM = "offscreen"
$env:PROBATION_DIARY_ICON_DIR = (Join-Path (Get-Location) "build\icons")
& $py packaging\make_icons.py $env:PROBATION_DIARY_ICON_DIR
& "$venv\Scripts\pyinstaller.exe" --noconfirm --clean packaging\probation-diary.spec
& dist\probation-diary\probation-diary.exe --version
& dist\probation-diary\probation-diary.exe --self-test
if ($LASTEXITCODE -ne 0) { throw "the bundle's self-test failed" }
Remove-Item Env:QT_QPA_PLATFORM
$iscc = Get-Command iscc -ErrorAction SilentlyContinue
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" } else { $iscc = $iscc.Source }
& $iscc "/DAppVersion=$version" "/DBundleDir=..\..\dist\probation-diary" "/DIconFile=..\..\build\icons\probation-diary.ico" packaging\windows\probation-diary.iss
Write-Host "Installer: dist\ProbationDiary-$version-setup.exe"
