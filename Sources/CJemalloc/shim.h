#ifndef PEAKMQ_CJEMALLOC_SHIM_H
#define PEAKMQ_CJEMALLOC_SHIM_H
#include <jemalloc/jemalloc.h>
#endif
