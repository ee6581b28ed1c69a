#ifndef PEAKMQ_FILEOPS_H
#define PEAKMQ_FILEOPS_H

/// Zeroes [offset, offset + length) of `fd` with fallocate(FALLOC_FL_ZERO_RANGE |
/// FALLOC_FL_KEEP_SIZE): the blocks stay allocated, no zeros are written.
/// Returns 0, or -1 with errno set (EOPNOTSUPP where the file system lacks it).
int peakmq_zero_range(int fd, long long offset, long long length);

/// Starts write-back of the dirty pages in [offset, offset + length) of `fd` and
/// returns without waiting for it: sync_file_range(SYNC_FILE_RANGE_WRITE).
/// Returns 0, or -1 with errno set.
int peakmq_start_writeback(int fd, long long offset, long long length);

#endif
