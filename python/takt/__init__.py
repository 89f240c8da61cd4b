"""takt from Python: load a plant, simulate it, read its figures as numbers.

    import takt
    plant = takt.load("plant.yaml")
    res = plant.run(replications=10, seed=1, threads=2)
    res.throughput                      # (mean, ci95) in parts per hour
    res.stations["M1"].states["blocked"]
    res.to_json()

A thin layer over the C library libtakt.so (include/takt.h), through
ctypes: nothing is compiled at import.  Every figure is a pair (mean,
half-width of the 95 % confidence interval over replications); the
half-width is nan where there is none.  See docs/python.md.
"""

import ctypes
import json as _json
import math

from ._lib import lib, take_string, take_bytes, PROGRESS

__all__ = ["load", "loads", "sweep", "balance", "open_store", "catalogue", "Plant", "Result", "TaktError",
           "version", "STATES"]

_TEXT, _JSON, _HTML, _CSV = 0, 1, 2, 3
_ENOTFOUND = 6


class TaktError(Exception):
    """A call into takt failed; .status is the takt_status code (see
    docs/api.md), str() the reason."""

    def __init__(self, status, message=None):
        self.status = status
        reason = lib.takt_strerror(status).decode()
        super().__init__(message.rstrip("\n") if message else reason)


def version():
    """The version of the library in use, "MAJOR.MINOR.PATCH"."""
    return lib.takt_version().decode()


def _b(s):
    return s.encode("utf-8") if isinstance(s, str) else s


def _settings(settings):
    """A dict {path: value} or a list of "path=value" -> a C array."""
    if settings is None:
        items = []
    elif isinstance(settings, dict):
        items = ["%s=%s" % (k, v) for k, v in settings.items()]
    else:
        items = list(settings)
    arr = (ctypes.c_char_p * max(1, len(items)))(*[_b(s) for s in items])
    return arr, len(items)


def _check(status, message_ptr=None):
    if status != 0:
        raise TaktError(status, take_string(message_ptr) if message_ptr is not None else None)
    if message_ptr is not None:
        take_string(message_ptr)


def catalogue(table):
    """The rows of a table of the results catalogue ("headline", "station",
    "workshop", "buffer", "daily", "monthly", "state"): a list of (key,
    label, unit)."""
    rows = []
    key, label, unit = ctypes.c_char_p(), ctypes.c_char_p(), ctypes.c_char_p()
    while lib.takt_catalogue_entry(_b(table), len(rows), ctypes.byref(key), ctypes.byref(label),
                                   ctypes.byref(unit)) == 0:
        rows.append((key.value.decode(), label.value.decode(), unit.value.decode()))
    return rows


STATES = tuple(k for k, _, _ in catalogue("state"))


def load(path, settings=None):
    """Load and validate a plant file; settings as `takt sweep --set` takes
    them ({"buffers.B1.capacity": 5} or ["buffers.B1.capacity=5"]).
    Raises TaktError with one "FILE:LINE:COLUMN: message" line per problem."""
    arr, n = _settings(settings)
    errors = ctypes.c_void_p()
    p = lib.takt_load_with(_b(str(path)), arr, n, ctypes.byref(errors))
    if not p:
        raise TaktError(1, take_string(errors))
    return Plant(p)


def loads(yaml, name="<string>", settings=None):
    """Load a plant from YAML text."""
    data = _b(yaml)
    arr, n = _settings(settings)
    errors = ctypes.c_void_p()
    p = lib.takt_load_string_with(_b(name), data, len(data), arr, n, ctypes.byref(errors))
    if not p:
        raise TaktError(1, take_string(errors))
    return Plant(p)


