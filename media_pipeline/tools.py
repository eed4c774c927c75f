"""Running external tools (ffmpeg, LibreOffice, poppler) on untrusted files without letting them run away.

Every tool runs in its own session and process group, with a wall-clock time limit and limits on address
space and written file size set by ``prlimit`` before the tool starts (no Python code runs between fork and
exec, so this is safe in threaded workers). On timeout, or when the caller's callback raises, the whole
group is killed with SIGKILL, so grandchildren (LibreOffice's ``soffice.bin``, a shell's background jobs)
die too. Both output pipes are drained in one loop, so a chatty tool never blocks on a full pipe.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import selectors
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from media_pipeline.reasons import ProcessingFailed

logger = logging.getLogger(__name__)
GIB = 1024**3
MIB = 1024**2
#: Address space a tool may map unless the caller says otherwise.
DEFAULT_MEMORY = 4 * GIB
#: Largest file a tool may write unless the caller says otherwise.
DEFAULT_FILE_SIZE = 8 * GIB
#: Standard output kept when no line callback consumes it (ffprobe's JSON, pdfinfo's report).
DEFAULT_MAX_STDOUT = 16 * MIB
#: Bytes of standard error kept for logs and failure details.
STDERR_TAIL = 8000
#: glibc reserves 64 MiB of address space per malloc arena and thread; two arenas keep
#: a multithreaded encoder well inside its address-space limit without slowing it.
BASE_ENV = {"MALLOC_ARENA_MAX": "2", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}


class ToolError(Exception):
    """An external tool could not be run to the end."""

    def __init__(self, message: str, *, args: Sequence[str] = (), stderr: str = "") -> None:
        super().__init__(message)
        self.command = tuple(args)
        self.stderr = stderr

    def detail(self) -> str:
        """The message and the tail of the tool's error output, for logs."""
        return f"{self}\n{self.stderr}".strip()


class ToolTimeout(ToolError):
    """The tool ran past its time limit and was killed with its whole process group."""


class ToolMissing(ToolError):
    """The tool is not installed."""


class ToolOutputTooLarge(ToolError):
    """The tool wrote more to standard output than the caller accepts."""


class NetworkNotIsolated(ToolError):
    """The tool must run without network, the system cannot isolate it, and nobody said it is isolated otherwise."""


@dataclass(frozen=True)
class ToolResult:
    args: tuple[str, ...]
    returncode: int
    stdout: bytes
    stderr: str
    seconds: float

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def killed(self) -> bool:
        """Whether something outside the tool (the kernel's OOM killer, an operator) killed it."""
        return self.returncode == -signal.SIGKILL

    def detail(self) -> str:
        """The exit status and the tail of the tool's error output, for logs."""
        return f"{self.args[0] if self.args else '?'} exited with {self.returncode}\n{self.stderr}".strip()


@functools.cache
def prlimit_path() -> str | None:
    """Where util-linux's ``prlimit`` is, if installed."""
    return shutil.which("prlimit")


#: The program that makes an empty network namespace (util-linux's ``unshare``).
UNSHARE = "unshare"


def network_isolation_prefix() -> tuple[str, ...]:
    """A command prefix that runs a tool in an empty network namespace, or ``()`` where the system forbids it.

    Root can create a namespace directly; other users need an unprivileged user namespace. Containers
    often forbid both; ``run_tool`` then refuses to run a tool that must be isolated.
    """
    return _isolation_prefix(UNSHARE)


@functools.cache
def _isolation_prefix(program: str) -> tuple[str, ...]:
    unshare = shutil.which(program)
    if not unshare:
        return ()
    prefix = (unshare, "--net", "--") if os.geteuid() == 0 else (unshare, "--map-root-user", "--net", "--")
    try:
        probe = subprocess.run([*prefix, "true"], stdin=subprocess.DEVNULL, capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ()
    return prefix if probe.returncode == 0 else ()


def _isolation_or_refusal(args: Sequence[str]) -> tuple[str, ...]:
    """The network isolation prefix; fails closed (``NetworkNotIsolated``) when there is none.

    ``OFFICE_NETWORK_ISOLATED_EXTERNALLY`` is the operator's word that the worker's network is cut off
    otherwise; then the tool runs without a namespace of its own.
    """
    prefix = network_isolation_prefix()
    if prefix or settings.OFFICE_NETWORK_ISOLATED_EXTERNALLY:
        return prefix
    message = (
        f"{args[0]} must run without network, and this system cannot make an empty network namespace "
        "(unshare --net failed); run the worker where it can, or cut its network off otherwise and set "
        "OFFICE_NETWORK_ISOLATED_EXTERNALLY=1"
    )
    logger.error("refused to run %s: %s", args[0], message)
    raise NetworkNotIsolated(message, args=args)


def _limit_prefix(memory: int | None, file_size: int | None) -> list[str]:
    if memory is None and file_size is None:
        return []
    prlimit = prlimit_path()
    if prlimit is None:
        raise ToolMissing("prlimit (util-linux) is needed to limit the memory of external tools")
    prefix = [prlimit]
    if memory is not None:
        prefix.append(f"--as={memory}")
    if file_size is not None:
        prefix.append(f"--fsize={file_size}")
    return [*prefix, "--"]


def _die_with_worker_prefix() -> list[str]:
    """``setpriv --pdeathsig KILL``: a tool dies with the worker that started it, even when it is SIGKILLed."""
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "KILL", "--"] if setpriv else []


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _exited(pid: int) -> bool:
    # WNOWAIT leaves the child a zombie, so its pid (and the group id) cannot be reused
    # before the rest of the group is killed.
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return True


