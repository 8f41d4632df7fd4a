"""The site is safe for any text (issue 17, part 8): JSON in <script> elements is escaped for the HTML
script context, and `betamonitor serve` serves regular files inside the publish directory only."""

from __future__ import annotations

import http.client
import json
import os
import threading
import urllib.error
import urllib.request

import pytest

from pipelines.publishing.site import json_for_script, make_server
from tests.html_script import split_scripts

DANGEROUS = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
EVIL = "<!--<script>alert(1)</script>"


def test_json_for_script_escapes_every_dangerous_character_and_round_trips():
    for char, escape in DANGEROUS.items():
        payload = {"naam": f"a{char}b", "lijst": [char, {"sleutel": char * 3}]}
        text = json_for_script(payload)
        assert char not in text, repr(char)
        assert escape in text
        assert json.loads(text) == payload  # what JSON.parse does with \u003c etc.
    payload = {"instellingsnaam": EVIL, "x": "</SCRIPT >-->&amp;\u2028\u2029", "n": [1, 2.5, None, True]}
    text = json_for_script(payload)
    assert not set(text) & set(DANGEROUS)
    assert json.loads(text) == payload
    assert json_for_script({"é": "Bèta"}) == '{"é": "Bèta"}'  # other text stays as it is (UTF-8 pages)


@pytest.mark.parametrize("name", [EVIL, "</script><script>alert(1)</script>", "<!--", "x</script",
                                  "<script>", "\u2028</ScRiPt\t>"])
def test_escaped_json_ends_where_the_page_ends_it(name):
    page = (f'<p>voor</p><script type="application/json">{json_for_script({"naam": name})}</script>'
            f"<table><tr><td>na</td></tr></table><footer>voet</footer>")
    contents, rest = split_scripts(page)
    assert json.loads(contents[0]) == {"naam": name}
    assert rest.endswith("<table><tr><td>na</td></tr></table><footer>voet</footer>")


def test_the_old_escaping_lost_the_rest_of_the_page():
    """The scanner the tests rely on does see the bug: `</` escaped alone is not enough."""
    old = json.dumps({"naam": EVIL}).replace("</", "<\\/")
    contents, rest = split_scripts(f"<script>{old}</script><footer>voet</footer><script>1</script>")
    assert "<footer>" not in rest and "<footer>" in contents[0]


# --- betamonitor serve ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("serve")
    publish = tmp_path / "published"
    (publish / "site" / "static").mkdir(parents=True)
    (publish / "site" / "index.html").write_text("<p>index</p>", encoding="utf-8")
    (publish / "site" / "static" / "site.css").write_text("body {}", encoding="utf-8")
    (publish / "catalog.json").write_text("{}", encoding="utf-8")
    (publish / "empty").mkdir()
    (publish / "latest").mkdir()
    (publish / "latest" / "sector_growth.csv").write_text("sector,naam\nhbo,Bèta\n", encoding="utf-8")
    outside = tmp_path / "outside"
    (outside / "dir").mkdir(parents=True)
    (outside / "secret.txt").write_text("secret", encoding="utf-8")
    (outside / "dir" / "index.html").write_text("secret index", encoding="utf-8")
    os.symlink(outside / "secret.txt", publish / "secret.txt")
    os.symlink(outside / "dir", publish / "site" / "linked")
    os.symlink(outside, publish / "out")
    os.symlink(outside / "dir" / "index.html", publish / "empty2")  # a file link
    (publish / "indexlink").mkdir()
    os.symlink(outside / "dir" / "index.html", publish / "indexlink" / "index.html")
    os.symlink(publish / "site" / "index.html", publish / "inside.html")  # a link that stays inside
    server = make_server(publish, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def status(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_serve_serves_files_and_directory_index_pages(served):
    assert status(f"{served}/site/index.html") == (200, b"<p>index</p>")
    assert status(f"{served}/site/") == (200, b"<p>index</p>")
    assert status(f"{served}/site/static/site.css") == (200, b"body {}")
    assert status(f"{served}/inside.html") == (200, b"<p>index</p>")  # a symlink within the publish dir


@pytest.mark.parametrize("path", ["/secret.txt", "/out/secret.txt", "/out/", "/out/dir/index.html",
                                  "/site/linked/", "/site/linked/index.html", "/empty2", "/indexlink/",
                                  "/site/../../outside/secret.txt", "/%2e%2e/outside/secret.txt"])
def test_serve_never_follows_a_symlink_out_of_the_publish_directory(served, path):
    code, body = status(served + path)
    assert code == 404, path
    assert b"secret" not in body


@pytest.mark.parametrize("path", ["/site/static/", "/empty/", "/empty", "/site/static", "/latest/", "/site/linked"])
def test_serve_lists_no_directories(served, path):
    code, body = status(served + path)
    assert code == 404, path
    assert b"Directory listing" not in body and b"site.css" not in body and b"catalog.json" not in body


def test_serve_answers_head_like_get(served):
    request = urllib.request.Request(f"{served}/secret.txt", method="HEAD")
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(request, timeout=10)
    assert exc.value.code == 404
    request = urllib.request.Request(f"{served}/site/index.html", method="HEAD")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200



def test_serve_sends_the_root_to_the_site_index(served):
    assert status(f"{served}/") == (200, b"<p>index</p>")  # urllib follows the redirect
    assert status(f"{served}/?x=1") == (200, b"<p>index</p>")
    connection = http.client.HTTPConnection(served.removeprefix("http://"), timeout=10)
    try:
        connection.request("GET", "/")
        response = connection.getresponse()
        assert response.status == 302 and response.getheader("Location") == "/site/index.html"
        assert response.read() == b""
    finally:
        connection.close()


@pytest.mark.parametrize("path, content_type", [
    ("/latest/sector_growth.csv", "text/csv; charset=utf-8"), ("/catalog.json", "application/json"),
    ("/site/index.html", "text/html; charset=utf-8")])
def test_serve_gives_csv_json_and_html_their_content_types(served, path, content_type):
    with urllib.request.urlopen(served + path, timeout=10) as response:
        assert response.headers["Content-Type"] == content_type
        body = response.read()
    if path.endswith(".csv"):
        assert body.decode("utf-8") == "sector,naam\nhbo,Bèta\n"


@pytest.mark.parametrize("path", ["/bestaat-niet.html", "/latest/onbekend.csv", "/secret.txt", "/latest/"])
def test_a_missing_page_is_a_dutch_404_with_a_link_to_the_index(served, path):
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(served + path, timeout=10)
    assert exc.value.code == 404
    assert exc.value.headers["Content-Type"] == "text/html; charset=utf-8"
    body = exc.value.read().decode("utf-8")
    assert "Pagina niet gevonden" in body and 'href="/site/index.html"' in body
    assert 'lang="nl"' in body and "File not found" not in body


def test_the_root_without_a_site_index_is_404(tmp_path):
    (tmp_path / "catalog.json").write_text("{}", encoding="utf-8")
    server = make_server(tmp_path, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        code, body = status(f"http://127.0.0.1:{server.server_address[1]}/")
        assert code == 404 and b"Pagina niet gevonden" in body and b"catalog.json" not in body
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
