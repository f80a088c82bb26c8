"""The logger of a bench script's report: its lines on stdout, as they come
(as print gave them), through a handler of its own, not the root logger's,
so that Odoo's loggers, when loaded, stay as they are."""

import logging
import sys


def report_logger(name):
    logger = logging.getLogger(name)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger
