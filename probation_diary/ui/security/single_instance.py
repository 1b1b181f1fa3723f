"""One running copy of the app per diary file.

The first copy writes ``<diary>.lock`` holding its PID and listens on a QLocalServer named
after the diary's full path (the app starts listening once its window is on the screen). When
the lock file names a live process, a second launch tries that server, for up to two seconds
if the first copy is still starting: if it answers, it asks the first copy to bring its window
forward and quits quietly. If it does not answer, the second copy says plainly that the file is
in use (it never gets as far as SQLite's "database is locked"). A lock file left by a crashed
copy is taken over. On a full or a read-only disk no lock file can be written: the window
opens the diary without one, for reading only (nothing can be saved there anyway).
"""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from ...store.opening import process_alive, window_lock

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

# QtNetwork (about 12 ms with its enums) loads only when a running copy may be listening, or
# when this copy starts to listen: at start-up, after the window's first paint (issue 18).

CONNECT_TIMEOUT_MS = 500
STARTING_COPY_WAIT_S = 2.0  # how long a second launch waits for a copy that is still starting


def server_name(diary_path: Path) -> str:
    import getpass  # with hashlib (OpenSSL), loaded only when a server is used, not at every start
    import hashlib

    try:
        user = getpass.getuser()
    except Exception:  # pragma: no cover - no user name available
        user = "user"
    key = f"{user}\0{Path(diary_path).expanduser().resolve()}".encode("utf-8")
    return "probation-diary-" + hashlib.sha256(key).hexdigest()[:24]


# the store's: the command line reads the same lock file, and asks the same of its process
lock_path, pid_alive = window_lock, process_alive


class SingleInstance(QObject):
    """acquire() -> "ok", "forwarded" (the running copy was asked to come forward), or a
    plain-words message saying the file is in use. `activated` fires in the first copy when a
    second launch asks for its window."""

    activated = Signal()

    def __init__(self, diary_path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.path = Path(diary_path).expanduser()
        self._name: str | None = None
        self.lock_file = lock_path(self.path)
        self.server: QLocalServer | None = None
        self._conns: list[QLocalSocket] = []
        self.held = False

    @property
    def name(self) -> str:
        if self._name is None:
            self._name = server_name(self.path)
        return self._name

    def acquire(self, *, listen: bool = True) -> str:
        """With listen=False the caller starts the server itself (listen()), once it can
        answer: the app does so after its window's first paint."""
        if self._holder_alive() and self._forward():
            return "forwarded"
        for _ in range(2):
            try:
                self.lock_file.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(str(self.lock_file), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pid = self._lock_pid()
                if pid is not None and pid != os.getpid() and pid_alive(pid):
                    # a copy still starting listens once its window is on the screen
                    if self._forward(wait_s=STARTING_COPY_WAIT_S):
                        return "forwarded"
                    return (f"The diary {self.path.name} is already open in another copy of Probation Diary "
                            f"(process {pid}). Switch to that window, or close it and try again.")
                try:  # left by a copy that crashed or was killed
                    self.lock_file.unlink()
                except FileNotFoundError:
                    pass
                continue
            except OSError as exc:
                if exc.errno in (errno.ENOSPC, errno.EROFS):
                    # a full or a read-only disk: the diary opens for reading only, so no lock is needed
                    return "ok"
                return f"Cannot create the lock file beside the diary ({exc.strerror}); is the folder read-only?"
            try:
                with os.fdopen(fd, "w") as fh:
                    fh.write(f"{os.getpid()}\n")
            except OSError as exc:
                # the name was made but the process id could not be written into it
                try:
                    self.lock_file.unlink()
                except OSError:
                    pass
                if exc.errno == errno.ENOSPC:
                    return "ok"  # (as above: nothing will be saved until there is space)
                return f"Cannot write the lock file beside the diary ({exc.strerror})."
            self.held = True
            break
        else:  # pragma: no cover - raced twice
            return f"The diary {self.path.name} is in use by another copy of Probation Diary."
        if listen:
            self.listen()
        return "ok"

    def _lock_pid(self) -> int | None:
        try:
            return int(self.lock_file.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def _holder_alive(self) -> bool:
        """Whether the lock file names a running process: only then can a copy be listening
        (so a normal start, or one after a crash, never loads QtNetwork to ask)."""
        pid = self._lock_pid()
        return pid is not None and (pid == os.getpid() or pid_alive(pid))

    def _forward(self, wait_s: float = 0.0) -> bool:
        deadline = time.monotonic() + wait_s
        while not self._ask_to_come_forward():
            if time.monotonic() >= deadline or not self._holder_alive():
                return False
            time.sleep(0.1)
        return True

    def _ask_to_come_forward(self) -> bool:
        from PySide6.QtNetwork import QLocalSocket

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

    def listen(self) -> None:
        if self.server is not None or not self.held:
            return
        from PySide6.QtNetwork import QLocalServer

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
        from PySide6.QtNetwork import QLocalSocket

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
