"""The recogniser's n-gram model file: TF-IDF n-gram weights and one linear scorer per id, as plain arrays.

What plays is this model with the meaning model joined in (:func:`shipped`, :mod:`.meaning`):
the n-grams hear the words, the network the meaning.

A model is a NumPy ``.npz`` archive read with ``allow_pickle=False``: only numbers and
strings, so opening a model file can never run code (a joblib or pickle file would), and
playing needs NumPy alone, not scikit-learn. Arrays:

- ``features`` (V strings) and ``idf`` (V): the n-gram vocabulary and its IDF weights;
- ``coef`` (V × L, float16: half the size, and the scores move by under 1e-3) and
  ``intercept`` (L): one linear scorer per id in ``labels`` (L strings), whose sigmoid is the
  confidence (a linear SVM with its Platt scaling folded in, or a logistic regression);
- ``thresholds`` (L): the confidence at which each id counts as heard (for the SVM, where
  its margin turns positive);
- ``meta``: JSON text with the language, the feature spec and how the model was trained;
  ``"marks": true`` when the model also reads an answer's shape (:func:`marks`); ``"cues"``,
  the ``[id, pattern]`` cues of its language it was trained with (:mod:`.cues`), each hit
  counting ``"cue_weight"`` times, so a model file is complete without the lexicon.
"""

from __future__ import annotations

import json
import math
import re
import threading
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from .meaning import Meaning

from ..core.freetext import FeatureSpec, features, heard_ids
from .cues import compile_cues, cue_hits

MODEL_FORMAT = "retention-sim/recogniser"
MODEL_VERSION = 1
HEARD_FLOOR = 0.5  # see heard_ids: the nearest id still counts at half its threshold when none reaches it


_QUESTION_END = re.compile(r"[?？][\s\"'”’)）]*$")
_SENTENCE_END = re.compile(r"[.!?。！？]+")


def marks(text: str) -> Counter[str]:
    """The shape of an answer, which n-grams of its words miss: a closing question, any question, a number, an
    exclamation, how many sentences. A closing question is most of asking for acceptance or probing;
    numbers carry offers and bills (measured on the held-back fifth: micro-F1 +0.01 in each language).
    """
    text = text.strip()
    found: Counter[str] = Counter()
    found["#question_end"] += bool(_QUESTION_END.search(text))
    found["#question"] += "?" in text or "？" in text
    found["#number"] += any(c.isdigit() for c in text)
    found["#exclaim"] += "!" in text or "！" in text
    found[f"#sentences{min(len(_SENTENCE_END.findall(text)), 3)}"] += 1
    return +found  # only the marks present


def answer_features(text: str, lang: str, spec: FeatureSpec, with_marks: bool, cues: tuple = (),
                    cue_weight: float = 0.0) -> Counter[str]:
    """What a model reads in ``text``: the n-grams of :func:`simulator.core.freetext.features`, its marks,
    and ``cue_weight`` per hit of the compiled ``cues`` (:func:`simulator.recogniser.cues.compile_cues`)."""
    found = features(text, lang, spec)
    if with_marks:
        found.update(marks(text))
    if cues and cue_weight:
        for feature, hits in cue_hits(text, cues).items():
            found[feature] += hits * cue_weight
    return found


class ModelError(Exception):
    """A model file that cannot be read, said in one line."""


def model_path(lang: str) -> Path:
    """The shipped model for ``lang``."""
    return Path(str(resources.files("simulator") / "recogniser" / f"model-{lang}.npz"))


