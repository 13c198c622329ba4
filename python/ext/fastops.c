/*
 * wgpy's fast operators: the hot paths of the Python shell in C -- the operators (`x + y`,
 * reflected, in place), the plain ufunc call (`wgpy.exp(x)`), the wrap of an engine result in an
 * ndarray, and ndarray.__del__.  In Pyodide a ctypes call costs ~0.5 us (libffi through the JS
 * glue), an operator's Python frame ~0.7 and a Python-level object set-up ~0.3, each as much as
 * the engine's own work for a small operation (docs/architecture.md, "Session 18").
 *
 * It holds no logic of its own: the engine functions come in as function pointers (ctypes knows
 * their addresses), the info block's slot numbers and the ndarray class from python/wgpy/_core.py,
 * and the error and hand-off paths are _core's own Python callables; any operand or call it does
 * not take goes to _core's or _ufunc's Python.  _core uses it where it loads (WGPY_FASTOPS=0: not
 * loaded), the plain Python path otherwise.
 *
 * The ndarray's slot offsets are found by a probe: _core fills an instance's slots with distinct
 * objects, and init looks for each among the instance's words.
 */
#include "pyabi.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

enum { F_H, F_DT, F_FLAGS, F_SHAPE, F_EST, F_BASE, NFIELDS };
#define MAX_OPS 256

typedef void *(*binop_fn)(void *, void *);
typedef void *(*binop_into_fn)(int, void *, void *, void *);
typedef void (*release_fn)(void *);
typedef void *(*unop_fn)(int, void *);
typedef void *(*index_fn)(void *, int, const int64_t *);
typedef void *(*reduce_fn)(int, void *, int, const int64_t *, int);

static PyTypeObject *nd_type;
static Py_ssize_t field_off[NFIELDS];
static const int64_t *info;
static Py_ssize_t slot_dt, slot_ndim, slot_flags, slot_shape, slot_handoff, max_ndim;
static PyObject *hand_off_fn, *error_fn;
static release_fn release;
static unop_fn unop;
static binop_fn binops[MAX_OPS];
static binop_into_fn binop_into;

static inline PyObject **field(PyObject *o, int f) {
    return (PyObject **)(void *)((char *)o + field_off[f]);
}

/* the exception _core's error() makes from the engine's last error, raised */
static PyObject *raise_engine_error(void) {
    PyObject *e = PyObject_CallNoArgs(error_fn);
    if (!e) return NULL;
    PyObject *t = PyObject_Type(e);
    PyErr_SetObject(t, e);
    Py_DecRef(t);
    Py_DecRef(e);
    return NULL;
}

/* A new ndarray owning the engine reference h, described by the info block (_core._wrap).  The
 * block is read before anything is allocated: an allocation may run the garbage collector, and a
 * finalizer there may make another array, which writes the block. */
#define MAX_NDIM_HERE 64
static PyObject *make(void *h) {
    if (!h) return raise_engine_error();
    int64_t ndim = info[slot_ndim], dtv = info[slot_dt], flv = info[slot_flags];
    int64_t handoff = info[slot_handoff], dims[MAX_NDIM_HERE];
    int bad = ndim < 0 || ndim > max_ndim || ndim > MAX_NDIM_HERE;
    for (int64_t d = 0; !bad && d < ndim; d++) dims[d] = info[slot_shape + d];
    PyObject *a = PyType_GenericAlloc(nd_type, 0);
    PyObject *hv = a ? PyLong_FromVoidPtr(h) : NULL;
    if (!hv) {
        release(h);
        if (a) Py_DecRef(a);
        return NULL;
    }
    *field(a, F_H) = hv; /* from here on a owns h: its __del__ releases it */
    if (bad) {
        PyErr_SetString(PyExc_ValueError, "wgpy fastops: bad ndim in the info block");
        Py_DecRef(a);
        return NULL;
    }
    PyObject *shape = PyTuple_New((Py_ssize_t)ndim);
    for (int64_t d = 0; shape && d < ndim; d++) {
        PyObject *n = PyLong_FromLongLong(dims[d]);
        if (!n || PyTuple_SetItem(shape, (Py_ssize_t)d, n) < 0) {
            Py_DecRef(shape);
            shape = NULL;
        }
    }
    PyObject *dt = shape ? PyLong_FromLongLong(dtv) : NULL;
    PyObject *fl = dt ? PyLong_FromLongLong(flv) : NULL;
    if (!fl) {
        if (shape) Py_DecRef(shape);
        if (dt) Py_DecRef(dt);
        Py_DecRef(a);
        return NULL;
    }
    *field(a, F_DT) = dt;
    *field(a, F_FLAGS) = fl;
    *field(a, F_SHAPE) = shape;
    Py_IncRef(Py_None);
    *field(a, F_EST) = Py_None;
    Py_IncRef(Py_None);
    *field(a, F_BASE) = Py_None;
    if (handoff) {
        PyObject *r = PyObject_CallNoArgs(hand_off_fn);
        if (!r) {
            Py_DecRef(a);
            return NULL;
        }
        Py_DecRef(r);
    }
    return a;
}

