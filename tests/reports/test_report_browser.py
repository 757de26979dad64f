"""report.html in headless Chromium: loads without console errors or network requests, and
every chart renders with a non-zero size; a screenshot is kept for inspection.

Chromium is driven through the DevTools protocol with a minimal standard-library WebSocket
client. Without a Chromium binary the test skips, unless the environment variable ``CI`` is
set, when it fails. Set ``REPORT_SCREENSHOT_DIR`` to keep the screenshot.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--window-size=1280,2000",
)
TIMEOUT = 30.0


def find_chromium() -> str | None:
    """The Chromium binary: $CHROMIUM if set, else the first candidate on the PATH."""
    named = os.environ.get("CHROMIUM")
    if named:
        return named
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


class DevTools:
    """A minimal client of Chromium's DevTools protocol over one WebSocket (RFC 6455)."""

    def __init__(self, url: str) -> None:
        parsed = urlparse(url)
        self.sock = socket.create_connection((parsed.hostname, parsed.port), timeout=TIMEOUT)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {parsed.path} HTTP/1.1\r\nHost: {parsed.hostname}:{parsed.port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise ConnectionError("DevTools closed the connection during the handshake")
            head += chunk
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(head.decode(errors="replace"))
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def close(self) -> None:
        self.sock.close()

    def _read(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("DevTools closed the connection")
            data += chunk
        return data

    def _send_frame(self, opcode: int, payload: bytes) -> None:
        header = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack("!H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", n)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[k % 4] for k, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def _message(self) -> dict[str, Any]:
        parts: list[bytes] = []
        while True:
            first, second = self._read(2)
            opcode, n = first & 0x0F, second & 0x7F
            if n == 126:
                n = struct.unpack("!H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", self._read(8))[0]
            mask = self._read(4) if second & 0x80 else b""
            payload = self._read(n)
            if mask:
                payload = bytes(b ^ mask[k % 4] for k, b in enumerate(payload))
            if opcode == 0x9:  # ping
                self._send_frame(0xA, payload)
                continue
            if opcode == 0x8:
                raise ConnectionError("DevTools closed the WebSocket")
            parts.append(payload)
            if first & 0x80:
                message: dict[str, Any] = json.loads(b"".join(parts))
                return message

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send a command and return its result; events seen meanwhile are kept."""
        self.next_id += 1
        self._send_frame(0x1, json.dumps({"id": self.next_id, "method": method,
                                          "params": params}).encode())
        while True:
            message = self._message()
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            self.events.append(message)

    def wait_for(self, event: str) -> None:
        """Read messages until ``event`` has been seen."""
        deadline = time.monotonic() + TIMEOUT
        while not any(e.get("method") == event for e in self.events):
            if time.monotonic() > deadline:
                raise TimeoutError(event)
            self.events.append(self._message())


def _devtools_port(profile: Path, process: subprocess.Popen[bytes]) -> int:
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if port_file.is_file():
            lines = port_file.read_text().splitlines()
            if lines and lines[0].isdigit():
                return int(lines[0])
        if process.poll() is not None:
            raise RuntimeError(f"Chromium exited with status {process.returncode}")
        time.sleep(0.05)
    raise TimeoutError("Chromium did not open its DevTools port")


@pytest.fixture
def chromium(tmp_path: Path) -> Iterator[DevTools]:
    binary = find_chromium()
    if binary is None:
        message = "no Chromium found (install Debian's 'chromium' or set $CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must run the browser test")
        pytest.skip(message)
    profile = tmp_path / "profile"
    process = subprocess.Popen(
        [binary, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
         "about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client: DevTools | None = None
    try:
        port = _devtools_port(profile, process)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=TIMEOUT) as r:
            targets = json.loads(r.read())
        page = next(t for t in targets if t.get("type") == "page")
        client = DevTools(page["webSocketDebuggerUrl"])
        yield client
    finally:
        if client is not None:
            client.close()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_report_html_renders_in_chromium(
    chromium: DevTools, report_dir: Path, tmp_path: Path
) -> None:
    for domain in ("Page", "Runtime", "Log", "Network"):
        chromium.call(f"{domain}.enable")
    url = (report_dir / "report.html").resolve().as_uri()
    chromium.call("Page.navigate", url=url)
    chromium.wait_for("Page.loadEventFired")
    measured = chromium.call(
        "Runtime.evaluate",
        returnByValue=True,
        expression="""JSON.stringify({
          charts: Array.from(document.querySelectorAll('figure svg')).map(s => {
            const r = s.getBoundingClientRect();
            return {id: s.id, width: r.width, height: r.height,
                    label: s.getAttribute('aria-label'),
                    texts: s.querySelectorAll('text').length};
          }),
          title: document.title,
          headings: document.querySelectorAll('h2').length,
          height: document.documentElement.scrollHeight
        })""",
    )
    facts = json.loads(measured["result"]["value"])
    shot = chromium.call("Page.captureScreenshot", format="png")
    image = base64.b64decode(shot["data"])
    (tmp_path / "report.png").write_bytes(image)
    keep = os.environ.get("REPORT_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        (Path(keep) / "report.png").write_bytes(image)

    errors = [
        e for e in chromium.events
        if e.get("method") == "Runtime.exceptionThrown"
        or (e.get("method") == "Runtime.consoleAPICalled"
            and e["params"].get("type") in ("error", "assert"))
        or (e.get("method") == "Log.entryAdded" and e["params"]["entry"].get("level") == "error")
    ]
    assert errors == [], errors[:3]
    requests = [
        e["params"]["request"]["url"] for e in chromium.events
        if e.get("method") == "Network.requestWillBeSent"
    ]
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert facts["title"].startswith("Comparative report:")
    assert facts["headings"] == 9  # the eight numbered sections and the source comparison
    expected = {p.stem for p in (report_dir / "charts").glob("*.svg")}
    assert {c["id"].removeprefix("chart-") for c in facts["charts"]} == expected
    for chart in facts["charts"]:
        assert chart["width"] > 100 and chart["height"] > 100, chart
        assert chart["label"] and chart["texts"] > 0, chart
    assert image.startswith(b"\x89PNG") and len(image) > 10_000
