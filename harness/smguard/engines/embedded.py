"""In-process evaluation: the bundle compiled by OPA to WebAssembly, run by wasmtime.

Why this engine: it is OPA's own compiler and planner, so its semantics are
OPA's; only the runtime differs. (regopy/rego-cpp 1.5.2 was tried first and
rejected: `some k, v in` inside comprehensions does not parse, `object.get`
into an empty list aborts with a C++ range-check error, and several builtins
are missing. See docs/engines.md.)

The module is built by `make bundle` (`opa build -t wasm`) into
`smguard/_bundle/`, together with a digest of the Rego sources it was built
from; a stale or missing build is an engine error, never a silent pass.
This file implements the host side of OPA's Wasm ABI 1.x: memory, abort, and
the builtins OPA leaves to the host (the bundle says which it needs).
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime
import functools
import json
import os
import re
import time
from pathlib import Path

from smguard.engines.base import Engine
from smguard.errors import EngineError


def bundle_dir() -> Path:
    """Where `make bundle` puts the module; $SMGUARD_BUNDLE_DIR overrides it."""
    override = os.environ.get("SMGUARD_BUNDLE_DIR")
    return Path(override) if override else Path(__file__).resolve().parent.parent / "_bundle"


_PAGE = 65536


class EmbeddedEngine(Engine):
    name = "embedded"

    def report(self, payload: dict, data: dict) -> dict:
        from smguard import bundle

        module_dir = bundle_dir()
        bundle.check_fresh(module_dir)
        policy = WasmPolicy((module_dir / "policy.wasm").read_bytes())
        policy.set_data(data)
        results = policy.evaluate(payload, "smguard/main/report")
        if not results or "result" not in results[0]:
            raise EngineError("embedded: smguard/main/report is undefined: the bundle did not load")
        return results[0]["result"]


class WasmPolicy:
    """One instance of an OPA Wasm policy module."""

    def __init__(self, module_bytes: bytes) -> None:
        import wasmtime

        self._wasmtime = wasmtime
        try:
            engine, module = _compiled(module_bytes)
        except wasmtime.WasmtimeError as err:
            raise EngineError(
                f"embedded: invalid policy module: {str(err).splitlines()[0]}"
            ) from None
        self._store = wasmtime.Store(engine)
        # The module says how much memory it needs at least (its data segments).
        wanted = next((imp.type for imp in module.imports if imp.name == "memory"), None)
        minimum = wanted.limits.min if isinstance(wanted, wasmtime.MemoryType) else 2
        limits = wasmtime.Limits(minimum, None)
        self._memory = wasmtime.Memory(self._store, wasmtime.MemoryType(limits))
        i32 = wasmtime.ValType.i32()
        imports = []
        for imp in module.imports:
            if imp.name == "memory":
                imports.append(self._memory)
            elif imp.name == "opa_abort":
                imports.append(
                    wasmtime.Func(self._store, wasmtime.FuncType([i32], []), self._abort)
                )
            elif imp.name == "opa_println":
                imports.append(
                    wasmtime.Func(self._store, wasmtime.FuncType([i32], []), lambda _: None)
                )
            elif imp.name.startswith("opa_builtin"):
                arity = int(imp.name.removeprefix("opa_builtin"))
                imports.append(
                    wasmtime.Func(
                        self._store, wasmtime.FuncType([i32] * (arity + 2), [i32]), self._builtin
                    )
                )
            else:
                raise EngineError(f"embedded: policy imports unknown host function {imp.name}")
        self._exports = wasmtime.Instance(self._store, module, imports).exports(self._store)
        self._builtins_by_id = {
            number: name for name, number in self._read_value(self._call("builtins")).items()
        }
        missing = set(self._builtins_by_id.values()) - set(HOST_BUILTINS)
        if missing:
            raise EngineError(
                f"embedded: policy needs unsupported builtins: {', '.join(sorted(missing))}"
            )
        self._entrypoints = self._read_value(self._call("entrypoints"))
        self._data_addr = 0
        self._base_heap = self._call("opa_heap_ptr_get")

    def set_data(self, data: dict) -> None:
        self._call("opa_heap_ptr_set", self._base_heap)
        self._data_addr = self._write_value(data)
        self._data_heap = self._call("opa_heap_ptr_get")

    def evaluate(self, input_document: dict, entrypoint: str) -> list:
        if entrypoint not in self._entrypoints:
            raise EngineError(f"embedded: entry point {entrypoint} is not in the policy module")
        raw = json.dumps(input_document, separators=(",", ":")).encode()
        address = self._data_heap
        self._ensure_memory(address + len(raw))
        self._memory.write(self._store, raw, address)
        result = self._call(
            "opa_eval", 0, self._entrypoints[entrypoint], self._data_addr,
            address, len(raw), address + len(raw), 0,
        )  # fmt: skip
        return json.loads(self._read_string(result))

    # -- memory and values ------------------------------------------------

    def _call(self, name: str, *args: int) -> int:
        try:
            return self._exports[name](self._store, *args)
        except self._wasmtime.Trap as err:
            raise EngineError(
                f"embedded: policy trapped in {name}: {str(err).splitlines()[0]}"
            ) from None

    def _ensure_memory(self, end: int) -> None:
        size = self._memory.data_len(self._store)
        if end >= size:
            self._memory.grow(self._store, (end - size) // _PAGE + 1)

    def _read_string(self, address: int) -> str:
        """The NUL-terminated string at address, read in C (a Python loop over
        the bytes dominated evaluation time)."""
        if not 0 <= address < self._memory.data_len(self._store):
            raise EngineError(f"embedded: policy returned an address outside its memory: {address}")
        base = ctypes.addressof(self._memory.data_ptr(self._store).contents)
        return ctypes.string_at(base + address).decode()

    def _read_value(self, value_addr: int):
        return json.loads(self._read_string(self._call("opa_json_dump", value_addr)))

    def _write_value(self, value) -> int:
        raw = json.dumps(value, separators=(",", ":")).encode()
        address = self._call("opa_malloc", len(raw))
        self._memory.write(self._store, raw, address)
        parsed = self._call("opa_json_parse", address, len(raw))
        if parsed == 0:
            raise EngineError("embedded: the policy module could not parse a value")
        return parsed

    # -- host functions ---------------------------------------------------

    def _abort(self, address: int) -> None:
        raise EngineError(f"embedded: policy aborted: {self._read_string(address)}")

    def _builtin(self, builtin_id: int, _context: int, *arg_addrs: int) -> int:
        name = self._builtins_by_id[builtin_id]
        args = [self._read_value(a) for a in arg_addrs]
        try:
            result = HOST_BUILTINS[name](*args)
        except (TypeError, ValueError, re.error) as err:
            # OPA with --strict-builtin-errors stops here too.
            raise EngineError(f"embedded: {name}: {err}") from None
        return self._write_value(result)


@functools.cache
def _compiled(module_bytes: bytes):
    """(engine, module): compiling is the slow part (0.36 s), so it is done once
    per process, and wasmtime's own compilation cache (~/.cache/wasmtime, keyed
    by the module's digest) keeps it across processes (0.01 s). A module that
    does not compile raises, and is not cached."""
    import wasmtime

    config = wasmtime.Config()
    with contextlib.suppress(wasmtime.WasmtimeError):  # no usable cache: compile every time
        config.cache = True
    engine = wasmtime.Engine(config)
    return engine, wasmtime.Module(engine, module_bytes)


def _go_format(verb: str, value) -> str:
    if verb in ("s", "v") and isinstance(value, str):
        return value
    if verb == "q" and isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if verb in ("d", "v") and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if verb == "v" and isinstance(value, bool):
        return "true" if value else "false"
    if verb in ("s", "v"):  # any other value as OPA writes it: `[1, "a"]`, `{"k": null}`
        return json.dumps(value, separators=(", ", ": "), sort_keys=True, ensure_ascii=False)
    raise ValueError(
        f"verb %{verb} with {type(value).__name__} is not supported by smguard's sprintf"
    )


def sprintf(template: str, values: list) -> str:
    """Go's fmt.Sprintf for the verbs the policies use (%s %v %d %q %%)."""
    remaining = iter(values)

    def substitute(match: re.Match) -> str:
        verb = match.group(1)
        if verb == "%":
            return "%"
        try:
            return _go_format(verb, next(remaining))
        except StopIteration:
            return f"%!{verb}(MISSING)"

    return re.sub(r"%([%a-zA-Z])", substitute, template)


def _regex_find_n(pattern: str, value: str, number: int) -> list[str]:
    found = [m.group(0) for m in re.finditer(pattern, value)]
    return found if number < 0 else found[:number]


def _time_format(value) -> str:
    """time.format for the one form the policies use: [ns, "UTC", "2006-01-02"]."""
    if not (isinstance(value, list) and value[1:] == ["UTC", "2006-01-02"]):
        raise ValueError(f"only [ns, 'UTC', '2006-01-02'] is supported, not {value!r}")
    seconds = value[0] / 1e9
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC).date().isoformat()


HOST_BUILTINS = {
    "sprintf": sprintf,
    "time.now_ns": time.time_ns,
    "time.format": _time_format,
    "regex.replace": lambda value, pattern, replacement: re.sub(pattern, replacement, value),
    "regex.find_n": _regex_find_n,
}