static void *handle_of(PyObject *x) {
    if (wgpy_type_of(x) != nd_type && !PyType_IsSubtype(wgpy_type_of(x), nd_type)) {
        PyErr_SetString(PyExc_TypeError, "wgpy fastops: operand is not a wgpy ndarray");
        return NULL;
    }
    PyObject *h = *field(x, F_H);
    if (!h || h == Py_None) {
        PyErr_SetString(PyExc_ValueError, "wgpy fastops: operand has been released");
        return NULL;
    }
    return PyLong_AsVoidPtr(h);
}

/*
 * The operators.  Each is a method of ndarray (a method descriptor, so `x + y` goes from the
 * type's slot to C without a Python frame) for one op code, forward or reflected.  It handles the
 * common operands itself: an ndarray, and a Python float or int whose weak scalar _core has
 * cached (the same lookups as _core's operator: floats in _scache, ints in _icache).  Anything
 * else goes to _core's Python operator, `slow`, which converts, refuses or returns NotImplemented.
 */
#define MAX_OPERATORS 96
enum { FORWARD, REFLECTED, IN_PLACE, UNARY, REDUCE };
typedef struct {
    binop_fn fn;
    int code, mode;
    PyObject *slow;
    char name[32];
} op_entry;
static op_entry ops[MAX_OPERATORS];
static int n_ops;
static PyMethodDef op_defs[MAX_OPERATORS];

/* an ndarray, or the cached weak scalar of a Python float or int (_core's _scache, _icache: the
 * lookups of _core's operator), or NULL (an error set only where a lookup failed) */
static PyObject *scache, *icache;
static PyObject *zero_key[2]; /* _scache's keys of +0.0 and -0.0 (_core's _weak_float) */
static PyObject *float_operand(PyObject *x) {
    PyObject *r = PyDict_GetItemWithError(scache, x);
    if (r || PyErr_Occurred()) return r;
    /* a zero is not its own key (0.0 == -0.0 in a dict: the sign would be lost), so a miss on
     * one looks again under its sign's key: x + 0.0 and maximum(x, 0.0) stay on this path */
    double v = PyFloat_AsDouble(x);
    return v == 0.0 ? PyDict_GetItemWithError(scache, zero_key[signbit(v) ? 1 : 0]) : NULL;
}
static PyObject *operand_of(PyObject *x) {
    PyTypeObject *t = wgpy_type_of(x);
    return t == nd_type ? x
         : t == &PyFloat_Type ? float_operand(x)
         : t == &PyLong_Type ? PyDict_GetItemWithError(icache, x) : NULL;
}

/* slow(self, *args, **kw) for a vectorcall's arguments: one more slot for self */
static PyObject *call_with_self(PyObject *slow, PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                PyObject *kwnames) {
    Py_ssize_t nkw = kwnames ? PyTuple_Size(kwnames) : 0;
    PyObject *stack[16];
    if (nargs + nkw + 1 > (Py_ssize_t)(sizeof stack / sizeof *stack)) {
        PyErr_SetString(PyExc_TypeError, "wgpy: too many arguments");
        return NULL;
    }
    stack[0] = self;
    for (Py_ssize_t i = 0; i < nargs + nkw; i++) stack[i + 1] = args[i];
    return PyObject_Vectorcall(slow, stack, (size_t)(nargs + 1), kwnames);
}

