"""Plans as JSON, for work that is planned in one transaction and written
in others (background generation stores each chunk's proposals).

JSON has no tuples and no dates, and the engine's keys are tuples mixing
ints, strings, None and dates: ``encode`` tags them so that ``decode`` gives
back values equal to the originals (and hashable where they were).
"""

import datetime

from .model import Proposal, ProposalLine


def encode(value):
    kind = type(value)
    if kind is tuple:
        return {"tuple": [encode(item) for item in value]}
    if kind is list:
        return [encode(item) for item in value]
    if kind is dict:
        if not all(type(key) is str for key in value):
            raise TypeError("only dicts with string keys can be encoded")
        return {"dict": {key: encode(item) for key, item in value.items()}}
    if kind is datetime.datetime:
        return {"datetime": value.isoformat()}
    if kind is datetime.date:
        return {"date": value.isoformat()}
    if value is None or kind in (bool, int, float, str):
        return value
    raise TypeError("cannot encode %r" % (value,))


def decode(value):
    if type(value) is list:
        return [decode(item) for item in value]
    if type(value) is dict:
        ((tag, content),) = value.items()
        if tag == "tuple":
            return tuple(decode(item) for item in content)
        if tag == "dict":
            return {key: decode(item) for key, item in content.items()}
        if tag == "datetime":
            return datetime.datetime.fromisoformat(content)
        if tag == "date":
            return datetime.date.fromisoformat(content)
        raise ValueError("unknown tag %r" % tag)
    return value


def _record(record):
    return {name: getattr(record, name) for name in record.__slots__}


def dump_proposals(proposals):
    """JSON-ready data of ``proposals`` (see load_proposals)."""
    data = []
    for proposal in proposals:
        values = _record(proposal)
        values["lines"] = [_record(line) for line in proposal.lines]
        data.append(values)
    return encode(data)


def load_proposals(data):
    proposals = []
    for values in decode(data):
        values["lines"] = [ProposalLine(**line) for line in values["lines"]]
        proposals.append(Proposal(**values))
    return proposals
