"""Sending statements to a Learning Record Store: queued in the store, retried, checked against the xAPI rules."""

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from xapi_rules import check

from simulator.cli import main
from simulator.storage import StorageError, Store
from simulator.storage import lrs as lrs_module


class LRS:
    """A local LRS on 127.0.0.1 that accepts only valid xAPI statements with the right credentials."""

    def __init__(self, user="key", password="secret"):
        self.statements: list[dict] = []
        self.down = False
        expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if owner.down:
                    return self._answer(503, "down for maintenance")
                if self.path != "/xapi/statements" or self.headers.get("Authorization") != expected:
                    return self._answer(401, "unauthorised")
                if not self.headers.get("X-Experience-API-Version", "").startswith("1.0."):
                    return self._answer(400, "X-Experience-API-Version missing")
                batch = json.loads(body)
                broken = [(s.get("id"), check(s)) for s in batch if check(s)]
                if broken:
                    return self._answer(400, json.dumps(broken))
                owner.statements += batch
                return self._answer(200, json.dumps([s["id"] for s in batch]))

            def _answer(self, code, text):
                data = text.encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.port = self.server.server_address[1]

    def url(self, user="key", password="secret"):
        return f"http://{user}:{password}@127.0.0.1:{self.port}/xapi/"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def lrs(isolated_library, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    server = LRS()
    yield server
    server.stop()


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _played(capsys, example, trainee="ann"):
    run(capsys, "play", example, "--tui", "--auto", "best", "--trainee", trainee)


def test_statements_reach_the_lrs_and_keep_the_rules(capsys, monkeypatch, tmp_path, example, lrs):
    _played(capsys, example)
    monkeypatch.setenv("RETENTION_SIM_LRS", lrs.url())
    code, out, err = run(capsys, "export", "--xapi", tmp_path / "o.jsonl", "--include-scripted")
    written = [json.loads(line) for line in (tmp_path / "o.jsonl").read_text("utf-8").splitlines()]
    assert code == 0 and err == ""
    assert [s["id"] for s in lrs.statements] == [s["id"] for s in written]
    assert f"{len(written)} accepted by the LRS, 0 still queued" in out


def test_an_offline_lrs_keeps_the_statements_queued_until_the_next_run(capsys, monkeypatch, tmp_path, example, lrs):
    _played(capsys, example)
    monkeypatch.setenv("RETENTION_SIM_LRS", lrs.url())
    lrs.down = True
    code, out, err = run(capsys, "export", "--xapi", tmp_path / "o.jsonl", "--include-scripted")
    assert code == 0 and "0 accepted by the LRS" in out and "answered 503" in err and lrs.statements == []
    lrs.down = False
    _played(capsys, example, trainee="bo")
    code, out, _ = run(capsys, "export", "--xapi", tmp_path / "o.jsonl", "--include-scripted")
    assert "0 still queued" in out
    assert len({s["id"] for s in lrs.statements}) == len(lrs.statements) > 0  # each sent once


def test_wrong_credentials_are_reported_and_nothing_is_lost(capsys, monkeypatch, tmp_path, example, lrs):
    _played(capsys, example)
    monkeypatch.setenv("RETENTION_SIM_LRS", lrs.url(password="wrong"))
    _, out, err = run(capsys, "export", "--xapi", tmp_path / "o.jsonl", "--include-scripted")
    assert "answered 401" in err and "0 accepted" in out
    with Store() as store:
        assert lrs_module.pending(store) > 0


def test_an_unreachable_lrs_is_explained(capsys, monkeypatch, tmp_path, example, lrs):
    _played(capsys, example)
    port = lrs.port
    lrs.stop()
    lrs.stop = lambda: None
    monkeypatch.setenv("RETENTION_SIM_LRS", f"http://key:secret@127.0.0.1:{port}/xapi")
    _, _, err = run(capsys, "export", "--xapi", tmp_path / "o.jsonl", "--include-scripted")
    assert "cannot be reached" in err


def test_an_lrs_url_that_is_not_http_is_refused():
    with pytest.raises(StorageError, match="must be an http"):
        lrs_module.Endpoint.parse("ftp://lrs.example/xapi")
