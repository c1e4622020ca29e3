"""What a number measures, read from the unit written after it.

"How fast" wants a speed, "how far" a length, "how heavy" a mass, "how much did it raise" money:
an answer whose unit measures something else ("42 million kilometers" for "how fast") is wrong
however close it sits to the question's words. Units are grouped into classes; a question names
the classes it accepts (`index.answers.question`), a candidate the class of its unit.
"""

from __future__ import annotations

import re

_CLASSES: dict[str, str] = {}


def _add(cls: str, words: str) -> None:
    for w in words.split():
        _CLASSES[w] = cls


_add("length", """km kilometres kilometers kilometre kilometer m metres meters metre meter cm mm
    centimeters centimetres centimeter centimetre millimeters millimetres millimeter millimetre
    miles mile feet ft foot inches inch yards yard au light-years light-year lightyears
    parsecs parsec nautical""")
_add("mass", """kg kilograms kilogram kilogrammes grams gram g tons tonnes tonne ton pounds lb lbs
    ounces ounce oz milligrams milligram mg""")
_add("duration", """seconds second secs sec minutes minute mins min hours hour hrs hr h days day
    weeks week months month years year decades decade centuries century millennia sols sol
    nights night orbits""")
_add("temperature", "°c °f °k kelvin celsius fahrenheit")
# "Degrees" alone measure heat or an angle: "69 degrees south" answers "how far south".
_add("degrees", "degrees degree °")
_add("data", "bytes byte kb mb gb tb gigabytes gigabyte terabytes terabyte megabytes megabyte petabytes")
_add("power", "watts watt kw kilowatts kilowatt mw megawatts megawatt gw gigawatts hp horsepower")
_add("area", "acres acre hectares hectare ha km² m² sq square")
_add("speed", "mph kph km/h km/s m/s knots rpm")
# Turns (and degrees) per unit of time are how fast something spins: "2,400 revolutions per
# minute", "tumbling at 1.5 degrees per second".
_add("turns", "revolutions revolution rotations rotation turns")
_add("money", "dollars dollar euros euro yen yuan rupees rupee usd eur")
_add("percent", "percent % per-cent")

MONEY_SIGNS = "$£€¥₹"
# Written before a length or a mass to make it a speed or a rate: "kilometers per hour".
_RATE = re.compile(r"\s?(?:per|an|a|each|/)\s?(hour|second|sec|minute|day|year|h|s)\b", re.I)


# Written after a mass to make it a density: "2.1 grams per cubic centimeter", "kg/m³".
_PER_VOLUME = re.compile(
    r"\s?(?:per|/)\s?(?:cubic\s+(?:centimet|met|kilomet|inch|foot|feet)\w*|cm³|cm3|m³|m3|cc|lit(?:er|re)s?)",
    re.I,
)


def unit_class(unit: str | None, after: str = "") -> str | None:
    """The class of a unit word ("kilometers" -> length), made a speed when `after` says it is
    per unit of time ("kilometers per hour"), a density when it is per volume."""
    if not unit:
        return None
    low = unit.casefold().rstrip(".")
    cls = _CLASSES.get(low)
    if cls == "mass" and _PER_VOLUME.match(after):
        return "density"
    if cls in ("length", "turns", "degrees") and _RATE.match(after):
        return "speed"
    if cls in ("mass", "data", "length") and _RATE.match(after):
        return "rate"
    return cls


def rate_suffix(after: str, cls: str | None = None) -> re.Match[str] | None:
    """The "per hour" that makes a length a speed (or the "per cubic centimeter" that makes a
    mass a density), at the start of `after`."""
    return _PER_VOLUME.match(after) if cls == "density" else _RATE.match(after)



