"""Value classes without the dataclasses module: ``@record`` (and ``@record(frozen=True)``)
gives a class ``__init__``, ``__repr__`` and ``__eq__`` from its annotated fields, and, when
frozen, ``__hash__`` and attributes that cannot be set, as ``@dataclass`` does.

Why (issue 18): ``import dataclasses`` loads ``inspect`` (with ast, dis and tokenize), and
``@dataclass`` compiles six small functions one at a time for each class. For the sixteen
classes a summary or the window's first paint needs, that was a third of ``summary --week``'s
own work. Here only ``__init__`` is compiled, once per class.

``replace(obj, **changes)`` and ``fields(cls)`` stand in for the dataclasses functions. A
default of ``factory(make)`` is ``field(default_factory=make)``.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter

__all__ = ["FrozenFieldError", "factory", "fields", "record", "replace"]


class FrozenFieldError(AttributeError):
    """A field of a frozen record was assigned or deleted."""


_MISSING = object()


class _Factory:
    __slots__ = ("make",)

    def __init__(self, make: Callable[[], object]):
        self.make = make


def factory(make: Callable[[], object]):
    """A default made afresh for each instance (a list, a dict, a set)."""
    return _Factory(make)


def fields(cls_or_obj) -> tuple[str, ...]:
    return cls_or_obj.__record_fields__


def replace(obj, **changes):
    """A copy of the record with the given fields changed."""
    names = obj.__record_fields__
    for name in changes:
        if name not in names:
            raise TypeError(f"{type(obj).__name__} has no field {name!r}")
    return obj.__class__(**{n: changes[n] if n in changes else getattr(obj, n) for n in names})


def _fields_getter(names: tuple[str, ...]):
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        single = attrgetter(names[0])
        return lambda obj: (single(obj),)
    return lambda obj: ()


def _show(obj, names: tuple[str, ...]) -> str:
    inside = ", ".join(f"{name}={getattr(obj, name)!r}" for name in names)
    return f"{obj.__class__.__qualname__}({inside})"


def _refuse_set(self, name, value):
    raise FrozenFieldError(f"cannot assign to field {name!r}")


def _refuse_delete(self, name):
    raise FrozenFieldError(f"cannot delete field {name!r}")


def record(cls=None, /, *, frozen: bool = False):
    def wrap(cls):
        return _build(cls, frozen)

    return wrap if cls is None else wrap(cls)


def _build(cls, frozen: bool):
    names = tuple(cls.__dict__.get("__annotations__", {}))
    if any(hasattr(base, "__record_fields__") for base in cls.__mro__[1:]):
        raise TypeError(f"{cls.__name__}: a record cannot extend another record")
    scope: dict[str, object] = {"_MISSING": _MISSING, "_set": object.__setattr__}
    params, body = [], []
    seen_default = False
    for name in names:
        default = cls.__dict__.get(name, _MISSING)
        if isinstance(default, (list, dict, set)):
            raise ValueError(f"{cls.__name__}.{name}: a mutable default must be factory(...)")
        if default is _MISSING:
            if seen_default:
                raise TypeError(f"{cls.__name__}: field {name!r} without a default follows one with a default")
            params.append(name)
            value = name
        elif isinstance(default, _Factory):
            seen_default = True
            scope[f"_make_{name}"] = default.make
            delattr(cls, name)  # as dataclasses does: no class attribute for a made default
            params.append(f"{name}=_MISSING")
            value = f"_make_{name}() if {name} is _MISSING else {name}"
        else:
            seen_default = True
            scope[f"_default_{name}"] = default
            params.append(f"{name}=_default_{name}")
            value = name
        body.append(f"  _set(self, {name!r}, {value})" if frozen else f"  self.{name} = {value}")
    own = set(cls.__dict__)  # what the class itself defines (kept)
    source = f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body or ["  pass"])
    exec(compile(source, f"<record {cls.__qualname__}>", "exec"), scope)  # noqa: S102 - our own text
    methods = {"__init__": scope["__init__"]}
    # only __init__ is compiled (its signature and speed are a dataclass's); the rest are the
    # same few lines for every record, reading the fields through one C-level attrgetter
    key = _fields_getter(names)
    methods["__repr__"] = lambda self: _show(self, names)
    methods["__eq__"] = lambda self, other: (key(self) == key(other)) if other.__class__ is self.__class__ \
        else NotImplemented
    if frozen:
        if "__setattr__" in own or "__delattr__" in own:
            raise TypeError(f"{cls.__name__}: a frozen record sets its own attributes")
        methods.update(__setattr__=_refuse_set, __delattr__=_refuse_delete, __hash__=lambda self: hash(key(self)))
    for method, function in methods.items():
        if method not in own:
            if function not in (_refuse_set, _refuse_delete):  # those two are shared
                function.__name__ = method
                function.__qualname__ = f"{cls.__qualname__}.{method}"
            setattr(cls, method, function)
    if not frozen and "__eq__" not in own and "__hash__" not in own:
        cls.__hash__ = None  # equal by value and changeable: not hashable (as dataclasses does)
    cls.__record_fields__ = names
    cls.__match_args__ = names
    return cls
