"""Practice sessions: the engine that plays a scenario, and the records it saves."""
