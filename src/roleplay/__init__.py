"""roleplay: an offline terminal trainer for practising empathic responding."""

__version__ = "0.1.0"
