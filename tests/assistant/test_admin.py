"""Document administration over HTTP: the admin key, uploads (text and scanned PDF), bad
files that change nothing, deletion, reindexing, and questions answered during a reindex."""

from __future__ import annotations

import io
import shutil
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.runtime import Runtime
from ingest.embed import HashEmbedder
from ingest.ocr import ocr_available
from tests.conftest import CORPUS, PLAN_2024, corpus_settings

KEY = "k3y-for-tests-0123456789"
AUTH = {"Authorization": f"Bearer {KEY}"}

NEW_PLAN = """ỦY BAN NHÂN DÂN
THÀNH PHỐ ĐÀ NẴNG
Số: 45/KH-UBND
KẾ HOẠCH
Thí điểm trạm sạc xe điện thông minh năm 2027

I. MỤC TIÊU
Phát triển mạng lưới trạm sạc xe điện phục vụ người dân.

II. NHIỆM VỤ
1. Hạ tầng sạc
a) Lắp đặt 200 trạm sạc xe điện thông minh tại các bãi đỗ xe công cộng.
- Cơ quan chủ trì: Sở Công Thương.
- Cơ quan phối hợp: Sở Xây dựng.
- Thời gian hoàn thành: Quý III/2027.
"""


def _runtime(tmp_path: Path, **settings: object) -> Runtime:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / PLAN_2024, corpus / PLAN_2024)
    values = {"corpus_dir": corpus, "admin_key": KEY, **settings}
    return Runtime.from_settings(corpus_settings(tmp_path / "var", **values), embedder=HashEmbedder())


def _started(client: TestClient) -> TestClient:
    # On first start the index is built in the background; wait for it.
    for _ in range(600):
        if client.get("/readyz").status_code == 200:
            return client
        time.sleep(0.05)
    raise AssertionError(client.get("/readyz").json())


@pytest.fixture()
def client(tmp_path: Path):
    with TestClient(create_app(runtime=_runtime(tmp_path))) as test_client:
        yield _started(test_client)


def _upload(client: TestClient, name: str, content: bytes, headers: dict | None = None):
    return client.post("/api/documents", files={"file": (name, content)}, headers=AUTH if headers is None else headers)


def _documents(client: TestClient) -> list[str]:
    return [d["id"] for d in client.get("/api/documents").json()["documents"]]


def _index_version(client: TestClient) -> str:
    return client.get("/readyz").json()["index"]


def test_without_a_configured_key_administration_is_off(tmp_path: Path) -> None:
    with TestClient(create_app(runtime=_runtime(tmp_path, admin_key=None))) as client:
        _started(client)
        response = _upload(client, "plan.txt", NEW_PLAN.encode())
        assert response.status_code == 403 and response.json()["error"]["code"] == "admin_disabled"
        assert client.post("/api/reindex", headers=AUTH).status_code == 403


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong-key"}, {"Authorization": KEY}, {"Authorization": f"Basic {KEY}"}]
)
def test_a_missing_or_wrong_key_is_401_and_changes_nothing(client: TestClient, headers: dict) -> None:
    before = _index_version(client)
    assert _upload(client, "plan.txt", NEW_PLAN.encode(), headers).status_code == 401
    assert client.delete(f"/api/documents/{PLAN_2024}", headers=headers).status_code == 401
    assert client.post("/api/reindex", headers=headers).status_code == 401
    assert _documents(client) == [PLAN_2024] and _index_version(client) == before


def test_an_uploaded_plan_is_indexed_and_answered(client: TestClient) -> None:
    response = _upload(client, "ke-hoach-tram-sac-2027.txt", NEW_PLAN.encode())
    assert response.status_code == 201, response.text
    assert response.json()["report"]["added"] == ["ke-hoach-tram-sac-2027.txt"]
    assert set(_documents(client)) == {PLAN_2024, "ke-hoach-tram-sac-2027.txt"}
    tasks = client.get("/api/tasks", params={"doc": "ke-hoach-tram-sac-2027.txt"}).json()["tasks"]
    assert [t["lead"] for t in tasks] == [["Sở Công Thương"]]
    assert tasks[0]["deadline"]["end"] == "2027-09-30"
    hits = client.get("/api/search", params={"q": "trạm sạc xe điện"}).json()["hits"]
    assert hits[0]["doc"] == "ke-hoach-tram-sac-2027.txt"
    # A name with spaces is stored with '_' (the id used in citations).
    assert _upload(client, "Kế hoạch sạc.txt", NEW_PLAN.encode()).json()["document"] == "Kế_hoạch_sạc.txt"


