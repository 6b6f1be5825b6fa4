"""Tooling for people who add and maintain sources: the golden-test runner, the fixture
recorder and the new-source scaffold.

Nothing a crawl runs imports this package (an import-linter contract holds that), so
developer conveniences never become part of the crawler.
"""