@dataclass
class Model:
    """A trained recogniser for one language."""

    lang: str
    spec: FeatureSpec
    features: list[str]
    idf: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    labels: list[str]
    thresholds: np.ndarray
    meta: dict = field(default_factory=dict)
    _index: dict[str, int] = field(default_factory=dict, repr=False)
    _idf_map: dict[str, float] | None = field(default=None, repr=False)
    _cues: tuple = field(default=(), repr=False)
    meaning: Meaning | None = field(default=None, repr=False)  # joined in by confidences() when attached

    def __post_init__(self):
        if not self._index:
            self._index = {f: i for i, f in enumerate(self.features)}
        self._cues = compile_cues(self.meta.get("cues", ()))

    # -- reading an answer ---------------------------------------------------------------
    def confidences(self, text: str) -> dict[str, float]:
        """The confidence (0–1) of every id this model knows, for ``text``: the n-gram model's, joined with the
        meaning model's when one is attached (:mod:`simulator.recogniser.meaning`)."""
        import numpy as np  # here, not at the top: a window that only offers choices never loads NumPy
        probs = self.ngram_probabilities(text)
        if self.meaning is not None:
            probs = self.meaning.join(self.labels, probs, self.thresholds, self.meaning.probabilities([text])[0])
        return {label: round(float(p), 4) for label, p in zip(self.labels, np.asarray(probs), strict=True)}

    def ngram_probabilities(self, text: str) -> np.ndarray:
        """The n-gram model's own probability of every id in ``labels``, for ``text``."""
        import numpy as np
        counts = answer_features(text, self.lang, self.spec, bool(self.meta.get("marks")), self._cues,
                                 float(self.meta.get("cue_weight", 0.0)))
        index = self._index
        cols, tf = [], []
        for f, c in counts.items():
            i = index.get(f)
            if i is not None:
                cols.append(i)
                tf.append(1.0 + math.log(c))
        if cols:
            cols_a = np.fromiter(cols, dtype=np.int64, count=len(cols))
            weights = np.fromiter(tf, dtype=np.float32, count=len(tf)) * self.idf[cols_a]
            weights /= np.sqrt(np.dot(weights, weights))
            scores = weights @ self.coef[cols_a] + self.intercept
        else:
            scores = self.intercept.copy()
        return 1.0 / (1.0 + np.exp(-scores.astype(np.float64)))

    def heard(self, confidences: dict[str, float]) -> tuple[str, ...]:
        """The ids whose confidence reaches their threshold, most confident first: the n-gram model's tuned
        thresholds alone, or 0.5 (the two margins' sum positive) when a meaning model is attached."""
        if self.meaning is not None:
            return heard_ids(confidences, dict.fromkeys(self.labels, 0.5), floor=HEARD_FLOOR)
        return heard_ids(confidences, dict(zip(self.labels, self.thresholds.tolist(), strict=True)), floor=HEARD_FLOOR)

    @property
    def idf_map(self) -> dict[str, float]:
        """Feature → IDF weight, for text similarity in :func:`simulator.core.freetext.match`."""
        if self._idf_map is None:
            self._idf_map = dict(zip(self.features, self.idf.tolist(), strict=True))
        return self._idf_map

    # -- the file ------------------------------------------------------------------------
    def save(self, path: Path | str) -> None:
        """Write the model as a compressed ``.npz`` of plain arrays."""
        import numpy as np
        meta = {**self.meta, "format": MODEL_FORMAT, "version": MODEL_VERSION, "lang": self.lang,
                "spec": self.spec.as_json()}
        with open(path, "wb") as f:
            np.savez_compressed(
                f, features=np.array(self.features, dtype=str), idf=self.idf.astype(np.float32),
                coef=self.coef.astype(np.float16), intercept=self.intercept.astype(np.float32),
                labels=np.array(self.labels, dtype=str), thresholds=self.thresholds.astype(np.float32),
                meta=np.array(json.dumps(meta, sort_keys=True)))


def load(path: Path | str) -> Model:
    """Read a model file; a missing, damaged or foreign file is a :class:`ModelError`."""
    import numpy as np

    try:
        with open(path, "rb") as f, np.load(f, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except FileNotFoundError:
        raise ModelError(f"no recogniser model at {path}; build it with 'make model'") from None
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as e:
        raise ModelError(f"the recogniser model {path} cannot be read ({e}); rebuild it with 'make model'") from None
    try:
        meta = json.loads(str(arrays["meta"]))
        if meta.get("format") != MODEL_FORMAT or meta.get("version") != MODEL_VERSION:
            raise ModelError(f"{path} is not a recogniser model of version {MODEL_VERSION}; rebuild it with "
                             "'make model'")
        model = Model(meta["lang"], FeatureSpec.from_json(meta["spec"]), arrays["features"].tolist(),
                      arrays["idf"].astype(np.float32), arrays["coef"].astype(np.float32),
                      arrays["intercept"].astype(np.float32), arrays["labels"].tolist(),
                      arrays["thresholds"].astype(np.float32), meta)
    except (KeyError, TypeError, ValueError, re.error) as e:
        raise ModelError(f"the recogniser model {path} is incomplete ({e}); rebuild it with 'make model'") from None
    if model.coef.shape != (len(model.features), len(model.labels)):
        raise ModelError(f"the recogniser model {path} is inconsistent; rebuild it with 'make model'")
    return model


_cache: dict[str, Model] = {}
_loading = threading.Lock()  # a warm-up thread and the player never load the same model twice


def shipped(lang: str) -> Model:
    """The shipped model for ``lang`` with the shipped meaning model attached, loaded once per process;
    a missing or broken part of either is a :class:`ModelError`."""
    with _loading:
        if lang not in _cache:
            from .meaning import MeaningError, load_meaning
            model = load(model_path(lang))
            try:
                model.meaning = _shipped_meaning(load_meaning)
            except MeaningError as e:
                raise ModelError(str(e)) from None
            _cache[lang] = model
        return _cache[lang]


_meaning: list = []


def _shipped_meaning(loader):
    # one network serves both languages: load it once
    if not _meaning:
        _meaning.append(loader())
    return _meaning[0]


def warm_up(lang: str) -> threading.Thread:
    """Load the shipped model for ``lang`` in a background thread, so the first typed answer does not wait
    (a third of a second; two on the very first start, while the encoder's cache is written). A failure is
    left for the player's own :func:`shipped` call to meet and report."""
    def load_quietly() -> None:
        try:
            shipped(lang)
        except Exception:  # reported by the player's own call, never as a thread's traceback
            pass

    thread = threading.Thread(target=load_quietly, name=f"recogniser-{lang}", daemon=True)
    thread.start()
    return thread