static PyObject *call_slow(PyObject *slow, PyObject *self, PyObject *other) {
    PyObject *args[2] = {self, other};
    return PyObject_Vectorcall(slow, args, 2, NULL);
}

static PyObject *run_operator(int k, PyObject *self, PyObject *other) {
    const op_entry *e = &ops[k];
    if (e->mode == UNARY) { /* (a METH_NOARGS method: other is NULL) */
        void *a = handle_of(self);
        return a ? make(unop(e->code, a)) : NULL;
    }
    PyObject *o = operand_of(other);
    if (!o) return PyErr_Occurred() ? NULL : call_slow(e->slow, self, other);
    void *a = handle_of(self);
    void *b = a ? handle_of(o) : NULL;
    if (!b) return NULL;
    if (e->mode != IN_PLACE) return make(e->mode == REFLECTED ? e->fn(b, a) : e->fn(a, b));
    void *h = binop_into(e->code, a, b, a); /* a new reference to self's array */
    if (!h) return raise_engine_error();
    release(h);
    Py_IncRef(self);
    return self;
}

/* v's value where v is an int (not a bool) within int64: 1; else 0, no error set */
static int exact_int(PyObject *v, int64_t *out) {
    if (wgpy_type_of(v) != &PyLong_Type) return 0;
    long long x = PyLong_AsLongLong(v);
    if (x == -1 && PyErr_Occurred()) { /* past int64: the slow path clamps or raises */
        PyErr_Clear();
        return 0;
    }
    *out = x;
    return 1;
}
/*
 * The reductions' methods (x.sum(), x.max(axis=1, keepdims=True)...): mode REDUCE, code the
 * engine's reduction op.  The call with at most an axis (positional or keyword: None or an int)
 * and keepdims (a bool) goes to wg_reduce_of; any other argument, and an axis of a 0-d array
 * (NumPy's special case, _core.reduce_impl's), to the Python method.
 */
static reduce_fn reduce_of;
static PyObject *run_reduce(int k, PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    const op_entry *e = &ops[k];
    PyObject *axis = nargs >= 1 ? args[0] : NULL, *keep = NULL;
    Py_ssize_t nkw = kwnames ? PyTuple_Size(kwnames) : 0;
    int fast = nargs <= 1;
    for (Py_ssize_t i = 0; fast && i < nkw; i++) {
        PyObject *name = PyTuple_GetItem(kwnames, i);
        if (!axis && PyUnicode_CompareWithASCIIString(name, "axis") == 0) axis = args[nargs + i];
        else if (!keep && PyUnicode_CompareWithASCIIString(name, "keepdims") == 0) keep = args[nargs + i];
        else fast = 0;
    }
    int64_t ax = 0;
    int naxes = -1, keepdims = 0;
    if (fast && axis && axis != Py_None) {
        PyObject *shape = *field(self, F_SHAPE);
        fast = shape && wgpy_type_of(shape) == &PyTuple_Type && PyTuple_Size(shape) > 0 && exact_int(axis, &ax);
        naxes = 1;
    }
    if (fast && keep) {
        fast = wgpy_type_of(keep) == &PyBool_Type;
        keepdims = fast && PyLong_AsLongLong(keep) != 0;
    }
    if (!fast) return call_with_self(e->slow, self, args, nargs, kwnames);
    void *a = handle_of(self);
    return a ? make(reduce_of(e->code, a, naxes, naxes > 0 ? &ax : NULL, keepdims)) : NULL;
}
#define RED1(g, i)                                                                         \
    static PyObject *red_##g##_##i(PyObject *self, PyObject *const *args, Py_ssize_t n,  \
                                   PyObject *kw) {                                         \
        return run_reduce(8 * g + i, self, args, n, kw);                                   \
    }
