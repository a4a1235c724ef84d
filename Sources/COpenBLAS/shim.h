// OpenBLAS's CBLAS interface plus its runtime controls (thread count, core name).
#include <cblas.h>
