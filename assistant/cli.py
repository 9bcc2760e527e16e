"""Command line: ``assistant ingest | ask | search | tasks | targets | documents | serve | zalo-bot | eval | models``.

``--json`` prints exactly the HTTP response body. Bad input prints a message to stderr
and exits with status 2; a missing or broken index exits with status 3.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from assistant import errors
from assistant.config import Settings
from assistant.core import Assistant
from assistant.observability import configure_logging
from assistant.runtime import Runtime
from assistant.storage import StorageError
from assistant.serialize import document_to_dict, hit_to_dict, target_to_dict, task_to_dict
from index.store import IndexError_

DEFAULT_GOLD = Path("eval/data/dev.jsonl")
VOICE_GOLD = Path("eval/data/voice.jsonl")  # short spoken task questions (``eval --voice``)


def _print_json(body: Any) -> None:
    print(json.dumps(body, ensure_ascii=False, indent=2))


def _open(settings: Settings) -> Assistant:
    return Runtime.from_settings(settings).open(build_if_missing=True, progress=True)


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    runtime = Runtime.from_settings(settings)
    paths = [Path(p) for p in args.paths] or runtime.library.paths()
    if not paths:
        raise errors.UserError(
            "no_documents", f"Không có tài liệu nào trong {settings.corpus_dir}", f"no documents in {settings.corpus_dir}"
        )
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise errors.UserError("missing_path", f"Không tìm thấy: {', '.join(missing)}", f"not found: {', '.join(missing)}")
    report = runtime.ingest(paths, progress=not args.quiet, prune=not args.keep)
    print(
        f"Thêm {len(report.added)}, cập nhật {len(report.updated)}, giữ nguyên {len(report.unchanged)}, "
        f"xóa {len(report.removed)}, lỗi {len(report.failed)} — {report.seconds:.1f} s "
        f"(added {len(report.added)}, updated {len(report.updated)}, unchanged {len(report.unchanged)}, "
        f"removed {len(report.removed)}, failed {len(report.failed)}); index {report.version}"
    )
    for doc_id, reason in report.failed.items():
        print(f"  ! {doc_id}: {reason}", file=sys.stderr)
    return 1 if report.failed and not (report.added or report.updated or report.unchanged) else 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    question = errors.validate_question(args.question, settings.max_message_chars)
    assistant = _open(settings)
    if args.json:
        _print_json(assistant.ask(question, args.session).to_dict())
        return 0
    streamed = []
    result: dict = {}
    for event in assistant.ask_stream(question, args.session):
        if isinstance(event, str):
            streamed.append(event)
            print(event, end="", flush=True)
        else:
            result = event.to_dict()
    if "".join(streamed).strip() != result["answer"].strip():
        # The generated text failed its checks: the extractive answer replaces it.
        print("\n\n(Câu trả lời sinh ra không qua được kiểm tra nguồn; dùng câu trả lời trích nguyên văn / "
              "generated answer rejected, extractive answer below)\n")
        print(result["answer"], end="")
    print()
    if result["citations"]:
        print()
        for c in result["citations"]:
            section = f", mục {c['section']}" if c["section"] else ""
            print(f"[{c['id']}] {c['title']}{section}, dòng {c['lines'][0]}–{c['lines'][1]} ({c['doc']})")
            print(f"    «{c['quote'][:300]}»")
    return 0


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    assistant = _open(settings)
    hits = assistant.find(args.query, args.k, args.doc)
    body = {"hits": [hit_to_dict(h, assistant.data) for h in hits]}
    if args.json:
        _print_json(body)
        return 0
    for i, hit in enumerate(body["hits"], 1):
        print(f"{i:2d}. {hit['score']:.4f} {hit['doc']} {hit['section'] or '-'} dòng {hit['lines'][0]}–{hit['lines'][1]}")
        print(f"    {' '.join(hit['text'].split())[:200]}")
    return 0


def cmd_tasks(args: argparse.Namespace, settings: Settings) -> int:
    assistant = _open(settings)
    found = assistant.list_tasks(
        doc=args.doc,
        agency=args.agency,
        due_before=args.due_before,
        due_after=args.due_after,
        text=args.q,
        section=args.section,
        role=args.role,
    )
    body = {"tasks": [task_to_dict(t, assistant.data) for t in found]}
    if args.json:
        _print_json(body)
        return 0
    for t in body["tasks"]:
        print(f"{t['doc']} {t['section']}: {' '.join(t['text'].split())[:140]}")
        print(f"    chủ trì: {'; '.join(t['lead']) or '—'} | phối hợp: {'; '.join(t['coordinating']) or '—'} | hạn: {t['deadline']['text'] or '—'}")
    print(f"{len(body['tasks'])} nhiệm vụ / tasks")
    return 0


def cmd_targets(args: argparse.Namespace, settings: Settings) -> int:
    assistant = _open(settings)
    found = assistant.list_targets(doc=args.doc, agency=args.agency, text=args.q)
    body = {"targets": [target_to_dict(t, assistant.data) for t in found]}
    if args.json:
        _print_json(body)
        return 0
    for t in body["targets"]:
        values = "; ".join(f"{y}: {v}" for y, v in t["values"].items()) or "—"
        print(f"{t['doc']} {t['section']}: {t['indicator'][:110]}")
        print(f"    {values} | chủ trì: {'; '.join(t['lead']) or '—'}")
    print(f"{len(body['targets'])} chỉ tiêu / targets")
    return 0


def cmd_documents(args: argparse.Namespace, settings: Settings) -> int:
    body = {"documents": [document_to_dict(m) for m in _open(settings).documents()]}
    if args.json:
        _print_json(body)
        return 0
    for d in body["documents"]:
        print(f"{d['id']}  {d['title']}  ({d['tasks']} nhiệm vụ, {d['chunks']} đoạn)")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from assistant.api import create_app

    print(f"Trợ lý đang chạy tại / serving on http://{args.host}:{args.port}  (API docs: /docs)", flush=True)
    uvicorn.run(
        create_app(settings),
        host=args.host,
        port=args.port,
        log_level=settings.log_level.lower(),
        log_config=None,  # keep the JSON logging set up in main()
        access_log=False,  # the app logs each request itself, without addresses or query strings
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
    )
    return 0


def cmd_zalo_bot(args: argparse.Namespace, settings: Settings) -> int:
    import threading

    from assistant.zalo.bot import BotClient, poll
    from assistant.zalo.channels import ZaloChannels
    from assistant.zalo.http import ZaloSendError

    if settings.zalo_bot_token is None:
        raise errors.UserError("not_configured", "Chưa đặt ZALO_BOT_TOKEN", "ZALO_BOT_TOKEN is not set")
    if args.action == "webhook":
        if not args.url or not args.url.startswith("https://") or settings.zalo_bot_secret_token is None:
            raise errors.UserError(
                "bad_webhook",
                "Cần URL https:// và ZALO_BOT_SECRET_TOKEN (8–256 ký tự)",
                "an https:// URL and ZALO_BOT_SECRET_TOKEN (8-256 characters) are required",
            )
        client = BotClient(settings)  # only the API call: no store, no workers
        try:
            client.set_webhook(args.url, settings.zalo_bot_secret_token.get_secret_value())
        except ZaloSendError as exc:
            raise errors.UserError("zalo_refused", f"Zalo từ chối: {exc}", f"Zalo refused: {exc}") from None
        finally:
            client.close()
        print(f"Đã đặt webhook / webhook set: {args.url}")
        return 0
    assistant = _open(settings)
    channels = ZaloChannels.from_settings(settings, lambda: assistant, bot_required=True)
    stop = threading.Event()
    print("Đang nhận tin nhắn Zalo Bot (getUpdates); Ctrl-C để dừng / polling Zalo Bot, Ctrl-C to stop", flush=True)
    try:
        poll(channels.bot, channels.responder.handle, stop)  # type: ignore[arg-type]
    except KeyboardInterrupt:
        stop.set()
    finally:
        channels.close()
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from eval.gold import GoldFileError
    from eval.run import evaluate, format_report

    from eval.run import compare_with_baselines
    from ingest.loaders import discover_documents

    gold = Path(args.gold)
    runtime = Runtime.from_settings(settings)
    assistant = runtime.open(build_if_missing=True, progress=True)
    runtime.warm_up()  # model load time is not answer time
    if args.voice:
        return _eval_voice(args, settings, assistant, VOICE_GOLD if args.gold == str(DEFAULT_GOLD) else gold)
    if args.injection:
        from eval.injection import evaluate_injection, format_injection_report, load_attempts

        outcomes = evaluate_injection(runtime, assistant, load_attempts())
        generator = runtime.generator.name if runtime.generator else "none"
        print(format_injection_report(outcomes, generator=generator, verbose=args.verbose))
        return 0 if all(o.resisted for o in outcomes) else 1
    try:
        report = evaluate(assistant, gold)
    except GoldFileError as exc:
        raise errors.UserError("bad_gold", str(exc), "see above") from exc
    if args.json:
        _print_json(report.summary())
    else:
        print(format_report(report, verbose=args.verbose))
    if args.report:
        from eval.ingest_report import format_ingest_report

        print()
        print(format_ingest_report(assistant.data))
    if args.baseline:
        print()
        print(compare_with_baselines(assistant, report, discover_documents([settings.corpus_dir])))
    return 0


def _eval_voice(args: argparse.Namespace, settings: Settings, assistant: Assistant, gold: Path) -> int:
    from assistant.voice.service import Voice, VoiceUnavailable
    from eval.gold import GoldFileError
    from eval.voice import evaluate_voice, format_voice_report

    voice = Voice.from_settings(settings)
    if not voice.speaker.available:
        raise errors.UserError("no_tts", "Chưa cài espeak-ng", "espeak-ng is not installed")
    try:
        print(format_voice_report(evaluate_voice(assistant, voice, gold), verbose=args.verbose))
    except GoldFileError as exc:
        raise errors.UserError("bad_gold", str(exc), "see above") from exc
    except VoiceUnavailable as exc:
        raise errors.UserError("no_stt", "Không có mô hình nhận dạng giọng nói", str(exc)) from exc
    return 0


def _voice_model(settings: Settings) -> None:
    """Assemble the speech model; optional: without it only voice input is off."""
    from assistant.voice.weights import WhisperWeightsError, ensure_whisper_model

    if settings.stt == "none" or settings.stt_model is not None:
        return
    try:
        print(f"Mô hình nhận dạng giọng nói sẵn sàng / speech model ready: {ensure_whisper_model(settings.models_dir)}")
    except (WhisperWeightsError, OSError) as exc:
        print(f"Không dựng được mô hình giọng nói / speech model not assembled: {exc}", file=sys.stderr)


def cmd_models(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.llm.weights import WeightsError, ensure_llm_weights
    from ingest.model_assets import ModelAssetError, ensure_e5_model

    try:
        path = ensure_e5_model(settings.models_dir, progress=True)
    except ModelAssetError as exc:
        print(f"Không dựng được mô hình nhúng / embedding model not assembled: {exc}", file=sys.stderr)
        print("Trợ lý vẫn chạy với tìm kiếm từ khóa / the assistant still runs with lexical search.", file=sys.stderr)
        return 1
    print(f"Mô hình nhúng sẵn sàng / embedding model ready: {path}")
    _voice_model(settings)
    if settings.llm != "embedded" or args.skip_llm:
        return 0
    try:
        gguf = ensure_llm_weights(settings.models_dir, progress=True)
    except (WeightsError, OSError) as exc:
        # Optional: without it the assistant answers extractively, so the install goes on.
        print(f"Không dựng được mô hình ngôn ngữ / LLM weights not assembled: {exc}", file=sys.stderr)
        print("Trợ lý vẫn trả lời bằng trích dẫn nguyên văn / answers stay extractive.", file=sys.stderr)
        return 0
    print(f"Mô hình ngôn ngữ sẵn sàng / LLM ready: {gguf}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and ``--help``)."""
    parser = argparse.ArgumentParser(prog="assistant", description="Trợ lý hỏi đáp kế hoạch chuyển đổi số Đà Nẵng")
    parser.add_argument("--data-dir", help="Thư mục dữ liệu (ASSISTANT_DATA_DIR)")
    parser.add_argument("--llm", choices=["embedded", "ollama", "none"], help="Mô hình sinh câu trả lời (ASSISTANT_LLM)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="build or update the index")
    p.add_argument("paths", nargs="*", help="files or directories (default: the corpus directory)")
    p.add_argument("--keep", action="store_true", help="keep indexed documents not among PATHS")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("ask", help="ask a question")
    p.add_argument("question")
    p.add_argument("--json", action="store_true")
    p.add_argument("--session")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("search", help="hybrid search")
    p.add_argument("query")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--doc")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("tasks", help="list task records")
    p.add_argument("--doc")
    p.add_argument("--agency")
    p.add_argument("--due-before", dest="due_before", help="YYYY-MM: due by the end of this month")
    p.add_argument("--due-after", dest="due_after", help="YYYY-MM: due from the start of this month")
    p.add_argument("--q", help="text the task must contain")
    p.add_argument("--section", help="section prefix, e.g. III.3")
    p.add_argument("--role", default="any", choices=["any", "lead", "coordinating"])
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_tasks)

    p = sub.add_parser("targets", help="list target-table rows (chỉ tiêu)")
    p.add_argument("--doc")
    p.add_argument("--agency")
    p.add_argument("--q", help="text the indicator must contain")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_targets)

    p = sub.add_parser("documents", help="list indexed documents")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_documents)

    p = sub.add_parser("serve", help="run the HTTP API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("zalo-bot", help="Zalo Bot: poll for messages (no public URL), or set the webhook")
    p.add_argument("action", choices=["poll", "webhook"])
    p.add_argument("url", nargs="?", help="for 'webhook': https://…/zalo/bot/webhook")
    p.set_defaults(func=cmd_zalo_bot)

    p = sub.add_parser("eval", help="evaluate on a gold set")
    p.add_argument("--gold", default=str(DEFAULT_GOLD))
    p.add_argument("--json", action="store_true")
    p.add_argument("--verbose", action="store_true", help="list the items that failed")
    p.add_argument("--baseline", action="store_true", help="also measure the LangChain/BM25 baselines (≈2 min)")
    p.add_argument("--report", action="store_true", help="also print the ingest report (tasks, targets, agencies)")
    p.add_argument("--voice", action="store_true", help="measure voice instead: TTS → speech model → answer")
    p.add_argument(
        "--injection", action="store_true", help="measure prompt-injection resistance instead (eval/data/injection.jsonl)"
    )
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("models", help="assemble the offline models (embeddings; the embedded LLM)")
    p.add_argument("--skip-llm", action="store_true", help="only the embedding model")
    p.set_defaults(func=cmd_models)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``assistant`` command."""
    args = build_parser().parse_args(argv)
    try:
        overrides: dict[str, object] = {"data_dir": Path(args.data_dir)} if args.data_dir else {}
        if args.llm:
            overrides["llm"] = args.llm
        settings = Settings(**overrides)
    except ValueError as exc:
        print(f"Cấu hình không hợp lệ / invalid configuration: {exc}", file=sys.stderr)
        return 2
    json_lines = settings.log_format == "json" or (settings.log_format == "auto" and args.command == "serve")
    configure_logging(settings.log_level, json_lines=json_lines)
    try:
        return int(args.func(args, settings))
    except errors.UserError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    except (IndexError_, StorageError) as exc:
        print(str(exc), file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