#define RED8(g) RED1(g, 0) RED1(g, 1) RED1(g, 2) RED1(g, 3) RED1(g, 4) RED1(g, 5) RED1(g, 6) RED1(g, 7)
RED8(0) RED8(1) RED8(2) RED8(3) RED8(4) RED8(5) RED8(6) RED8(7) RED8(8) RED8(9) RED8(10) RED8(11)
#define RREF8(g) red_##g##_0, red_##g##_1, red_##g##_2, red_##g##_3, red_##g##_4, red_##g##_5, red_##g##_6, red_##g##_7,
typedef PyObject *(*fastcall_kw_fn)(PyObject *, PyObject *const *, Py_ssize_t, PyObject *);
static const fastcall_kw_fn red_entries[MAX_OPERATORS] = {
    RREF8(0) RREF8(1) RREF8(2) RREF8(3) RREF8(4) RREF8(5) RREF8(6) RREF8(7) RREF8(8) RREF8(9) RREF8(10) RREF8(11)
};

/* one C entry point per operator slot: a method's only data is its PyMethodDef */
#define OP1(g, i)                                                                          \
    static PyObject *op_##g##_##i(PyObject *self, PyObject *other) {                       \
        return run_operator(8 * g + i, self, other);                                       \
    }
#define OP8(g) OP1(g, 0) OP1(g, 1) OP1(g, 2) OP1(g, 3) OP1(g, 4) OP1(g, 5) OP1(g, 6) OP1(g, 7)
OP8(0) OP8(1) OP8(2) OP8(3) OP8(4) OP8(5) OP8(6) OP8(7) OP8(8) OP8(9) OP8(10) OP8(11)
#define REF8(g) op_##g##_0, op_##g##_1, op_##g##_2, op_##g##_3, op_##g##_4, op_##g##_5, op_##g##_6, op_##g##_7,
static const PyCFunction op_entries[MAX_OPERATORS] = {
    REF8(0) REF8(1) REF8(2) REF8(3) REF8(4) REF8(5) REF8(6) REF8(7) REF8(8) REF8(9) REF8(10) REF8(11)
};

/* operator(name, code, mode, slow): the method `name` of ndarray for engine op `code`; mode 0
 * self OP other (wg_binop_<op>), 1 the reflected other OP self, 2 in place (wg_binop_into), 3
 * the unary OP self (wg_unop; slow is then never called), 4 a reduction method (run_reduce) */
static PyObject *fast_operator(PyObject *self, PyObject *const *args, Py_ssize_t n) {
    (void)self;
    if (n != 4) {
        PyErr_SetString(PyExc_TypeError, "operator(name, code, mode, slow)");
        return NULL;
    }
    Py_ssize_t len;
    const char *name = PyUnicode_AsUTF8AndSize(args[0], &len);
    if (!name) return NULL;
    long long code = PyLong_AsLongLong(args[1]), mode = PyLong_AsLongLong(args[2]);
    if (PyErr_Occurred()) return NULL;
    if (n_ops >= MAX_OPERATORS || len >= (Py_ssize_t)sizeof ops[0].name || code < 0 ||
        code >= MAX_OPS || (mode < UNARY && !binops[code]) || mode < FORWARD || mode > REDUCE) {
        PyErr_SetString(PyExc_ValueError,
                        "wgpy fastops: no such op code or mode, or too many operators");
        return NULL;
    }
    op_entry *e = &ops[n_ops];
    memcpy(e->name, name, (size_t)len + 1);
    e->fn = binops[code];
    e->code = (int)code;
    e->mode = (int)mode;
    e->slow = args[3];
    PyMethodDef *d = &op_defs[n_ops];
    d->ml_name = e->name;
    d->ml_meth = mode == REDUCE ? (PyCFunction)(void (*)(void))red_entries[n_ops] : op_entries[n_ops];
    d->ml_flags = mode == REDUCE ? METH_FASTCALL | METH_KEYWORDS : mode == UNARY ? METH_NOARGS : METH_O;
    d->ml_doc = NULL;
    PyObject *descr = PyDescr_NewMethod(nd_type, d);
    if (!descr) return NULL;
    Py_IncRef(e->slow); /* held for the process's life, as the descriptor */
    n_ops++;
    return descr;
}

