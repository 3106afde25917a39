// Transparent huge pages for the C library's allocations, which glibc only turns on from the
// environment read at start-up. A 150,000-pod run allocates about 2.4 GB; on 4 KiB pages about
// 300,000 page faults took 5 of its 20 CPU-seconds, on 2 MiB pages a third of that.
#pragma once

namespace ktriage {

/// Whether the command line names a large input: a file of 64 MiB or more, a folder whose files
/// (in it and below it) add up to 256 MiB or more, or "-" with standard input redirected from a
/// file of 64 MiB or more. Only stats paths and lists folders, at
/// most 10,000 entries per folder named, so it costs next to nothing beside the start-up of a
/// second process.
bool names_large_input(int argc, char** argv);

/// Replaces the process image with itself, the same arguments and GLIBC_TUNABLES extended by
/// glibc.malloc.hugetlb=1 (glibc 2.35 and later: malloc advises MADV_HUGEPAGE on its memory),
/// unless the user set that tunable, KTRIAGE_NO_REEXEC is set, glibc is in secure mode
/// (setuid, capabilities), the binary was started through ld.so, or this is not glibc on Linux.
/// In the re-executed process it puts the user's GLIBC_TUNABLES back and returns at once.
/// Returns only when it did not re-execute (or exec failed); then the run goes on unchanged.
/// Call first in main, before any thread, output or read of standard input: a re-executed start
/// costs about 25 ms, so main calls it only when names_large_input().
void reexec_with_huge_pages(char** argv);

/// Whether this process is the re-executed one (for --timings).
bool reexecuted_with_huge_pages();

}  // namespace ktriage
