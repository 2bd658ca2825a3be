"""Practice: the engine that plays a scenario, drills over the corpus, and the records both save."""
