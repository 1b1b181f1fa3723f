"""One running copy of the app per diary file.

The first copy writes ``<diary>.lock`` holding its PID and listens on a QLocalServer named
after the diary's full path. A second launch first tries that server: if it answers, it asks
the first copy to bring its window forward and quits quietly. If the lock file names a live
process that does not answer, the second copy says plainly that the file is in use (it never
gets as far as SQLite's "database is locked"). A lock file left by a crashed copy is taken over.
"""

from __future__ import annotations

import getpass
import hashlib
import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

CONNECT_TIMEOUT_MS = 500


def server_name(diary_path: Path) -> str:
    try:
        user = getpass.getuser()
    except Exception:  # pragma: no cover - no user name available
        user = "user"
    key = f"{user}\0{Path(diary_path).expanduser().resolve()}".encode("utf-8")
    return "probation-diary-" + hashlib.sha256(key).hexdigest()[:24]


def lock_path(diary_path: Path) -> Path:
    p = Path(diary_path).expanduser()
    return p.with_name(p.name + ".lock")


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - Windows
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)
        if handle:
            ctypes.windll.kernel32.CloseHandle(handle)
            return True
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class SingleInstance(QObject):
    """acquire() -> "ok", "forwarded" (the running copy was asked to come forward), or a
    plain-words message saying the file is in use. `activated` fires in the first copy when a
    second launch asks for its window."""

    activated = Signal()

    def __init__(self, diary_path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.path = Path(diary_path).expanduser()
        self.name = server_name(self.path)
        self.lock_file = lock_path(self.path)
        self.server: QLocalServer | None = None
        self._conns: list[QLocalSocket] = []
        self.held = False

    def acquire(self) -> str:
        if self._forward():
            return "forwarded"
        for _ in range(2):
            try:
                self.lock_file.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(str(self.lock_file), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pid = self._lock_pid()
                if pid is not None and pid != os.getpid() and pid_alive(pid):
                    return (f"The diary {self.path.name} is already open in another copy of Probation Diary "
                            f"(process {pid}). Switch to that window, or close it and try again.")
                try:  # left by a copy that crashed or was killed
                    self.lock_file.unlink()
                except FileNotFoundError:
                    pass
                continue
            except OSError as exc:
                return f"Cannot create the lock file beside the diary ({exc.strerror}); is the folder read-only?"
            with os.fdopen(fd, "w") as fh:
                fh.write(f"{os.getpid()}\n")
            self.held = True
            break
        else:  # pragma: no cover - raced twice
            return f"The diary {self.path.name} is in use by another copy of Probation Diary."
        self._listen()
        return "ok"

    def _lock_pid(self) -> int | None:
        try:
            return int(self.lock_file.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def _forward(self) -> bool:
        socket = QLocalSocket(self)
        try:
            socket.connectToServer(self.name)
            if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
                return False
            socket.write(b"raise\n")
            socket.flush()
            socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
            socket.disconnectFromServer()
            if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
                socket.waitForDisconnected(CONNECT_TIMEOUT_MS)
            return True
        finally:
            socket.abort()
            socket.setParent(None)
            socket.deleteLater()

    def _listen(self) -> None:
        QLocalServer.removeServer(self.name)  # a stale socket from a crashed copy
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._incoming)
        self.server.listen(self.name)

    def _incoming(self) -> None:
        while self.server is not None and self.server.hasPendingConnections():
            conn = self.server.nextPendingConnection()
            self._conns.append(conn)
            conn.readyRead.connect(self._ready)
            if conn.bytesAvailable():
                self._read(conn)

    def _ready(self) -> None:
        conn = self.sender()
        if isinstance(conn, QLocalSocket):
            self._read(conn)

    def _read(self, conn: QLocalSocket) -> None:
        data = bytes(conn.readAll())
        if b"raise" in data:
            self.activated.emit()

    def release(self) -> None:
        for conn in self._conns:
            conn.readyRead.disconnect(self._ready)
            conn.abort()
        self._conns.clear()
        if self.server is not None:
            self.server.close()
            self.server = None
        if self.held and self._lock_pid() == os.getpid():
            try:
                self.lock_file.unlink()
            except FileNotFoundError:
                pass
        self.held = False