@pytest.mark.parametrize(
    ("name", "content", "status", "code"),
    [
        ("plan.exe", b"MZ\x90\x00", 415, "unsupported_type"),
        ("plan.txt", b"", 400, "empty_file"),
        ("plan.txt", b"   \n\n ", 400, "empty_file"),
        ("plan.pdf", b"this is not a pdf", 400, "corrupt_file"),
        ("plan.docx", b"not a zip", 400, "corrupt_file"),
        ("plan.txt", "Kế hoạch".encode("cp1258", "replace") + b"\xff\xfe\xfa", 400, "corrupt_file"),
        ("plan.pdf", b"%PDF-1.7\n garbage that is no PDF structure", 422, "unreadable_document"),
        ("plan.docx", b"PK\x03\x04 a broken zip", 422, "unreadable_document"),
        ("../../etc/passwd.txt", NEW_PLAN.encode(), 400, "bad_file_name"),
        ("..\\evil.txt", NEW_PLAN.encode(), 400, "bad_file_name"),
        (".hidden.txt", NEW_PLAN.encode(), 400, "bad_file_name"),
        ("a/b.txt", NEW_PLAN.encode(), 400, "bad_file_name"),
        ("plan\x00.txt", NEW_PLAN.encode(), 400, "bad_file_name"),
        ("x" * 200 + ".txt", NEW_PLAN.encode(), 400, "bad_file_name"),
    ],
)
def test_bad_files_get_a_clear_error_and_change_nothing(
    client: TestClient, name: str, content: bytes, status: int, code: str
) -> None:
    before = _index_version(client)
    response = _upload(client, name, content)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and " / " in error["message"]
    assert _documents(client) == [PLAN_2024] and _index_version(client) == before
    uploads = Path(client.app.state.settings.uploads_dir)
    assert not [p for p in uploads.rglob("*") if p.is_file() and p.name != ".deleted.json"]


def test_an_oversized_upload_is_refused_before_it_is_read(tmp_path: Path) -> None:
    with TestClient(create_app(runtime=_runtime(tmp_path, max_upload_bytes=4096))) as client:
        _started(client)
        response = _upload(client, "big.txt", NEW_PLAN.encode() * 40)
        assert response.status_code == 413 and response.json()["error"]["code"] == "body_too_large"
        assert _documents(client) == [PLAN_2024]


@pytest.mark.skipif(not ocr_available(), reason="Tesseract with Vietnamese is installed by scripts/install-ocr.sh")
def test_a_scanned_pdf_is_read_by_ocr(client: TestClient) -> None:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(_dejavu()), 34)
    page = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi, an image only: no text layer
    draw = ImageDraw.Draw(page)
    for i, line in enumerate(NEW_PLAN.splitlines()):
        draw.text((120, 140 + i * 60), line, fill=0, font=font)
    scan = io.BytesIO()
    page.save(scan, format="PDF", resolution=200)
    response = _upload(client, "ban-quet.pdf", scan.getvalue())
    assert response.status_code == 201, response.text
    tasks = client.get("/api/tasks", params={"doc": "ban-quet.pdf"}).json()["tasks"]
    assert tasks and tasks[0]["lead"] == ["Sở Công Thương"]
    assert "200 trạm sạc" in tasks[0]["text"]
    citation = client.get("/api/search", params={"q": "trạm sạc xe điện"}).json()["hits"][0]
    assert citation["doc"] == "ban-quet.pdf" and citation["page"] == 1


def _dejavu() -> Path:
    for path in (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),):
        if path.is_file():
            return path
    pytest.skip("no DejaVu font to draw a scanned page")


