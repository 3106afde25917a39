// Reads a run's files on several threads without changing the result: the steps are cut into
// contiguous chunks, each chunk is read into its own Inputs (own arenas, own file indices) by
// whichever thread is free, and the chunks are joined in step order (merge_inputs.h). Knows
// nothing of formats or layouts: the caller's `read` does one step.
#pragma once

#include <cstddef>
#include <functional>

#include "model/inputs.h"

namespace ktriage {

/// Progress so far over all threads: (files read, bytes read).
using ChunkProgress = std::function<void(std::size_t files, std::size_t bytes)>;

/// Reads one step into `part`; `tick(part)` may be called after each file inside the step
/// (archive entries) to report progress. Must touch nothing shared but read-only data.
using StepReader = std::function<void(std::size_t step, Inputs& part,
                                      const std::function<void(const Inputs&)>& tick)>;

/// Runs `read` for steps 0..steps-1 on `threads` threads (the calling thread is one of them)
/// and returns the joined result, equal to reading the steps one after another into one Inputs
/// with `keep_sources` set. `progress` (may be empty) gets running totals; its calls are
/// serialised, may come from any of the threads, and are skipped while another is running.
/// Cost: the reads, plus one move of every object, issue and log when joining.
Inputs read_in_chunks(std::size_t steps, unsigned threads, bool keep_sources,
                      const StepReader& read, const ChunkProgress& progress = {});

}  // namespace ktriage
