"""Reading a scenario file into the model, one part of the format per module (see ``loader`` for the entry points)."""