/* wrap(h): the ndarray for an engine result (0 or None: the engine's error raised) */
static PyObject *fast_wrap(PyObject *self, PyObject *h) {
    (void)self;
    if (h == Py_None) return raise_engine_error();
    void *p = PyLong_AsVoidPtr(h);
    if (!p && PyErr_Occurred()) return NULL;
    return make(p);
}

/*
 * ufunc.__call__ (_ufunc's, in C, for the plain call): u(x) or u(x1, x2) with no keyword, for
 * the ufuncs in `ufunc_table` ({ufunc: (nin, op code)}: the engine's elementwise ops with one
 * output and no check of their own), whose operands are ndarrays or cached Python scalars:
 * wg_unop / wg_binop_<name> and the result made here.  Any other call goes to `ufunc_slow`,
 * _ufunc's own __call__.
 */
static PyObject *ufunc_table, *ufunc_slow;

static PyObject *ufunc_call(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    if (!kwnames && (nargs == 1 || nargs == 2)) {
        PyObject *entry = PyDict_GetItemWithError(ufunc_table, self);
        if (!entry && PyErr_Occurred()) return NULL;
        PyObject *x = entry ? operand_of(args[0]) : NULL;
        PyObject *y = x && nargs == 2 ? operand_of(args[1]) : NULL;
        if (PyErr_Occurred()) return NULL;
        long long nin = x ? PyLong_AsLongLong(PyTuple_GetItem(entry, 0)) : 0;
        long long code = x ? PyLong_AsLongLong(PyTuple_GetItem(entry, 1)) : -1;
        if (PyErr_Occurred()) return NULL;
        if (x && nin == nargs && code >= 0 && code < MAX_OPS && (nargs == 1 || (y && binops[code]))) {
            void *a = handle_of(x);
            void *b = a && nargs == 2 ? handle_of(y) : NULL;
            if (!a || (nargs == 2 && !b)) return NULL;
            return make(nargs == 1 ? unop((int)code, a) : binops[code](a, b));
        }
    }
    return call_with_self(ufunc_slow, self, args, nargs, kwnames); /* _ufunc's __call__ */
}
static PyMethodDef ufunc_call_def = {"__call__", (PyCFunction)(void (*)(void))ufunc_call,
                                     METH_FASTCALL | METH_KEYWORDS, NULL};

/* ufunc_call(ufunc class, table, slow): the descriptor for ufunc.__call__ (above) */
static PyObject *fast_ufunc_call(PyObject *self, PyObject *const *args, Py_ssize_t n) {
    (void)self;
    if (n != 3 || ufunc_table) {
        PyErr_SetString(PyExc_TypeError, "ufunc_call(ufunc, table, slow), once");
        return NULL;
    }
    PyObject *descr = PyDescr_NewMethod((PyTypeObject *)args[0], &ufunc_call_def);
    if (!descr) return NULL;
    ufunc_table = args[1];
    ufunc_slow = args[2];
    Py_IncRef(ufunc_table);
    Py_IncRef(ufunc_slow);
    return descr;
}

/* ndarray.__del__ (_core's, in C): the handle goes into the release queue (the engine releases
 * it at its next entry), or is released now where the queue is full or off */
static int64_t *relq;
static int64_t relq_cap;
static PyObject *fast_del(PyObject *self, PyObject *unused) {
    (void)unused;
    PyObject **slot = field(self, F_H);
    PyObject *h = *slot;
    if (h && h != Py_None) {
        void *p = PyLong_AsVoidPtr(h);
        Py_IncRef(Py_None);
        *slot = Py_None;
        Py_DecRef(h);
        if (!p) { /* 0: nothing to release; not an int: PyLong_AsVoidPtr's error */
            if (PyErr_Occurred()) return NULL;
            Py_IncRef(Py_None);
            return Py_None;
        }
        int64_t n = relq[0];
        if (n < relq_cap) {
            relq[n + 1] = (int64_t)(intptr_t)p;
            relq[0] = n + 1;
        } else {
            release(p);
        }
    }
    Py_IncRef(Py_None);
    return Py_None;
}
static PyMethodDef del_def = {"__del__", fast_del, METH_NOARGS, NULL};