class _Options:
    """takt_options for one call, freed with it."""

    def __init__(self, replications=None, seed=None, threads=None, horizon=None, warmup=None,
                 progress=None):
        self.ptr = lib.takt_options_new()
        if not self.ptr:
            raise MemoryError("takt: out of memory")
        self._callback = None
        try:
            for setter, value in ((lib.takt_options_set_replications, replications),
                                  (lib.takt_options_set_seed, seed),
                                  (lib.takt_options_set_threads, threads),
                                  (lib.takt_options_set_horizon, horizon),
                                  (lib.takt_options_set_warmup, warmup)):
                if value is not None and setter(self.ptr, value) != 0:
                    name = setter.__name__.replace("takt_options_set_", "")
                    raise ValueError("takt: %s out of range: %r" % (name, value))
            if progress is not None:
                opts = self.ptr

                def call(ctx, rep, frac):
                    # a callback that returns True cancels the run
                    if progress(rep, frac):
                        lib.takt_options_cancel(opts)
                self._callback = PROGRESS(call)
                lib.takt_options_set_progress(self.ptr, self._callback, None)
        except Exception:
            self.close()
            raise

    def close(self):
        if self.ptr:
            lib.takt_options_free(self.ptr)
            self.ptr = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Plant:
    """A loaded, validated plant (immutable)."""

    def __init__(self, ptr, owner=None):
        self._ptr = ptr
        self._owner = owner             # when set, it frees the plant

    def __del__(self):
        if getattr(self, "_ptr", None) and self._owner is None:
            lib.takt_plant_free(self._ptr)
            self._ptr = None

    @property
    def name(self):
        return lib.takt_plant_name(self._ptr).decode()

    @property
    def stations(self):
        return [lib.takt_plant_station(self._ptr, i).decode()
                for i in range(lib.takt_plant_station_count(self._ptr))]

    @property
    def buffers(self):
        return [lib.takt_plant_buffer(self._ptr, i).decode()
                for i in range(lib.takt_plant_buffer_count(self._ptr))]

    def setting(self, path):
        """A setting by its --set path: "replications", "seed", "horizon",
        "warmup" (s), "stations.M1.servers", "buffers.B1.capacity"."""
        v = ctypes.c_double()
        st = lib.takt_plant_setting(self._ptr, _b(path), ctypes.byref(v))
        if st != 0:
            raise KeyError(path)
        return v.value

    def run(self, replications=None, seed=None, threads=None, horizon=None, warmup=None,
            progress=None):
        """Simulate; None leaves a value to the plant file.  horizon and
        warmup in seconds.  progress(rep, fraction) is called from worker
        threads; returning True cancels (TaktError, status 3)."""
        with _Options(replications, seed, threads, horizon, warmup, progress) as o:
            res = ctypes.c_void_p()
            why = ctypes.c_void_p()
            st = lib.takt_simulate(self._ptr, o.ptr, ctypes.byref(res), ctypes.byref(why))
            _check(st, why)
        return Result(res.value, self)


def _pair(fn, *args):
    m, c = ctypes.c_double(), ctypes.c_double()
    st = fn(*args, ctypes.byref(m), ctypes.byref(c))
    if st != 0:
        raise KeyError(args[-1].decode() if isinstance(args[-1], bytes) else args[-1])
    return (m.value, c.value)


class _Figures(dict):
    """A dict of figure -> (mean, ci95)."""


class Station:
    """A station's figures: .states {state: (mean, ci95)}, .figures {key:
    (mean, ci95)} for every per-station figure of the catalogue
    ("parts_out", "sole", "shifting": the bottleneck shares), .parts_out."""

    def __init__(self, res, name):
        b = _b(name)
        self.name = name
        self.states = _Figures((s, _pair(lib.takt_result_station_state, res, b, _b(s)))
                               for s in STATES)
        self.figures = _Figures((k, _pair(lib.takt_result_station_figure, res, b, _b(k)))
                                for k, _, _ in catalogue("station"))
        self.parts_out = self.figures["parts_out"]

    def __repr__(self):
        return "<takt station %s: parts_out %.6g>" % (self.name, self.parts_out[0])


class Buffer:
    """A buffer's figures: .figures {key: (mean, ci95)} for every
    per-buffer figure of the catalogue; .mean_level, .max_level."""

    def __init__(self, res, name):
        b = _b(name)
        self.name = name
        self.figures = _Figures((k, _pair(lib.takt_result_buffer_figure, res, b, _b(k)))
                                for k, _, _ in catalogue("buffer"))
        self.mean_level = self.figures["mean_level"]
        self.max_level = self.figures["max_level"]

    def __repr__(self):
        return "<takt buffer %s: mean level %.6g>" % (self.name, self.mean_level[0])


_SERIES_KEYS = {name: tuple(k for k, _, _ in catalogue(name)) for name in ("daily", "monthly")}


