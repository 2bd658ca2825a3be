"""Scenarios: the model, the shape check and loader, conditions, the graph check and the catalog."""