# The classes each way of asking accepts, by the question's measuring word.
EXPECTED: dict[str, frozenset[str]] = {
    "fast": frozenset({"speed"}), "quick": frozenset({"speed"}), "speed": frozenset({"speed"}),
    "veloc": frozenset({"speed"}),
    "far": frozenset({"length"}), "close": frozenset({"length"}), "near": frozenset({"length"}),
    "distanc": frozenset({"length"}), "tall": frozenset({"length"}), "high": frozenset({"length"}),
    "height": frozenset({"length"}), "deep": frozenset({"length"}), "depth": frozenset({"length"}),
    "wide": frozenset({"length"}), "width": frozenset({"length"}),
    "big": frozenset({"length", "area", "mass"}), "larg": frozenset({"length", "area", "mass"}),
    "size": frozenset({"length", "area", "mass"}),
    "diamet": frozenset({"length"}), "altitud": frozenset({"length"}),
    "long": frozenset({"length", "duration"}), "length": frozenset({"length"}),
    "heavi": frozenset({"mass"}), "weigh": frozenset({"mass"}), "mass": frozenset({"mass"}),
    "weight": frozenset({"mass"}),
    "old": frozenset({"age", "duration"}), "age": frozenset({"age", "duration"}),
    "hot": frozenset({"temperature", "degrees"}), "cold": frozenset({"temperature", "degrees"}),
    "warm": frozenset({"temperature", "degrees"}), "temperatur": frozenset({"temperature", "degrees"}),
    "cost": frozenset({"money"}), "rais": frozenset({"money"}), "pay": frozenset({"money"}),
    "paid": frozenset({"money"}), "spend": frozenset({"money"}), "spent": frozenset({"money"}),
    "worth": frozenset({"money"}), "fund": frozenset({"money"}), "price": frozenset({"money"}),
    "budget": frozenset({"money"}), "invest": frozenset({"money"}), "money": frozenset({"money"}),
    "valu": frozenset({"money"}), "contract": frozenset({"money"}), "award": frozenset({"money"}),
    "expens": frozenset({"money"}), "sell": frozenset({"money"}), "sold": frozenset({"money"}),
    "valuat": frozenset({"money"}), "revenu": frozenset({"money"}), "payout": frozenset({"money"}),
    "fine": frozenset({"money"}), "salari": frozenset({"money"}), "profit": frozenset({"money"}),
    "percent": frozenset({"percent"}), "percentag": frozenset({"percent"}), "share": frozenset({"percent"}),
    "proport": frozenset({"percent"}), "fraction": frozenset({"percent"}),
    "often": frozenset({"rate", "duration"}), "data": frozenset({"data"}),
    "power": frozenset({"power"}),
    "charg": frozenset({"money"}), "fee": frozenset({"money"}), "cash": frozenset({"money"}),
    "bid": frozenset({"money"}), "commit": frozenset({"money"}), "pledg": frozenset({"money"}),
    "grant": frozenset({"money"}), "donat": frozenset({"money"}), "earn": frozenset({"money"}),
    "loan": frozenset({"money"}), "subsidi": frozenset({"money"}), "give": frozenset({"money"}),
    "volum": frozenset({"volume"}), "room": frozenset({"volume", "area"}),
    "inclin": frozenset({"degrees"}), "angl": frozenset({"degrees"}), "tilt": frozenset({"degrees"}),
    "latitud": frozenset({"degrees"}), "longitud": frozenset({"degrees"}),
    "densiti": frozenset({"density"}), "dens": frozenset({"density"}),
    "bright": frozenset({"brightness"}), "magnitud": frozenset({"brightness"}),
}
# What a vehicle carries is a mass ("how much can Osprey-2 carry to orbit"), unless another
# word of the question says what is measured.
# So is how much of a substance ("how much fuel went into Ward"), or its share ("how much water
# ice did it find": 0.8%), never a duration.
_SUBSTANCES = frozenset({"fuel", "propel", "hydrazin", "xenon", "water", "ice", "materi", "sampl", "soil",
                         "dust", "regolith", "oxygen"})
_CARRYING = frozenset({"carri", "payload", "cargo", "haul"})
EXPECTED.update({term: frozenset({"mass"}) for term in _CARRYING})
EXPECTED.update({term: frozenset({"mass", "volume", "percent", "rate"}) for term in _SUBSTANCES})
CARRIED = _CARRYING | _SUBSTANCES  # weaker than any other word of the question
# "How far south did it land" is answered by a latitude ("69 degrees south") as well as a length.
BEARINGS = frozenset({"north", "south", "east", "west", "northward", "southward"})