def run_tool(
    args: Sequence[str],
    *,
    timeout: float,
    memory: int | None = DEFAULT_MEMORY,
    file_size: int | None = DEFAULT_FILE_SIZE,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    isolate_network: bool = False,
    on_line: Callable[[str], None] | None = None,
    max_stdout: int = DEFAULT_MAX_STDOUT,
) -> ToolResult:
    """Run ``args`` in a process group of its own within ``timeout`` seconds; kill the whole group when done.

    ``on_line`` receives each line of standard output as it comes (for progress reports); without it
    standard output is returned, up to ``max_stdout`` bytes. A non-zero exit is returned, not raised;
    a timeout raises ToolTimeout, a missing program ToolMissing. If ``on_line`` raises, the group is
    killed and the exception propagates.
    """
    # The prefixes exec the tool themselves, so a missing program is looked for here.
    if shutil.which(args[0]) is None:
        raise ToolMissing(f"{args[0]} is not installed", args=args)
    command = [*_die_with_worker_prefix(), *_limit_prefix(memory, file_size)]
    if isolate_network:
        command.extend(_isolation_or_refusal(args))
    command.extend(args)
    environment = {"PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"), **BASE_ENV, **(env or {})}
    started = time.monotonic()
    deadline = started + timeout
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=environment,
            start_new_session=True,
            close_fds=True,
        )
    except FileNotFoundError as error:
        raise ToolMissing(f"{args[0]} is not installed", args=args) from error
    assert process.stdout is not None and process.stderr is not None
    pgid = process.pid  # start_new_session makes the child the leader of a new group
    stdout = bytearray()
    stderr = bytearray()
    pending = b""
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ, "out")
    selector.register(process.stderr, selectors.EVENT_READ, "err")
    try:
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ToolTimeout(
                    f"{args[0]} ran longer than {timeout:g} s and was killed", args=args, stderr=_tail(stderr)
                )
            events = selector.select(timeout=min(remaining, 0.2))
            if not events and _exited(process.pid):
                # The tool is done and its pipes are quiet; a background grandchild may hold them open.
                break
            for key, _mask in events:
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    selector.unregister(key.fileobj)
                    continue
                if key.data == "err":
                    stderr.extend(chunk)
                    if len(stderr) > 4 * STDERR_TAIL:
                        del stderr[: -2 * STDERR_TAIL]
                elif on_line is not None:
                    pending += chunk
                    *lines, pending = pending.split(b"\n")
                    for line in lines:
                        on_line(line.decode("utf-8", "replace").rstrip("\r"))
                else:
                    stdout.extend(chunk)
                    if len(stdout) > max_stdout:
                        raise ToolOutputTooLarge(
                            f"{args[0]} wrote more than {max_stdout} bytes", args=args, stderr=_tail(stderr)
                        )
        if on_line is not None and pending:
            on_line(pending.decode("utf-8", "replace"))
        while not _exited(process.pid):
            if time.monotonic() >= deadline:
                raise ToolTimeout(
                    f"{args[0]} ran longer than {timeout:g} s and was killed", args=args, stderr=_tail(stderr)
                )
            time.sleep(0.02)
    finally:
        selector.close()
        # Whatever happened, nothing the tool started outlives it.
        _kill_group(pgid)
        process.stdout.close()
        process.stderr.close()
        process.wait()
    return ToolResult(
        args=tuple(args),
        returncode=process.returncode,
        stdout=bytes(stdout),
        stderr=_tail(stderr),
        seconds=time.monotonic() - started,
    )


def run_step(args: Sequence[str], *, code: str, timeout: float, **options: Any) -> ToolResult:
    """Run a tool as ``run_tool`` does, turning every way it can fail into ``ProcessingFailed``.

    A non-zero exit fails with ``code`` (the file is at fault); running too long fails with
    ``timeout``; a tool killed from outside (the kernel's OOM killer) is worth another try.
    """
    try:
        result = run_tool(args, timeout=timeout, **options)
    except ToolTimeout as error:
        raise ProcessingFailed("timeout", detail=error.detail()) from error
    except ToolMissing as error:
        raise ProcessingFailed("internal", detail=error.detail()) from error
    except NetworkNotIsolated as error:
        raise ProcessingFailed("network_not_isolated", detail=error.detail()) from error
    except ToolError as error:
        raise ProcessingFailed(code, detail=error.detail()) from error
    if result.killed:
        raise ProcessingFailed(code, detail=result.detail(), transient=True)
    if not result.ok:
        raise ProcessingFailed(code, detail=result.detail())
    return result


def _tail(data: bytes | bytearray) -> str:
    text = bytes(data[-STDERR_TAIL:]).decode("utf-8", "replace")
    return text.strip()
