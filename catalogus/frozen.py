"""Making frozen, slotted dataclasses cheaply on the hot path of a check.

A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__`` (a bound
method made and called per field): some 1,500 machine instructions per field, and a new
household's check makes dozens of reasons and results. A maker function instead fills an
instance of the class's *unfrozen twin* (the same slots, so the same memory layout, without
the frozen ``__setattr__``) with plain attribute stores, then gives it the frozen class::

    made = object.__new__(_UnfrozenThing)
    made.a = a
    made.b = b
    made.__class__ = Thing  # from here on it is a Thing: equal, hashable and frozen as any other

CPython allows that class assignment only between classes with the same layout, which
``unfrozen_twin`` guarantees. Each maker has a test that it gives what the class itself makes.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any, Callable


def unfrozen_twin(cls: type) -> type:
    """A class with exactly ``cls``'s slots and no frozen ``__setattr__`` (see the module's docstring).

    ``cls`` must be a frozen dataclass with ``slots=True`` and no ``__post_init__``, which a maker would skip.
    """
    if not is_dataclass(cls) or not cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]
        raise TypeError(f"{cls.__name__} is not a frozen dataclass")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} has a __post_init__ that a maker would skip")
    slots = tuple(getattr(cls, "__slots__", ()))
    if slots != tuple(f.name for f in fields(cls)) or cls.__bases__ != (object,):
        raise TypeError(f"{cls.__name__} needs slots=True, one slot per field, and no base class")
    return type(f"Unfrozen{cls.__name__}", (), {"__slots__": slots, "__module__": cls.__module__})


def dict_maker(cls: type) -> Callable[..., Any]:
    """``cls(**values)`` for a frozen dataclass without slots, with every field given by name: the values are
    written into the new instance's ``__dict__`` at once instead of one ``object.__setattr__`` per field."""
    if not is_dataclass(cls) or not cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]
        raise TypeError(f"{cls.__name__} is not a frozen dataclass")
    if hasattr(cls, "__post_init__") or hasattr(cls, "__slots__"):
        raise TypeError(f"{cls.__name__} has a __post_init__ or slots: use its constructor")
    names = frozenset(f.name for f in fields(cls))
    new = object.__new__

    def make(**values):
        if values.keys() != names:
            raise TypeError(f"{cls.__name__} needs exactly its fields; wrong: {sorted(values.keys() ^ names)}")
        made = new(cls)
        made.__dict__.update(values)
        return made

    make.__name__ = make.__qualname__ = f"make_{cls.__name__}"
    return make
