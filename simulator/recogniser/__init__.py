"""The free-text recogniser (a shell package): which techniques and mistakes a typed answer shows.

- :mod:`.corpus` reads and validates the exemplar corpus and the library's labelled options;
- :mod:`.cues` reads and validates the cue lexicon, phrases that usually show an id, read as features;
- :mod:`.train` trains a model per language (``make model``; needs scikit-learn);
- :mod:`.model` reads and writes the model file and scores an answer (needs NumPy only);
- :mod:`.encoder` runs the sentence encoder (USE multilingual v3, from its wheel) in NumPy;
- :mod:`.meaning` is that encoder fine-tuned to hear the ids by meaning, joined with the n-gram
  model; :mod:`.meaning_train` fine-tunes it (``make model``; NumPy only).

The pure part (n-grams, matching to an authored response, the order rule) is
:mod:`simulator.core.freetext`; this package loads what it needs from disk and passes it in.
"""
