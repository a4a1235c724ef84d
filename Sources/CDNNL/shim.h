// oneDNN's C API (Debian's libdnnl-dev): its int8 GEMM and the CPU features it detects.
#include <oneapi/dnnl/dnnl.h>
