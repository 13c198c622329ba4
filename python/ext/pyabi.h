/*
 * The few CPython functions the fast operators call, declared here instead of taken from
 * Python.h: the extension is built for Pyodide (wasm32, no CPython headers on the build machine)
 * and for native CPython alike, and only uses the stable ABI's functions, whose signatures do not
 * change between versions.  Objects are opaque; the one layout fact used is that every object
 * starts with a reference count and then its type (PyObject_HEAD, every CPython 3 build without
 * Py_TRACE_REFS).  The wasm build's import gate (js/tools/check-imports.mjs) checks each of these
 * against Pyodide's exports, name and signature.
 */
#ifndef WGPY_PYABI_H
#define WGPY_PYABI_H

#include <stddef.h>
#include <stdint.h>

typedef struct _object PyObject;
typedef struct _typeobject PyTypeObject;
typedef intptr_t Py_ssize_t;
typedef PyObject *(*PyCFunction)(PyObject *, PyObject *);
typedef PyObject *(*PyCFunctionFast)(PyObject *, PyObject *const *, Py_ssize_t);
typedef PyObject *(*PyCFunctionFastWithKeywords)(PyObject *, PyObject *const *, Py_ssize_t, PyObject *);

typedef struct PyMethodDef {
    const char *ml_name;
    PyCFunction ml_meth;
    int ml_flags;
    const char *ml_doc;
} PyMethodDef;

#define METH_VARARGS 0x0001
#define METH_KEYWORDS 0x0002
#define METH_NOARGS 0x0004
#define METH_O 0x0008
#define METH_FASTCALL 0x0080

extern PyObject _Py_NoneStruct; /* an incomplete type: only its address is taken */
extern PyTypeObject PyFloat_Type;
extern PyTypeObject PyLong_Type;
extern PyTypeObject PyTuple_Type;
extern PyTypeObject PyBool_Type;
extern PyObject *PyExc_TypeError;
extern PyObject *PyExc_ValueError;
#define Py_None (&_Py_NoneStruct)

void Py_IncRef(PyObject *);
void Py_DecRef(PyObject *);
PyObject *PyLong_FromVoidPtr(void *);
void *PyLong_AsVoidPtr(PyObject *);
PyObject *PyLong_FromLongLong(long long);
long long PyLong_AsLongLong(PyObject *);
double PyFloat_AsDouble(PyObject *);
PyObject *PyTuple_New(Py_ssize_t);
int PyTuple_SetItem(PyObject *, Py_ssize_t, PyObject *); /* steals the item */
PyObject *PyTuple_GetItem(PyObject *, Py_ssize_t);       /* borrowed */
Py_ssize_t PyTuple_Size(PyObject *);
PyObject *PyType_GenericAlloc(PyTypeObject *, Py_ssize_t);
PyObject *PyCFunction_NewEx(PyMethodDef *, PyObject *self, PyObject *module);
PyObject *PyObject_CallNoArgs(PyObject *);
PyObject *PyErr_Occurred(void);
void PyErr_Clear(void);
void PyErr_SetString(PyObject *type, const char *message);
void PyErr_SetObject(PyObject *type, PyObject *value);
PyObject *PyObject_Type(PyObject *);
int PyType_IsSubtype(PyTypeObject *, PyTypeObject *);
PyObject *PyDict_GetItemWithError(PyObject *dict, PyObject *key); /* borrowed */
PyObject *PyDescr_NewMethod(PyTypeObject *, PyMethodDef *);
PyObject *PyObject_Vectorcall(PyObject *callable, PyObject *const *args, size_t nargsf, PyObject *kwnames);
const char *PyUnicode_AsUTF8AndSize(PyObject *, Py_ssize_t *);
int PyUnicode_CompareWithASCIIString(PyObject *, const char *);

/* ob_type: the second word of every object */
static inline PyTypeObject *wgpy_type_of(PyObject *o) { return ((PyTypeObject **)(void *)o)[1]; }

#endif
