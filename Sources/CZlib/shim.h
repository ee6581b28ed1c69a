#ifndef PEAKMQ_CZLIB_SHIM_H
#define PEAKMQ_CZLIB_SHIM_H
#include <zlib.h>
#endif
