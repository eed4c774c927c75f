"""The runner of external tools: exit status, output, limits, time limit."""

from __future__ import annotations

import socket
import sys
import time

import pytest

from media_pipeline.reasons import ProcessingFailed
from media_pipeline.tools import (
    STDERR_TAIL,
    ToolMissing,
    ToolOutputTooLarge,
    ToolTimeout,
    network_isolation_prefix,
    run_step,
    run_tool,
)


def test_run_tool_returns_status_and_output():
    result = run_tool(["sh", "-c", "echo out; echo err >&2; exit 3"], timeout=10)
    assert (result.returncode, result.stdout, result.stderr, result.ok) == (3, b"out\n", "err", False)
    assert result.args == ("sh", "-c", "echo out; echo err >&2; exit 3")


def test_run_tool_lines_given_to_callback_as_they_come():
    lines: list[str] = []
    result = run_tool(["sh", "-c", "echo one; echo two; printf three"], timeout=10, on_line=lines.append)
    assert (lines, result.stdout) == (["one", "two", "three"], b"")


def test_run_tool_sets_memory_and_file_size_limits():
    result = run_tool(["sh", "-c", "ulimit -v; ulimit -f"], timeout=10, memory=256 * 1024**2, file_size=1024**2)
    # ulimit prints kibibytes for memory and 512-byte blocks for file size.
    assert result.stdout == b"262144\n2048\n"


def test_run_tool_memory_limit_stops_a_hog():
    hog = "x = bytearray(512 * 1024 * 1024)"
    result = run_tool([sys.executable, "-c", hog], timeout=30, memory=256 * 1024**2)
    assert result.returncode != 0
    assert "MemoryError" in result.stderr


def test_run_tool_keeps_only_the_tail_of_stderr():
    result = run_tool([sys.executable, "-c", "import sys; sys.stderr.write('x' * 100000 + 'END')"], timeout=30)
    assert result.stderr.endswith("END")
    assert len(result.stderr) == STDERR_TAIL


def test_run_tool_refuses_too_much_output():
    with pytest.raises(ToolOutputTooLarge):
        run_tool(["head", "-c", "2000000", "/dev/zero"], timeout=30, max_stdout=1_000_000)


def test_run_tool_returns_without_waiting_for_background_children():
    started = time.monotonic()
    result = run_tool(["sh", "-c", "sleep 100 & echo done"], timeout=30)
    assert (result.returncode, result.stdout) == (0, b"done\n")
    assert time.monotonic() - started < 5


def test_run_tool_callback_error_stops_the_tool():
    def refuse(line: str) -> None:
        raise RuntimeError(f"cancelled at {line}")

    started = time.monotonic()
    with pytest.raises(RuntimeError, match="cancelled at first"):
        run_tool(["sh", "-c", "echo first; sleep 100"], timeout=60, on_line=refuse)
    assert time.monotonic() - started < 5


def test_run_tool_missing_program():
    with pytest.raises(ToolMissing):
        run_tool(["baige-no-such-tool"], timeout=10, memory=None, file_size=None)


def test_run_step_turns_failures_into_reasons():
    with pytest.raises(ProcessingFailed) as failed:
        run_step(["sh", "-c", "echo broken >&2; exit 1"], code="unreadable_pdf", timeout=10)
    assert (failed.value.code, failed.value.transient) == ("unreadable_pdf", False)
    assert failed.value.detail == "sh exited with 1\nbroken"
    with pytest.raises(ProcessingFailed) as failed:
        run_step(["sleep", "10"], code="unreadable_pdf", timeout=0.5)
    assert failed.value.code == "timeout"
    with pytest.raises(ProcessingFailed) as failed:
        run_step(["sh", "-c", "kill -9 $$"], code="unreadable_pdf", timeout=10)
    assert (failed.value.code, failed.value.transient) == ("unreadable_pdf", True)
    with pytest.raises(ToolTimeout):
        run_tool(["sleep", "10"], timeout=0.2)


def test_isolated_network_reaches_nothing():
    if not network_isolation_prefix():
        pytest.skip("this system allows no network namespace; LibreOffice relies on its profile alone")
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        connect = f"import socket; socket.create_connection(('127.0.0.1', {port}), timeout=5)"
        assert run_tool([sys.executable, "-c", connect], timeout=30).returncode == 0
        isolated = run_tool([sys.executable, "-c", connect], timeout=30, isolate_network=True)
        assert isolated.returncode != 0
        assert "ConnectionRefusedError" in isolated.stderr or "OSError" in isolated.stderr