/*
 * ndarray.__getitem__ for basic keys (_core's, in C): an int, a slice of ints and Nones, None,
 * Ellipsis, or a tuple of those, encoded as _core._encode_index does (4 int64 an item) and passed
 * to wg_index_of; the view's base set as _core._view does.  Any other key (advanced indices,
 * bools, numpy integers, ints past int64) goes to `getitem_slow`, _core's own __getitem__,
 * which also raises every error of these keys with its own message.
 */
#define MAX_ITEMS 32
static PyObject *getitem_slow, *slice_type, *ellipsis;
static index_fn index_of;
static int64_t idx_none, owndata_flag;
static int slices_ok; /* the slice layout checked at init (PySliceObject: head, start, stop, step) */

static int encode_item(PyObject *k, int64_t *it) {
    it[1] = it[2] = it[3] = 0;
    if (k == Py_None) return it[0] = 2, 1;
    if (k == ellipsis) return it[0] = 3, 1;
    if ((PyObject *)wgpy_type_of(k) == slice_type && slices_ok) {
        PyObject *const *f = (PyObject *const *)(void *)((char *)k + 2 * sizeof(void *));
        it[0] = 1;
        for (int i = 0; i < 3; i++) {
            if (f[i] == Py_None) it[1 + i] = i == 2 ? 1 : idx_none;
            else if (!exact_int(f[i], &it[1 + i]) || it[1 + i] == idx_none) return 0;
        }
        return 1;
    }
    it[0] = 0;
    return exact_int(k, &it[1]);
}
static PyObject *fast_getitem(PyObject *self, PyObject *key) {
    int64_t items[4 * MAX_ITEMS];
    Py_ssize_t n = 1;
    int basic;
    if (wgpy_type_of(key) == &PyTuple_Type) {
        n = PyTuple_Size(key);
        basic = n >= 0 && n <= MAX_ITEMS;
        for (Py_ssize_t i = 0; basic && i < n; i++) basic = encode_item(PyTuple_GetItem(key, i), items + 4 * i);
    } else {
        basic = encode_item(key, items);
    }
    if (!basic) return call_slow(getitem_slow, self, key);
    void *a = handle_of(self);
    if (!a) return NULL;
    PyObject *v = make(index_of(a, (int)n, items));
    if (!v) return NULL;
    long long fl = PyLong_AsLongLong(*field(v, F_FLAGS));
    if (!(fl & owndata_flag)) { /* a view: its base is self's base, or self */
        PyObject *b = *field(self, F_BASE);
        PyObject *base = b && b != Py_None ? b : self;
        Py_IncRef(base);
        PyObject *old = *field(v, F_BASE);
        *field(v, F_BASE) = base;
        Py_DecRef(old);
    }
    return v;
}
static PyMethodDef getitem_def = {"__getitem__", fast_getitem, METH_O, NULL};

/* set_info(address): the info block of the context now current (wgpy.set_backend) */
static PyObject *fast_set_info(PyObject *self, PyObject *addr) {
    (void)self;
    void *p = PyLong_AsVoidPtr(addr);
    if (!p) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "wgpy fastops: null info block");
        return NULL;
    }
    info = p;
    Py_IncRef(Py_None);
    return Py_None;
}

static PyMethodDef methods[] = {
    {"operator", (PyCFunction)(void (*)(void))fast_operator, METH_FASTCALL, "operator(name, code, mode, slow)"},
    {"wrap", fast_wrap, METH_O, "wrap(h)"},
    {"ufunc_call", (PyCFunction)(void (*)(void))fast_ufunc_call, METH_FASTCALL, "ufunc_call(ufunc, table, slow)"},
    {"set_info", fast_set_info, METH_O, "set_info(address)"},
};