class Result:
    """The summary of a run: every figure as (mean, ci95)."""

    def __init__(self, ptr, plant, owner=None):
        self._ptr = ptr
        self.plant = plant              # the result borrows the plant: keep it
        self._owner = owner             # when set, it frees the result
        self.stations = {s: Station(ptr, s) for s in plant.stations}
        self.buffers = {b: Buffer(ptr, b) for b in plant.buffers}

    def __del__(self):
        if getattr(self, "_ptr", None) and self._owner is None:
            lib.takt_result_free(self._ptr)
            self._ptr = None

    replications = property(lambda self: lib.takt_result_replications(self._ptr))
    seed = property(lambda self: lib.takt_result_seed(self._ptr))
    horizon = property(lambda self: lib.takt_result_horizon(self._ptr))
    warmup = property(lambda self: lib.takt_result_warmup(self._ptr))
    events = property(lambda self: lib.takt_result_events(self._ptr))

    @property
    def bottleneck(self):
        b = lib.takt_result_bottleneck(self._ptr)
        return b.decode() if b else None

    @property
    def figures(self):
        """Every headline figure: {"throughput_per_hour": (mean, ci95), ...}."""
        keys = [lib.takt_result_figure_key(self._ptr, i).decode()
                for i in range(lib.takt_result_figure_count(self._ptr))]
        return {k: self.figure(k) for k in keys}

    def figure(self, key):
        return _pair(lib.takt_result_figure, self._ptr, _b(key))

    @property
    def throughput(self):
        """Parts per hour to the sink: (mean, ci95)."""
        return self.figure("throughput_per_hour")

    lead_time = property(lambda self: self.figure("lead_time_s"))
    wip = property(lambda self: self.figure("wip"))

    def series(self, name):
        """"daily" or "monthly": a list of dicts {"date": "2026-03-02",
        "produced": (mean, ci95), ...}; empty for a plant without a start
        date."""
        if name not in _SERIES_KEYS:
            raise KeyError(name)
        n = lib.takt_result_series_length(self._ptr, _b(name))
        out = []
        buf = ctypes.create_string_buffer(32)
        for i in range(n):
            lib.takt_result_series_date(self._ptr, _b(name), i, buf, len(buf))
            point = {"date": buf.value.decode()}
            for key in _SERIES_KEYS[name]:
                point[key] = _pair(lib.takt_result_series_value, self._ptr, _b(name), i, _b(key))
            out.append(point)
        return out

    def _report(self, fmt):
        text = ctypes.c_void_p()
        n = ctypes.c_size_t()
        _check(lib.takt_result_report(self._ptr, fmt, ctypes.byref(text), ctypes.byref(n)))
        return take_bytes(text, n.value).decode("utf-8")

    def to_json(self):
        """The JSON report of `takt run --json`, as text."""
        return self._report(_JSON)

    def to_dict(self):
        return _json.loads(self.to_json())

    def to_text(self):
        return self._report(_TEXT)

    def to_html(self):
        return self._report(_HTML)

    def to_pandas(self, what="stations"):
        """A pandas DataFrame: "stations" (one row per station: parts_out
        and every state, mean and ci95 columns), "buffers", "figures",
        "daily" or "monthly".  Needs pandas (python3-pandas)."""
        try:
            import pandas
        except ImportError as e:
            raise ImportError("takt: to_pandas() needs pandas, which is not installed "
                              "(Debian: apt-get install python3-pandas)") from e
        rows = []
        if what == "stations":
            for name, st in self.stations.items():
                row = {"station": name, "parts_out_mean": st.parts_out[0],
                       "parts_out_ci95": st.parts_out[1]}
                for s, (m, c) in st.states.items():
                    row[s + "_mean"], row[s + "_ci95"] = m, c
                rows.append(row)
            index = "station"
        elif what == "buffers":
            rows = [{"buffer": n, "mean_level_mean": b.mean_level[0],
                     "mean_level_ci95": b.mean_level[1], "max_level": b.max_level[0]}
                    for n, b in self.buffers.items()]
            index = "buffer"
        elif what == "figures":
            rows = [{"figure": k, "mean": m, "ci95": c} for k, (m, c) in self.figures.items()]
            index = "figure"
        elif what in _SERIES_KEYS:
            for point in self.series(what):
                row = {"date": point["date"]}
                for key in _SERIES_KEYS[what]:
                    row[key + "_mean"], row[key + "_ci95"] = point[key]
                rows.append(row)
            index = "date"
        else:
            raise KeyError(what)
        frame = pandas.DataFrame(rows)
        return frame.set_index(index) if rows else frame

    def __repr__(self):
        m, c = self.throughput
        return "<takt result %s: %d replications, throughput %.4g ± %.2g /h>" % (
            self.plant.name, self.replications, m, 0.0 if math.isnan(c) else c)


class _SweepHandle:
    """Owns a C sweep: its results and plants live as long as it does."""

    def __init__(self, ptr):
        self.ptr = ptr

    def __del__(self):
        if getattr(self, "ptr", None):
            lib.takt_sweep_free(self.ptr)
            self.ptr = None


