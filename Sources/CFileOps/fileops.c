// Linux file calls that Glibc declares only with _GNU_SOURCE, which Swift's
// Glibc module does not define.
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/falloc.h>
#include "peakmq_fileops.h"

int peakmq_zero_range(int fd, long long offset, long long length) {
    return fallocate(fd, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, (off_t)offset, (off_t)length);
}

int peakmq_start_writeback(int fd, long long offset, long long length) {
    return sync_file_range(fd, (off_t)offset, (off_t)length, SYNC_FILE_RANGE_WRITE);
}
