"""The web app and REST API over a store (`onrecord serve`); see server/app.py."""

from onrecord.server.app import create_app, get_store

__all__ = ["create_app", "get_store"]