def sweep(path, axes, settings=None, replications=None, seed=None, threads=None,
          horizon=None, warmup=None):
    """Simulate every combination of axes ({"buffers.B1.capacity": "1..4",
    "stations.M2.servers": "1,2"}; the first varies slowest) on one pool of
    threads.  Returns a list of (values, Result), values a dict {path:
    value as written}; each Result equals plant.run() of that combination."""
    s = lib.takt_sweep_new()
    if not s:
        raise MemoryError("takt: out of memory")
    handle = _SweepHandle(s)
    for key, values in axes.items():
        why = ctypes.c_void_p()
        _check(lib.takt_sweep_add(s, _b("%s=%s" % (key, values)), ctypes.byref(why)), why)
    arr, n = _settings(settings)
    why = ctypes.c_void_p()
    _check(lib.takt_sweep_load(s, _b(str(path)), arr, n, ctypes.byref(why)), why)
    with _Options(replications, seed, threads, horizon, warmup) as o:
        why = ctypes.c_void_p()
        _check(lib.takt_sweep_run(s, o.ptr, ctypes.byref(why)), why)
    out = []
    naxes = lib.takt_sweep_axis_count(s)
    for c in range(lib.takt_sweep_count(s)):
        values = {lib.takt_sweep_axis(s, a).decode(): lib.takt_sweep_value(s, c, a).decode()
                  for a in range(naxes)}
        res = lib.takt_sweep_result(s, c)
        out.append((values, Result(res, Plant(lib.takt_result_plant(res), owner=handle),
                                   owner=handle)))
    return out


def balance(path, takt=None, stations=None, time_limit=10.0, template=None):
    """Balance the task file at path (docs/balance.md) to a takt in seconds
    (the fewest stations) or to a number of stations (the shortest cycle);
    neither: the file's own.  Returns a dict: "stations", "cycle_s",
    "lower_bound", "optimal", "assignment" {task: station (1-based)} and
    "plant" (the balanced line as plant-file text, for takt.loads)."""
    b = ctypes.c_void_p()
    why = ctypes.c_void_p()
    _check(lib.takt_balance_load(_b(str(path)), _b(str(template)) if template else None,
                                 ctypes.byref(b), ctypes.byref(why)), why)
    try:
        if takt is not None:
            _check(lib.takt_balance_set_takt(b, float(takt)))
        if stations is not None:
            _check(lib.takt_balance_set_stations(b, int(stations)))
        why = ctypes.c_void_p()
        _check(lib.takt_balance_solve(b, float(time_limit), ctypes.byref(why)), why)
        text = ctypes.c_void_p()
        n = ctypes.c_size_t()
        _check(lib.takt_balance_plant_text(b, ctypes.byref(text), ctypes.byref(n)))
        return {
            "stations": lib.takt_balance_stations(b),
            "cycle_s": lib.takt_balance_cycle(b),
            "lower_bound": lib.takt_balance_lower_bound(b),
            "optimal": bool(lib.takt_balance_optimal(b)),
            "assignment": {lib.takt_balance_task(b, i).decode(): lib.takt_balance_task_station(b, i)
                           for i in range(lib.takt_balance_task_count(b))},
            "plant": take_bytes(text, n.value).decode(),
        }
    finally:
        lib.takt_balance_free(b)


def open_store(path):
    """The runs of a run store (takt.db): a list of dicts with "id",
    "started_at", "plant", "plant_file", "takt_version", "command_line",
    "replications", "seed", ... and "figures" {key: (mean, ci95)}."""
    st = ctypes.c_void_p()
    why = ctypes.c_void_p()
    _check(lib.takt_store_open(_b(str(path)), ctypes.byref(st), ctypes.byref(why)), why)
    try:
        runs = []
        for i in range(lib.takt_store_run_count(st)):
            run = {"id": lib.takt_store_run_id(st, i)}
            for f in ("started_at", "plant", "plant_file", "plant_hash", "takt_version",
                      "command_line"):
                t = lib.takt_store_run_text(st, i, _b(f))
                run[f] = t.decode() if t else None
            for f in ("replications", "seed", "horizon_s", "warmup_s", "wall_s", "events",
                      "sweep_id"):
                v = _pair(lib.takt_store_run_figure, st, i, _b(f))[0]
                run[f] = int(v) if f in ("replications", "seed", "events") and \
                    not math.isnan(v) else v
            run["figures"] = {}
            for key, _, _ in catalogue("headline"):
                try:
                    run["figures"][key] = _pair(lib.takt_store_run_figure, st, i, _b(key))
                except KeyError:
                    pass
            runs.append(run)
        return runs
    finally:
        lib.takt_store_close(st)