static int get_ssize(PyObject *cfg, Py_ssize_t i, Py_ssize_t *out) {
    long long v = PyLong_AsLongLong(PyTuple_GetItem(cfg, i));
    if (v == -1 && PyErr_Occurred()) return -1;
    *out = (Py_ssize_t)v;
    return 0;
}

static void *get_ptr(PyObject *cfg, Py_ssize_t i) {
    PyObject *o = PyTuple_GetItem(cfg, i);
    return o ? PyLong_AsVoidPtr(o) : NULL;
}

/*
 * cfg: (ndarray, probe, sentinels, basicsize, info address, (dt, ndim, flags, shape, handoff
 * slots), max_ndim, hand_off, error, wg_release's address, wg_binop addresses by op code (0:
 * none), the float and the int scalar caches (dicts), the release queue's address, capacity and
 * owner (_lib.relq: q[0] the count, then the handles; held here, since finalizers run at exit
 * after _lib's globals are gone), wg_binop_into's and wg_unop's addresses, the float cache's keys of +0.0 and -0.0, __getitem__'s
 * configuration (below)).  probe: an ndarray whose slots _h, _dt, _flags, _shape, _est, _base hold the objects of
 * sentinels, in that order.  Returns (operator, wrap, ufunc_call, set_info, __del__,
 * __getitem__), or NULL
 * with an exception set.
 */
