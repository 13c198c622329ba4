"""Streams and events over wgpy's single in-order queue: work is ordered as recorded, so a
stream's or event's synchronize is a sync point of the whole queue (wgpy.sync())."""
import time as _time

import wgpy as _wgpy


class Stream:
    """A name for the one queue.  `with Stream():` changes nothing; ordering is already total."""
    null = None
    _current = []

    def __init__(self, null=False, non_blocking=False, ptr=0):
        self.ptr = 0
        self.non_blocking = non_blocking

    def __enter__(self):
        Stream._current.append(self)
        return self

    def __exit__(self, *exc):
        Stream._current.pop()
        return False

    def use(self):
        return self

    def synchronize(self):
        _wgpy.sync()

    @property
    def done(self):
        _wgpy.sync()
        return True

    def record(self, event=None):
        if event is None:
            event = Event()
        event.record(self)
        return event

    def wait_event(self, event):
        pass  # one queue: later work already follows the event

    def add_callback(self, callback, arg):
        _wgpy.sync()
        callback(self, 0, arg)

    def __eq__(self, other):
        return isinstance(other, Stream)

    def __hash__(self):
        return 0

    def __repr__(self):
        return '<cupy.cuda.Stream (wgpy: the one in-order queue)>'


Stream.null = Stream(null=True)


def get_current_stream():
    return Stream._current[-1] if Stream._current else Stream.null


class Event:
    """An event on the one queue; record() notes the host time after a sync point, so
    get_elapsed_time between two events measures the work recorded between them."""

    def __init__(self, block=False, disable_timing=False, interprocess=False):
        self.ptr = 0
        self._t = None

    def record(self, stream=None):
        _wgpy.sync()
        self._t = _time.perf_counter()

    def synchronize(self):
        _wgpy.sync()

    @property
    def done(self):
        return True


def get_elapsed_time(start_event, end_event):
    """Milliseconds between two recorded events."""
    if start_event._t is None or end_event._t is None:
        raise RuntimeError('wgpy: both events must be recorded')
    return (end_event._t - start_event._t) * 1000.0
