// OpenBLAS's CBLAS interface (Debian: libopenblas-dev puts cblas.h on the default include path
// through /usr/include/<triplet>/cblas.h). Also declares openblas_set_num_threads.
#include <cblas.h>

// LAPACK's Cholesky factorisation and inverse of a symmetric positive-definite matrix (EASE), as
// OpenBLAS exports them (Fortran convention: every argument by pointer, column-major). Declared
// here, with the prototypes of OpenBLAS's f77blas.h, because Debian's libopenblas-dev has no
// lapacke.h and f77blas.h would import hundreds of unused symbols.
int dpotrf_(char *uplo, blasint *n, double *a, blasint *lda, blasint *info);
int dpotri_(char *uplo, blasint *n, double *a, blasint *lda, blasint *info);
