"""The one process-supervision helper: start a server as a child in a session of
its own that dies with its parent, wait for it, and stop its whole group.

Used by `make run` (bot/stack.py) and by the multi-instance set-up (ops/).
Servers run in their own session so that a Ctrl-C at the terminal reaches only
the supervisor, which then stops them in order; and each is told by the kernel
to stop (PR_SET_PDEATHSIG) when the process that started it dies, even by
SIGKILL, so nothing outlives its supervisor. Linux only.
"""
from __future__ import annotations

import ctypes
import os
import random
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable

PR_SET_PDEATHSIG = 1   # prctl(2)


def die_with_parent(signum: int = signal.SIGTERM) -> Callable[[], None]:
    """A preexec_fn: in the child, before it runs its program, ask the kernel for
    `signum` when the parent dies. The kernel sends it when the *thread* that
    started the child ends, so start servers from a thread that lives as long as
    they should (the main thread). If the parent died before the request took
    effect, the child stops at once."""
    parent = os.getpid()

    def request() -> None:
        try:
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(signum))
        except OSError:
            return   # not Linux: a Ctrl-C or a kill still stops everything through the supervisor
        if os.getppid() != parent:
            os._exit(1)
    return request


def death_wrapper(signum: int = signal.SIGTERM, user: str | None = None) -> list[str]:
    """The same request as a command prefix (util-linux's setpriv), for programs that
    another supervisor (supervisord) starts, or that switch user: setpriv changes
    the user first and sets the parent-death signal after, since a change of
    credentials clears it. setpriv then execs the program, so the program itself
    is the child that receives it (runuser would fork and stay in between)."""
    prefix = ["setpriv", f"--pdeathsig={signal.Signals(signum).name[3:]}"]
    if user:
        prefix += [f"--reuid={user}", f"--regid={user}", "--init-groups"]
    return [*prefix, "--"]


def spawn(command: list[str], log: Path | None = None, env: dict[str, str] | None = None,
          cwd: Path | str | None = None, death_signal: int = signal.SIGTERM) -> subprocess.Popen:
    """Start `command` in a session of its own that dies with this process; its output
    appended to `log` (never a pipe nobody reads), or discarded."""
    out = subprocess.DEVNULL
    if log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
        out = open(log, "ab")
    try:
        return subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True,
                                preexec_fn=die_with_parent(death_signal))
    finally:
        if out is not subprocess.DEVNULL:
            out.close()   # the child has its own copy


def stop_group(process: subprocess.Popen | None, signum: int = signal.SIGTERM,
               timeout: float = 20) -> None:
    """Stop a child started by `spawn` and everything in its process group: `signum`,
    then SIGKILL if it is still there after `timeout` seconds."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signum)
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=timeout)
    except ProcessLookupError:
        process.wait(timeout=timeout)


def wait_until(check: Callable[[], bool], what: str, timeout: float,
               process: subprocess.Popen | None = None, every: float = 0.1) -> None:
    """Poll `check` until it is true; fail if `process` stops first or time runs out."""
    deadline = time.monotonic() + timeout
    while not check():
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} stopped while starting (exit code {process.returncode})")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} was not ready in {timeout:.0f}s")
        time.sleep(every)


_LOWEST_PORT = 20000
_handed_out: set[int] = set()


def free_port() -> int:
    """A free TCP port on loopback, for servers the tests and benchmarks start.

    Picked at random below the kernel's range for outgoing connections, not with
    bind(port 0), which picks inside it: a server may take seconds to bind its port,
    and in that time a client socket (or another free_port call) could be given
    the same one; the server then fails with "address already in use". Never the
    same port twice in one process."""
    first_outgoing = _outgoing_port_range()[0]
    choices = [p for p in range(_LOWEST_PORT, first_outgoing) if p not in _handed_out]
    random.shuffle(choices)
    for port in choices[:200]:
        if port_is_free(port):
            _handed_out.add(port)
            return port
    with socket.socket() as s:   # no room below the range: let the kernel choose
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _outgoing_port_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999   # Linux's default


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Whether a server could listen on `host`:`port` now (with SO_REUSEADDR, as servers
    bind, so a port with connections closing on it still counts as free)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
        return True


def listening(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def answers(url: str, timeout: float = 2) -> bool:
    """Whether `url` answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie (a dead child nobody reaped yet)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def descendants(pid: int) -> list[int]:
    """Every live process under `pid` (children, their children...), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], list(children.get(pid, []))
    while todo:
        child = todo.pop()
        if alive(child):
            found.append(child)
        todo.extend(children.get(child, []))
    return found


def peak_rss_kb(pid: int) -> int | None:
    """The peak resident memory (VmHWM) of a process, in kB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None
