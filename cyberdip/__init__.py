"""cyberdip: readiness of a foreign ministry for cyber and digital diplomacy."""

__version__ = "0.2.0"
