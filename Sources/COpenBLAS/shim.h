// OpenBLAS's CBLAS interface (Debian: libopenblas-dev puts cblas.h on the default include path
// through /usr/include/<triplet>/cblas.h). Also declares openblas_set_num_threads.
#include <cblas.h>
