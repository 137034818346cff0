"""The website demo (contract: http://localhost:8000/): a page that embeds the
chat widget with one script tag, and the widget's files.

`web/demo/index.html` is the page; `{{RASA_URL}}` in it becomes the configured
Rasa server address. `web/widget/` holds what the host page loads. Only GET
and HEAD; files outside web/ are never served. Security headers: a content
security policy that allows scripts from this server only and connections to
the Rasa server only.
"""

from __future__ import annotations

import argparse
import mimetypes
import sys
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bot.config import PROJECT_ROOT, settings

WEB_ROOT = PROJECT_ROOT / "web"


class Handler(BaseHTTPRequestHandler):
    server_version = "ahp-demo"

    def __init__(self, *args, rasa_url: str, **kwargs):
        self.rasa_url = rasa_url
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args) -> None:  # no request logs: nothing personal kept
        pass

    def _file(self) -> Path | None:
        path = unquote(urlsplit(self.path).path)
        if path in ("/", "/index.html"):
            return WEB_ROOT / "demo" / "index.html"
        target = (WEB_ROOT / path.lstrip("/")).resolve()
        if WEB_ROOT.resolve() not in target.parents or not target.is_file():
            return None
        return target

    def _send(self, head_only: bool) -> None:
        target = self._file()
        if target is None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        body = target.read_bytes()
        if target.name == "index.html":
            body = body.replace(b"{{RASA_URL}}", self.rasa_url.encode())
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type.endswith("javascript"):
            content_type += "; charset=utf-8"
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header(
            "Content-Security-Policy",
            f"default-src 'self'; connect-src 'self' {self.rasa_url}; "
            "img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        )
        self.end_headers()
        if not head_only:
            self.wfile.write(body)

    def do_GET(self) -> None:
        self._send(head_only=False)

    def do_HEAD(self) -> None:
        self._send(head_only=True)


def serve(host: str, port: int, rasa_url: str) -> ThreadingHTTPServer:
    return ThreadingHTTPServer((host, port), partial(Handler, rasa_url=rasa_url))


def main(argv: list[str] | None = None) -> int:
    s = settings()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default=s.host)
    parser.add_argument("--port", type=int, default=s.web_port)
    parser.add_argument("--rasa-url", default=f"http://{s.host}:{s.rasa_port}")
    args = parser.parse_args(argv)
    server = serve(args.host, args.port, args.rasa_url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