__attribute__((visibility("default"))) PyObject *wgpy_fastops_init(PyObject *cfg) {
    if (PyTuple_Size(cfg) != 20) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "wgpy_fastops_init: 20 items");
        return NULL;
    }
    PyObject *type = PyTuple_GetItem(cfg, 0), *probe = PyTuple_GetItem(cfg, 1);
    PyObject *sentinels = PyTuple_GetItem(cfg, 2), *slots = PyTuple_GetItem(cfg, 5);
    PyObject *binop_addrs = PyTuple_GetItem(cfg, 10);
    Py_ssize_t basicsize, nslots = PyTuple_Size(slots), nops = PyTuple_Size(binop_addrs);
    if (!type || !probe || !sentinels || get_ssize(cfg, 3, &basicsize) < 0 || nslots != 5 ||
        PyTuple_Size(sentinels) != NFIELDS || nops < 0 || nops > MAX_OPS ||
        wgpy_type_of(probe) != (PyTypeObject *)type) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "wgpy_fastops_init: bad configuration");
        return NULL;
    }
    /* each slot's offset: the one word of the probe that holds its sentinel */
    for (int f = 0; f < NFIELDS; f++) {
        PyObject *s = PyTuple_GetItem(sentinels, f);
        Py_ssize_t found = -1;
        for (Py_ssize_t off = 2 * (Py_ssize_t)sizeof(void *); off + (Py_ssize_t)sizeof(void *) <= basicsize;
             off += sizeof(void *)) {
            PyObject *w;
            memcpy(&w, (char *)probe + off, sizeof w);
            if (w == s) {
                if (found >= 0) found = -2;
                else found = off;
            }
        }
        if (found < 0) {
            PyErr_SetString(PyExc_TypeError, "wgpy_fastops_init: a slot of the probe not found once");
            return NULL;
        }
        field_off[f] = found;
    }
    Py_ssize_t sl[5];
    for (int i = 0; i < 5; i++)
        if (get_ssize(slots, i, &sl[i]) < 0) return NULL;
    void *inf = get_ptr(cfg, 4);
    if (!inf || get_ssize(cfg, 6, &max_ndim) < 0) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "wgpy_fastops_init: null info block");
        return NULL;
    }
    release = (release_fn)get_ptr(cfg, 9);
    binop_into = (binop_into_fn)get_ptr(cfg, 16);
    unop = (unop_fn)get_ptr(cfg, 17);
    if (!release || !binop_into || !unop) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "wgpy_fastops_init: a null engine function");
        return NULL;
    }
    for (Py_ssize_t i = 0; i < nops; i++) {
        binops[i] = (binop_fn)get_ptr(binop_addrs, i);
        if (PyErr_Occurred()) return NULL;
    }
    slot_dt = sl[0], slot_ndim = sl[1], slot_flags = sl[2], slot_shape = sl[3], slot_handoff = sl[4];
    info = inf;
    nd_type = (PyTypeObject *)type;
    Py_IncRef(type); /* held for the process's life, as the functions below */
    hand_off_fn = PyTuple_GetItem(cfg, 7);
    error_fn = PyTuple_GetItem(cfg, 8);
    Py_IncRef(hand_off_fn);
    Py_IncRef(error_fn);
    relq = get_ptr(cfg, 13);
    long long cap = PyLong_AsLongLong(PyTuple_GetItem(cfg, 14));
    if (!relq || cap < 0) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "wgpy_fastops_init: bad release queue");
        return NULL;
    }
    relq_cap = cap;
    Py_IncRef(PyTuple_GetItem(cfg, 15)); /* the queue's memory outlives every finalizer */
    scache = PyTuple_GetItem(cfg, 11);
    icache = PyTuple_GetItem(cfg, 12);
    Py_IncRef(scache);
    Py_IncRef(icache);
    PyObject *zk = PyTuple_GetItem(cfg, 18);
    for (int i = 0; i < 2; i++) {
        zero_key[i] = zk ? PyTuple_GetItem(zk, i) : NULL;
        if (!zero_key[i]) return NULL;
        Py_IncRef(zero_key[i]);
    }

    /* __getitem__'s: (wg_index_of's address, the slow __getitem__, the slice type, Ellipsis,
     * slice(11, 22, 33) to check the slice layout on, IDX_NONE, the OWNDATA flag), and
     * wg_reduce_of's address for the reduction methods */
    PyObject *gc = PyTuple_GetItem(cfg, 19);
    if (!gc || PyTuple_Size(gc) != 8) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "wgpy_fastops_init: bad __getitem__ configuration");
        return NULL;
    }
    index_of = (index_fn)get_ptr(gc, 0);
    getitem_slow = PyTuple_GetItem(gc, 1);
    slice_type = PyTuple_GetItem(gc, 2);
    ellipsis = PyTuple_GetItem(gc, 3);
    PyObject *probe_slice = PyTuple_GetItem(gc, 4);
    idx_none = PyLong_AsLongLong(PyTuple_GetItem(gc, 5));
    owndata_flag = PyLong_AsLongLong(PyTuple_GetItem(gc, 6));
    reduce_of = (reduce_fn)get_ptr(gc, 7);
    if (!index_of || !reduce_of || !getitem_slow || !slice_type || !ellipsis || !probe_slice || PyErr_Occurred()) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "wgpy_fastops_init: bad __getitem__ configuration");
        return NULL;
    }
    Py_IncRef(getitem_slow);
    Py_IncRef(slice_type);
    Py_IncRef(ellipsis);
    /* the slice fields read by offset where this build lays slices out as CPython always has */
    slices_ok = (PyObject *)wgpy_type_of(probe_slice) == slice_type;
    for (int i = 0; slices_ok && i < 3; i++) {
        int64_t v;
        PyObject *f = ((PyObject *const *)(void *)((char *)probe_slice + 2 * sizeof(void *)))[i];
        slices_ok = exact_int(f, &v) && v == 11 * (i + 1);
    }

    size_t nm = sizeof methods / sizeof *methods;
    PyObject *del = PyDescr_NewMethod(nd_type, &del_def);
    PyObject *gi = del ? PyDescr_NewMethod(nd_type, &getitem_def) : NULL;
    PyObject *out = gi ? PyTuple_New((Py_ssize_t)nm + 2) : NULL;
    if (out) {
        PyTuple_SetItem(out, (Py_ssize_t)nm, del);
        PyTuple_SetItem(out, (Py_ssize_t)nm + 1, gi);
    } else {
        if (del) Py_DecRef(del);
        if (gi) Py_DecRef(gi);
    }
    for (size_t i = 0; out && i < nm; i++) {
        PyObject *f = PyCFunction_NewEx(&methods[i], NULL, NULL);
        if (!f || PyTuple_SetItem(out, (Py_ssize_t)i, f) < 0) {
            Py_DecRef(out);
            out = NULL;
        }
    }
    return out;
}
