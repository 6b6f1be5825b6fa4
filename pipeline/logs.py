"""Where an unattended chipwire's log goes: stderr and a rotating file in the data directory.

A scheduler runs for months: its log must be there after the terminal is gone
(``data_dir/logs/chipwire.log``) and must not fill the disk (5 files of 5 MB).
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from chipwire.pipeline.config import Settings

LOG_FILE = Path("logs") / "chipwire.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_MARK = "_chipwire_handler"
_LOGGERS = ("chipwire", "apscheduler")


def log_path(settings: Settings) -> Path:
    return settings.data_dir / LOG_FILE


def start_logging(settings: Settings, *, level: int = logging.INFO, stderr: bool = True) -> Path:
    """Send chipwire's log (``chipwire.*`` and APScheduler's) to the file and to stderr.

    Called again (another command in the same process, a test), it replaces the handlers
    it added before, so nothing is logged twice.
    """
    path = log_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    handlers: list[logging.Handler] = [
        logging.handlers.RotatingFileHandler(
            path, maxBytes=5 * 1024 * 1024, backupCount=5, encoding="utf-8"
        )
    ]
    if stderr:
        handlers.append(logging.StreamHandler())
    stop_logging()
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        for handler in handlers:
            handler.setFormatter(logging.Formatter(_FORMAT))
            setattr(handler, _MARK, True)
            logger.addHandler(handler)
        logger.setLevel(level)
    return path


def stop_logging() -> None:
    """Remove (and close) the handlers ``start_logging`` added."""
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        for old in [h for h in logger.handlers if getattr(h, _MARK, False)]:
            logger.removeHandler(old)
            old.close()
