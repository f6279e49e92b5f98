"""The web dashboard and REST API (``coupwatch serve``)."""

from coupwatch.web.app import create_app

__all__ = ["create_app"]
