"""The free-text recogniser (a shell package): which techniques and mistakes a typed answer shows.

- :mod:`.corpus` reads and validates the exemplar corpus and the library's labelled options;
- :mod:`.cues` reads and validates the cue lexicon, phrases that usually show an id, read as features;
- :mod:`.train` trains a model per language (``make model``; needs scikit-learn);
- :mod:`.model` reads and writes the model file and scores an answer (needs NumPy only).

The pure part (n-grams, matching to an authored response, the order rule) is
:mod:`simulator.core.freetext`; this package loads what it needs from disk and passes it in.
"""
