"""The C library behind the module: finding libtakt.so and declaring the
functions of takt.h that the module calls (ctypes: no compiler needed)."""

import ctypes
import ctypes.util
import os

SONAME = "libtakt.so.0"


def _candidates():
    env = os.environ.get("TAKT_LIBRARY")
    if env:
        yield env
    here = os.path.dirname(os.path.abspath(__file__))
    # installed: PREFIX/lib/python3/dist-packages/takt -> PREFIX/lib
    yield os.path.join(here, "..", "..", "..", SONAME)
    # in the source tree: python/takt -> build/
    yield os.path.join(here, "..", "..", "build", SONAME)
    found = ctypes.util.find_library("takt")
    if found:
        yield found
    yield SONAME


def _load():
    tried = []
    for path in _candidates():
        if os.sep in path and not os.path.exists(path):
            tried.append(path)
            continue
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            tried.append("%s (%s)" % (path, e))
    raise ImportError("takt: cannot find the shared library %s; build it with `make` or set "
                      "TAKT_LIBRARY to its path (tried: %s)" % (SONAME, ", ".join(tried)))


lib = _load()

c_double_p = ctypes.POINTER(ctypes.c_double)
c_char_pp = ctypes.POINTER(ctypes.c_void_p)   # char ** that we free ourselves
PROGRESS = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int, ctypes.c_double)

_libc = ctypes.CDLL(None)
_libc.free.argtypes = [ctypes.c_void_p]
_libc.free.restype = None


def take_string(ptr):
    """The text of a malloc'd char * (ctypes.c_void_p), then free it."""
    if not ptr or not ptr.value:
        return None
    text = ctypes.string_at(ptr.value).decode("utf-8", "replace")
    _libc.free(ptr.value)
    return text


def take_bytes(ptr, n):
    data = ctypes.string_at(ptr.value, n)
    _libc.free(ptr.value)
    return data


def _fn(name, restype, *argtypes):
    f = getattr(lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)


P = ctypes.c_void_p
S = ctypes.c_char_p
I = ctypes.c_int
D = ctypes.c_double
ST = ctypes.c_int

_fn("takt_version", S)
_fn("takt_strerror", S, ST)
_fn("takt_load_with", P, S, ctypes.POINTER(S), I, c_char_pp)
_fn("takt_load_string_with", P, S, S, ctypes.c_size_t, ctypes.POINTER(S), I, c_char_pp)
_fn("takt_plant_free", None, P)
_fn("takt_plant_name", S, P)
_fn("takt_plant_station_count", I, P)
_fn("takt_plant_station", S, P, I)
_fn("takt_plant_buffer_count", I, P)
_fn("takt_plant_buffer", S, P, I)
_fn("takt_plant_setting", ST, P, S, c_double_p)
_fn("takt_options_new", P)
_fn("takt_options_free", None, P)
_fn("takt_options_set_replications", ST, P, I)
_fn("takt_options_set_seed", ST, P, ctypes.c_uint64)
_fn("takt_options_set_horizon", ST, P, D)
_fn("takt_options_set_warmup", ST, P, D)
_fn("takt_options_set_threads", ST, P, I)
_fn("takt_options_set_progress", None, P, PROGRESS, P)
_fn("takt_options_cancel", None, P)
_fn("takt_simulate", ST, P, P, ctypes.POINTER(P), c_char_pp)
_fn("takt_result_free", None, P)
_fn("takt_result_replications", I, P)
_fn("takt_result_seed", ctypes.c_uint64, P)
_fn("takt_result_horizon", D, P)
_fn("takt_result_warmup", D, P)
_fn("takt_result_events", ctypes.c_uint64, P)
_fn("takt_result_figure_count", I, P)
_fn("takt_result_figure_key", S, P, I)
_fn("takt_result_figure", ST, P, S, c_double_p, c_double_p)
_fn("takt_catalogue_entry", ST, S, I, ctypes.POINTER(S), ctypes.POINTER(S), ctypes.POINTER(S))
_fn("takt_state_count", I)
_fn("takt_state_name", S, I)
_fn("takt_result_station_state", ST, P, S, S, c_double_p, c_double_p)
_fn("takt_result_station_figure", ST, P, S, S, c_double_p, c_double_p)
_fn("takt_result_buffer_figure", ST, P, S, S, c_double_p, c_double_p)
_fn("takt_result_bottleneck", S, P)
_fn("takt_result_series_length", I, P, S)
_fn("takt_result_series_date", ST, P, S, I, ctypes.c_char_p, ctypes.c_size_t)
_fn("takt_result_series_value", ST, P, S, I, S, c_double_p, c_double_p)
_fn("takt_result_report", ST, P, I, c_char_pp, ctypes.POINTER(ctypes.c_size_t))
_fn("takt_sweep_new", P)
_fn("takt_sweep_free", None, P)
_fn("takt_sweep_add", ST, P, S, c_char_pp)
_fn("takt_sweep_count", ctypes.c_long, P)
_fn("takt_sweep_axis_count", I, P)
_fn("takt_sweep_axis", S, P, I)
_fn("takt_sweep_value", S, P, ctypes.c_long, I)
_fn("takt_sweep_load", ST, P, S, ctypes.POINTER(S), I, c_char_pp)
_fn("takt_sweep_run", ST, P, P, c_char_pp)
_fn("takt_sweep_result", P, P, ctypes.c_long)
_fn("takt_store_open", ST, S, ctypes.POINTER(P), c_char_pp)
_fn("takt_store_close", None, P)
_fn("takt_store_run_count", I, P)
_fn("takt_store_run_id", ctypes.c_longlong, P, I)
_fn("takt_store_run_text", S, P, I, S)
_fn("takt_store_run_figure", ST, P, I, S, c_double_p, c_double_p)
_fn("takt_balance_load", ST, S, S, ctypes.POINTER(P), c_char_pp)
_fn("takt_balance_free", None, P)
_fn("takt_balance_set_takt", ST, P, D)
_fn("takt_balance_set_stations", ST, P, I)
_fn("takt_balance_solve", ST, P, D, c_char_pp)
_fn("takt_balance_task_count", I, P)
_fn("takt_balance_task", S, P, I)
_fn("takt_balance_task_station", I, P, I)
_fn("takt_balance_stations", I, P)
_fn("takt_balance_cycle", D, P)
_fn("takt_balance_lower_bound", D, P)
_fn("takt_balance_optimal", I, P)
_fn("takt_balance_plant_text", ST, P, c_char_pp, ctypes.POINTER(ctypes.c_size_t))
