// Open MPI's C interface, for Sources/S2STrain/Communicator.swift (the only Swift file that calls MPI).
// Open MPI's handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, ...) are macros over addresses of globals,
// which Swift cannot import; these inline accessors hand them over as values.
#include <mpi.h>

static inline MPI_Comm s2s_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype s2s_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype s2s_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype s2s_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Op s2s_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op s2s_mpi_max(void) { return MPI_MAX; }
static inline MPI_Op s2s_mpi_min(void) { return MPI_MIN; }
static inline void *s2s_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline MPI_Errhandler s2s_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }
