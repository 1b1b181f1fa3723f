; Inno Setup script for the Windows installer of Probation Diary.
; Built by packaging/build-windows.ps1, which passes the version (from probation_diary.__version__,
; the only place it is written) and the bundle folder:
;   iscc /DAppVersion=X.Y.Z /DBundleDir=..\..\dist\probation-diary /DIconFile=..\..\build\icons\probation-diary.ico packaging\windows\probation-diary.iss
; Installs per user by default (no administrator rights needed on a managed laptop); the user's
; diary lives in %APPDATA%\Probation Diary and is never touched by installing or uninstalling.

#ifndef AppVersion
  #error Pass /DAppVersion=X.Y.Z (build-windows.ps1 does)
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\probation-diary"
#endif
#ifndef IconFile
  #define IconFile "..\..\build\icons\probation-diary.ico"
#endif

[Setup]
AppId={{6F1B7C2E-3D4A-4E59-9B8C-50444941A001}
AppName=Probation Diary
AppVersion={#AppVersion}
AppVerName=Probation Diary {#AppVersion}
AppPublisher=Probation Diary
DefaultDirName={autopf}\Probation Diary
DefaultGroupName=Probation Diary
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=ProbationDiary-{#AppVersion}-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\ProbationDiary.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Languages\EnglishBritish.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; the whole PyInstaller onedir folder: ProbationDiary.exe (windowed), probation-diary.exe
; (command line: --version, --self-test, import-ics, export-delius...) and _internal\
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Probation Diary"; Filename: "{app}\ProbationDiary.exe"; WorkingDir: "{app}"
Name: "{autodesktop}\Probation Diary"; Filename: "{app}\ProbationDiary.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
; a quick check that the installed copy works (no window; the diary is a temporary one)
Filename: "{app}\probation-diary.exe"; Parameters: "--self-test"; Flags: runhidden waituntilterminated; StatusMsg: "Checking the installation..."
Filename: "{app}\ProbationDiary.exe"; Description: "{cm:LaunchProgram,Probation Diary}"; Flags: nowait postinstall skipifsilent