def test_delete_an_upload_and_a_shipped_document(tmp_path: Path) -> None:
    runtime = _runtime(tmp_path)
    with TestClient(create_app(runtime=runtime)) as client:
        _started(client)
        assert _upload(client, "tram-sac.txt", NEW_PLAN.encode()).status_code == 201
        assert client.delete("/api/documents/tram-sac.txt", headers=AUTH).status_code == 200
        assert client.get("/api/tasks", params={"doc": "tram-sac.txt"}).status_code == 404
        assert client.delete("/api/documents/tram-sac.txt", headers=AUTH).status_code == 404
        assert client.delete("/api/documents/..%2F..%2Fetc%2Fpasswd", headers=AUTH).status_code == 404
        removed = client.delete(f"/api/documents/{PLAN_2024}", headers=AUTH)
        assert removed.status_code == 200 and removed.json()["report"]["removed"] == [PLAN_2024]
        assert _documents(client) == []
    # The shipped file is untouched, and stays deleted after a restart.
    assert (runtime.settings.corpus_dir / PLAN_2024).is_file()
    with TestClient(create_app(runtime=_runtime_again(runtime))) as client:
        assert _documents(_started(client)) == []


def _runtime_again(runtime: Runtime) -> Runtime:
    return Runtime.from_settings(runtime.settings, embedder=HashEmbedder())


def test_reindex_and_one_change_at_a_time(client: TestClient) -> None:
    response = client.post("/api/reindex", headers=AUTH)
    assert response.status_code == 200 and response.json()["report"]["unchanged"] == [PLAN_2024]
    before = _index_version(client)
    full = client.post("/api/reindex?full=true", headers=AUTH)
    assert full.status_code == 200 and full.json()["report"]["added"] == [PLAN_2024]
    assert _index_version(client) != before
    admin = client.app.state.admin
    with admin._lock:  # a change in progress
        busy = _upload(client, "tram-sac.txt", NEW_PLAN.encode())
        assert busy.status_code == 409 and busy.json()["error"]["code"] == "reindex_in_progress"


def test_questions_are_answered_while_the_index_is_rebuilt(client: TestClient) -> None:
    failures: list[int] = []
    done = threading.Event()

    def rebuild() -> None:
        try:
            for _ in range(2):
                assert client.post("/api/reindex?full=true", headers=AUTH).status_code == 200
        finally:
            done.set()

    worker = threading.Thread(target=rebuild)
    worker.start()
    asked = 0
    while not done.is_set() or asked < 10:
        response = client.post("/api/chat", json={"message": "Ai chủ trì nhiệm vụ 2a kế hoạch 2024?"})
        asked += 1
        if response.status_code != 200 or response.json()["citations"][0]["doc"] != PLAN_2024:
            failures.append(response.status_code)
    worker.join()
    assert asked >= 10 and failures == []


def test_a_version_written_by_another_process_is_served_without_a_restart(tmp_path: Path) -> None:
    runtime = _runtime(tmp_path, index_poll_seconds=0.2)
    with TestClient(create_app(runtime=runtime)) as client:
        before = _index_version(_started(client))
        # `assistant ingest` beside the service (here: another runtime on the same data directory).
        extra = tmp_path / "extra.txt"
        extra.write_text(NEW_PLAN, "utf-8")
        other = Runtime.from_settings(runtime.settings, embedder=HashEmbedder())
        other.ingest([runtime.settings.corpus_dir / PLAN_2024, extra], progress=False)
        for _ in range(100):
            if _index_version(client) != before:
                break
            time.sleep(0.05)
        assert _index_version(client) != before
        assert set(_documents(client)) == {PLAN_2024, "extra.txt"}


def test_a_deletion_that_cannot_be_indexed_is_undone(client: TestClient, monkeypatch) -> None:
    assert _upload(client, "tram-sac.txt", NEW_PLAN.encode()).status_code == 201
    admin = client.app.state.admin

    def broken_ingest(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(admin, "_ingest", broken_ingest)
    for doc_id in ("tram-sac.txt", PLAN_2024):
        assert client.delete(f"/api/documents/{doc_id}", headers=AUTH).status_code == 500
    monkeypatch.undo()
    # Both are still served and still on disk; the next reindex changes nothing.
    assert set(_documents(client)) == {PLAN_2024, "tram-sac.txt"}
    assert set(admin.library.files()) == {PLAN_2024, "tram-sac.txt"}
    assert client.post("/api/reindex", headers=AUTH).json()["report"]["removed"] == []
